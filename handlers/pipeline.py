"""The moderation pipeline: context → score → decide → record → act, for a batch of messages in order.

The encoder-heavy part of scoring (``Scorer.analyze``) runs once per batch in an executor, off the event
loop; the conversation step (``Scorer.combine``) runs per message in order, because each message's
conversation state depends on the messages before it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from classifiers.types import ConversationContext, MessageAnalysis, PairState, Score, SenderState
from handlers.model import Action, Decision, IncomingMessage, UserHistory
from handlers.notices import build_notice, notice_language
from handlers.policy import ChatPolicy, decide, threshold_action
from handlers.ports import (
    ActionSink,
    ConversationStore,
    IncidentEntry,
    IncidentStore,
    MessageEntry,
    PolicyStore,
    ReviewQueue,
    Snapshot,
)


class MessageScorer(Protocol):
    """The two halves of the detector the pipeline uses (``classifiers.scorer.Scorer`` implements it)."""

    def analyze(self, texts: Sequence[str]) -> list[MessageAnalysis]:
        """Context-free analysis of a batch of texts (heavy, batched)."""
        ...

    def combine(self, analysis: MessageAnalysis, context: ConversationContext) -> Score:
        """One message's risk in its conversation (pure, cheap)."""
        ...


def resolve_target(message: IncomingMessage, thread_author: str | None) -> str | None:
    """Whom a message addresses: the replied-to user, else the first mention, else the thread's author."""
    candidates = (message.reply_to_user_id, *message.mentioned_user_ids, thread_author)
    return next((user for user in candidates if user and user != message.sender_id), None)


def build_context(message: IncomingMessage, target_id: str | None, snapshot: Snapshot) -> ConversationContext:
    """Turn a stored snapshot into the scorer's conversation context."""
    return ConversationContext(
        sender_id=message.sender_id,
        target_id=target_id,
        sent_at=message.sent_at.timestamp(),
        pair=PairState.from_dict(snapshot["pair"]),
        reverse=PairState.from_dict(snapshot["reverse"]),
        sender=SenderState.from_dict(snapshot["sender"]),
        target_minor_cue=snapshot["target_minor"],
        target_adult_cue=snapshot["target_adult"],
        sender_minor_cue=snapshot["sender_minor"],
        sender_adult_cue=snapshot["sender_adult"],
        recent_texts=tuple(line["text"] for line in snapshot["window"]),
    )


def incident_entry(message: IncomingMessage, decision: Decision, snapshot: Snapshot) -> IncidentEntry:
    """The evidence recorded for a decision: the message, its context window, scores and reasons."""
    return IncidentEntry(
        tenant_id=message.tenant_id,
        platform=message.platform,
        chat_id=message.chat_id,
        thread_id=message.thread_id,
        message_id=message.message_id,
        sender_id=message.sender_id,
        target_id=decision.target_user_id,
        text=message.text,
        sent_at=message.sent_at,
        action=decision.action.value,
        risk=decision.risk,
        stages=list(decision.stages),
        reasons=[reason.to_dict() for reason in decision.reasons],
        explanation=decision.explanation,
        model_version=decision.model_version,
        dry_run=decision.dry_run,
        context=[
            {
                "message_id": line["message_id"],
                "sender_id": line["sender_id"],
                "target_id": line["target_id"],
                "text": line["text"],
                "sent_at": line["sent_at"].isoformat(),
                "risk": round(float(line["risk"]), 4),
            }
            for line in snapshot["window"]
        ],
    )


def message_entry(message: IncomingMessage, target: str | None, score: Score, decision: Decision) -> MessageEntry:
    """What the conversation memory keeps of a processed message: text, decision and the updated states."""
    return MessageEntry(
        tenant_id=message.tenant_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        thread_id=message.thread_id,
        sender_id=message.sender_id,
        target_id=target,
        text=message.text,
        sent_at=message.sent_at,
        risk=score.risk,
        action=decision.action.value,
        decision=decision.to_record(),
        pair=score.pair.to_dict(),
        sender=score.sender.to_dict(),
        minor_cue=score.minor_cue,
        adult_cue=score.adult_cue,
    )


