"""The small protocols the moderation logic needs; ``storage/`` and the adapters implement them.

Data crosses into ``storage/`` as plain JSON-like dicts (the ``TypedDict`` shapes below), because storage
imports nothing of ``handlers/`` or ``classifiers/``: it keeps what it is given and hands it back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypedDict

from handlers.model import Decision, IncomingMessage


class WindowLine(TypedDict):
    """One earlier message of the sender/target window, oldest first."""

    message_id: str
    sender_id: str
    target_id: str | None
    text: str
    sent_at: datetime
    risk: float


class Snapshot(TypedDict):
    """What is stored about a sender→target conversation.

    ``pair``/``reverse``/``sender`` are the JSON forms of ``PairState``/``SenderState`` (``{}`` when new);
    ``*_minor``/``*_adult`` are the strongest self-cues each user has shown in the chat (0–1).
    """

    pair: dict[str, Any]
    reverse: dict[str, Any]
    sender: dict[str, Any]
    sender_minor: float
    sender_adult: float
    target_minor: float
    target_adult: float
    window: list[WindowLine]
    thread_author: str | None


class MessageEntry(TypedDict):
    """A processed message with its decision and the updated states, as ``remember`` stores it."""

    tenant_id: str
    chat_id: str
    message_id: str
    thread_id: str | None
    sender_id: str
    target_id: str | None
    text: str
    sent_at: datetime
    risk: float
    action: str
    decision: dict[str, Any]
    pair: dict[str, Any]
    sender: dict[str, Any]
    minor_cue: float
    adult_cue: float


class IncidentEntry(TypedDict):
    """An incident as recorded before acting: the evidence and the decision. Hash-chained by the store."""

    tenant_id: str
    platform: str
    chat_id: str
    thread_id: str | None
    message_id: str
    sender_id: str
    target_id: str | None
    text: str
    sent_at: datetime
    action: str
    risk: float
    stages: list[str]
    reasons: list[dict[str, Any]]
    explanation: str
    model_version: str
    dry_run: bool
    context: list[dict[str, Any]]


class History(TypedDict):
    """Counts of a user's standing warnings, mutes and bans in a chat since a given time."""

    warnings: int
    mutes: int
    bans: int


class ReviewEntry(TypedDict):
    """A request for a human look: kind is "detector", "punitive", "report" or "appeal"."""

    tenant_id: str
    chat_id: str
    incident_id: str
    kind: str
    requested_by: str | None
    note: str


class ConversationStore(Protocol):
    """Conversation memory: processed messages, per-pair and per-sender evidence, users' self-cues."""

    async def previous(self, tenant_id: str, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The decision record (``Decision.to_record()``) already stored for this message, if any."""
        ...

    async def snapshot(
        self, tenant_id: str, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None
    ) -> Snapshot:
        """Stored state for the sender→target pair, both users' cues and the recent window."""
        ...

    async def remember(self, entry: MessageEntry) -> None:
        """Store the message with its decision and the updated states (replacing an edited message's row)."""
        ...


class IncidentStore(Protocol):
    """The evidence log: hash-chained incidents and what was done about them."""

    async def record(self, entry: IncidentEntry) -> str:
        """Append an incident (before acting) and return its id."""
        ...

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what happened when the adapter carried the decision out."""
        ...

    async def history(self, tenant_id: str, chat_id: str, user_id: str, since: datetime) -> History:
        """Warnings, mutes and bans this user received in this chat since ``since`` (overturned ones excluded)."""
        ...


class PolicyStore(Protocol):
    """Per-chat policies as JSON (``ChatPolicy.model_dump()``); a chat without one has none stored."""

    async def get(self, tenant_id: str, chat_id: str) -> dict[str, Any] | None:
        """The chat's stored policy, or None."""
        ...

    async def put(self, tenant_id: str, chat_id: str, policy: dict[str, Any]) -> None:
        """Replace the chat's policy."""
        ...


class ReviewQueue(Protocol):
    """Where items wait for a human moderator."""

    async def enqueue(self, entry: ReviewEntry) -> str:
        """Queue an item and return its id (an open item for the same incident and kind is reused)."""
        ...


class ActionSink(Protocol):
    """A platform's way of carrying out decisions (delete, reply with a notice, restrict, ban)."""

    async def execute(self, message: IncomingMessage, decision: Decision) -> tuple[bool, str]:
        """Carry the decision out; return (ok, detail). Never raises for platform errors."""
        ...
