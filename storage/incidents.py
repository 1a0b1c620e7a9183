"""The incident log in SQL: hash-chained incidents per tenant, their outcomes, listing, verification and purge.

Implements ``handlers.ports.IncidentStore`` structurally (storage imports nothing of ``handlers``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import ColumnElement, func, tuple_, update
from sqlalchemy import select as sql_select
from sqlalchemy import text as sql_text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.batch import HISTORY_ACTIONS, IncidentChanges, IncidentRows, IncidentWork, MessageKey
from storage.chain import EVIDENCE_BLANKS, GENESIS_HASH, ChainReport, ChainWalk, incident_fields, seal
from storage.columns import utc_now
from storage.conversations import chunked
from storage.db import Database
from storage.tables import INCIDENT_STATUSES, ActionOutcomeRow, ChainHead, IncidentRow, ReviewRow, row_dict

VERIFY_PAGE = 500
"""Incidents read per query while verifying a chain."""


def encode_cursor(seq: int) -> str:
    """An opaque page cursor for incidents older than ``seq``."""
    return base64.urlsafe_b64encode(f"seq:{seq}".encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The ``seq`` inside a cursor made by ``encode_cursor``.

    Raises:
        ValueError: the cursor was not made by ``encode_cursor``.
    """
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, seq = text.split(":", 1)
        if prefix == "seq" and seq.isdigit():
            return int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValueError(f"invalid cursor: {cursor!r}")


def counted_for_escalation(tenant_id: str, since: datetime) -> list[ColumnElement[bool]]:
    """The conditions on the tenant's incidents that escalation counts.

    That is warnings, mutes and bans for messages sent since ``since``, neither dry runs nor overturned.
    """
    return [
        col(IncidentRow.tenant_id) == tenant_id,
        col(IncidentRow.sent_at) >= since,
        col(IncidentRow.action).in_(HISTORY_ACTIONS),
        col(IncidentRow.dry_run).is_(False),
        col(IncidentRow.status) != "overturned",
    ]


def review_values(entry: Mapping[str, Any], created_at: datetime) -> dict[str, Any]:
    """The row of a new open review item (``ReviewEntry`` fields), with a fresh id."""
    return {
        "id": str(uuid4()),
        "tenant_id": entry["tenant_id"],
        "chat_id": entry["chat_id"],
        "incident_id": entry["incident_id"],
        "kind": entry["kind"],
        "status": "open",
        "requested_by": entry.get("requested_by"),
        "note": entry.get("note", ""),
        "created_at": created_at,
        "resolution_note": "",
    }


def open_review_insert(db: Database) -> Any:
    """The one statement that queues review items: an open item of the same incident and kind is kept instead."""
    return db.insert(ReviewRow.__table__).on_conflict_do_nothing(
        index_elements=["incident_id", "kind"], index_where=sql_text("status = 'open'")
    )


def check_status(status: str) -> None:
    """Reject an incident status other than open/confirmed/overturned/escalated."""
    if status not in INCIDENT_STATUSES:
        raise ValueError(f"unknown incident status {status!r}; expected one of {', '.join(INCIDENT_STATUSES)}")


