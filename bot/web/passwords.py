"""Console passwords: argon2id hashes made and checked with argon2-cffi.

The console and ``python bot.py moderator add`` share these helpers, so an account made on the command line
logs in on the web page. Hashing is slow on purpose; the console runs it in an executor, off the event loop.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_CHARS = 10
"""Shortest password accepted for a new account."""


def check_new_password(password: str, again: str) -> None:
    """Reject a new password that is too short or was not typed the same twice.

    Raises:
        ValueError: the reason, for the person choosing the password.
    """
    if password != again:
        raise ValueError("the two passwords differ")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"use at least {MIN_PASSWORD_CHARS} characters")


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """The argon2id hash of a password (RFC 9106 low-memory parameters unless ``hasher`` says otherwise)."""
    return (hasher or PasswordHasher()).hash(password)


def verify_password(password_hash: str, password: str, hasher: PasswordHasher | None = None) -> bool:
    """True when the password matches the hash; a malformed hash never matches."""
    try:
        return (hasher or PasswordHasher()).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher | None = None) -> bool:
    """True when the hash was made with other parameters than the hasher's current ones."""
    try:
        return (hasher or PasswordHasher()).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
