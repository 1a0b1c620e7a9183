"""Conversation memory in SQL: processed messages, per-pair and per-sender state, age cues and thread authors.

Implements ``handlers.ports.ConversationStore`` structurally: it takes and returns plain dicts shaped like the
``MessageEntry``/``Snapshot`` TypedDicts there, and keeps the states as the JSON it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import as_utc, utc_now
from storage.db import Database
from storage.tables import MessageRow, PairStateRow, SenderStateRow, ThreadRow

ROOM = ""
"""The pair-state target of a message addressed to nobody in particular."""

WINDOW_FIELDS = ("message_id", "sender_id", "target_id", "text", "sent_at", "risk")
"""The fields of one line of a snapshot's window."""

MESSAGE_FIELDS = ("message_id", "thread_id", "sender_id", "target_id", "text", "sent_at", "risk", "action", "decision")
"""The fields ``recent_messages`` returns for each message."""


def message_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The message columns of a ``MessageEntry``, normalised (UTC time, float risk)."""
    return {
        "tenant_id": entry["tenant_id"],
        "chat_id": entry["chat_id"],
        "message_id": entry["message_id"],
        "thread_id": entry.get("thread_id"),
        "sender_id": entry["sender_id"],
        "target_id": entry.get("target_id"),
        "text": entry["text"],
        "sent_at": as_utc(entry["sent_at"]),
        "risk": float(entry.get("risk", 0.0)),
        "action": str(entry.get("action", "allow")),
        "decision": dict(entry.get("decision", {})),
    }


class SqlConversationStore:
    """Conversation memory in SQLite or PostgreSQL.

    Args:
        db: the database.
        window: how many earlier messages a snapshot's window holds.
        state_ttl_days: a pair or sender state not updated for this many days reads as empty.
        clock: the current time (aware UTC); tests pass their own.
    """

    def __init__(
        self, db: Database, window: int = 12, state_ttl_days: int = 30, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._db = db
        self._window = window
        self._ttl = timedelta(days=state_ttl_days)
        self._clock = clock

    async def previous(self, tenant_id: str, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The decision record stored for this message, if it was processed before."""
        query = select(MessageRow.decision).where(
            MessageRow.tenant_id == tenant_id, MessageRow.chat_id == chat_id, MessageRow.message_id == message_id
        )
        async with self._db.session() as session:
            return (await session.exec(query)).first()

    async def snapshot(
        self, tenant_id: str, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None
    ) -> dict[str, Any]:
        """States of sender→target and target→sender, the sender's state, both users' cues and the window."""
        fresh = self._clock() - self._ttl
        async with self._db.session() as session:
            pair = await self._pair(session, (tenant_id, chat_id, sender_id, target_id or ROOM), fresh)
            reverse = await self._pair(session, (tenant_id, chat_id, target_id, sender_id), fresh) if target_id else {}
            sender = await session.get(SenderStateRow, (tenant_id, chat_id, sender_id))
            target = await session.get(SenderStateRow, (tenant_id, chat_id, target_id)) if target_id else None
            window = await self._window_lines(session, tenant_id, chat_id, sender_id, target_id)
            thread = await session.get(ThreadRow, (tenant_id, chat_id, thread_id)) if thread_id else None
        return {
            "pair": pair,
            "reverse": reverse,
            "sender": dict(sender.state) if sender and sender.updated_at >= fresh else {},
            "sender_minor": sender.minor_cue if sender else 0.0,
            "sender_adult": sender.adult_cue if sender else 0.0,
            "target_minor": target.minor_cue if target else 0.0,
            "target_adult": target.adult_cue if target else 0.0,
            "window": window,
            "thread_author": thread.author_id if thread else None,
        }

    async def _pair(self, session: AsyncSession, key: tuple[str, ...], fresh: datetime) -> dict[str, Any]:
        row = await session.get(PairStateRow, key)
        return dict(row.state) if row and row.updated_at >= fresh else {}

    async def _window_lines(
        self, session: AsyncSession, tenant_id: str, chat_id: str, sender_id: str, target_id: str | None
    ) -> list[dict[str, Any]]:
        if target_id is None:
            between = col(MessageRow.sender_id) == sender_id
        else:
            between = or_(
                and_(col(MessageRow.sender_id) == sender_id, col(MessageRow.target_id) == target_id),
                and_(col(MessageRow.sender_id) == target_id, col(MessageRow.target_id) == sender_id),
            )
        query = (
            select(MessageRow)
            .where(MessageRow.tenant_id == tenant_id, MessageRow.chat_id == chat_id, between)
            .order_by(col(MessageRow.sent_at).desc(), col(MessageRow.id).desc())
            .limit(self._window)
        )
        rows = (await session.exec(query)).all()
        return [{name: getattr(row, name) for name in WINDOW_FIELDS} for row in reversed(rows)]

    async def remember(self, entry: Mapping[str, Any]) -> None:
        """Store the message (an edit replaces its row), the pair and sender states, cues and thread author."""
        now = self._clock()
        message = message_values(entry)
        keys = {"tenant_id": message["tenant_id"], "chat_id": message["chat_id"]}
        sender = keys | {"sender_id": message["sender_id"]}
        async with self._db.transaction() as session:
            store = self._db.insert(MessageRow).values(**message, created_at=now)
            replaced = {name: store.excluded[name] for name in message if name not in keys and name != "message_id"}
            await session.exec(
                store.on_conflict_do_update(index_elements=["tenant_id", "chat_id", "message_id"], set_=replaced)
            )
            pair = self._db.insert(PairStateRow).values(
                **sender, target_id=message["target_id"] or ROOM, state=dict(entry.get("pair", {})), updated_at=now
            )
            await session.exec(
                pair.on_conflict_do_update(
                    index_elements=["tenant_id", "chat_id", "sender_id", "target_id"],
                    set_={"state": pair.excluded.state, "updated_at": pair.excluded.updated_at},
                )
            )
            await self._merge_sender(session, sender, entry, now)
            if message["thread_id"] is not None:
                thread = self._db.insert(ThreadRow).values(
                    **keys, thread_id=message["thread_id"], author_id=message["sender_id"], created_at=now
                )
                await session.exec(thread.on_conflict_do_nothing(index_elements=["tenant_id", "chat_id", "thread_id"]))

    async def _merge_sender(
        self, session: AsyncSession, sender: dict[str, str], entry: Mapping[str, Any], now: datetime
    ) -> None:
        state = self._db.insert(SenderStateRow).values(
            **sender,
            state=dict(entry.get("sender", {})),
            minor_cue=float(entry.get("minor_cue", 0.0)),
            adult_cue=float(entry.get("adult_cue", 0.0)),
            updated_at=now,
        )
        await session.exec(
            state.on_conflict_do_update(
                index_elements=["tenant_id", "chat_id", "sender_id"],
                set_={
                    "state": state.excluded.state,
                    "updated_at": state.excluded.updated_at,
                    "minor_cue": self._db.greatest(SenderStateRow.minor_cue, state.excluded.minor_cue),
                    "adult_cue": self._db.greatest(SenderStateRow.adult_cue, state.excluded.adult_cue),
                },
            )
        )

    async def recent_messages(self, tenant_id: str, chat_id: str, limit: int) -> list[dict[str, Any]]:
        """The chat's last ``limit`` messages, oldest first, with their stored decisions."""
        query = (
            select(MessageRow)
            .where(MessageRow.tenant_id == tenant_id, MessageRow.chat_id == chat_id)
            .order_by(col(MessageRow.sent_at).desc(), col(MessageRow.id).desc())
            .limit(limit)
        )
        async with self._db.session() as session:
            rows = (await session.exec(query)).all()
        return [{name: getattr(row, name) for name in MESSAGE_FIELDS} for row in reversed(rows)]

    async def purge_older_than(self, tenant_id: str, before: datetime) -> int:
        """Delete the tenant's messages sent before ``before`` and states untouched since; returns the rows deleted."""
        deletions = (
            delete(MessageRow).where(col(MessageRow.tenant_id) == tenant_id, col(MessageRow.sent_at) < before),
            delete(PairStateRow).where(col(PairStateRow.tenant_id) == tenant_id, col(PairStateRow.updated_at) < before),
            delete(SenderStateRow).where(
                col(SenderStateRow.tenant_id) == tenant_id, col(SenderStateRow.updated_at) < before
            ),
        )
        async with self._db.transaction() as session:
            results = [await session.exec(statement) for statement in deletions]
        return sum(result.rowcount for result in results)

    async def forget_user(self, tenant_id: str, user_id: str) -> int:
        """Delete what the tenant's conversation memory holds about a user; returns the rows deleted.

        That is the messages they sent or that addressed them, pair states either way, their sender states
        and their thread authorships. Incidents are evidence and follow the retention purge instead.
        """
        deletions = (
            delete(MessageRow).where(
                col(MessageRow.tenant_id) == tenant_id,
                or_(col(MessageRow.sender_id) == user_id, col(MessageRow.target_id) == user_id),
            ),
            delete(PairStateRow).where(
                col(PairStateRow.tenant_id) == tenant_id,
                or_(col(PairStateRow.sender_id) == user_id, col(PairStateRow.target_id) == user_id),
            ),
            delete(SenderStateRow).where(
                col(SenderStateRow.tenant_id) == tenant_id, col(SenderStateRow.sender_id) == user_id
            ),
            delete(ThreadRow).where(col(ThreadRow.tenant_id) == tenant_id, col(ThreadRow.author_id) == user_id),
        )
        async with self._db.transaction() as session:
            results = [await session.exec(statement) for statement in deletions]
        return sum(result.rowcount for result in results)
