"""How grooming evidence builds up between one sender and one target, and the conversation's risk features.

Everything here is a pure function of frozen values: the pipeline stores the states it gets back and hands them
in again with the next message. Evidence per stage accumulates as a noisy-or that fades with every later message
of the same sender to the same target and with time; a pair silent for longer than the TTL starts over.

Direction matters: the features look at what *this sender* did towards *this target* (``pair``), what the target
did towards the sender (``reverse``, so that the one who answers an age question is not mistaken for the one who
asked it), both users' self-presented age cues, and how many users the sender approaches in the chat. Role
features are gated by stage evidence (e.g. the target's minor cue counts only times the evidence aimed at them), so
that talking to a child, or being one, raises or lowers risk only where grooming stages are present.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from classifiers.types import STAGES, ConversationContext, MessageAnalysis, PairState, SenderState, Stage

ESCALATION_STAGES: tuple[str, ...] = tuple(
    stage.value
    for stage in (
        Stage.SECRECY,
        Stage.OFF_PLATFORM,
        Stage.GIFTS,
        Stage.IMAGE_REQUEST,
        Stage.MEETING,
        Stage.SEXUAL_TALK,
        Stage.RECRUITMENT,
    )
)

FEATURE_NAMES: tuple[str, ...] = (
    "message_peak",
    "message_escalation",
    "pair_peak",
    "pair_breadth",
    "probe_then_escalate",
    "minor_target_evidence",
    "adult_target_evidence",
    "no_minor_in_sight",
    "adult_to_minor_evidence",
    "sender_minor_evidence",
    "reverse_lead",
    "targets_approached",
    "room_evidence",
)

STAGE_PRESENT = 0.35


@dataclass(frozen=True)
class DecayParams:
    """How fast evidence fades.

    Attributes:
        per_message: share of a pair's evidence kept when the same sender writes to the same target again.
        half_life_s: seconds after which evidence has halved through time alone.
        ttl_s: seconds of silence after which a pair's (or a sender's) evidence is dropped.
        approach_floor: evidence from which a target counts as approached by the sender.
        max_targets: most targets remembered per sender (the weakest are forgotten first).
    """

    per_message: float = 0.95
    half_life_s: float = 7 * 86400.0
    ttl_s: float = 30 * 86400.0
    approach_floor: float = 0.3
    max_targets: int = 32


def time_factor(last_seen: float | None, now: float | None, params: DecayParams) -> float:
    """Share of evidence kept after the silence between ``last_seen`` and ``now`` (0 past the TTL)."""
    if last_seen is None or now is None or now <= last_seen:
        return 1.0
    silence = now - last_seen
    if silence > params.ttl_s:
        return 0.0
    return 0.5 ** (silence / params.half_life_s)


def faded(pair: PairState, now: float | None, params: DecayParams) -> PairState:
    """The pair's state as it stands at ``now``, after time decay alone (empty past the TTL)."""
    factor = time_factor(pair.last_seen, now, params)
    if factor == 1.0:
        return pair
    if factor == 0.0:
        return PairState()
    evidence = {stage: value * factor for stage, value in pair.evidence.items()}
    return replace(pair, evidence=evidence, peak_risk=pair.peak_risk * factor)


def directed_evidence(analysis: MessageAnalysis) -> dict[str, float]:
    """The message's stage strengths, discounted when it reads as quoting or reporting rather than doing."""
    keep = 1.0 - min(max(analysis.quoting, 0.0), 1.0)
    return {stage.value: float(analysis.stage_scores.get(stage.value, 0.0)) * keep for stage in STAGES}


def advance_pair(
    pair: PairState, evidence: Mapping[str, float], now: float | None, params: DecayParams
) -> PairState:
    """Add one message's evidence to a sender→target state (noisy-or after decay by message and time)."""
    current = faded(pair, now, params)
    merged = {}
    for stage in STAGES:
        before = current.evidence.get(stage.value, 0.0) * params.per_message
        added = min(max(evidence.get(stage.value, 0.0), 0.0), 1.0)
        value = 1.0 - (1.0 - before) * (1.0 - added)
        if value > 1e-4:
            merged[stage.value] = round(value, 6)
    last_seen = now if now is not None else current.last_seen
    return PairState(evidence=merged, messages=current.messages + 1, peak_risk=current.peak_risk, last_seen=last_seen)


