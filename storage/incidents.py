"""The incident log in SQL: hash-chained incidents per tenant, their outcomes, listing, verification and purge.

Implements ``handlers.ports.IncidentStore`` structurally (storage imports nothing of ``handlers``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.chain import EVIDENCE_BLANKS, GENESIS_HASH, ChainReport, ChainWalk, incident_fields, seal
from storage.columns import utc_now
from storage.db import Database
from storage.tables import INCIDENT_STATUSES, ActionOutcomeRow, ChainHead, IncidentRow, row_dict

HISTORY_ACTIONS = {"warn": "warnings", "mute": "mutes", "ban": "bans"}
"""Which actions ``history`` counts, and under which key."""

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
            head = await self._locked_head(session, fields["tenant_id"])
            same = select(IncidentRow.id).where(
                IncidentRow.tenant_id == fields["tenant_id"],
                IncidentRow.chat_id == fields["chat_id"],
                IncidentRow.message_id == fields["message_id"],
                IncidentRow.text == fields["text"],
            )
            existing = (await session.exec(same.limit(1))).first()
            if existing is not None:
                return existing
            row = seal(fields, str(uuid4()), head.seq + 1, self._clock(), head.last_hash)
            session.add(IncidentRow(**row))
            head.seq, head.last_hash = row["seq"], row["row_hash"]
        return row["id"]

    async def _locked_head(self, session: AsyncSession, tenant_id: str) -> ChainHead:
        create = self._db.insert(ChainHead).values(tenant_id=tenant_id, seq=0, last_hash=GENESIS_HASH)
        await session.exec(create.on_conflict_do_nothing(index_elements=["tenant_id"]))
        locked = select(ChainHead).where(ChainHead.tenant_id == tenant_id).with_for_update()
        return (await session.exec(locked)).one()

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
                IncidentRow.tenant_id == tenant_id,
                IncidentRow.chat_id == chat_id,
                IncidentRow.sender_id == user_id,
                IncidentRow.sent_at >= since,
                col(IncidentRow.action).in_(HISTORY_ACTIONS),
                col(IncidentRow.dry_run).is_(False),
                IncidentRow.status != "overturned",
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
