"""Tenants and API keys on SQLite and PostgreSQL."""

import hashlib

from sqlmodel import select

from storage.tables import Tenant
from storage.tenants import TenantStore


async def test_tenants_create_returns_high_entropy_key_and_stores_only_its_hash(database):
    store = TenantStore(database)
    tenant_id, api_key = await store.create("school app")
    _, other_key = await store.create("school app")
    assert api_key.startswith("mg_") and len(api_key) >= 40
    assert other_key != api_key
    async with database.session() as session:
        row = (await session.exec(select(Tenant).where(Tenant.id == tenant_id))).one()
    assert row.key_hash == hashlib.sha256(api_key.encode()).hexdigest()
    assert api_key not in row.model_dump_json()


async def test_tenants_authenticate_known_unknown_and_revoked(database):
    store = TenantStore(database)
    tenant_id, api_key = await store.create("forum")
    assert await store.authenticate(api_key) == tenant_id
    assert await store.authenticate(api_key + "x") is None
    assert await store.authenticate("") is None
    assert await store.revoke(tenant_id) is True
    assert await store.revoke(tenant_id) is False
    assert await store.revoke("no-such-tenant") is False
    assert await store.authenticate(api_key) is None


async def test_tenants_list_shows_names_and_revocation_without_hashes(database):
    store = TenantStore(database)
    first, _ = await store.create("first")
    second, _ = await store.create("second")
    await store.revoke(first)
    listed = {row["id"]: row for row in await store.list()}
    assert listed[first]["name"] == "first" and listed[first]["revoked_at"] is not None
    assert listed[second]["revoked_at"] is None and listed[second]["created_at"].tzinfo is not None
    assert set(listed[second]) == {"id", "name", "created_at", "revoked_at"}
