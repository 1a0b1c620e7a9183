"""Tenants' webhook signing secrets and the record of every webhook delivery, in SQL.

A tenant's secret signs the callbacks minorguard POSTs to its URLs (HMAC-SHA256). It has to be kept in
clear, because signing needs it; it is created on first use and replaced by ``rotate``. A delivery row says
what was sent where (never the body, which names users), how many attempts it took and how it ended.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import CheckConstraint, Index, Text, update
from sqlmodel import Field, SQLModel, col, select

from storage.columns import UtcDateTime, utc_now
from storage.db import Database
from storage.tables import row_dict

DELIVERY_STATUSES = ("pending", "delivered", "failed")
"""A delivery is pending while it is being tried, then delivered or failed (after its last attempt)."""

SECRET_PREFIX = "whsec_"
"""Every signing secret starts with this, so that a leaked one is easy to recognise."""

MAX_ERROR_CHARS = 500
"""Longest error text kept for an attempt."""


class WebhookSecretRow(SQLModel, table=True):
    """The secret that signs one tenant's callbacks."""

    __tablename__ = "webhook_secrets"

    tenant_id: str = Field(primary_key=True)
    secret: str
    created_at: datetime = Field(sa_type=UtcDateTime)


class WebhookDeliveryRow(SQLModel, table=True):
    """One callback sent (or being sent) to a tenant's URL: what, where, how many tries, how it ended."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_subject", "tenant_id", "subject_id"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="ck_webhook_deliveries_status"),
    )

    id: str = Field(primary_key=True)
    tenant_id: str
    event: str
    subject_id: str
    url: str = Field(sa_type=Text)
    status: str = "pending"
    attempts: int = 0
    last_status: int | None = None
    last_error: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


def new_secret() -> str:
    """A fresh 256-bit signing secret."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class SqlWebhookStore:
    """Signing secrets and delivery records in SQLite or PostgreSQL."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def secret(self, tenant_id: str) -> str:
        """The tenant's signing secret, created on first use (concurrent first uses agree on one)."""
        add = self._db.insert(WebhookSecretRow).values(
            tenant_id=tenant_id, secret=new_secret(), created_at=self._clock()
        )
        async with self._db.transaction() as session:
            await session.exec(add.on_conflict_do_nothing(index_elements=["tenant_id"]))
            mine = select(WebhookSecretRow.secret).where(WebhookSecretRow.tenant_id == tenant_id)
            return (await session.exec(mine)).one()

    async def rotate(self, tenant_id: str) -> str:
        """Replace the tenant's signing secret with a new one and return it."""
        secret = new_secret()
        put = self._db.insert(WebhookSecretRow).values(tenant_id=tenant_id, secret=secret, created_at=self._clock())
        replace = put.on_conflict_do_update(
            index_elements=["tenant_id"], set_={"secret": put.excluded.secret, "created_at": put.excluded.created_at}
        )
        async with self._db.transaction() as session:
            await session.exec(replace)
        return secret

    async def start(self, tenant_id: str, event: str, subject_id: str, url: str) -> str:
        """Record a delivery about to be tried and return its id."""
        delivery_id = str(uuid4())
        row = WebhookDeliveryRow(
            id=delivery_id, tenant_id=tenant_id, event=event, subject_id=subject_id, url=url, created_at=self._clock()
        )
        async with self._db.transaction() as session:
            session.add(row)
        return delivery_id

    async def attempt(self, delivery_id: str, status_code: int | None, error: str) -> None:
        """Count one attempt of a delivery with the HTTP status it got (None when none came) or its error."""
        change = (
            update(WebhookDeliveryRow)
            .where(col(WebhookDeliveryRow.id) == delivery_id)
            .values(
                attempts=WebhookDeliveryRow.attempts + 1, last_status=status_code, last_error=error[:MAX_ERROR_CHARS]
            )
        )
        async with self._db.transaction() as session:
            await session.exec(change)

    async def finish(self, delivery_id: str, delivered: bool) -> None:
        """Close a delivery as delivered or failed."""
        change = (
            update(WebhookDeliveryRow)
            .where(col(WebhookDeliveryRow.id) == delivery_id)
            .values(status="delivered" if delivered else "failed", finished_at=self._clock())
        )
        async with self._db.transaction() as session:
            await session.exec(change)

    async def deliveries(self, tenant_id: str, subject_id: str | None = None) -> list[dict[str, Any]]:
        """The tenant's deliveries (about one subject, when given), oldest first."""
        query = select(WebhookDeliveryRow).where(WebhookDeliveryRow.tenant_id == tenant_id)
        if subject_id is not None:
            query = query.where(WebhookDeliveryRow.subject_id == subject_id)
        query = query.order_by(col(WebhookDeliveryRow.created_at), col(WebhookDeliveryRow.id))
        async with self._db.session() as session:
            return [row_dict(row) for row in (await session.exec(query)).all()]
