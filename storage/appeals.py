"""Users' appeals against incidents, one per incident, in SQL.

Implements the ``AppealBook`` protocol of ``handlers/review.py`` structurally.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import update
from sqlmodel import col, select

from storage.columns import utc_now
from storage.db import Database
from storage.tables import APPEAL_STATUSES, AppealRow, IncidentRow, ReviewRow, row_dict

APPEAL_OUTCOMES = ("confirmed", "overturned")
"""How an appeal can be answered: the decision stands, or it is withdrawn."""


ESCALATED_PRIORITY = 10
"""The review priority of an escalated appeal's item: above every item queued at the default 0."""


def check_appeal_outcome(outcome: str) -> None:
    """Reject an appeal outcome other than confirmed/overturned."""
    if outcome not in APPEAL_OUTCOMES:
        raise ValueError(f"unknown appeal outcome {outcome!r}; expected one of {', '.join(APPEAL_OUTCOMES)}")


class SqlAppealStore:
    """Appeals in SQLite or PostgreSQL; a unique index keeps them to one per incident, also under races."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def open(self, tenant_id: str, incident_id: str, user_id: str, text: str, lang: str) -> dict[str, Any]:
        """Open an appeal and return it with ``created``: False when the incident had one already (returned).

        Raises:
            KeyError: the tenant has no such incident.
        """
        appeal_id = str(uuid4())
        add = self._db.insert(AppealRow).values(
            id=appeal_id,
            tenant_id=tenant_id,
            incident_id=incident_id,
            user_id=user_id,
            text=text,
            lang=lang,
            status="open",
            created_at=self._clock(),
            note="",
        )
        async with self._db.transaction() as session:
            owner = select(IncidentRow.id).where(IncidentRow.id == incident_id, IncidentRow.tenant_id == tenant_id)
            if (await session.exec(owner)).first() is None:
                raise KeyError(incident_id)
            await session.exec(add.on_conflict_do_nothing(index_elements=["incident_id"]))
            appeal = (await session.exec(select(AppealRow).where(AppealRow.incident_id == incident_id))).one()
        return row_dict(appeal) | {"created": appeal.id == appeal_id}

    async def for_incident(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The appeal made against the tenant's incident, if any."""
        query = select(AppealRow).where(AppealRow.incident_id == incident_id, AppealRow.tenant_id == tenant_id)
        async with self._db.session() as session:
            appeal = (await session.exec(query)).first()
        return row_dict(appeal) if appeal else None

    async def get(self, tenant_id: str, appeal_id: str) -> dict[str, Any] | None:
        """One of the tenant's appeals, or None."""
        query = select(AppealRow).where(AppealRow.id == appeal_id, AppealRow.tenant_id == tenant_id)
        async with self._db.session() as session:
            appeal = (await session.exec(query)).first()
        return row_dict(appeal) if appeal else None

    async def list(self, tenant_id: str, *, status: str | None = "open", limit: int = 50) -> list[dict[str, Any]]:
        """The tenant's appeals, oldest first (``status=None`` for every status).

        Raises:
            ValueError: the status is neither "open" nor "answered".
        """
        query = select(AppealRow).where(AppealRow.tenant_id == tenant_id)
        if status is not None:
            if status not in APPEAL_STATUSES:
                raise ValueError(f"unknown appeal status {status!r}; expected one of {', '.join(APPEAL_STATUSES)}")
            query = query.where(AppealRow.status == status)
        query = query.order_by(col(AppealRow.created_at), col(AppealRow.id)).limit(limit)
        async with self._db.session() as session:
            return [row_dict(appeal) for appeal in (await session.exec(query)).all()]

    async def answer(self, tenant_id: str, appeal_id: str, outcome: str, note: str) -> dict[str, Any] | None:
        """Answer an open appeal (confirmed or overturned); None when the tenant has no such open appeal."""
        check_appeal_outcome(outcome)
        answer = (
            update(AppealRow)
            .where(col(AppealRow.id) == appeal_id, col(AppealRow.tenant_id) == tenant_id, AppealRow.status == "open")
            .values(status="answered", outcome=outcome, note=note, answered_at=self._clock())
        )
        async with self._db.transaction() as session:
            if (await session.exec(answer)).rowcount == 0:
                return None
        return await self.get(tenant_id, appeal_id)

    async def unescalated(self, limit: int = 500) -> list[dict[str, Any]]:
        """Open appeals of every tenant not yet escalated, oldest first, each with its incident's ``chat_id``."""
        query = (
            select(AppealRow, IncidentRow.chat_id)
            .join(IncidentRow, col(IncidentRow.id) == AppealRow.incident_id)
            .where(AppealRow.status == "open", col(AppealRow.escalated_at).is_(None))
            .order_by(col(AppealRow.created_at), col(AppealRow.id))
            .limit(limit)
        )
        async with self._db.session() as session:
            rows = (await session.exec(query)).all()
        return [row_dict(appeal) | {"chat_id": chat_id} for appeal, chat_id in rows]

    async def escalate(self, tenant_id: str, appeal_id: str, by: str, reason: str) -> dict[str, Any] | None:
        """Mark an open, not yet escalated appeal escalated (who, when, why) and raise its open review item.

        Returns the escalated appeal; None when the tenant has no such appeal still waiting (answered or
        escalated meanwhile), in which case nothing changes.
        """
        escalate = (
            update(AppealRow)
            .where(
                col(AppealRow.id) == appeal_id,
                col(AppealRow.tenant_id) == tenant_id,
                AppealRow.status == "open",
                col(AppealRow.escalated_at).is_(None),
            )
            .values(escalated_at=self._clock(), escalated_by=by, escalation_reason=reason)
        )
        incident_of_appeal = select(AppealRow.incident_id).where(AppealRow.id == appeal_id).scalar_subquery()
        prioritise = (
            update(ReviewRow)
            .where(
                col(ReviewRow.incident_id) == incident_of_appeal,
                col(ReviewRow.tenant_id) == tenant_id,
                ReviewRow.kind == "appeal",
                ReviewRow.status == "open",
            )
            .values(priority=ESCALATED_PRIORITY)
        )
        async with self._db.transaction() as session:
            if (await session.exec(escalate)).rowcount == 0:
                return None
            await session.exec(prioritise)
        return await self.get(tenant_id, appeal_id)
