"""Evidence queries the core stores lack: an export's chain neighbours and reviews, retention and redaction.

Retention purges one chat at a time, by that chat's policy; a user's expired incidents can be redacted by id.

Redacting an incident blanks its evidence columns and marks it redacted (``storage.chain`` explains why the
chain still verifies); the review notes and appeal texts attached to it are blanked with it, because they
quote or paraphrase the same conversation. Ids, decisions, hashes and outcomes stay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, union, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.chain import EVIDENCE_BLANKS, HASHED_FIELDS
from storage.db import Database
from storage.tables import AppealRow, IncidentRow, MessageRow, PairStateRow, ReviewRow, SenderStateRow, row_dict

LINK_FIELDS = ("id", "seq", "prev_hash", "row_hash")
"""What an export shows of an incident's neighbours in the chain."""

USER_INCIDENT_FIELDS = ("id", "chat_id", "sender_id", "target_id", "created_at", "redacted", "status", "action")
"""What ``user_incidents`` returns for each incident about a user."""


class SqlEvidenceStore:
    """Read the chain around an incident; redact expired evidence by chat or by id (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def hashed_fields() -> tuple[str, ...]:
        """The incident fields that ``content_hash`` covers, in no particular order (the JSON sorts them)."""
        return HASHED_FIELDS

    async def tenant_of(self, incident_id: str) -> str | None:
        """The tenant an incident belongs to, or None when there is no such incident."""
        async with self._db.session() as session:
            return (await session.exec(select(IncidentRow.tenant_id).where(IncidentRow.id == incident_id))).first()

    async def neighbours(self, tenant_id: str, seq: int) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The incidents just before and just after ``seq`` in the tenant's chain (id, seq and hashes)."""
        columns = [getattr(IncidentRow, name) for name in LINK_FIELDS]
        query = select(*columns).where(IncidentRow.tenant_id == tenant_id, col(IncidentRow.seq).in_((seq - 1, seq + 1)))
        async with self._db.session() as session:
            rows = {row.seq: dict(zip(LINK_FIELDS, row, strict=True)) for row in (await session.exec(query)).all()}
        return rows.get(seq - 1), rows.get(seq + 1)

    async def reviews_of(self, tenant_id: str, incident_id: str) -> list[dict[str, Any]]:
        """Every review item of the tenant's incident, oldest first."""
        query = (
            select(ReviewRow)
            .where(ReviewRow.tenant_id == tenant_id, ReviewRow.incident_id == incident_id)
            .order_by(col(ReviewRow.created_at), col(ReviewRow.id))
        )
        async with self._db.session() as session:
            return [row_dict(row) for row in (await session.exec(query)).all()]

    async def chats(self) -> list[tuple[str, str]]:
        """Every (tenant, chat) holding evidence a purge could remove: unredacted incidents or messages."""
        incidents = select(IncidentRow.tenant_id, IncidentRow.chat_id).where(col(IncidentRow.redacted).is_(False))
        messages = select(MessageRow.tenant_id, MessageRow.chat_id)
        both = union(incidents, messages).subquery()
        query = select(both.c.tenant_id, both.c.chat_id).order_by(both.c.tenant_id, both.c.chat_id)
        async with self._db.session() as session:
            return [(row[0], row[1]) for row in (await session.exec(query)).all()]

    async def expired(self, tenant_id: str, chat_id: str, before: datetime) -> dict[str, int]:
        """What ``purge_chat`` would remove at ``before``: unredacted incidents, messages and states, counted."""
        pairs, senders = self._stale_states(tenant_id, chat_id, before)
        counts = {
            "incidents": select(func.count()).where(self._expired_incidents(tenant_id, chat_id, before)),
            "messages": select(func.count()).where(self._expired_messages(tenant_id, chat_id, before)),
            "pairs": select(func.count()).where(pairs),
            "senders": select(func.count()).where(senders),
        }
        async with self._db.session() as session:
            found = {name: int((await session.exec(query)).one()) for name, query in counts.items()}
        return {
            "incidents": found["incidents"],
            "messages": found["messages"],
            "states": found["pairs"] + found["senders"],
        }

    async def purge_chat(self, tenant_id: str, chat_id: str, before: datetime) -> dict[str, int]:
        """Redact the chat's incidents recorded before ``before``; delete its messages and states from before it.

        Returns how many incidents were redacted, messages deleted and pair or sender states deleted.
        """
        pairs, senders = self._stale_states(tenant_id, chat_id, before)
        async with self._db.transaction() as session:
            redacted = await self._redact(session, self._recorded_before(tenant_id, chat_id, before))
            messages = await session.exec(delete(MessageRow).where(self._expired_messages(tenant_id, chat_id, before)))
            pair_states = await session.exec(delete(PairStateRow).where(pairs))
            sender_states = await session.exec(delete(SenderStateRow).where(senders))
        return {
            "incidents": redacted,
            "messages": messages.rowcount,
            "states": pair_states.rowcount + sender_states.rowcount,
        }

    async def user_incidents(self, tenant_id: str, user_id: str) -> list[dict[str, Any]]:
        """The tenant's incidents in which the user is the sender or the target, oldest first."""
        columns = [getattr(IncidentRow, name) for name in USER_INCIDENT_FIELDS]
        about_user = or_(col(IncidentRow.sender_id) == user_id, col(IncidentRow.target_id) == user_id)
        query = select(*columns).where(IncidentRow.tenant_id == tenant_id, about_user).order_by(col(IncidentRow.seq))
        async with self._db.session() as session:
            return [dict(zip(USER_INCIDENT_FIELDS, row, strict=True)) for row in (await session.exec(query)).all()]

    async def redact(self, tenant_id: str, incident_ids: list[str]) -> int:
        """Redact these incidents of the tenant now (and their review notes and appeal texts); returns how many."""
        if not incident_ids:
            return 0
        chosen = and_(col(IncidentRow.tenant_id) == tenant_id, col(IncidentRow.id).in_(incident_ids))
        async with self._db.transaction() as session:
            return await self._redact(session, chosen)

    @staticmethod
    async def _redact(session: AsyncSession, scope: ColumnElement[bool]) -> int:
        """Redact the unredacted incidents in ``scope``, then blank the notes and appeals of all redacted in it."""
        unredacted = and_(scope, col(IncidentRow.redacted).is_(False))
        redacted = await session.exec(update(IncidentRow).where(unredacted).values(**EVIDENCE_BLANKS, redacted=True))
        blanked = select(IncidentRow.id).where(scope, col(IncidentRow.redacted).is_(True))
        await session.exec(update(ReviewRow).where(col(ReviewRow.incident_id).in_(blanked)).values(note=""))
        await session.exec(update(AppealRow).where(col(AppealRow.incident_id).in_(blanked)).values(text=""))
        return redacted.rowcount

    @staticmethod
    def _recorded_before(tenant_id: str, chat_id: str, before: datetime) -> ColumnElement[bool]:
        return and_(
            col(IncidentRow.tenant_id) == tenant_id,
            col(IncidentRow.chat_id) == chat_id,
            col(IncidentRow.created_at) < before,
        )

    @staticmethod
    def _stale_states(tenant_id: str, chat_id: str, before: datetime) -> tuple[ColumnElement[bool], ...]:
        return (
            and_(
                col(PairStateRow.tenant_id) == tenant_id,
                col(PairStateRow.chat_id) == chat_id,
                col(PairStateRow.updated_at) < before,
            ),
            and_(
                col(SenderStateRow.tenant_id) == tenant_id,
                col(SenderStateRow.chat_id) == chat_id,
                col(SenderStateRow.updated_at) < before,
            ),
        )

    @classmethod
    def _expired_incidents(cls, tenant_id: str, chat_id: str, before: datetime) -> ColumnElement[bool]:
        return and_(cls._recorded_before(tenant_id, chat_id, before), col(IncidentRow.redacted).is_(False))

    @staticmethod
    def _expired_messages(tenant_id: str, chat_id: str, before: datetime) -> ColumnElement[bool]:
        return and_(
            col(MessageRow.tenant_id) == tenant_id,
            col(MessageRow.chat_id) == chat_id,
            col(MessageRow.created_at) < before,
        )
