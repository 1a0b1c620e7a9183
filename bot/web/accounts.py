"""Moderator accounts: signing in (argon2 hashes, failure throttling) and managing accounts.

Used by the console's login page and admin page, and by ``python bot.py moderator``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from argon2 import PasswordHasher

from bot.web.passwords import check_new_password, hash_password, needs_rehash, verify_password
from storage.moderators import SqlModeratorStore

UNKNOWN_ACCOUNT_PASSWORD = "no account has this password"
"""Checked against when a name is unknown, so that a wrong name takes as long as a wrong password."""


@dataclass(frozen=True)
class ConsoleUser:
    """A signed-in moderator: a name and a role ("moderator" or "admin")."""

    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        """Admins may also edit policies and moderator accounts."""
        return self.role == "admin"

    @property
    def label(self) -> str:
        """How reviews record this user, with the channel, like the other channels do ("ada (console)")."""
        return f"{self.name} (console)"


class LoginThrottled(Exception):
    """Too many failed sign-ins for one name from one address; try again later."""


class LoginThrottle:
    """Counts failed sign-ins per key and blocks a key after ``attempts`` failures within ``window_seconds``.

    At most ``max_keys`` keys are remembered; past that, expired ones are dropped, then the oldest.
    """

    def __init__(
        self,
        attempts: int = 5,
        window_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10000,
    ) -> None:
        self._attempts = attempts
        self._window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[str, list[float]] = {}

    def blocked(self, key: str) -> bool:
        """True while the key has used up its failed attempts."""
        return len(self._recent(key)) >= self._attempts

    def failed(self, key: str) -> None:
        """Count a failed attempt."""
        self._failures[key] = [*self._recent(key), self._clock()]
        if len(self._failures) > self._max_keys:
            now = self._clock()
            self._failures = {k: times for k, times in self._failures.items() if now - times[-1] < self._window}
            while len(self._failures) > self._max_keys:
                del self._failures[next(iter(self._failures))]

    def cleared(self, key: str) -> None:
        """Forget the key's failures after a successful sign-in."""
        self._failures.pop(key, None)

    def _recent(self, key: str) -> list[float]:
        now = self._clock()
        recent = [at for at in self._failures.get(key, []) if now - at < self._window]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent


class Accounts:
    """Sign-in and account management over the moderator store; hashing runs in a thread, off the event loop."""

    def __init__(
        self, store: SqlModeratorStore, hasher: PasswordHasher | None = None, throttle: LoginThrottle | None = None
    ) -> None:
        self._store = store
        self._hasher = hasher or PasswordHasher()
        self._throttle = throttle or LoginThrottle()
        self._unknown_hash: str | None = None

    async def sign_in(self, name: str, password: str, origin: str) -> ConsoleUser | None:
        """The user when the name and password match an active account, else None.

        Raises:
            LoginThrottled: this name from this origin failed too often lately.
        """
        key = f"{origin}|{name.casefold()}"
        if self._throttle.blocked(key):
            raise LoginThrottled(name)
        account = await self._store.get(name)
        password_hash = account["password_hash"] if account else await self._hash_for_unknown()
        matches = await self._run(verify_password, password_hash, password, self._hasher)
        if not matches or account is None or account["disabled"]:
            self._throttle.failed(key)
            return None
        self._throttle.cleared(key)
        if needs_rehash(password_hash, self._hasher):
            await self._store.set_password(name, await self._run(hash_password, password, self._hasher))
        return ConsoleUser(name=account["name"], role=account["role"])

    async def active(self, name: str) -> ConsoleUser | None:
        """The account as it stands now, or None when it is gone or disabled."""
        account = await self._store.get(name)
        if account is None or account["disabled"]:
            return None
        return ConsoleUser(name=account["name"], role=account["role"])

    async def add(self, name: str, password: str, again: str, role: str) -> str:
        """Create an account and return its id.

        Raises:
            ValueError: an empty name, a weak or mistyped password, an unknown role or a taken name.
        """
        if not name.strip() or name != name.strip():
            raise ValueError("the name must not be empty or start or end with spaces")
        check_new_password(password, again)
        return await self._store.create(name, await self._run(hash_password, password, self._hasher), role)

    async def list(self) -> list[dict[str, Any]]:
        """Every account (no hashes), by name."""
        return await self._store.list()

    async def set_disabled(self, name: str, disabled: bool) -> bool:
        """Disable or re-enable an account; False when there is none by that name."""
        return await self._store.set_disabled(name, disabled)

    async def _hash_for_unknown(self) -> str:
        if self._unknown_hash is None:
            self._unknown_hash = await self._run(hash_password, UNKNOWN_ACCOUNT_PASSWORD, self._hasher)
        return self._unknown_hash

    @staticmethod
    async def _run(function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))
