"""Tenants of the HTTP API and their keys. A key is shown once, at creation; only its SHA-256 is stored.

The keys are 256-bit random tokens, so a plain SHA-256 is enough to make a stolen table useless (a slow
password hash would only slow down every API request).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import update
from sqlmodel import col, select

from storage.columns import utc_now
from storage.db import Database
from storage.tables import Tenant

KEY_PREFIX = "mg_"
"""Every API key starts with this, so that leaked keys are easy to recognise in logs and scanners."""


def hash_key(api_key: str) -> str:
    """SHA-256 (hex) of an API key, as stored."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


class TenantStore:
    """Create, authenticate, list and revoke tenants."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def create(self, name: str) -> tuple[str, str]:
        """Create a tenant; returns (tenant_id, api_key). The key cannot be recovered later."""
        tenant_id, api_key = str(uuid4()), KEY_PREFIX + secrets.token_urlsafe(32)
        async with self._db.transaction() as session:
            session.add(Tenant(id=tenant_id, name=name, key_hash=hash_key(api_key), created_at=self._clock()))
        return tenant_id, api_key

    async def authenticate(self, api_key: str) -> str | None:
        """The tenant id for an API key; None when the key is unknown or revoked."""
        query = select(Tenant.id).where(Tenant.key_hash == hash_key(api_key), col(Tenant.revoked_at).is_(None))
        async with self._db.session() as session:
            return (await session.exec(query)).first()

    async def list(self) -> list[dict[str, Any]]:
        """Every tenant (id, name, created_at, revoked_at), oldest first; key hashes are not included."""
        async with self._db.session() as session:
            rows = (await session.exec(select(Tenant).order_by(col(Tenant.created_at), col(Tenant.id)))).all()
        return [
            {"id": row.id, "name": row.name, "created_at": row.created_at, "revoked_at": row.revoked_at} for row in rows
        ]

    async def revoke(self, tenant_id: str) -> bool:
        """Revoke the tenant's key; False when there is no such active tenant."""
        revoke = (
            update(Tenant)
            .where(col(Tenant.id) == tenant_id, col(Tenant.revoked_at).is_(None))
            .values(revoked_at=self._clock())
        )
        async with self._db.transaction() as session:
            result = await session.exec(revoke)
        return result.rowcount > 0
