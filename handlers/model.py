"""The moderation pipeline's platform-free values: what comes in, what is decided, what is recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from classifiers.types import Reason


class Action(StrEnum):
    """What minorguard does with a message, mildest first."""

    ALLOW = "allow"
    REVIEW = "review"
    WARN = "warn"
    DELETE = "delete"
    MUTE = "mute"
    BAN = "ban"

    @property
    def severity(self) -> int:
        """Position in the escalation ladder (allow = 0 … ban = 5)."""
        return list(Action).index(self)

    @property
    def punitive(self) -> bool:
        """Delete, mute and ban punish; review and warn do not."""
        return self in (Action.DELETE, Action.MUTE, Action.BAN)


@dataclass(frozen=True)
class IncomingMessage:
    """One message from any platform, converted at the edge by its adapter.

    Attributes:
        tenant_id: whose installation this is (an API key's tenant, or the Telegram bot's own tenant).
        platform: "http", "telegram", … (informational only; the logic never branches on it).
        chat_id: the group chat or comment section (e.g. one video's comments).
        message_id: unique within the chat.
        sender_id: the author.
        text: the text (caption for media).
        sent_at: when it was sent, timezone-aware UTC.
        thread_id: a comment thread or forum topic inside the chat.
        reply_to_message_id: the message it replies to.
        reply_to_user_id: the author of that message, or whom it addresses.
        mentioned_user_ids: users it mentions.
        sender_locale: the sender's language tag (e.g. "zh-CN"), when the platform knows it.
        edited: True when this is a new version of a message already seen.
    """

    tenant_id: str
    platform: str
    chat_id: str
    message_id: str
    sender_id: str
    text: str
    sent_at: datetime
    thread_id: str | None = None
    reply_to_message_id: str | None = None
    reply_to_user_id: str | None = None
    mentioned_user_ids: tuple[str, ...] = ()
    sender_locale: str | None = None
    edited: bool = False


@dataclass(frozen=True)
class Notice:
    """What the acted-upon user is told, in their language; never quotes the evidence."""

    lang: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"lang": self.lang, "text": self.text}


@dataclass(frozen=True)
class Decision:
    """What to do with one message, and why.

    The same reasons reach the incident, the user's notice, the moderator and the API caller.
    """

    tenant_id: str
    chat_id: str
    message_id: str
    sender_id: str
    action: Action
    risk: float
    target_user_id: str | None
    stages: tuple[str, ...]
    reasons: tuple[Reason, ...]
    model_version: str
    explanation: str = ""
    notice: Notice | None = None
    incident_id: str | None = None
    dry_run: bool = False
    mute_seconds: int = 0
    lang: str = "en"

    def to_api(self) -> dict[str, Any]:
        """The public JSON shape of a decision (HTTP API and ``bot.py score``)."""
        return {
            "message_id": self.message_id,
            "action": self.action.value,
            "risk": round(float(self.risk), 4),
            "target_user_id": self.target_user_id,
            "stages": list(self.stages),
            "reasons": [reason.to_dict() for reason in self.reasons],
            "notice": self.notice.to_dict() if self.notice else None,
            "incident_id": self.incident_id,
        }

    def to_record(self) -> dict[str, Any]:
        """Everything needed to rebuild the decision later (stored for idempotent resends)."""
        return self.to_api() | {
            "tenant_id": self.tenant_id,
            "chat_id": self.chat_id,
            "sender_id": self.sender_id,
            "model_version": self.model_version,
            "explanation": self.explanation,
            "dry_run": self.dry_run,
            "mute_seconds": self.mute_seconds,
            "lang": self.lang,
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Decision:
        """Inverse of :meth:`to_record`."""
        notice = data.get("notice")
        return cls(
            tenant_id=data["tenant_id"],
            chat_id=data["chat_id"],
            message_id=data["message_id"],
            sender_id=data["sender_id"],
            action=Action(data["action"]),
            risk=float(data["risk"]),
            target_user_id=data.get("target_user_id"),
            stages=tuple(data.get("stages", ())),
            reasons=tuple(Reason.from_dict(r) for r in data.get("reasons", ())),
            model_version=data.get("model_version", ""),
            explanation=data.get("explanation", ""),
            notice=Notice(**notice) if notice else None,
            incident_id=data.get("incident_id"),
            dry_run=bool(data.get("dry_run", False)),
            mute_seconds=int(data.get("mute_seconds", 0)),
            lang=data.get("lang", "en"),
        )


@dataclass(frozen=True)
class UserHistory:
    """What minorguard has already done to one user in one chat, for escalation."""

    warnings: int = 0
    mutes: int = 0
    bans: int = 0
