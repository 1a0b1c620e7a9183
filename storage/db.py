"""The database handle (async engine + sessions) for SQLite via aiosqlite or PostgreSQL via asyncpg, and migrations.

SQLite runs with foreign keys on, WAL journaling and SQLAlchemy in charge of BEGIN, so that writers can take
the write lock up front (``BEGIN IMMEDIATE``) instead of failing when a read transaction tries to upgrade.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Connection, MetaData, event, func, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.columns import dumps

DIALECTS = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql"}
"""Supported URL schemes and the dialect each one means."""

IMMEDIATE_OPTION = "minorguard_sqlite_immediate"
"""Execution option that makes SQLite open the transaction with ``BEGIN IMMEDIATE``."""

MIGRATION_LOCK_KEY = 7_416_391_052
"""PostgreSQL advisory lock held while migrating, so that workers starting together migrate one at a time."""

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite connection waits for another writer's lock before giving up."""


def dialect_of(url: str) -> str:
    """The dialect ("sqlite" or "postgresql") of a database URL.

    Raises:
        ValueError: the URL is malformed or names a scheme other than sqlite+aiosqlite or postgresql+asyncpg.
    """
    try:
        scheme = make_url(url).drivername
    except ArgumentError as error:
        raise ValueError(f"not a database URL: {url!r}") from error
    if scheme not in DIALECTS:
        raise ValueError(
            f"unsupported database URL scheme {scheme!r}: use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db"
        )
    return DIALECTS[scheme]


def create_engine(url: str, echo: bool = False) -> AsyncEngine:
    """An async engine for the URL; for a SQLite file, its folder is created first."""
    if dialect_of(url) == "postgresql":
        return create_async_engine(url, echo=echo, json_serializer=dumps, pool_pre_ping=True)
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url, echo=echo, json_serializer=dumps, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    )
    event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    event.listen(engine.sync_engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One database: an async engine with a session factory, for SQLite or PostgreSQL.

    Attributes:
        url: the SQLAlchemy URL it was opened with.
        dialect: "sqlite" or "postgresql".
        engine: the SQLAlchemy async engine.
    """

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.dialect = dialect_of(url)
        self.engine = create_engine(url, echo)
        self._sessions = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        writer = self.engine.execution_options(**{IMMEDIATE_OPTION: True})
        self._writers = async_sessionmaker(writer, class_=AsyncSession, expire_on_commit=False)

    def session(self) -> AsyncSession:
        """A new session, used as ``async with db.session() as session``; the caller commits."""
        return self._sessions()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one write transaction: committed on success, rolled back on error.

        On SQLite the transaction holds the database's write lock from its first statement, which makes
        read-then-write sequences safe; on PostgreSQL lock rows explicitly (``with_for_update``).
        """
        async with self._writers() as session, session.begin():
            yield session

    def insert(self, table: Any) -> Any:
        """An INSERT for this dialect, with ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
        return postgresql_insert(table) if self.dialect == "postgresql" else sqlite_insert(table)

    def greatest(self, *values: Any) -> ColumnElement[Any]:
        """SQL for the largest of the values (``greatest`` on PostgreSQL, scalar ``max`` on SQLite)."""
        return func.greatest(*values) if self.dialect == "postgresql" else func.max(*values)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def table_metadata() -> MetaData:
    """The metadata of every table of the storage package (its modules are imported so that all are declared)."""
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name != "migrations":
            importlib.import_module(f"{__package__}.{module.name}")
    return SQLModel.metadata


def alembic_config() -> Config:
    """Alembic's configuration, pointing inside the installed package (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config


async def migrate(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (the newest by default), creating a SQLite file's folder."""
    await _run_alembic(url, command.upgrade, revision)


async def downgrade(url: str, revision: str = "base") -> None:
    """Take the database at ``url`` down to ``revision`` ("base" drops every table minorguard made)."""
    await _run_alembic(url, command.downgrade, revision)


async def _run_alembic(url: str, action: Callable[[Config, str], None], revision: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            await connection.run_sync(_run_on_connection, action, revision)
    finally:
        await engine.dispose()


def _run_on_connection(connection: Connection, action: Callable[[Config, str], None], revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    action(config, revision)
