"""The HTTP API's request and response bodies as pydantic models.

Requests are validated with these models (unknown fields are rejected); responses are built from
``Decision.to_api()`` and the stores' dicts, and these models document their shape in the OpenAPI spec.
A ``sent_at`` without a timezone is rejected rather than guessed: an app that sends local times would
otherwise shift every conversation's timing by its offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from handlers.model import Action, IncomingMessage

MAX_ID_LENGTH = 256
MAX_TEXT_LENGTH = 20_000
BATCH_TOO_LARGE = "batch_too_large"


class MessageIn(BaseModel):
    """One chat message or comment as the app sends it to ``POST /messages``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chat_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH, description="Group chat or comment section.")
    message_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH, description="Unique within the chat.")
    sender_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH, description="The message's author.")
    text: str = Field(max_length=MAX_TEXT_LENGTH, description="The text (a caption for media).")
    thread_id: str | None = Field(
        default=None, min_length=1, max_length=MAX_ID_LENGTH, description="Comment thread inside the chat."
    )
    reply_to_message_id: str | None = Field(
        default=None, min_length=1, max_length=MAX_ID_LENGTH, description="The message this one answers."
    )
    reply_to_user_id: str | None = Field(
        default=None, min_length=1, max_length=MAX_ID_LENGTH, description="Whom this message answers or addresses."
    )
    sent_at: AwareDatetime | None = Field(
        default=None, description="ISO-8601 with a timezone; omitted or null means the time it arrives."
    )
    sender_locale: str | None = Field(
        default=None, min_length=2, max_length=35, description='The sender\'s language tag, e.g. "zh-CN".'
    )

    def to_incoming(self, tenant_id: str, received_at: datetime) -> IncomingMessage:
        """The platform-free message for the pipeline; ``received_at`` stands in for a missing ``sent_at``."""
        sent_at = self.sent_at or received_at
        return IncomingMessage(
            tenant_id=tenant_id,
            platform="http",
            chat_id=self.chat_id,
            message_id=self.message_id,
            sender_id=self.sender_id,
            text=self.text,
            sent_at=sent_at.astimezone(UTC),
            thread_id=self.thread_id,
            reply_to_message_id=self.reply_to_message_id,
            reply_to_user_id=self.reply_to_user_id,
            sender_locale=self.sender_locale,
        )


class BatchIn(BaseModel):
    """Many messages in one request, processed in order; the whole batch is validated before any is processed.

    The validation context's ``max_batch`` caps the number of messages. A message repeated inside a batch gets
    the decision of its first copy, as a resent message does.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: list[MessageIn] = Field(description="The messages, oldest first.")

    @field_validator("messages", mode="before")
    @classmethod
    def _within_max_batch(cls, value: Any, info: ValidationInfo) -> Any:
        limit = (info.context or {}).get("max_batch")
        if limit is not None and isinstance(value, Sequence) and len(value) > limit:
            raise PydanticCustomError(
                BATCH_TOO_LARGE,
                "a batch holds at most {limit} messages, this one has {count}",
                {"limit": limit, "count": len(value)},
            )
        return value


class IncidentQuery(BaseModel):
    """The filters of ``GET /incidents``, from the query string.

    Times need a timezone: write UTC as ``Z``, or percent-encode a ``+`` offset as ``%2B`` (a bare ``+`` in a
    query string means a space).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    chat_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH, description="Only this chat.")
    user_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH, description="Only this sender.")
    action: Action | None = Field(default=None, description="Only incidents that got this action.")
    since: AwareDatetime | None = Field(default=None, description="Created at or after (ISO-8601 with timezone).")
    until: AwareDatetime | None = Field(default=None, description="Created before (ISO-8601 with timezone).")
    limit: int = Field(default=50, ge=1, le=200, description="Most incidents in one page.")
    cursor: str | None = Field(default=None, min_length=1, max_length=512, description="next_cursor of the last page.")


class ReasonOut(BaseModel):
    """One signal behind a decision."""

    signal: str
    score: float = Field(ge=0.0, le=1.0)
    detail: str


class NoticeOut(BaseModel):
    """What to show the acted-upon user, in their language; it never quotes the evidence."""

    lang: str
    text: str


class DecisionOut(BaseModel):
    """What to do with one message, and why (``Decision.to_api()``)."""

    message_id: str
    action: Action
    risk: float = Field(ge=0.0, le=1.0)
    target_user_id: str | None
    stages: list[str]
    reasons: list[ReasonOut]
    notice: NoticeOut | None
    incident_id: str | None


class BatchOut(BaseModel):
    """The decisions of a batch, in the order of its messages."""

    decisions: list[DecisionOut]


class ContextLine(BaseModel):
    """One earlier message between the sender and the target, as kept with an incident."""

    message_id: str
    sender_id: str
    target_id: str | None
    text: str
    sent_at: str = Field(description="ISO-8601.")
    risk: float


class IncidentOut(BaseModel):
    """One incident as listed: the message, its evidence and the decision, hash-chained per tenant.

    A purged (``redacted``) incident keeps its ids, decision and hashes; its text, context, reasons and
    explanation are blank.
    """

    id: str
    seq: int = Field(description="Position in the tenant's hash chain.")
    platform: str
    chat_id: str
    thread_id: str | None
    message_id: str
    sender_id: str
    target_id: str | None
    text: str
    sent_at: datetime
    action: Action
    risk: float
    stages: list[str]
    reasons: list[ReasonOut]
    explanation: str
    model_version: str
    dry_run: bool
    context: list[ContextLine] = Field(description="The conversation window before the message, oldest first.")
    created_at: datetime
    status: str = Field(description="open, confirmed, overturned or escalated.")
    redacted: bool
    content_hash: str = Field(description="SHA-256 of the incident's content.")
    prev_hash: str = Field(description="row_hash of the previous incident in the tenant's chain.")
    row_hash: str = Field(description="SHA-256 over content_hash and prev_hash.")


class OutcomeOut(BaseModel):
    """What happened when the decision was carried out."""

    ok: bool
    detail: str
    at: datetime


class IncidentDetail(IncidentOut):
    """One incident with what was done about it."""

    outcomes: list[OutcomeOut]


class IncidentPage(BaseModel):
    """One page of incidents, newest first; pass ``next_cursor`` back as ``cursor`` for the next page."""

    incidents: list[IncidentOut]
    next_cursor: str | None


class HealthOut(BaseModel):
    """The liveness answer."""

    status: Literal["ok"]


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a human message and the offending field's path, when there is one."""

    code: str = Field(description="Stable machine-readable code, e.g. validation_error.")
    message: str
    field: str | None = Field(description='Path of the offending field, e.g. "messages[3].text", or null.')


class ErrorOut(BaseModel):
    """Every error answer's body."""

    error: ErrorDetail
