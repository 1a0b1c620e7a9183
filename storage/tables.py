"""The database tables as sqlmodel classes; ``storage/migrations`` creates exactly these.

Ids of chats, users, messages and threads are the platforms' own, kept as strings. Datetimes are aware UTC
(see ``UtcDateTime``). JSON columns hold what the pipeline hands over as plain dicts and lists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKeyConstraint, Index, Integer, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime

INCIDENT_STATUSES = ("open", "confirmed", "overturned", "escalated")
"""An incident's standing after human review; "open" until someone looks."""

REVIEW_OUTCOMES = ("confirmed", "overturned", "escalated")
"""What a moderator can decide about a review item."""

APPEAL_STATUSES = ("open", "answered")
"""An appeal waits ("open") until it is answered."""

MODERATOR_ROLES = ("moderator", "admin")
"""Roles of the moderator console's users."""

ROW_ID = BigInteger().with_variant(Integer, "sqlite")
"""Autoincrement key type: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite."""


def row_dict(row: SQLModel) -> dict[str, Any]:
    """A table row as a plain dict, columns in declaration order."""
    return {name: getattr(row, name) for name in type(row).model_fields}


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class Tenant(SQLModel, table=True):
    """An installation that may call the HTTP API; only a hash of its API key is kept."""

    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("key_hash", name="uq_tenants_key_hash"),)

    id: str = Field(primary_key=True)
    name: str
    key_hash: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class PolicyRow(SQLModel, table=True):
    """A chat's policy (``ChatPolicy.model_dump()``)."""

    __tablename__ = "policies"

    tenant_id: str = Field(primary_key=True)
    chat_id: str = Field(primary_key=True)
    policy: dict[str, Any] = Field(sa_type=JSON)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class MessageRow(SQLModel, table=True):
    """A processed message with its decision; an edited message replaces its row."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "chat_id", "message_id", name="uq_messages_message"),
        Index("ix_messages_chat_sent", "tenant_id", "chat_id", "sent_at"),
        Index("ix_messages_pair", "tenant_id", "chat_id", "sender_id", "target_id", "sent_at"),
        Index("ix_messages_sender", "tenant_id", "sender_id"),
        Index("ix_messages_target", "tenant_id", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=ROW_ID)
    tenant_id: str
    chat_id: str
    message_id: str
    thread_id: str | None = None
    sender_id: str
    target_id: str | None = None
    text: str = Field(sa_type=Text)
    sent_at: datetime = Field(sa_type=UtcDateTime)
    risk: float
    action: str
    decision: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UtcDateTime)


class PairStateRow(SQLModel, table=True):
    """Evidence from one sender towards one target ("" for the room) in one chat."""

    __tablename__ = "pair_states"
    __table_args__ = (Index("ix_pair_states_target", "tenant_id", "target_id"),)

    tenant_id: str = Field(primary_key=True)
    chat_id: str = Field(primary_key=True)
    sender_id: str = Field(primary_key=True)
    target_id: str = Field(primary_key=True)
    state: dict[str, Any] = Field(sa_type=JSON)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class SenderStateRow(SQLModel, table=True):
    """One sender's behaviour across a chat and the strongest age cues they gave about themself."""

    __tablename__ = "sender_states"

    tenant_id: str = Field(primary_key=True)
    chat_id: str = Field(primary_key=True)
    sender_id: str = Field(primary_key=True)
    state: dict[str, Any] = Field(sa_type=JSON)
    minor_cue: float = 0.0
    adult_cue: float = 0.0
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ThreadRow(SQLModel, table=True):
    """Who started a thread (the first sender seen in it)."""

    __tablename__ = "threads"
    __table_args__ = (Index("ix_threads_author", "tenant_id", "author_id"),)

    tenant_id: str = Field(primary_key=True)
    chat_id: str = Field(primary_key=True)
    thread_id: str = Field(primary_key=True)
    author_id: str
    created_at: datetime = Field(sa_type=UtcDateTime)


