"""Receipt codes at rest: a keyed hash finds the complaint, an Argon2 hash confirms the code.

The code itself is never stored or logged. `lookup_digest` is HMAC-SHA256 of the 16 digits
with the server secret (Django's SECRET_KEY), so the digest is useless without the secret;
`code_hash` is an Argon2id hash of the digits, so that even with the secret each guess
costs one slow hash. Changing the server secret makes every existing code unusable.

A lookup always runs exactly one Argon2 verification: against the complaint's hash when
the digest is known, else against a fixed dummy hash with the same parameters. So a wrong
code, an unknown code and a malformed one take the same time and get the same answer.
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings

from nadzor.complaints.domain import normalize_code
from nadzor.store.models import Complaint

__all__ = ["DUMMY_HASH", "find", "hash_code", "lookup_digest", "verify_code"]

# Argon2id with OWASP's minimum parameters: 19 MiB, 2 passes, one lane (about 0.1 s).
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)
# The hash an unknown code is checked against: same parameters as HASHER, matches no code.
DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$YuOWKj0NhccWsHig2KTqCA$8gi0/igUHFs6CB9co2NfNq68BowhywfRpoelH+zkyng"
_NOT_A_CODE = "0" * 16


def lookup_digest(code: str) -> str:
    """HMAC-SHA256 of the code's 16 digits with the server secret, in hex."""
    key = str(settings.SECRET_KEY).encode("utf-8")
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def hash_code(code: str) -> str:
    return HASHER.hash(code)


def verify_code(code_hash: str, code: str) -> bool:
    try:
        return HASHER.verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False


def find(code: str) -> Complaint | None:
    """The complaint whose receipt code is `code` (typed in any grouping), else None."""
    digits = normalize_code(code)
    if digits is None:
        verify_code(DUMMY_HASH, _NOT_A_CODE)
        return None
    complaint = (
        Complaint.objects.select_related("case").filter(lookup_digest=lookup_digest(digits)).first()
    )
    confirmed = verify_code(DUMMY_HASH if complaint is None else complaint.code_hash, digits)
    return complaint if complaint is not None and confirmed else None