def with_peak(pair: PairState, risk: float) -> PairState:
    """The pair's state with its peak risk raised to ``risk`` when higher."""
    return replace(pair, peak_risk=round(max(pair.peak_risk, risk), 6))


def advance_sender(
    sender: SenderState, target_id: str | None, approach: float, now: float | None, params: DecayParams
) -> SenderState:
    """Record one message of the sender: how strongly it approaches ``target_id`` (None = the whole room)."""
    factor = time_factor(sender.last_seen, now, params)
    approached = {target: value * factor for target, value in sender.approached.items() if value * factor > 1e-4}
    if target_id is not None:
        approached[target_id] = round(max(approached.get(target_id, 0.0), approach), 6)
    if len(approached) > params.max_targets:
        strongest = sorted(approached.items(), key=lambda item: (-item[1], item[0]))[: params.max_targets]
        approached = dict(strongest)
    messages = sender.messages + 1 if factor > 0.0 else 1
    last_seen = now if now is not None else sender.last_seen
    return SenderState(approached=approached, messages=messages, last_seen=last_seen)


def approach_strength(pair: PairState) -> float:
    """How strongly a pair's evidence amounts to approaching the target (strongest stage)."""
    return max(pair.evidence.values(), default=0.0)


def targets_approached(sender: SenderState, params: DecayParams) -> int:
    """How many users the sender has approached with evidence at or above the floor."""
    return sum(1 for value in sender.approached.values() if value >= params.approach_floor)


def present_stages(pair: PairState) -> tuple[str, ...]:
    """Stages with evidence at or above ``STAGE_PRESENT`` in the pair, strongest first."""
    ranked = sorted(pair.evidence.items(), key=lambda item: (-item[1], item[0]))
    return tuple(stage for stage, value in ranked if value >= STAGE_PRESENT)


def features(
    analysis: MessageAnalysis,
    context: ConversationContext,
    pair: PairState,
    sender: SenderState,
    params: DecayParams,
) -> dict[str, float]:
    """The conversation risk features for one message, in ``FEATURE_NAMES`` order.

    Args:
        analysis: the message on its own.
        context: the conversation before the message.
        pair: the sender→target state *after* this message (from ``advance_pair``).
        sender: the sender's state *after* this message (from ``advance_sender``).
        params: the decay parameters (for the reverse direction's fading and the approach floor).
    """
    message = directed_evidence(analysis)
    escalation = [pair.evidence.get(stage, 0.0) for stage in ESCALATION_STAGES]
    reverse = faded(context.reverse, context.sent_at, params)
    pair_peak = approach_strength(pair)
    message_peak = max(message.values(), default=0.0)
    target_minor = max(context.target_minor_cue, 0.0)
    minor_in_sight = max(target_minor, pair.evidence.get(Stage.AGE_PROBE.value, 0.0))
    sender_minor = max(context.sender_minor_cue, analysis.minor_cue)
    sender_adult = max(context.sender_adult_cue, analysis.adult_cue)
    values = {
        "message_peak": message_peak,
        "message_escalation": max(message[stage] for stage in ESCALATION_STAGES),
        "pair_peak": pair_peak,
        "pair_breadth": min(sum(pair.evidence.values()), 3.0) / 3.0,
        "probe_then_escalate": pair.evidence.get(Stage.AGE_PROBE.value, 0.0) * max(escalation),
        "minor_target_evidence": target_minor * pair_peak,
        "adult_target_evidence": max(context.target_adult_cue, 0.0) * pair_peak,
        "no_minor_in_sight": (1.0 - min(minor_in_sight, 1.0)) * pair_peak,
        "adult_to_minor_evidence": sender_adult * target_minor * pair_peak,
        "sender_minor_evidence": sender_minor * pair_peak,
        "reverse_lead": max(0.0, approach_strength(reverse) - pair_peak),
        "targets_approached": math.log1p(max(targets_approached(sender, params) - 1, 0)) / math.log(8.0),
        "room_evidence": pair_peak if context.target_id is None else 0.0,
    }
    return {name: float(values[name]) for name in FEATURE_NAMES}
