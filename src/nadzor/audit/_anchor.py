"""Signed anchors of the audit chain's head, with a key kept apart from the database.

Whoever can write to the database can change an entry and recompute every hash after it:
the chain is then consistent in itself and a plain `audit verify` passes. An anchor is the
head (its `seq` and `hash`) at one moment, signed with HMAC-SHA256 under a key that lives
in a file away from the database, and written to a file that an outside party keeps.
`audit verify --anchor FILE` then requires the entry at that `seq` to still have that hash:
a rewritten chain fails, and without the key nobody can make an anchor that matches it.

Pure standard library, like the chain itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from nadzor.audit._chain import canonical_json

__all__ = ["Anchor", "AnchorError", "create_key", "make_anchor", "read_anchor", "read_key"]

FORMAT = "nadzor-audit-anchor/1"
ALGORITHM = "HMAC-SHA256"
_KEY_BYTES = 32


class AnchorError(ValueError):
    """A key or anchor file that cannot be used, in one sentence."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    head: str
    at: str
    key_id: str
    signature: str

    def signed_part(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "algorithm": ALGORITHM,
            "seq": self.seq,
            "head": self.head,
            "at": self.at,
            "key_id": self.key_id,
        }

    def to_json(self) -> str:
        return json.dumps({**self.signed_part(), "signature": self.signature}, indent=2) + "\n"

    def signed_by(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signature, _sign(key, self.signed_part()))


def key_id(key: bytes) -> str:
    """Names the key without revealing it (so a wrong key file is told apart from a forgery)."""
    return hashlib.sha256(b"nadzor-anchor-key:" + key).hexdigest()[:16]


def _sign(key: bytes, part: dict[str, object]) -> str:
    return hmac.new(key, canonical_json(part).encode("utf-8"), hashlib.sha256).hexdigest()


def make_anchor(seq: int, head: str, at: str, key: bytes) -> Anchor:
    unsigned = Anchor(seq, head, at, key_id(key), "")
    return Anchor(seq, head, at, unsigned.key_id, _sign(key, unsigned.signed_part()))


def create_key(path: Path) -> bytes:
    """A new random key in a new file, readable by its owner only; never overwrites one."""
    key = secrets.token_bytes(_KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AnchorError(f"{path} already exists: it is not replaced") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
    return key


def read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise AnchorError(f"no anchor key at {path} (make one with --new-key)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorError(f"cannot read the anchor key {path}: {exc}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise AnchorError(f"{path} is not an anchor key (64 hexadecimal digits)") from None
    if len(key) != _KEY_BYTES:
        raise AnchorError(f"{path} is not an anchor key (64 hexadecimal digits)")
    return key


def read_anchor(path: Path) -> Anchor:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnchorError(f"no anchor file at {path}") from None
    except (OSError, ValueError) as exc:
        raise AnchorError(f"{path} is not an anchor file: {exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise AnchorError(f"{path} is not an anchor file (format {FORMAT} expected)")
    try:
        anchor = Anchor(
            seq=int(raw["seq"]),
            head=str(raw["head"]),
            at=str(raw["at"]),
            key_id=str(raw["key_id"]),
            signature=str(raw["signature"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise AnchorError(f"{path} is not an anchor file: {exc} is missing or wrong") from None
    if raw.get("algorithm") != ALGORITHM:
        raise AnchorError(f"{path}: unknown signature algorithm {raw.get('algorithm')!r}")
    return anchor
