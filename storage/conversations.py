"""Conversation memory in SQL: processed messages, per-pair and per-sender state, age cues and thread authors.

Implements ``handlers.ports.ConversationStore`` structurally: it takes and returns plain dicts shaped like the
``MessageEntry``/``Snapshot`` TypedDicts there, and keeps the states as the JSON it is given. Reads and writes
go through ``storage.batch.ConversationWork``, one message at a time here or a whole batch in
``storage.ledger``, so both answer alike.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, delete, func, or_, tuple_
from sqlalchemy import select as sql_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.batch import (
    MESSAGE_FIELDS,
    ROOM,
    WINDOW_FIELDS,
    ConversationChanges,
    ConversationRows,
    ConversationWork,
    MessageKey,
)
from storage.columns import utc_now
from storage.db import Database
from storage.tables import MessageRow, PairStateRow, SenderStateRow, ThreadRow

KEYS_PER_QUERY = 2000
"""Most keys one ``IN`` list carries, well under SQLite's and asyncpg's limits on bound parameters."""

Key = TypeVar("Key", bound=tuple[str, ...])


def chunked(keys: Collection[Key], size: int = KEYS_PER_QUERY) -> Iterator[list[Key]]:
    """The keys, sorted, ``size`` at a time (nothing for no keys)."""
    ordered = sorted(keys)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


async def load_decisions(
    session: AsyncSession, tenant_id: str, keys: Collection[MessageKey]
) -> dict[MessageKey, tuple[int, dict[str, Any]]]:
    """(row id, decision record) of each stored message among the (chat_id, message_id) keys."""
    found: dict[MessageKey, tuple[int, dict[str, Any]]] = {}
    for chunk in chunked(keys):
        query = sql_select(MessageRow.id, MessageRow.chat_id, MessageRow.message_id, MessageRow.decision).where(
            col(MessageRow.tenant_id) == tenant_id,
            tuple_(col(MessageRow.chat_id), col(MessageRow.message_id)).in_(chunk),
        )
        for row_id, chat_id, message_id, decision in (await session.exec(query)).all():
            found[(chat_id, message_id)] = (row_id, decision)
    return found


def write_rows(db: Database, table: Any, keys: list[str], updated: list[str]) -> Any:
    """An upsert into ``table`` on its key columns that replaces the ``updated`` columns."""
    store = db.insert(table)
    if not updated:
        return store.on_conflict_do_nothing(index_elements=keys)
    return store.on_conflict_do_update(index_elements=keys, set_={name: store.excluded[name] for name in updated})


class SqlConversationStore:
    """Conversation memory in SQLite or PostgreSQL.

    A batch loads what it may read in a few queries (``load``), works in memory, and ``write`` stores what it
    changed inside the caller's transaction.

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
        return (await self.decided(tenant_id, [(chat_id, message_id)])).get((chat_id, message_id))

    async def decided(self, tenant_id: str, keys: Collection[MessageKey]) -> dict[MessageKey, dict[str, Any]]:
        """The decision records stored for those of the (chat_id, message_id) keys that were processed."""
        async with self._db.session() as session:
            found = await load_decisions(session, tenant_id, keys)
        return {key: decision for key, (_, decision) in found.items()}

    async def snapshot(
        self, tenant_id: str, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None
    ) -> dict[str, Any]:
        """States of sender→target and target→sender, the sender's state, both users' cues and the window."""
        users = {(chat_id, sender_id)} | ({(chat_id, target_id)} if target_id else set())
        threads = {(chat_id, thread_id)} if thread_id else set()
        async with self._db.session() as session:
            rows = await self._rows(session, tenant_id, set(), threads, users, self._window)
        work = ConversationWork(tenant_id, rows, self._window, self._ttl, self._clock)
        return work.snapshot(chat_id, sender_id, target_id, thread_id)

    async def remember(self, entry: Mapping[str, Any]) -> None:
        """Store the message (an edit replaces its row), the pair and sender states, cues and thread author."""
        work = ConversationWork(str(entry["tenant_id"]), ConversationRows(), self._window, self._ttl, self._clock)
        work.remember(entry)
        async with self._db.transaction() as session:
            await self.write(session, work.changes())

    async def load(
        self, session: AsyncSession, tenant_id: str, messages: Sequence[Mapping[str, Any]]
    ) -> ConversationWork:
        """Everything a batch of messages may read (``BatchMessage`` dicts), in five queries on ``session``.

        That is the stored decisions of the messages, their threads' authors, and for every sender, addressee
        and thread author: their sender states, their pair states and the newest lines of their windows.
        """
        keys = {(message["chat_id"], message["message_id"]) for message in messages}
        threads = {(message["chat_id"], message["thread_id"]) for message in messages if message["thread_id"]}
        users = {
            (message["chat_id"], user)
            for message in messages
            for user in (message["sender_id"], *message["addressees"])
        }
        edits = sum(1 for message in messages if message["edited"])
        rows = await self._rows(session, tenant_id, keys, threads, users, self._window + edits)
        return ConversationWork(tenant_id, rows, self._window, self._ttl, self._clock, slack=edits)

    async def _rows(
        self,
        session: AsyncSession,
        tenant_id: str,
        keys: set[MessageKey],
        threads: set[tuple[str, str]],
        users: set[tuple[str, str]],
        lines: int,
    ) -> ConversationRows:
        rows = ConversationRows(decisions=await load_decisions(session, tenant_id, keys))
        for chunk in chunked(threads):
            query = sql_select(ThreadRow.chat_id, ThreadRow.thread_id, ThreadRow.author_id).where(
                col(ThreadRow.tenant_id) == tenant_id,
                tuple_(col(ThreadRow.chat_id), col(ThreadRow.thread_id)).in_(chunk),
            )
            rows.threads.update({(chat, thread): author for chat, thread, author in (await session.exec(query)).all()})
        users = users | {(chat, author) for (chat, _), author in rows.threads.items()}
        for chunk in chunked(users):
            await self._load_states(session, tenant_id, chunk, users, rows)
            rows.lines.extend(await self._newest_lines(session, tenant_id, chunk, lines))
        return rows

    async def _load_states(
        self,
        session: AsyncSession,
        tenant_id: str,
        chunk: list[tuple[str, str]],
        users: set[tuple[str, str]],
        rows: ConversationRows,
    ) -> None:
        pairs = select(PairStateRow).where(
            PairStateRow.tenant_id == tenant_id,
            tuple_(col(PairStateRow.chat_id), col(PairStateRow.sender_id)).in_(chunk),
        )
        for pair in (await session.exec(pairs)).all():
            if pair.target_id == ROOM or (pair.chat_id, pair.target_id) in users:
                rows.pairs[(pair.chat_id, pair.sender_id, pair.target_id)] = (pair.state, pair.updated_at)
        senders = select(SenderStateRow).where(
            SenderStateRow.tenant_id == tenant_id,
            tuple_(col(SenderStateRow.chat_id), col(SenderStateRow.sender_id)).in_(chunk),
        )
        for sender in (await session.exec(senders)).all():
            rows.senders[(sender.chat_id, sender.sender_id)] = {
                "state": sender.state,
                "minor_cue": sender.minor_cue,
                "adult_cue": sender.adult_cue,
                "updated_at": sender.updated_at,
            }

    async def _newest_lines(
        self, session: AsyncSession, tenant_id: str, chunk: list[tuple[str, str]], count: int
    ) -> list[dict[str, Any]]:
        """Each user's newest ``count`` messages, and their newest ``count`` to each user they addressed."""
        newest_first = (col(MessageRow.sent_at).desc(), col(MessageRow.id).desc())
        ranked = (
            sql_select(
                MessageRow.id,
                MessageRow.chat_id,
                *(getattr(MessageRow, name) for name in WINDOW_FIELDS),
                func.row_number()
                .over(partition_by=(MessageRow.chat_id, MessageRow.sender_id), order_by=newest_first)
                .label("own_rank"),
                func.row_number()
                .over(
                    partition_by=(MessageRow.chat_id, MessageRow.sender_id, MessageRow.target_id), order_by=newest_first
                )
                .label("pair_rank"),
            )
            .where(
                col(MessageRow.tenant_id) == tenant_id,
                tuple_(col(MessageRow.chat_id), col(MessageRow.sender_id)).in_(chunk),
            )
            .subquery()
        )
        query = sql_select(ranked.c.id, ranked.c.chat_id, *(ranked.c[name] for name in WINDOW_FIELDS)).where(
            or_(ranked.c.own_rank <= count, and_(ranked.c.pair_rank <= count, ranked.c.target_id.is_not(None)))
        )
        return [dict(row._mapping) for row in (await session.exec(query)).all()]

    async def write(self, session: AsyncSession, changes: ConversationChanges) -> None:
        """Store a batch's changes on ``session``: messages (an edit replaces its row), states, cues, threads.

        Cues are merged with ``greatest`` so that a write never lowers a cue stored meanwhile.
        """
        if changes.messages:
            replaced = [
                name for name in changes.messages[0] if name not in ("tenant_id", "chat_id", "message_id", "created_at")
            ]
            upsert = write_rows(self._db, MessageRow.__table__, ["tenant_id", "chat_id", "message_id"], replaced)
            await session.exec(upsert, params=changes.messages)
        if changes.pairs:
            upsert = write_rows(
                self._db,
                PairStateRow.__table__,
                ["tenant_id", "chat_id", "sender_id", "target_id"],
                ["state", "updated_at"],
            )
            await session.exec(upsert, params=changes.pairs)
        if changes.senders:
            await session.exec(self._merge_senders(), params=changes.senders)
        if changes.threads:
            threads = write_rows(self._db, ThreadRow.__table__, ["tenant_id", "chat_id", "thread_id"], [])
            now = self._clock()
            await session.exec(threads, params=[thread | {"created_at": now} for thread in changes.threads])

    def _merge_senders(self) -> Any:
        state = self._db.insert(SenderStateRow.__table__)
        return state.on_conflict_do_update(
            index_elements=["tenant_id", "chat_id", "sender_id"],
            set_={
                "state": state.excluded.state,
                "updated_at": state.excluded.updated_at,
                "minor_cue": self._db.greatest(SenderStateRow.minor_cue, state.excluded.minor_cue),
                "adult_cue": self._db.greatest(SenderStateRow.adult_cue, state.excluded.adult_cue),
            },
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
