"""The small protocols the moderation logic needs; ``storage/`` and the adapters implement them.

Data crosses into ``storage/`` as plain JSON-like dicts (the ``TypedDict`` shapes below), because storage
imports nothing of ``handlers/`` or ``classifiers/``: it keeps what it is given and hands it back.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
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


class BatchMessage(TypedDict):
    """One message of a batch as the store needs to know it before the batch: what the batch may read about it.

    ``addressees`` are the users it may address (the replied-to user and the mentioned ones); the store adds
    the authors of its thread. ``edited`` marks a new version of a message already seen.
    """

    chat_id: str
    message_id: str
    sender_id: str
    thread_id: str | None
    addressees: list[str]
    edited: bool


class ConversationStore(Protocol):
    """Conversation memory, one message at a time: processed messages, per-pair and per-sender evidence, cues."""

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


class ConversationBatch(Protocol):
    """One tenant's conversation memory during a batch: in memory, so each message sees the ones before it."""

    def previous(self, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The decision record stored for this message (also by an earlier message of the batch), if any."""
        ...

    def snapshot(self, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None) -> Snapshot:
        """State of the sender→target pair, both users' cues and the recent window, as of now in the batch."""
        ...

    def remember(self, entry: MessageEntry) -> None:
        """Keep the message with its decision and the updated states (replacing an edited message's)."""
        ...


class IncidentBatch(Protocol):
    """One tenant's incident log and review queue during a batch; appended in order, chained when it commits."""

    def history(self, chat_id: str, user_id: str, since: datetime) -> History:
        """Warnings, mutes and bans the user received in the chat since ``since`` (this batch's included)."""
        ...

    def record(self, entry: IncidentEntry) -> str:
        """Add an incident and return its id (the same message with the same text keeps its incident)."""
        ...

    def queue_review(self, entry: ReviewEntry) -> None:
        """Queue one of the batch's incidents for a human (an open item of the same kind is kept)."""
        ...

    def note_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what was done about one of the batch's incidents."""
        ...


class ModerationStore(Protocol):
    """Conversation memory, incident log and review queue as the pipeline uses them: a few round trips a batch."""

    async def decided(self, tenant_id: str, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The decision records stored for those of the (chat_id, message_id) keys that were processed."""
        ...

    def batch(
        self, tenant_id: str, messages: Sequence[BatchMessage], history_since: datetime
    ) -> AbstractAsyncContextManager[tuple[ConversationBatch, IncidentBatch]]:
        """Load what the messages may read and hold the tenant's incident chain; commit the changes on exit.

        ``history_since`` is the earliest time ``IncidentBatch.history`` will be asked about. A database store
        writes the changes in one transaction when the block ends, and none of them when it raises (a store in
        memory keeps each change as it is made). Two batches of the same tenant run one after the other, so
        each sees the other's messages and the chain stays in order.
        """
        ...

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what happened when an adapter carried an incident's decision out."""
        ...


class PolicyStore(Protocol):
    """Per-chat policies as JSON (``ChatPolicy.model_dump()``); a chat without one has none stored."""

    async def get(self, tenant_id: str, chat_id: str) -> dict[str, Any] | None:
        """The chat's stored policy, or None."""
        ...

    async def get_many(self, tenant_id: str, chat_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The stored policies of those of the chats that have one, by chat id."""
        ...

    async def put(self, tenant_id: str, chat_id: str, policy: dict[str, Any]) -> None:
        """Replace the chat's policy."""
        ...


class ActionSink(Protocol):
    """A platform's way of carrying out decisions (delete, reply with a notice, restrict, ban)."""

    async def execute(self, message: IncomingMessage, decision: Decision) -> tuple[bool, str]:
        """Carry the decision out; return (ok, detail). Never raises for platform errors."""
        ...
