"""Passwords are stored as argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommendation)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accord.errors import DomainError

_hasher = PasswordHasher()  # argon2id
MINIMUM_LENGTH = 10


def hash_password(password: str) -> str:
    if len(password) < MINIMUM_LENGTH:
        raise DomainError(f"a password needs at least {MINIMUM_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """A real hash to verify against when the user does not exist, so both cases take the same time;
    made on first use (hashing takes a few tenths of a second: not at import, which every command
    touching accounts, their --help included, would pay)."""
    return _hasher.hash("not a password of anyone")
