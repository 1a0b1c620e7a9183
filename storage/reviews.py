"""The moderators' review queue in SQL. Resolving an item also sets its incident's status.

Implements ``handlers.ports.ReviewQueue`` structurally.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from storage.columns import utc_now
from storage.db import Database
from storage.incidents import check_status, open_review_insert, review_values
from storage.tables import REVIEW_OUTCOMES, IncidentRow, ReviewRow, row_dict

INCIDENT_FIELDS = ("text", "stages", "risk", "action")
"""What each listed review item shows of its incident."""


def check_outcome(outcome: str) -> None:
    """Reject a review outcome other than confirmed/overturned/escalated."""
    if outcome not in REVIEW_OUTCOMES:
        raise ValueError(f"unknown review outcome {outcome!r}; expected one of {', '.join(REVIEW_OUTCOMES)}")


class SqlReviewQueue:
    """Review items in SQLite or PostgreSQL, each tied to one of the same tenant's incidents."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def enqueue(self, entry: Mapping[str, Any]) -> str:
        """Queue an item and return its id; an open item for the same incident and kind is reused.

        Raises:
            KeyError: the tenant has no such incident.
        """
        tenant_id, incident_id, kind = entry["tenant_id"], entry["incident_id"], entry["kind"]
        is_open = col(ReviewRow.status) == "open"
        async with self._db.transaction() as session:
            owner = select(IncidentRow.id).where(IncidentRow.id == incident_id, IncidentRow.tenant_id == tenant_id)
            if (await session.exec(owner)).first() is None:
                raise KeyError(incident_id)
            await session.exec(open_review_insert(self._db), params=[review_values(entry, self._clock())])
            queued = select(ReviewRow.id).where(ReviewRow.incident_id == incident_id, ReviewRow.kind == kind, is_open)
            return (await session.exec(queued)).one()

    async def list(
        self,
        tenant_id: str,
        *,
        status: str | None = "open",
        chat_id: str | None = None,
        kind: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """The tenant's items, highest priority first, then oldest first, with their incidents' summaries.

        Each item carries its incident's text, stages, risk and action.

        ``status=None`` lists items in every status.

        Raises:
            ValueError: the status is not one of open/confirmed/overturned/escalated.
        """
        if status is not None:
            check_status(status)
        query = self._items(tenant_id)
        for column, value in ((ReviewRow.status, status), (ReviewRow.chat_id, chat_id), (ReviewRow.kind, kind)):
            if value is not None:
                query = query.where(column == value)
        query = query.order_by(col(ReviewRow.priority).desc(), col(ReviewRow.created_at), col(ReviewRow.id))
        query = query.limit(limit)
        async with self._db.session() as session:
            rows = (await session.exec(query)).all()
        return [self._item(row) for row in rows]

    async def get(self, tenant_id: str, review_id: str) -> dict[str, Any] | None:
        """One item with its incident's text, stages, risk and action; None if absent or another tenant's."""
        async with self._db.session() as session:
            row = (await session.exec(self._items(tenant_id).where(ReviewRow.id == review_id))).first()
        return self._item(row) if row else None

    async def resolve(
        self, tenant_id: str, review_id: str, outcome: str, moderator: str, note: str
    ) -> dict[str, Any] | None:
        """Record a moderator's outcome on an open item and on its incident; returns the updated item.

        The item changes only while it is open (one conditional UPDATE), so of two moderators resolving it at
        once exactly one succeeds. Returns None when the tenant has no such open item: it is absent, another
        tenant's, or resolved already (``get`` tells which).
        """
        check_outcome(outcome)
        mine = (col(ReviewRow.id) == review_id, col(ReviewRow.tenant_id) == tenant_id)
        settle = (
            update(ReviewRow)
            .where(*mine, col(ReviewRow.status) == "open")
            .values(status=outcome, resolved_by=moderator, resolution_note=note, resolved_at=self._clock())
        )
        incident_of_item = select(ReviewRow.incident_id).where(*mine).scalar_subquery()
        follow = (
            update(IncidentRow)
            .where(col(IncidentRow.id) == incident_of_item, col(IncidentRow.tenant_id) == tenant_id)
            .values(status=outcome)
        )
        async with self._db.transaction() as session:
            if (await session.exec(settle)).rowcount == 0:
                return None
            await session.exec(follow)
        return await self.get(tenant_id, review_id)

    @staticmethod
    def _items(tenant_id: str) -> Any:
        columns = [getattr(IncidentRow, name) for name in INCIDENT_FIELDS]
        joined = select(ReviewRow, *columns).outerjoin(IncidentRow, col(IncidentRow.id) == ReviewRow.incident_id)
        return joined.where(ReviewRow.tenant_id == tenant_id)

    @staticmethod
    def _item(row: Any) -> dict[str, Any]:
        review, *incident = row
        return row_dict(review) | dict(zip(INCIDENT_FIELDS, incident, strict=True))
