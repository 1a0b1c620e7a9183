"""Replaying a labelled conversation through the scorer's conversation step, as the pipeline would.

The pipeline keeps, per chat, each sender→target state, each sender's state and the strongest self-cues every
user has shown; this module keeps the same in memory so that training and evaluation see exactly the features
the bot computes in production (messages without a time, as ``bot.py score`` receives them from the evaluator).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from classifiers.training.datasets import Conversation
from classifiers.types import ConversationContext, MessageAnalysis, PairState, Score, SenderState

ACTIONS = ("allow", "review", "warn", "delete", "mute", "ban")
PUNITIVE = frozenset({"delete", "mute", "ban"})


@dataclass(frozen=True)
class Thresholds:
    """A chat policy's risk ladder (the defaults mirror ``handlers.policy.ChatPolicy``'s, passed in by the CLI)."""

    review: float = 0.45
    warn: float = 0.6
    delete: float = 0.8
    mute: float = 0.92
    ban: float = 0.985

    def ladder(self) -> tuple[float, ...]:
        """The thresholds mildest first: review, warn, delete, mute, ban."""
        return (self.review, self.warn, self.delete, self.mute, self.ban)

    def action(self, risk: float) -> str:
        """The action the risk alone earns."""
        ladder = ((self.ban, "ban"), (self.mute, "mute"), (self.delete, "delete"), (self.warn, "warn"))
        ladder += ((self.review, "review"),)
        return next((action for threshold, action in ladder if risk >= threshold), "allow")


@dataclass
class ChatMemory:
    """What the pipeline's conversation store holds for one chat, in memory."""

    pairs: dict[tuple[str, str | None], PairState] = field(default_factory=dict)
    senders: dict[str, SenderState] = field(default_factory=dict)
    minor: dict[str, float] = field(default_factory=dict)
    adult: dict[str, float] = field(default_factory=dict)

    def context(self, sender: str, target: str | None) -> ConversationContext:
        """The context the pipeline would build for a message from ``sender`` to ``target``."""
        return ConversationContext(
            sender_id=sender,
            target_id=target,
            sent_at=None,
            pair=self.pairs.get((sender, target), PairState()),
            reverse=self.pairs.get((target, sender), PairState()) if target is not None else PairState(),
            sender=self.senders.get(sender, SenderState()),
            target_minor_cue=self.minor.get(target, 0.0) if target is not None else 0.0,
            target_adult_cue=self.adult.get(target, 0.0) if target is not None else 0.0,
            sender_minor_cue=self.minor.get(sender, 0.0),
            sender_adult_cue=self.adult.get(sender, 0.0),
        )

    def remember(self, sender: str, target: str | None, score: Score) -> None:
        """Store the updated states and the sender's strongest self-cues."""
        self.pairs[(sender, target)] = score.pair
        self.senders[sender] = score.sender
        self.minor[sender] = max(self.minor.get(sender, 0.0), score.minor_cue)
        self.adult[sender] = max(self.adult.get(sender, 0.0), score.adult_cue)


Combine = Callable[[MessageAnalysis, ConversationContext], Score]
Observe = Callable[[int, MessageAnalysis, ConversationContext], None]


def replay(
    conversation: Conversation,
    analyses: Sequence[MessageAnalysis],
    combine: Combine,
    observe: Observe | None = None,
) -> list[Score]:
    """Score every message of a conversation in order, carrying the conversation state along.

    Args:
        conversation: the messages (senders, targets).
        analyses: one analysis per message, from ``Scorer.analyze``.
        combine: the scorer's conversation step.
        observe: called with (index, analysis, context) before each message is combined (for feature capture).
    """
    memory = ChatMemory()
    scores = []
    for index, (turn, analysis) in enumerate(zip(conversation.turns, analyses, strict=True)):
        target = turn.to if turn.to != turn.sender else None
        context = memory.context(turn.sender, target)
        if observe is not None:
            observe(index, analysis, context)
        score = combine(analysis, context)
        memory.remember(turn.sender, target, score)
        scores.append(score)
    return scores


@dataclass(frozen=True)
class Outcome:
    """The EVAL.md measures of one replayed conversation."""

    label: str
    lang: str
    caught: bool = False
    early: bool = False
    strong: bool = False
    others_punished: bool = False
    first_action: int | None = None
    false_alarm: bool = False
    review_load: bool = False


def outcome(conversation: Conversation, scores: Sequence[Score], thresholds: Thresholds) -> Outcome:
    """Judge one replayed conversation as ``../shared/tools/convo_eval.py`` does."""
    actions = [thresholds.action(score.risk) for score in scores]
    senders = [turn.sender for turn in conversation.turns]
    if conversation.label != "grooming":
        return Outcome(
            label=conversation.label,
            lang=conversation.lang,
            false_alarm=any(action in PUNITIVE for action in actions),
            review_load=any(action in ("review", "warn") for action in actions),
        )
    own = [i for i, (who, act) in enumerate(zip(senders, actions, strict=True)) if who == conversation.offender]
    hits = [i for i in own if actions[i] != "allow"]
    limit = (conversation.first_actionable if conversation.first_actionable is not None else len(actions)) + 2
    return Outcome(
        label=conversation.label,
        lang=conversation.lang,
        caught=bool(hits),
        early=bool(hits) and hits[0] <= limit,
        strong=any(actions[i] not in ("allow", "review") for i in own),
        others_punished=any(
            who != conversation.offender and act in PUNITIVE for who, act in zip(senders, actions, strict=True)
        ),
        first_action=hits[0] if hits else None,
    )
