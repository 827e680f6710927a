"""Password hashes: Argon2id at the parameters OWASP recommends, earlier Werkzeug hashes still read until replaced.

OWASP's Password Storage Cheat Sheet puts Argon2id first, at a minimum of 19 MiB of memory, 2 passes and 1 lane.
Werkzeug's scrypt, which the hub used before, ran at 2^15, under the 2^17 OWASP asks of scrypt, and cost five
times the CPU of a login (96 against 17 ms here): with two workers, a room of 50 people logging in at once held
both cores for seconds. A hash written before (``scrypt:…``, ``pbkdf2:…``) still opens its account; the first
login that proves the password replaces it (``needs_rehash``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from werkzeug.security import check_password_hash

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ARGON2_PREFIX = "$argon2"


def hash_password(password: str) -> str:
    """The password's Argon2id hash, with its own random salt."""
    return HASHER.hash(password)


def matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from, whichever scheme made it."""
    if not stored.startswith(ARGON2_PREFIX):
        return check_password_hash(stored, password)
    try:
        return HASHER.verify(stored, password)
    # A mismatch is a VerificationError; a damaged hash (not ASCII, not Argon2) a ValueError: both refuse.
    except (VerificationError, ValueError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash predates Argon2id or the present parameters, and should be made again at the next login."""
    return not stored.startswith(ARGON2_PREFIX) or HASHER.check_needs_rehash(stored)
