"""The tamper-evident audit log: the chain formula and its verification (pure).

Appending to and reading the stored log is in `nadzor.audit.journal`, which needs the store.
"""

from nadzor.audit._chain import (
    GENESIS_HASH,
    ChainRow,
    ChainVerdict,
    canonical_json,
    entry_hash,
    verify_chain,
)

__all__ = [
    "GENESIS_HASH",
    "ChainRow",
    "ChainVerdict",
    "canonical_json",
    "entry_hash",
    "verify_chain",
]
