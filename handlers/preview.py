"""Dry-run preview of a chat policy: which decisions on the chat's last messages a new policy would change.

The chat's stored messages are replayed, oldest first, through the detector with a fresh conversation memory
(the caller passes an empty ``ConversationStore``). Each message is scored once and decided under both the
current and the candidate policy, each with its own escalation history, so every difference in the preview
comes from the policy alone. Nothing is recorded, queued or acted upon.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from classifiers.types import MessageAnalysis
from handlers.model import Action, Decision, IncomingMessage, UserHistory
from handlers.pipeline import MessageScorer, build_context, message_entry
from handlers.policy import ChatPolicy, decide
from handlers.ports import ConversationStore

REPLAY_PLATFORM = "replay"
"""The platform name of replayed messages (they never reach a platform)."""


class StoredMessages(Protocol):
    """A chat's processed messages (``storage.conversations.SqlConversationStore`` provides them)."""

    async def recent_messages(self, tenant_id: str, chat_id: str, limit: int) -> list[dict[str, Any]]:
        """The chat's last ``limit`` messages, oldest first, with their stored action."""
        ...


@dataclass(frozen=True)
class PreviewLine:
    """One replayed message and what each policy decides about it.

    Attributes:
        message_id: the message.
        sender_id: its author.
        target_id: whom it addressed (None for the room).
        text: the message text.
        sent_at: when it was sent (UTC).
        risk: its risk in the replay.
        stages: the stages seen in the replay up to it.
        recorded: the action minorguard took when the message arrived.
        current: the action under the current policy in the replay.
        candidate: the action under the candidate policy in the replay.
    """

    message_id: str
    sender_id: str
    target_id: str | None
    text: str
    sent_at: datetime
    risk: float
    stages: tuple[str, ...]
    recorded: str
    current: str
    candidate: str

    @property
    def changed(self) -> bool:
        """True when the candidate policy decides differently from the current one."""
        return self.current != self.candidate


@dataclass(frozen=True)
class PolicyPreview:
    """The replay of a chat's last messages under two policies, oldest message first."""

    lines: tuple[PreviewLine, ...]

    @property
    def changes(self) -> tuple[PreviewLine, ...]:
        """The lines whose decision the candidate policy changes."""
        return tuple(line for line in self.lines if line.changed)


class EscalationLedger:
    """The warnings, mutes and bans each sender received during a replay under one policy."""

    def __init__(self) -> None:
        self._received: dict[str, list[tuple[datetime, Action]]] = {}

    def history(self, sender_id: str, at: datetime, days: int) -> UserHistory:
        """What the sender received in the ``days`` before ``at``."""
        since = at - timedelta(days=days)
        recent = [action for when, action in self._received.get(sender_id, []) if when >= since]
        return UserHistory(
            warnings=recent.count(Action.WARN), mutes=recent.count(Action.MUTE), bans=recent.count(Action.BAN)
        )

    def note(self, decision: Decision, at: datetime) -> None:
        """Count a decision that escalation remembers (warn, mute, ban; dry runs do not count)."""
        if decision.action in (Action.WARN, Action.MUTE, Action.BAN) and not decision.dry_run:
            self._received.setdefault(decision.sender_id, []).append((at, decision.action))


def stored_message(tenant_id: str, chat_id: str, row: Mapping[str, Any]) -> IncomingMessage:
    """A stored message as the incoming message it was, addressed to its recorded target."""
    return IncomingMessage(
        tenant_id=tenant_id,
        platform=REPLAY_PLATFORM,
        chat_id=chat_id,
        message_id=str(row["message_id"]),
        sender_id=str(row["sender_id"]),
        text=str(row["text"]),
        sent_at=row["sent_at"],
        thread_id=row.get("thread_id"),
        reply_to_user_id=row.get("target_id"),
    )


class PolicyReplay:
    """Replays messages one by one through the detector and decides each under the current and candidate policy."""

    def __init__(
        self, scorer: MessageScorer, replay_state: ConversationStore, current: ChatPolicy, candidate: ChatPolicy
    ) -> None:
        self._scorer = scorer
        self._state = replay_state
        self._policies = {"current": current, "candidate": candidate}
        self._ledgers = {"current": EscalationLedger(), "candidate": EscalationLedger()}

    async def line(self, message: IncomingMessage, analysis: MessageAnalysis, recorded: str) -> PreviewLine:
        """Score the next message in its replayed conversation and decide it under both policies."""
        target = message.reply_to_user_id if message.reply_to_user_id != message.sender_id else None
        snapshot = await self._state.snapshot(
            message.tenant_id, message.chat_id, message.sender_id, target, message.thread_id
        )
        score = self._scorer.combine(analysis, build_context(message, target, snapshot))
        decisions: dict[str, Decision] = {}
        for name, policy in self._policies.items():
            history = self._ledgers[name].history(message.sender_id, message.sent_at, policy.escalation_days)
            decisions[name] = decide(message, score, target, policy, history)
            self._ledgers[name].note(decisions[name], message.sent_at)
        await self._state.remember(message_entry(message, target, score, decisions["candidate"]))
        return PreviewLine(
            message_id=message.message_id,
            sender_id=message.sender_id,
            target_id=target,
            text=message.text,
            sent_at=message.sent_at,
            risk=score.risk,
            stages=score.stages,
            recorded=recorded,
            current=decisions["current"].action.value,
            candidate=decisions["candidate"].action.value,
        )


async def preview_policy(
    *,
    messages: StoredMessages,
    scorer: MessageScorer,
    replay_state: ConversationStore,
    tenant_id: str,
    chat_id: str,
    current: ChatPolicy,
    candidate: ChatPolicy,
    limit: int,
    executor: Executor | None = None,
) -> PolicyPreview:
    """Replay the chat's last ``limit`` messages under both policies and report each one's decisions.

    Args:
        messages: where the chat's processed messages are stored.
        scorer: the detector (its batch analysis runs in ``executor``, off the event loop).
        replay_state: an empty conversation memory for the replay; it is written to.
        tenant_id: the chat's tenant.
        chat_id: the chat.
        current: the chat's policy now.
        candidate: the policy to try.
        limit: how many of the chat's last messages to replay.
        executor: where the detector's batch analysis runs (None = the loop's default).
    """
    rows = await messages.recent_messages(tenant_id, chat_id, limit)
    if not rows:
        return PolicyPreview(lines=())
    texts = [str(row["text"]) for row in rows]
    analyses = await asyncio.get_running_loop().run_in_executor(executor, scorer.analyze, texts)
    replay = PolicyReplay(scorer, replay_state, current, candidate)
    lines = [
        await replay.line(stored_message(tenant_id, chat_id, row), analysis, str(row.get("action", "")))
        for row, analysis in zip(rows, analyses, strict=True)
    ]
    return PolicyPreview(lines=tuple(lines))
