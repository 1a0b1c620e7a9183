"""Human reasons for a conversation score: which stages, which conversation factors, and what speaks against.

Details name the stage or the factor and never quote the message, because the same reasons reach the user's
notice as well as the moderator.
"""

from __future__ import annotations

from collections.abc import Mapping

from classifiers.conversation import ESCALATION_STAGES, present_stages
from classifiers.types import MessageAnalysis, PairState, Reason

STAGE_LABELS: Mapping[str, str] = {
    "age_probe": "asking about age, school, whereabouts or being home alone",
    "flattery": "flattery or 'special friend' talk",
    "secrecy": "asking to keep the talk secret",
    "off_platform": "moving the talk to another app, handle or number",
    "gifts": "offering gifts, game currency or money",
    "image_request": "asking for photos or videos",
    "meeting": "proposing to meet in person",
    "sexual_talk": "sexual talk aimed at the other user",
    "recruitment": "offering a 'job' or paid chatting",
}

MESSAGE_REASONS = 3
FACTOR_FLOOR = 0.05
QUOTING_SHOWN = 0.3


def _stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def stage_reasons(pair: PairState, weight: float) -> list[tuple[float, Reason]]:
    """One reason per stage present in the pair's evidence, ranked by its share of the risk."""
    ranked = []
    for stage in present_stages(pair):
        value = pair.evidence[stage]
        detail = f"{_stage_label(stage)}, towards this user (evidence {value:.2f} over {pair.messages} messages)"
        ranked.append((weight * value, Reason(signal=f"stage:{stage}", score=value, detail=detail)))
    return ranked


def _strongest_escalation(pair: PairState) -> str:
    return max(ESCALATION_STAGES, key=lambda stage: (pair.evidence.get(stage, 0.0), stage))


def _factor_detail(name: str, value: float, pair: PairState, targets: int) -> str | None:
    details = {
        "message_peak": "this message on its own carries a grooming stage",
        "message_escalation": "this message escalates (secrecy, contact elsewhere, gifts, images, meeting, sex, jobs)",
        "pair_breadth": f"several grooming stages towards the same user ({len(present_stages(pair))} so far)",
        "probe_then_escalate": f"asked about age or whereabouts, then {_stage_label(_strongest_escalation(pair))}",
        "minor_target_evidence": "grooming stages aimed at a user who presents as a minor",
        "adult_target_evidence": "the other user presents as an adult",
        "no_minor_in_sight": "no sign yet that the other user is a minor",
        "adult_to_minor_evidence": "an adult-presenting sender pursuing a user who presents as a minor",
        "targets_approached": f"approached {targets} users in this chat",
        "sender_minor_evidence": "the sender presents as a minor",
        "reverse_lead": "the other user led this exchange; the sender is answering",
        "room_evidence": "addressed to the room, not to one user",
    }
    return details.get(name)


def factor_reasons(
    values: Mapping[str, float], contributions: Mapping[str, float], pair: PairState, targets: int
) -> list[tuple[float, Reason]]:
    """Conversation factors that moved the risk noticeably, up or down, with their contributions."""
    ranked = []
    for name, contribution in contributions.items():
        if abs(contribution) < FACTOR_FLOOR or name == "pair_peak":
            continue
        detail = _factor_detail(name, values[name], pair, targets)
        if detail is None:
            continue
        signal = f"conversation:{name}" if contribution > 0 else f"mitigating:{name}"
        strength = min(max(values[name], 0.0), 1.0)
        ranked.append((contribution, Reason(signal=signal, score=strength, detail=detail)))
    return ranked


def message_reasons(analysis: MessageAnalysis) -> list[tuple[float, Reason]]:
    """The message's own strongest signals, as the rules and heads reported them, and its quoting discount."""
    strongest = sorted(analysis.reasons, key=lambda reason: (-reason.score, reason.signal))[:MESSAGE_REASONS]
    ranked = [(reason.score, reason) for reason in strongest if reason.score > 0.0]
    staged = max(analysis.stage_scores.values(), default=0.0)
    if analysis.quoting >= QUOTING_SHOWN and staged >= QUOTING_SHOWN:
        detail = "reads as quoting, reporting or warning about grooming, not doing it: its stages count less"
        ranked.append((-analysis.quoting * staged, Reason("mitigating:quoting", analysis.quoting, detail)))
    return ranked


FACT_LABELS: Mapping[str, str] = {
    "coercing": "threatens to share the other user's pictures",
    "seeking_minors": "looks for children by their age or school year",
    "minor_target": "the other user presents as a minor",
    "several_stages": "several grooming stages",
    "persistent": "repeated over several messages",
    "several_targets": "several users approached",
    "exploiting_minor": "images, sex or a 'job' asked of a user who may be a minor",
}


STANDING_LABELS: Mapping[str, str] = {
    "towards_adult": "writes to a user who presents as an adult, and neither threatens them nor looks for children",
    "answering": "answers a user, not presenting as a minor, whose messages to them were flagged first",
    "asking_back": "only asks back the age question the other user asked first",
    "family": "talks within a family or keeps the child's parents in the loop, with no exploitation and no secrecy"
    " beyond a gift kept quiet",
    "minor_small_talk": "presents as a minor and only gets acquainted",
    "presents_minor": "presents as a minor, and the other user does not (or presents as an adult too) or nothing"
    " sexual, no images and no 'job' show between them",
    "acquainting": "has asked nothing beyond getting acquainted (an age, a school, a place) of a user who does not"
    " present as a minor",
    "first_contact": "writes to the other user for the first time: one message alone is not punished unless it"
    " threatens, looks for children or is sexual outright",
    "first_compliment": "writes to the other user for the first time and only praises them: a compliment alone is"
    " not acted on unless it courts",
}


def ceiling_reason(
    ceiling: float, facts: tuple[str, ...], minor_in_sight: bool, standing: str | None = None, to_room: bool = False,
    one_step: bool = False,
) -> Reason:
    """Why the risk was held down: the sender's standing speaks against grooming, or nothing corroborates it yet."""
    if standing is not None:
        detail = f"risk held at {ceiling:.2f}: this user {STANDING_LABELS[standing]}"
        return Reason(signal=f"limit:{standing}", score=round(ceiling, 4), detail=detail)
    seen = ", ".join(FACT_LABELS[fact] for fact in facts) or "nothing beyond this message"
    detail = f"risk held at {ceiling:.2f} until the evidence is corroborated (so far: {seen})"
    if to_room:
        detail += "; the message is addressed to the whole room, not to anyone in particular"
    elif one_step and facts == ("minor_target",):
        detail += "; a first message that takes one step only waits for a second"
    elif not minor_in_sight:
        detail += "; no sign yet that the other user is a minor"
    return Reason(signal="limit:uncorroborated", score=round(ceiling, 4), detail=detail)


def carried_reason(carried: float) -> Reason:
    """Why the risk stays up although this message alone is mild: the conversation so far."""
    detail = "earlier messages from this sender to this user already carried this risk"
    return Reason(signal="conversation:earlier_messages", score=round(carried, 4), detail=detail)


def ordered(ranked: list[tuple[float, Reason]]) -> tuple[Reason, ...]:
    """Reasons strongest first (by contribution), each signal once."""
    seen: set[str] = set()
    reasons = []
    for _, reason in sorted(ranked, key=lambda item: (-item[0], item[1].signal)):
        if reason.signal not in seen:
            seen.add(reason.signal)
            reasons.append(reason)
    return tuple(reasons)
