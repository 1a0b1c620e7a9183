"""The request and response models of the HTTP API's appeal and review routes (``bot.adapters.http_appeals``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.adapters.http_models import MAX_ID_LENGTH, NoticeOut
from handlers.review import MAX_APPEAL_CHARS


class AppealIn(BaseModel):
    """An appeal an app makes for its user against an incident the user was told about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    incident_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH, description="The reference in the notice.")
    user_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH, description="The user who appeals: the sender.")
    text: str = Field(max_length=MAX_APPEAL_CHARS, description="Why the user thinks the decision is wrong.")
    lang: str | None = Field(
        default=None, min_length=2, max_length=35, description='The user\'s language tag, e.g. "zh-CN".'
    )


class AppealOut(BaseModel):
    """An appeal and, once answered, its outcome."""

    id: str
    incident_id: str
    user_id: str
    text: str
    lang: str
    status: Literal["open", "answered"]
    created_at: datetime
    answered_at: datetime | None
    outcome: Literal["confirmed", "overturned"] | None
    note: str
    escalated_at: datetime | None = Field(description="When the appeal was escalated, unanswered past its deadline.")
    escalated_by: str | None = Field(description='Who escalated it ("system" for the deadline check).')
    escalation_reason: str


class AppealCreated(AppealOut):
    """A new appeal with the review item that waits for a moderator."""

    review_id: str


class AppealList(BaseModel):
    """The tenant's appeals, oldest first."""

    appeals: list[AppealOut]


class AppealQuery(BaseModel):
    """The filters of ``GET /appeals``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["open", "answered", "all"] = Field(default="open", description="Which appeals; all for every one.")
    limit: int = Field(default=50, ge=1, le=200, description="Most appeals in the answer.")


class ReviewOut(BaseModel):
    """A review item with what its incident decided."""

    id: str
    chat_id: str
    incident_id: str
    kind: str = Field(description="detector, punitive, report or appeal.")
    status: str = Field(description="open, confirmed, overturned or escalated.")
    requested_by: str | None
    note: str
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str
    priority: int = Field(description="Higher is listed first; escalated appeals are raised.")
    text: str | None = Field(description="The incident's message (blank once purged).")
    stages: list[str] | None
    risk: float | None
    action: str | None


class ReviewList(BaseModel):
    """Review items, oldest first."""

    reviews: list[ReviewOut]


class ReviewQuery(BaseModel):
    """The filters of ``GET /reviews``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["open", "confirmed", "overturned", "escalated", "all"] = Field(
        default="open", description="Which items; all for every one."
    )
    chat_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID_LENGTH, description="Only this chat.")
    kind: Literal["detector", "punitive", "report", "appeal"] | None = Field(
        default=None, description="Only items of this kind."
    )
    limit: int = Field(default=50, ge=1, le=200, description="Most items in the answer.")


class ResolveIn(BaseModel):
    """A moderator's decision about a review item."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: Literal["confirmed", "overturned", "escalated"]
    moderator: str = Field(min_length=1, max_length=MAX_ID_LENGTH, description="Who decided, as the app knows them.")
    note: str = Field(default="", max_length=MAX_APPEAL_CHARS, description="Why; sent to an appellant.")


class ResolutionOut(BaseModel):
    """What resolving did: the item, its incident's new status, what the app must undo, the appeal's answer."""

    review: ReviewOut
    incident_status: str
    reversal: str = Field(description="What undoing the action needs; the app lifts mutes and bans itself.")
    appeal: AppealOut | None
    answer: NoticeOut | None = Field(description="The answer for the appellant, in their language.")


class CallbackSecretOut(BaseModel):
    """The secret that signs this tenant's callbacks (HMAC-SHA256 of the raw body)."""

    secret: str
