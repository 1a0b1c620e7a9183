"""Initial tables: tenants, policies, conversation memory, hash-chained incidents, reviews, appeals, moderators.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STATUSES = "status IN ('open', 'confirmed', 'overturned', 'escalated')"
OPEN_ONLY = sa.text("status = 'open'")


def _id(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str) -> sa.Column:
    return sa.Column(name, sa.JSON(), nullable=False)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False)


def upgrade() -> None:
    """Create every table and index."""
    _create_accounts()
    _create_conversations()
    _create_incidents()
    _create_reviews()


def _create_accounts() -> None:
    op.create_table(
        "tenants",
        _id("id"),
        _id("name"),
        _id("key_hash"),
        _time("created_at"),
        _time("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash", name="uq_tenants_key_hash"),
    )
    op.create_table(
        "policies",
        _id("tenant_id"),
        _id("chat_id"),
        _json("policy"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("tenant_id", "chat_id"),
    )
    op.create_table(
        "moderators",
        _id("id"),
        _id("name"),
        _id("password_hash"),
        _id("role"),
        _time("created_at"),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('moderator', 'admin')", name="ck_moderators_role"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_moderators_name"),
    )


def _create_conversations() -> None:
    op.create_table(
        "messages",
        sa.Column("id", ROW_ID, nullable=False),
        _id("tenant_id"),
        _id("chat_id"),
        _id("message_id"),
        _id("thread_id", nullable=True),
        _id("sender_id"),
        _id("target_id", nullable=True),
        _text("text"),
        _time("sent_at"),
        sa.Column("risk", sa.Float(), nullable=False),
        _id("action"),
        _json("decision"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "chat_id", "message_id", name="uq_messages_message"),
    )
    op.create_index("ix_messages_chat_sent", "messages", ["tenant_id", "chat_id", "sent_at"])
    op.create_index("ix_messages_pair", "messages", ["tenant_id", "chat_id", "sender_id", "target_id", "sent_at"])
    op.create_index("ix_messages_sender", "messages", ["tenant_id", "sender_id"])
    op.create_index("ix_messages_target", "messages", ["tenant_id", "target_id"])
    op.create_table(
        "pair_states",
        _id("tenant_id"),
        _id("chat_id"),
        _id("sender_id"),
        _id("target_id"),
        _json("state"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("tenant_id", "chat_id", "sender_id", "target_id"),
    )
    op.create_index("ix_pair_states_target", "pair_states", ["tenant_id", "target_id"])
    op.create_table(
        "sender_states",
        _id("tenant_id"),
        _id("chat_id"),
        _id("sender_id"),
        _json("state"),
        sa.Column("minor_cue", sa.Float(), nullable=False),
        sa.Column("adult_cue", sa.Float(), nullable=False),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("tenant_id", "chat_id", "sender_id"),
    )
    op.create_table(
        "threads",
        _id("tenant_id"),
        _id("chat_id"),
        _id("thread_id"),
        _id("author_id"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("tenant_id", "chat_id", "thread_id"),
    )
    op.create_index("ix_threads_author", "threads", ["tenant_id", "author_id"])


def _create_incidents() -> None:
    op.create_table(
        "incidents",
        _id("id"),
        _id("tenant_id"),
        sa.Column("seq", sa.Integer(), nullable=False),
        _id("platform"),
        _id("chat_id"),
        _id("thread_id", nullable=True),
        _id("message_id"),
        _id("sender_id"),
        _id("target_id", nullable=True),
        _text("text"),
        _time("sent_at"),
        _id("action"),
        sa.Column("risk", sa.Float(), nullable=False),
        _json("stages"),
        _json("reasons"),
        _text("explanation"),
        _id("model_version"),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        _json("context"),
        _time("created_at"),
        _id("status"),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        _id("content_hash"),
        _id("prev_hash"),
        _id("row_hash"),
        sa.CheckConstraint(STATUSES, name="ck_incidents_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "seq", name="uq_incidents_seq"),
    )
    op.create_index("ix_incidents_chat_created", "incidents", ["tenant_id", "chat_id", "created_at"])
    op.create_index("ix_incidents_message", "incidents", ["tenant_id", "chat_id", "message_id"])
    op.create_index("ix_incidents_sender", "incidents", ["tenant_id", "sender_id"])
    op.create_table(
        "chain_heads",
        _id("tenant_id"),
        sa.Column("seq", sa.Integer(), nullable=False),
        _id("last_hash"),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "action_outcomes",
        sa.Column("id", ROW_ID, nullable=False),
        _id("incident_id"),
        sa.Column("ok", sa.Boolean(), nullable=False),
        _text("detail"),
        _time("at"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_action_outcomes_incident"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_outcomes_incident", "action_outcomes", ["incident_id"])


def _create_reviews() -> None:
    op.create_table(
        "reviews",
        _id("id"),
        _id("tenant_id"),
        _id("chat_id"),
        _id("incident_id"),
        _id("kind"),
        _id("status"),
        _id("requested_by", nullable=True),
        _text("note"),
        _time("created_at"),
        _id("resolved_by", nullable=True),
        _time("resolved_at", nullable=True),
        _text("resolution_note"),
        sa.CheckConstraint(STATUSES, name="ck_reviews_status"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_reviews_incident"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reviews_queue", "reviews", ["tenant_id", "status", "created_at"])
    op.create_index(
        "uq_reviews_open",
        "reviews",
        ["incident_id", "kind"],
        unique=True,
        sqlite_where=OPEN_ONLY,
        postgresql_where=OPEN_ONLY,
    )
    op.create_table(
        "appeals",
        _id("id"),
        _id("tenant_id"),
        _id("incident_id"),
        _id("user_id"),
        _text("text"),
        _id("lang"),
        _id("status"),
        _time("created_at"),
        _time("answered_at", nullable=True),
        _id("outcome", nullable=True),
        _text("note"),
        sa.CheckConstraint("status IN ('open', 'answered')", name="ck_appeals_status"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_appeals_incident"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", name="uq_appeals_incident"),
    )
    op.create_index("ix_appeals_queue", "appeals", ["tenant_id", "status", "created_at"])


def downgrade() -> None:
    """Drop every table (indexes go with them), dependants first."""
    for table in (
        "appeals",
        "reviews",
        "action_outcomes",
        "chain_heads",
        "incidents",
        "threads",
        "sender_states",
        "pair_states",
        "messages",
        "moderators",
        "policies",
        "tenants",
    ):
        op.drop_table(table)
