"""Per-chat policies in SQL, kept as the JSON of ``ChatPolicy.model_dump()``.

Implements ``handlers.ports.PolicyStore`` structurally.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.columns import plain_json, utc_now
from storage.db import Database
from storage.tables import PolicyRow


class SqlPolicyStore:
    """Chat policies in SQLite or PostgreSQL; a chat without a row has no policy of its own."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def get(self, tenant_id: str, chat_id: str) -> dict[str, Any] | None:
        """The chat's stored policy, or None."""
        async with self._db.session() as session:
            row = await session.get(PolicyRow, (tenant_id, chat_id))
        return dict(row.policy) if row else None

    async def get_many(self, tenant_id: str, chat_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The stored policies of those of the chats that have one, by chat id."""
        if not chat_ids:
            return {}
        query = select(PolicyRow).where(PolicyRow.tenant_id == tenant_id, col(PolicyRow.chat_id).in_(sorted(chat_ids)))
        async with self._db.session() as session:
            rows = (await session.exec(query)).all()
        return {row.chat_id: dict(row.policy) for row in rows}

    async def put(self, tenant_id: str, chat_id: str, policy: Mapping[str, Any]) -> None:
        """Replace the chat's policy."""
        store = self._db.insert(PolicyRow).values(
            tenant_id=tenant_id, chat_id=chat_id, policy=plain_json(dict(policy)), updated_at=self._clock()
        )
        async with self._db.transaction() as session:
            await session.exec(
                store.on_conflict_do_update(
                    index_elements=["tenant_id", "chat_id"],
                    set_={"policy": store.excluded.policy, "updated_at": store.excluded.updated_at},
                )
            )

    async def chats(self, tenant_id: str) -> list[str]:
        """The ids of the tenant's chats that have a policy, sorted."""
        query = select(PolicyRow.chat_id).where(PolicyRow.tenant_id == tenant_id).order_by(col(PolicyRow.chat_id))
        async with self._db.session() as session:
            return list((await session.exec(query)).all())
