"""The moderation pipeline: context → score → decide → record → act, for a batch of messages in order.

A batch costs a few database round trips, not a few per message: the stored decisions of its messages are
looked up at once; the encoder-heavy part of scoring (``Scorer.analyze``) runs once for the batch in an
executor, off the event loop; then ``ModerationStore.batch`` loads what the messages may read, and the
conversation step (``Scorer.combine``), the policy and the incident log run per message in order, in memory,
so that each message sees the ones before it exactly as if they had come one by one. The batch's changes are
written in one transaction; only then is anything carried out.
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
    BatchMessage,
    ConversationBatch,
    IncidentBatch,
    IncidentEntry,
    MessageEntry,
    ModerationStore,
    PolicyStore,
    Snapshot,
)

DRY_RUN_OUTCOME = "dry run: decided and logged, not acted"
"""The outcome noted on an incident of a chat in dry-run mode."""

Key = tuple[str, str, str]
"""(tenant_id, chat_id, message_id): what makes two messages the same message."""


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


def batch_message(message: IncomingMessage) -> BatchMessage:
    """What the store needs to know of a message before its batch: its key, thread and possible addressees."""
    return BatchMessage(
        chat_id=message.chat_id,
        message_id=message.message_id,
        sender_id=message.sender_id,
        thread_id=message.thread_id,
        addressees=[user for user in (message.reply_to_user_id, *message.mentioned_user_ids) if user],
        edited=message.edited,
    )


def plan(messages: Sequence[IncomingMessage]) -> tuple[list[int], dict[int, int]]:
    """Which messages to process, and for each repeat the earlier occurrence whose decision it gets.

    A repeat of a message (same tenant, chat and id) that is not an edit gets the decision of the latest
    occurrence before it, as a resend would; an edit is processed again.
    """
    todo: list[int] = []
    repeats: dict[int, int] = {}
    latest: dict[Key, int] = {}
    for index, message in enumerate(messages):
        key = (message.tenant_id, message.chat_id, message.message_id)
        if key in latest and not message.edited:
            repeats[index] = latest[key]
        else:
            todo.append(index)
            latest[key] = index
    return todo, repeats


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
        store: ModerationStore,
        policies: PolicyStore,
        executor: Executor | None = None,
        default_policy: ChatPolicy | None = None,
    ) -> None:
        self._scorer = scorer
        self._default_policy = default_policy or ChatPolicy()
        self._store = store
        self._policies = policies
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
        todo, repeats = plan(messages)
        decisions: dict[int, Decision] = {}
        for tenant_id in dict.fromkeys(messages[index].tenant_id for index in todo):
            mine = [(index, messages[index]) for index in todo if messages[index].tenant_id == tenant_id]
            decided, acted = await self._moderate_tenant(tenant_id, mine)
            decisions.update(decided)
            for index in acted:
                await self._carry_out(messages[index], decisions[index], sink)
        for index in sorted(repeats):
            decisions[index] = decisions[repeats[index]]
        return [decisions[index] for index in range(len(messages))]

    async def _moderate_tenant(
        self, tenant_id: str, todo: list[tuple[int, IncomingMessage]]
    ) -> tuple[dict[int, Decision], list[int]]:
        """Decide one tenant's messages as one batch; return the decisions and which of them are new."""
        keys = [(message.chat_id, message.message_id) for _, message in todo if not message.edited]
        stored = await self._store.decided(tenant_id, keys)
        decisions = {
            index: Decision.from_record(stored[(message.chat_id, message.message_id)])
            for index, message in todo
            if not message.edited and (message.chat_id, message.message_id) in stored
        }
        fresh = [(index, message) for index, message in todo if index not in decisions]
        if not fresh:
            return decisions, []
        analyses = await self._analyze([message.text for _, message in fresh])
        policies = await self._policies_of(tenant_id, {message.chat_id for _, message in fresh})
        since = min(message.sent_at - timedelta(days=policies[message.chat_id].escalation_days) for _, message in fresh)
        acted: list[int] = []
        scope = [batch_message(message) for _, message in fresh]
        async with self._store.batch(tenant_id, scope, since) as (conversations, incidents):
            for (index, message), analysis in zip(fresh, analyses, strict=True):
                before = None if message.edited else conversations.previous(message.chat_id, message.message_id)
                if before is not None:
                    decisions[index] = Decision.from_record(before)
                    continue
                policy = policies[message.chat_id]
                decisions[index] = self._moderate(conversations, incidents, message, analysis, policy)
                acted.append(index)
        return decisions, acted

    async def _policies_of(self, tenant_id: str, chat_ids: set[str]) -> dict[str, ChatPolicy]:
        stored = await self._policies.get_many(tenant_id, chat_ids)
        return {
            chat_id: ChatPolicy.model_validate(stored[chat_id]) if stored.get(chat_id) else self._default_policy
            for chat_id in chat_ids
        }

    async def _analyze(self, texts: list[str]) -> list[MessageAnalysis]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._scorer.analyze, texts)

    def _moderate(
        self,
        conversations: ConversationBatch,
        incidents: IncidentBatch,
        message: IncomingMessage,
        analysis: MessageAnalysis,
        policy: ChatPolicy,
    ) -> Decision:
        target, snapshot = self._snapshot(conversations, message)
        score = self._scorer.combine(analysis, build_context(message, target, snapshot))
        history = self._history(incidents, message, score, policy)
        decision = decide(message, score, target, policy, history)
        if decision.action is not Action.ALLOW:
            decision = self._record(incidents, message, decision, snapshot, policy)
        conversations.remember(message_entry(message, target, score, decision))
        return decision

    @staticmethod
    def _snapshot(conversations: ConversationBatch, message: IncomingMessage) -> tuple[str | None, Snapshot]:
        direct = resolve_target(message, None)
        snapshot = conversations.snapshot(message.chat_id, message.sender_id, direct, message.thread_id)
        target = direct or resolve_target(message, snapshot["thread_author"])
        if target != direct:
            snapshot = conversations.snapshot(message.chat_id, message.sender_id, target, message.thread_id)
        return target, snapshot

    @staticmethod
    def _history(incidents: IncidentBatch, message: IncomingMessage, score: Score, policy: ChatPolicy) -> UserHistory:
        if threshold_action(score.risk, policy) not in (Action.WARN, Action.MUTE):
            return UserHistory()
        since = message.sent_at - timedelta(days=policy.escalation_days)
        counts = incidents.history(message.chat_id, message.sender_id, since)
        return UserHistory(warnings=counts["warnings"], mutes=counts["mutes"], bans=counts["bans"])

    @staticmethod
    def _record(
        incidents: IncidentBatch, message: IncomingMessage, decision: Decision, snapshot: Snapshot, policy: ChatPolicy
    ) -> Decision:
        incident_id = incidents.record(incident_entry(message, decision, snapshot))
        decision = replace(decision, incident_id=incident_id)
        lang = notice_language(message.sender_locale, decision.lang, policy.language)
        decision = replace(decision, notice=build_notice(decision, lang))
        if decision.action is Action.REVIEW or (policy.review_punitive and decision.action.punitive):
            kind = "detector" if decision.action is Action.REVIEW else "punitive"
            incidents.queue_review(
                {
                    "tenant_id": message.tenant_id,
                    "chat_id": message.chat_id,
                    "incident_id": incident_id,
                    "kind": kind,
                    "requested_by": None,
                    "note": decision.explanation,
                }
            )
        if decision.dry_run:
            incidents.note_outcome(incident_id, True, DRY_RUN_OUTCOME)
        return decision

    async def _carry_out(self, message: IncomingMessage, decision: Decision, sink: ActionSink | None) -> None:
        if sink is None or decision.dry_run or decision.incident_id is None or decision.action is Action.REVIEW:
            return
        ok, detail = await sink.execute(message, decision)
        await self._store.record_outcome(decision.incident_id, ok, detail)