class IncidentRow(SQLModel, table=True):
    """A hash-chained record of one decision and its evidence, written before acting."""

    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seq", name="uq_incidents_seq"),
        Index("ix_incidents_chat_created", "tenant_id", "chat_id", "created_at"),
        Index("ix_incidents_message", "tenant_id", "chat_id", "message_id"),
        Index("ix_incidents_sender", "tenant_id", "sender_id"),
        _one_of("status", INCIDENT_STATUSES, "ck_incidents_status"),
    )

    id: str = Field(primary_key=True)
    tenant_id: str
    seq: int
    platform: str
    chat_id: str
    thread_id: str | None = None
    message_id: str
    sender_id: str
    target_id: str | None = None
    text: str = Field(sa_type=Text)
    sent_at: datetime = Field(sa_type=UtcDateTime)
    action: str
    risk: float
    stages: list[str] = Field(sa_type=JSON)
    reasons: list[dict[str, Any]] = Field(sa_type=JSON)
    explanation: str = Field(sa_type=Text)
    model_version: str
    dry_run: bool
    context: list[dict[str, Any]] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UtcDateTime)
    status: str = "open"
    redacted: bool = False
    content_hash: str
    prev_hash: str
    row_hash: str


class ChainHead(SQLModel, table=True):
    """The end of a tenant's incident chain; locked while an incident is appended."""

    __tablename__ = "chain_heads"

    tenant_id: str = Field(primary_key=True)
    seq: int
    last_hash: str


class ActionOutcomeRow(SQLModel, table=True):
    """What happened when an adapter carried an incident's decision out."""

    __tablename__ = "action_outcomes"
    __table_args__ = (
        ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_action_outcomes_incident"),
        Index("ix_action_outcomes_incident", "incident_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=ROW_ID)
    incident_id: str
    ok: bool
    detail: str = Field(sa_type=Text)
    at: datetime = Field(sa_type=UtcDateTime)


class ReviewRow(SQLModel, table=True):
    """An item waiting for (or resolved by) a human moderator; a higher ``priority`` is listed first."""

    __tablename__ = "reviews"
    __table_args__ = (
        ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_reviews_incident"),
        Index("ix_reviews_queue", "tenant_id", "status", "created_at"),
        Index(
            "uq_reviews_open",
            "incident_id",
            "kind",
            unique=True,
            sqlite_where=sql_text("status = 'open'"),
            postgresql_where=sql_text("status = 'open'"),
        ),
        _one_of("status", INCIDENT_STATUSES, "ck_reviews_status"),
    )

    id: str = Field(primary_key=True)
    tenant_id: str
    chat_id: str
    incident_id: str
    kind: str
    status: str = "open"
    requested_by: str | None = None
    note: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    resolved_by: str | None = None
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolution_note: str = Field(default="", sa_type=Text)
    priority: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class AppealRow(SQLModel, table=True):
    """A user's appeal against an incident; one per incident.

    ``escalated_at``/``escalated_by``/``escalation_reason`` say when, by whom and why an open appeal was
    escalated (unanswered past its chat's deadline).
    """

    __tablename__ = "appeals"
    __table_args__ = (
        ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_appeals_incident"),
        UniqueConstraint("incident_id", name="uq_appeals_incident"),
        Index("ix_appeals_queue", "tenant_id", "status", "created_at"),
        _one_of("status", APPEAL_STATUSES, "ck_appeals_status"),
    )

    id: str = Field(primary_key=True)
    tenant_id: str
    incident_id: str
    user_id: str
    text: str = Field(sa_type=Text)
    lang: str
    status: str = "open"
    created_at: datetime = Field(sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    outcome: str | None = None
    note: str = Field(default="", sa_type=Text)
    escalated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    escalated_by: str | None = None
    escalation_reason: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})


class ModeratorRow(SQLModel, table=True):
    """A user of the moderator console; the password is kept only as a hash made by the caller."""

    __tablename__ = "moderators"
    __table_args__ = (
        UniqueConstraint("name", name="uq_moderators_name"),
        _one_of("role", MODERATOR_ROLES, "ck_moderators_role"),
    )

    id: str = Field(primary_key=True)
    name: str
    password_hash: str
    role: str = "moderator"
    created_at: datetime = Field(sa_type=UtcDateTime)
    disabled: bool = False
