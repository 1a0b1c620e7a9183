"""Column types and time helpers shared by the tables and the stores.

Every datetime minorguard handles is timezone-aware UTC. SQLite has no time zones, so ``UtcDateTime``
stores naive UTC there and hands back aware UTC; PostgreSQL keeps ``timestamp with time zone``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The same instant as aware UTC; a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def json_default(value: Any) -> Any:
    """``json.dumps`` fallback: datetimes become ISO-8601 UTC strings; anything else is an error."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    """Serialise a JSON column's value (the engines' ``json_serializer``)."""
    return json.dumps(value, ensure_ascii=False, default=json_default)


def plain_json(value: Any) -> Any:
    """The value as it reads back from a JSON column: tuples as lists, datetimes as ISO strings."""
    return json.loads(dumps(value))


class UtcDateTime(TypeDecorator[datetime]):
    """A ``DateTime(timezone=True)`` that always returns aware UTC, also on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC on the way in (naive UTC for SQLite)."""
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to aware UTC on the way out."""
        return None if value is None else as_utc(value)
