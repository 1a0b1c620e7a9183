"""Users of the moderator console in SQL. Passwords arrive already hashed (argon2, by the console)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.columns import utc_now
from storage.db import Database
from storage.tables import MODERATOR_ROLES, ModeratorRow, row_dict

PUBLIC_FIELDS = ("id", "name", "role", "created_at", "disabled")
"""What ``list`` shows of a moderator (never the password hash)."""


class SqlModeratorStore:
    """Create, look up, list, disable and re-key moderator accounts."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def create(self, name: str, password_hash: str, role: str = "moderator") -> str:
        """Create an account and return its id.

        Raises:
            ValueError: the role is unknown or the name is taken.
        """
        if role not in MODERATOR_ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {', '.join(MODERATOR_ROLES)}")
        moderator_id = str(uuid4())
        row = ModeratorRow(id=moderator_id, name=name, password_hash=password_hash, role=role, created_at=self._clock())
        try:
            async with self._db.transaction() as session:
                session.add(row)
        except IntegrityError as error:
            raise ValueError(f"a moderator named {name!r} exists already") from error
        return moderator_id

    async def get(self, name: str) -> dict[str, Any] | None:
        """The account with this name, password hash included (for checking a login), or None."""
        async with self._db.session() as session:
            row = (await session.exec(select(ModeratorRow).where(ModeratorRow.name == name))).first()
        return row_dict(row) if row else None

    async def list(self) -> list[dict[str, Any]]:
        """Every account without its password hash, by name."""
        async with self._db.session() as session:
            rows = (await session.exec(select(ModeratorRow).order_by(col(ModeratorRow.name)))).all()
        return [{name: getattr(row, name) for name in PUBLIC_FIELDS} for row in rows]

    async def set_disabled(self, name: str, disabled: bool) -> bool:
        """Disable or re-enable an account; False when there is none by that name."""
        return await self._change(name, disabled=disabled)

    async def set_password(self, name: str, password_hash: str) -> bool:
        """Replace an account's password hash; False when there is none by that name."""
        return await self._change(name, password_hash=password_hash)

    async def _change(self, name: str, **values: Any) -> bool:
        async with self._db.transaction() as session:
            result = await session.exec(update(ModeratorRow).where(col(ModeratorRow.name) == name).values(**values))
        return result.rowcount > 0
