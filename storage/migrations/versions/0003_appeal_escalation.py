"""Escalation of overdue appeals: who, when and why on the appeal, and a priority on review items.

Revision ID: 0003_appeal_escalation
Revises: 0002_webhooks
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_appeal_escalation"
down_revision = "0002_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add reviews.priority and the appeals' escalation columns (existing rows: priority 0, not escalated)."""
    op.add_column("reviews", sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("appeals", sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("appeals", sa.Column("escalated_by", sa.String(), nullable=True))
    op.add_column("appeals", sa.Column("escalation_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop the columns again."""
    for column in ("escalation_reason", "escalated_by", "escalated_at"):
        op.drop_column("appeals", column)
    op.drop_column("reviews", "priority")