class Moderator:
    """Runs messages through the detector and the chat's policy, records incidents and has them carried out."""

    def __init__(
        self,
        *,
        scorer: MessageScorer,
        conversations: ConversationStore,
        incidents: IncidentStore,
        policies: PolicyStore,
        reviews: ReviewQueue,
        executor: Executor | None = None,
        default_policy: ChatPolicy | None = None,
    ) -> None:
        self._scorer = scorer
        self._default_policy = default_policy or ChatPolicy()
        self._conversations = conversations
        self._incidents = incidents
        self._policies = policies
        self._reviews = reviews
        self._executor = executor

    async def policy(self, tenant_id: str, chat_id: str) -> ChatPolicy:
        """The chat's policy (the default policy when none is stored)."""
        stored = await self._policies.get(tenant_id, chat_id)
        return ChatPolicy.model_validate(stored) if stored else self._default_policy

    async def set_policy(self, tenant_id: str, chat_id: str, policy: ChatPolicy) -> None:
        """Store a validated policy for the chat."""
        await self._policies.put(tenant_id, chat_id, policy.model_dump(mode="json"))

    async def process(self, messages: Sequence[IncomingMessage], sink: ActionSink | None = None) -> list[Decision]:
        """Moderate messages in order and return one decision each; a message seen before gets its old decision.

        With a ``sink``, decisions other than allow are carried out (except in dry-run) and the outcome is
        recorded on the incident; without one the caller acts on the returned decisions.
        """
        decisions: dict[int, Decision] = {}
        fresh: list[int] = []
        first_index: dict[tuple[str, str, str], int] = {}
        for index, message in enumerate(messages):
            key = (message.tenant_id, message.chat_id, message.message_id)
            if key in first_index and not message.edited:
                continue
            first_index[key] = index
            stored = None if message.edited else await self._conversations.previous(*key)
            if stored is not None:
                decisions[index] = Decision.from_record(stored)
            else:
                fresh.append(index)
        analyses = await self._analyze([messages[index].text for index in fresh])
        policies: dict[tuple[str, str], ChatPolicy] = {}
        for index, analysis in zip(fresh, analyses, strict=True):
            message = messages[index]
            chat = (message.tenant_id, message.chat_id)
            if chat not in policies:
                policies[chat] = await self.policy(*chat)
            decisions[index] = await self._moderate(message, analysis, policies[chat], sink)
        return [
            decisions[index if index in decisions else first_index[(m.tenant_id, m.chat_id, m.message_id)]]
            for index, m in enumerate(messages)
        ]

    async def _analyze(self, texts: list[str]) -> list[MessageAnalysis]:
        if not texts:
            return []
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._scorer.analyze, texts)

    async def _snapshot(self, message: IncomingMessage) -> tuple[str | None, Snapshot]:
        direct = resolve_target(message, None)
        snapshot = await self._conversations.snapshot(
            message.tenant_id, message.chat_id, message.sender_id, direct, message.thread_id
        )
        target = direct or resolve_target(message, snapshot["thread_author"])
        if target != direct:
            snapshot = await self._conversations.snapshot(
                message.tenant_id, message.chat_id, message.sender_id, target, message.thread_id
            )
        return target, snapshot

    async def _moderate(
        self, message: IncomingMessage, analysis: MessageAnalysis, policy: ChatPolicy, sink: ActionSink | None
    ) -> Decision:
        target, snapshot = await self._snapshot(message)
        score = self._scorer.combine(analysis, build_context(message, target, snapshot))
        history = await self._history(message, score, policy)
        decision = decide(message, score, target, policy, history)
        if decision.action is not Action.ALLOW:
            decision = await self._record(message, decision, snapshot, policy)
        await self._conversations.remember(message_entry(message, target, score, decision))
        if decision.incident_id and decision.action is not Action.ALLOW:
            await self._carry_out(message, decision, sink)
        return decision

    async def _history(self, message: IncomingMessage, score: Score, policy: ChatPolicy) -> UserHistory:
        if threshold_action(score.risk, policy) not in (Action.WARN, Action.MUTE):
            return UserHistory()
        since = message.sent_at - timedelta(days=policy.escalation_days)
        counts = await self._incidents.history(message.tenant_id, message.chat_id, message.sender_id, since)
        return UserHistory(warnings=counts["warnings"], mutes=counts["mutes"], bans=counts["bans"])

    async def _record(
        self, message: IncomingMessage, decision: Decision, snapshot: Snapshot, policy: ChatPolicy
    ) -> Decision:
        incident_id = await self._incidents.record(incident_entry(message, decision, snapshot))
        decision = replace(decision, incident_id=incident_id)
        lang = notice_language(message.sender_locale, decision.lang, policy.language)
        decision = replace(decision, notice=build_notice(decision, lang))
        if decision.action is Action.REVIEW or (policy.review_punitive and decision.action.punitive):
            kind = "detector" if decision.action is Action.REVIEW else "punitive"
            await self._reviews.enqueue(
                {
                    "tenant_id": message.tenant_id,
                    "chat_id": message.chat_id,
                    "incident_id": incident_id,
                    "kind": kind,
                    "requested_by": None,
                    "note": decision.explanation,
                }
            )
        return decision

    async def _carry_out(self, message: IncomingMessage, decision: Decision, sink: ActionSink | None) -> None:
        assert decision.incident_id is not None
        if decision.dry_run:
            await self._incidents.record_outcome(decision.incident_id, True, "dry run: decided and logged, not acted")
        elif sink is not None and decision.action is not Action.REVIEW:
            ok, detail = await sink.execute(message, decision)
            await self._incidents.record_outcome(decision.incident_id, ok, detail)
