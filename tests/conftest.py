"""Shared fixtures: database URLs (a migrated SQLite file per test, a fresh PostgreSQL database per session),
Redis, the storage backends, and the rule for services that are not running.

A test that needs PostgreSQL or Redis is skipped when the server is unreachable, unless
MINORGUARD_REQUIRE_SERVICES=1 (as in CI), in which case it fails.
"""

import asyncio
import os
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import redis

from storage.columns import utc_now
from storage.conversations import SqlConversationStore
from storage.db import Database, migrate
from storage.incidents import SqlIncidentStore
from storage.memory import MemoryIncidentStore, MemoryPolicyStore, MemoryReviewQueue
from storage.memory_conversations import MemoryConversationStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue

REQUIRE_SERVICES = "MINORGUARD_REQUIRE_SERVICES"
POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432
POSTGRES_ROLES = ("postgres", "root")
POSTGRES_MAINTENANCE_DB = "test"
TEST_DATABASE_PREFIX = "minorguard_test_"
REDIS_URL = "redis://127.0.0.1:6379/15"


def service_unavailable(reason: str) -> None:
    """Skip the test, or fail it when the environment requires the services."""
    if os.environ.get(REQUIRE_SERVICES) == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def run_sync(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion on its own loop in a helper thread (safe inside a running test loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _working_role() -> str | None:
    for role in POSTGRES_ROLES:
        try:
            connection = await asyncpg.connect(
                host=POSTGRES_HOST, port=POSTGRES_PORT, user=role, database=POSTGRES_MAINTENANCE_DB, timeout=5
            )
        except (OSError, TimeoutError, asyncpg.PostgresError):
            continue
        await connection.close()
        return role
    return None


async def _admin(role: str, *statements: str) -> list[Any]:
    connection = await asyncpg.connect(
        host=POSTGRES_HOST, port=POSTGRES_PORT, user=role, database=POSTGRES_MAINTENANCE_DB, timeout=5
    )
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def _drop_abandoned_databases(role: str) -> None:
    """Drop test databases left by earlier runs of this machine whose process has died."""
    (rows,) = run_sync(_admin(role, f"SELECT datname FROM pg_database WHERE datname LIKE '{TEST_DATABASE_PREFIX}%'"))
    for name in (row["datname"] for row in rows):
        pid = name.removeprefix(TEST_DATABASE_PREFIX).split("_")[0]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            run_sync(_admin(role, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_role() -> str:
    """The PostgreSQL role that can log in at 127.0.0.1:5432 (postgres or root)."""
    role = run_sync(_working_role())
    if role is None:
        service_unavailable(
            f"PostgreSQL at {POSTGRES_HOST}:{POSTGRES_PORT} not reachable: start it or unset {REQUIRE_SERVICES}"
        )
    _drop_abandoned_databases(role)
    return role


def _new_database(role: str) -> tuple[str, str]:
    name = f"{TEST_DATABASE_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:10]}"
    run_sync(_admin(role, f'CREATE DATABASE "{name}" TEMPLATE template0'))
    return name, f"postgresql+asyncpg://{role}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"


@pytest.fixture(scope="session")
def postgres_url(postgres_role: str) -> Iterator[str]:
    """A PostgreSQL database of this test session, migrated to head and dropped at the end.

    Tests share it: isolate them by using fresh tenant ids (the ``tenant`` fixture), never by dropping tables.
    """
    name, url = _new_database(postgres_role)
    try:
        run_sync(migrate(url))
        yield url
    finally:
        run_sync(_admin(postgres_role, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_postgres_url(postgres_role: str) -> Iterator[str]:
    """A PostgreSQL database of this test alone, with no tables, dropped afterwards."""
    name, url = _new_database(postgres_role)
    try:
        yield url
    finally:
        run_sync(_admin(postgres_role, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A SQLite file of this test alone, migrated to head."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"
    run_sync(migrate(url))
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """A migrated database URL: a SQLite file of this test, or the session's PostgreSQL database."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
async def database(db_url: str):
    """An opened ``Database`` on ``db_url``, closed after the test."""
    db = Database(db_url)
    yield db
    await db.close()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """Redis database 15 at 127.0.0.1:6379 (skipped or failed when Redis is not running)."""
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2) as client:
            client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
        service_unavailable(f"Redis at 127.0.0.1:6379 not reachable: start it or unset {REQUIRE_SERVICES}")
    return REDIS_URL


@pytest.fixture
def tenant() -> str:
    """A tenant id no other test uses, so that tests can share a database."""
    return f"tenant-{uuid.uuid4().hex[:12]}"


class TickingClock:
    """A test clock: every reading is 1 ms after the previous one, and ``advance`` jumps ahead."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utc_now()

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.now += delta


@dataclass
class Stores:
    """One backend's stores, built on one clock."""

    kind: str
    conversations: Any
    incidents: Any
    policies: Any
    reviews: Any
    clock: TickingClock


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def stores(request):
    """The same stores in memory, on SQLite and on PostgreSQL, for one behavioural test suite."""
    clock = TickingClock()
    if request.param == "memory":
        incidents = MemoryIncidentStore(clock)
        yield Stores(
            "memory",
            MemoryConversationStore(clock=clock),
            incidents,
            MemoryPolicyStore(),
            MemoryReviewQueue(incidents, clock),
            clock,
        )
        return
    db = Database(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url"))
    yield Stores(
        request.param,
        SqlConversationStore(db, clock=clock),
        SqlIncidentStore(db, clock),
        SqlPolicyStore(db, clock),
        SqlReviewQueue(db, clock),
        clock,
    )
    await db.close()


@pytest.fixture
def make_incident():
    """A factory of ``IncidentEntry`` dicts with invented, harmless content; keywords override fields."""

    def make(tenant_id: str, number: int = 1, **fields: Any) -> dict[str, Any]:
        sent_at = datetime(2025, 3, 1, 12, 0, tzinfo=UTC) + timedelta(minutes=number)
        entry = {
            "tenant_id": tenant_id,
            "platform": "http",
            "chat_id": "chat-1",
            "thread_id": None,
            "message_id": f"msg-{number}",
            "sender_id": "user-a",
            "target_id": "user-b",
            "text": f"invented test message {number} 测试消息",
            "sent_at": sent_at,
            "action": "warn",
            "risk": 0.61,
            "stages": ("age_probe", "secrecy"),
            "reasons": [{"signal": "age_probe", "score": 0.7, "detail": "asks the target's age"}],
            "explanation": "risk 0.61 from stages: age_probe, secrecy",
            "model_version": "test-model-1",
            "dry_run": False,
            "context": [{"message_id": "msg-0", "text": "earlier line", "sent_at": sent_at - timedelta(minutes=1)}],
        }
        return entry | fields

    return make
