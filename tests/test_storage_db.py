"""The database handle and the alembic migrations, on a real SQLite file and the real PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.db import Database, dialect_of, downgrade, migrate, table_metadata
from storage.tables import PolicyRow

TABLES = {
    "tenants",
    "policies",
    "messages",
    "pair_states",
    "sender_states",
    "threads",
    "incidents",
    "chain_heads",
    "action_outcomes",
    "reviews",
    "appeals",
    "moderators",
}


async def table_names(url: str) -> set[str]:
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await db.close()
    return names - {"alembic_version"}


async def schema_differences(url: str) -> list:
    metadata = table_metadata()
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
    finally:
        await db.close()


@pytest.mark.parametrize(
    ("url", "dialect"),
    [("sqlite+aiosqlite:///var/x.db", "sqlite"), ("postgresql+asyncpg://postgres@127.0.0.1/test", "postgresql")],
)
def test_db_dialect_of_supported_urls(url, dialect):
    assert dialect_of(url) == dialect


@pytest.mark.parametrize(
    "url", ["sqlite:///plain-driver.db", "postgresql://postgres@localhost/test", "mysql+aiomysql://x@y/z", "nonsense"]
)
def test_db_rejects_unsupported_url_with_value_error(url):
    with pytest.raises(ValueError, match="unsupported database URL scheme|not a database URL"):
        Database(url)


async def test_db_migrate_sqlite_from_empty_creates_folder_and_round_trips(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'new' / 'deeper' / 'minorguard.db'}"
    await migrate(url)
    assert (tmp_path / "new" / "deeper" / "minorguard.db").exists()
    assert TABLES <= await table_names(url)
    assert await schema_differences(url) == []
    await downgrade(url)
    assert await table_names(url) == set()
    await migrate(url)
    assert TABLES <= await table_names(url)
    assert await schema_differences(url) == []


@pytest.mark.postgres
async def test_db_migrate_postgresql_from_empty_down_and_up_again(empty_postgres_url):
    await migrate(empty_postgres_url)
    assert TABLES <= await table_names(empty_postgres_url)
    assert await schema_differences(empty_postgres_url) == []
    await downgrade(empty_postgres_url)
    assert await table_names(empty_postgres_url) == set()
    await migrate(empty_postgres_url)
    await migrate(empty_postgres_url)
    assert TABLES <= await table_names(empty_postgres_url)
    assert await schema_differences(empty_postgres_url) == []


async def test_db_sqlite_enables_foreign_keys_and_wal(sqlite_url):
    db = Database(sqlite_url)
    try:
        async with db.session() as session:
            foreign_keys = (await session.exec(text("PRAGMA foreign_keys"))).scalar_one()
            journal = (await session.exec(text("PRAGMA journal_mode"))).scalar_one()
    finally:
        await db.close()
    assert (foreign_keys, journal) == (1, "wal")


async def test_db_datetimes_come_back_as_aware_utc(database, tenant):
    written = datetime(2025, 6, 1, 20, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
    async with database.transaction() as session:
        session.add(PolicyRow(tenant_id=tenant, chat_id="chat", policy={}, updated_at=written))
    async with database.session() as session:
        row = await session.get(PolicyRow, (tenant, "chat"))
        raw = text("SELECT updated_at FROM policies WHERE tenant_id = :tenant")
        stored = (await session.exec(raw, params={"tenant": tenant})).first()[0]
    assert row.updated_at == written
    assert row.updated_at.tzinfo is UTC
    assert row.updated_at.hour == 12
    if database.dialect == "sqlite":
        assert str(stored).startswith("2025-06-01 12:30:15.123456")


async def test_db_transaction_rolls_back_on_error(database, tenant):
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            session.add(PolicyRow(tenant_id=tenant, chat_id="chat", policy={}, updated_at=datetime.now(UTC)))
            await session.flush()
            raise RuntimeError("abort")
    async with database.session() as session:
        assert await session.get(PolicyRow, (tenant, "chat")) is None