class SqlIncidentStore:
    """Hash-chained incidents in SQLite or PostgreSQL.

    Appends take the tenant's chain head under a write lock (``SELECT … FOR UPDATE`` on PostgreSQL, the
    database write lock on SQLite), so concurrent appends from any number of workers give a gap-free chain.
    """

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def record(self, entry: Mapping[str, Any]) -> str:
        """Append an incident and return its id; the same message with the same text returns the existing id."""
        fields = incident_fields(entry)
        async with self._db.transaction() as session:
            head = await self.lock_chain(session, fields["tenant_id"])
            same = select(IncidentRow.id).where(
                IncidentRow.tenant_id == fields["tenant_id"],
                IncidentRow.chat_id == fields["chat_id"],
                IncidentRow.message_id == fields["message_id"],
                IncidentRow.text == fields["text"],
            )
            existing = (await session.exec(same.limit(1))).first()
            if existing is not None:
                return existing
            incident_id = str(uuid4())
            await self._append(session, head, [(incident_id, fields)])
        return incident_id

    async def lock_chain(self, session: AsyncSession, tenant_id: str) -> ChainHead:
        """The tenant's chain head, locked until ``session``'s transaction ends (created when missing).

        Whoever holds it is the tenant's only writer of incidents, so each append sees the true end of the chain.
        """
        create = self._db.insert(ChainHead).values(tenant_id=tenant_id, seq=0, last_hash=GENESIS_HASH)
        await session.exec(create.on_conflict_do_nothing(index_elements=["tenant_id"]))
        locked = select(ChainHead).where(ChainHead.tenant_id == tenant_id).with_for_update()
        return (await session.exec(locked)).one()

    async def load(
        self,
        session: AsyncSession,
        tenant_id: str,
        keys: Collection[MessageKey],
        users: Collection[tuple[str, str]],
        since: datetime,
    ) -> IncidentWork:
        """What a batch may ask of the incident log, in two queries on ``session``.

        That is the incidents already recorded for the (chat_id, message_id) keys, and the warnings, mutes and
        bans of the (chat_id, user_id) users for messages sent since ``since``.
        """
        rows = IncidentRows()
        for chunk in chunked(keys):
            query = sql_select(IncidentRow.id, IncidentRow.chat_id, IncidentRow.message_id, IncidentRow.text).where(
                col(IncidentRow.tenant_id) == tenant_id,
                tuple_(col(IncidentRow.chat_id), col(IncidentRow.message_id)).in_(chunk),
            )
            for incident_id, chat_id, message_id, text in (await session.exec(query)).all():
                rows.recorded.setdefault((chat_id, message_id, text), incident_id)
        for chunk in chunked(users):
            query = sql_select(
                IncidentRow.chat_id, IncidentRow.sender_id, IncidentRow.sent_at, IncidentRow.action
            ).where(
                *counted_for_escalation(tenant_id, since),
                tuple_(col(IncidentRow.chat_id), col(IncidentRow.sender_id)).in_(chunk),
            )
            for chat_id, sender_id, sent_at, action in (await session.exec(query.order_by(col(IncidentRow.seq)))).all():
                rows.counted.setdefault((chat_id, sender_id), []).append((sent_at, action))
        return IncidentWork(tenant_id, rows)

    async def write(self, session: AsyncSession, head: ChainHead, changes: IncidentChanges) -> None:
        """Store a batch's incidents, review items and outcomes on ``session``.

        The incidents are chained in order after ``head``, which the caller holds (``lock_chain``). A review
        item reuses an open item of the same incident and kind, as ``SqlReviewQueue.enqueue`` does.
        """
        await self._append(session, head, changes.incidents)
        now = self._clock()
        if changes.reviews:
            items = [review_values(entry, now) for entry in changes.reviews]
            await session.exec(open_review_insert(self._db), params=items)
        if changes.outcomes:
            outcomes = [
                {"incident_id": incident_id, "ok": ok, "detail": detail, "at": now}
                for incident_id, ok, detail in changes.outcomes
            ]
            await session.exec(self._db.insert(ActionOutcomeRow.__table__), params=outcomes)

    async def _append(
        self, session: AsyncSession, head: ChainHead, incidents: list[tuple[str, dict[str, Any]]]
    ) -> None:
        rows = []
        for incident_id, fields in incidents:
            rows.append(seal(fields, incident_id, head.seq + 1, self._clock(), head.last_hash))
            head.seq, head.last_hash = rows[-1]["seq"], rows[-1]["row_hash"]
        if rows:
            await session.exec(self._db.insert(IncidentRow.__table__), params=rows)

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what happened when the decision was carried out.

        Raises:
            KeyError: there is no incident with this id.
        """
        async with self._db.transaction() as session:
            if (await session.exec(select(IncidentRow.id).where(IncidentRow.id == incident_id))).first() is None:
                raise KeyError(incident_id)
            session.add(ActionOutcomeRow(incident_id=incident_id, ok=bool(ok), detail=detail, at=self._clock()))

    async def history(self, tenant_id: str, chat_id: str, user_id: str, since: datetime) -> dict[str, int]:
        """Warnings, mutes and bans of the user in the chat sent since ``since``; dry runs and overturned excluded."""
        query = (
            select(IncidentRow.action, func.count())
            .where(
                *counted_for_escalation(tenant_id, since),
                IncidentRow.chat_id == chat_id,
                IncidentRow.sender_id == user_id,
            )
            .group_by(IncidentRow.action)
        )
        async with self._db.session() as session:
            counts = dict((await session.exec(query)).all())
        return {key: int(counts.get(action, 0)) for action, key in HISTORY_ACTIONS.items()}

    async def get(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The full evidence of one incident with its outcomes and hashes; None if absent or another tenant's."""
        async with self._db.session() as session:
            mine = select(IncidentRow).where(IncidentRow.id == incident_id, IncidentRow.tenant_id == tenant_id)
            row = (await session.exec(mine)).first()
            if row is None:
                return None
            done = select(ActionOutcomeRow).where(ActionOutcomeRow.incident_id == incident_id)
            outcomes = (await session.exec(done.order_by(col(ActionOutcomeRow.id)))).all()
        return row_dict(row) | {
            "outcomes": [{"ok": outcome.ok, "detail": outcome.detail, "at": outcome.at} for outcome in outcomes]
        }

    async def list(
        self,
        tenant_id: str,
        *,
        chat_id: str | None = None,
        user_id: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a tenant's incidents, newest first, and the cursor of the next page (None at the end).

        ``user_id`` matches the sender; ``since`` (inclusive) and ``until`` (exclusive) bound ``created_at``.
        """
        query = select(IncidentRow).where(IncidentRow.tenant_id == tenant_id)
        for column, value in ((IncidentRow.chat_id, chat_id), (IncidentRow.sender_id, user_id)):
            if value is not None:
                query = query.where(column == value)
        if action is not None:
            query = query.where(IncidentRow.action == action)
        if since is not None:
            query = query.where(IncidentRow.created_at >= since)
        if until is not None:
            query = query.where(IncidentRow.created_at < until)
        if cursor is not None:
            query = query.where(IncidentRow.seq < decode_cursor(cursor))
        async with self._db.session() as session:
            rows = (await session.exec(query.order_by(col(IncidentRow.seq).desc()).limit(limit + 1))).all()
        page = [row_dict(row) for row in rows[:limit]]
        return page, encode_cursor(page[-1]["seq"]) if len(rows) > limit else None

    async def set_status(self, tenant_id: str, incident_id: str, status: str) -> bool:
        """Set an incident's review status; False when the tenant has no such incident."""
        check_status(status)
        change = (
            update(IncidentRow)
            .where(col(IncidentRow.id) == incident_id, col(IncidentRow.tenant_id) == tenant_id)
            .values(status=status)
        )
        async with self._db.transaction() as session:
            result = await session.exec(change)
        return result.rowcount > 0

    async def purge_older_than(self, tenant_id: str, before: datetime) -> int:
        """Blank the evidence of the tenant's incidents recorded before ``before``; returns how many.

        The rows stay, marked redacted, with their hashes, so the chain still verifies.
        """
        purge = (
            update(IncidentRow)
            .where(
                col(IncidentRow.tenant_id) == tenant_id,
                col(IncidentRow.created_at) < before,
                col(IncidentRow.redacted).is_(False),
            )
            .values(**EVIDENCE_BLANKS, redacted=True)
        )
        async with self._db.transaction() as session:
            result = await session.exec(purge)
        return result.rowcount

    async def verify(self, tenant_id: str | None = None) -> ChainReport:
        """Walk one tenant's chain (or every tenant's) and report edited, deleted and reordered incidents."""
        async with self._db.session() as session:
            if self._db.dialect == "postgresql":
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            tenants = [tenant_id] if tenant_id is not None else await self._tenants(session)
            walks = [await self._walk(session, tenant) for tenant in tenants]
        problems = [problem for walk in walks for problem in walk.problems]
        return ChainReport(ok=not problems, checked=sum(walk.checked for walk in walks), problems=problems)

    async def _tenants(self, session: AsyncSession) -> list[str]:
        heads = set((await session.exec(select(ChainHead.tenant_id))).all())
        heads.update((await session.exec(select(IncidentRow.tenant_id).distinct())).all())
        return sorted(heads)

    async def _walk(self, session: AsyncSession, tenant_id: str) -> ChainWalk:
        walk = ChainWalk(tenant_id)
        after = 0
        while True:
            page = (
                select(IncidentRow)
                .where(IncidentRow.tenant_id == tenant_id, IncidentRow.seq > after)
                .order_by(col(IncidentRow.seq))
                .limit(VERIFY_PAGE)
            )
            rows = (await session.exec(page)).all()
            for row in rows:
                walk.feed(row_dict(row))
            if len(rows) < VERIFY_PAGE:
                break
            after = rows[-1].seq
        head = await session.get(ChainHead, tenant_id)
        walk.finish(head.seq if head else None, head.last_hash if head else None)
        return walk
