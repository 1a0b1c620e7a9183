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

from classifiers.types import STAGES, ConversationContext, MessageAnalysis, PairState, Reason, SenderState, Stage

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
MINOR_CUE_PRESENT = 0.5
MINOR_CUE_ADDS_UP = 0.35
"""The minor cue from which a sender's cues across messages add up (see :func:`sender_minor_cue`)."""
MINOR_CUE_ADDED_UP = 0.55
"""The most that medium minor cues add up to: a sender presenting as a minor, not a child leading."""
LEADER_MINOR = 0.6
"""The minor cue from which a target who led the exchange counts as a child leading (see :func:`standing`): the
learned cue reads 0.5–0.6 into adults' short everyday lines ("my bad", "i am bored"), and a groomer so read would
leave the child who answers him unprotected."""
ANSWERED_AGE_CUE = 0.85
"""The self-cue of an age given in answer to an age question ("how old r u?" – "13"), as strong as "I'm 13"."""
ADULT_AGE = 18
TOLD_AGE_CUE = 0.8
"""A target's adult cue this strong ("27了", "I'm 34") is an age told, to which a bare adult age answers in kind."""
STRONG_STAGE = 0.42
EXPLOITATION_STAGES: tuple[str, ...] = (Stage.IMAGE_REQUEST.value, Stage.SEXUAL_TALK.value, Stage.RECRUITMENT.value)
EXPLOITATION_PRESENT = 0.5
LEADING_RISK = 0.45
FLAGGED_LEAD = 0.8
"""The risk towards the sender from which a target is the one being watched, whatever they present as: only
corroborated evidence reaches it, and the child who answers such a target is the one being groomed (see
:func:`standing`)."""
STANDINGS: tuple[str, ...] = (
    "answering", "asking_back", "family", "minor_small_talk", "presents_minor", "towards_adult", "acquainting",
    "first_contact", "first_compliment",
)
ADULT_TARGET = 0.8
"""The adult self-cue from which a target counts as an adult (an adult age, a spouse, their own children, a job)."""
COURTING_FLATTERY = 0.9
"""Flattery this strong ("mature for your age", "you seem way older", "my special friend") is how an adult posing as
a teenager courts a child; between children who only chat it does not show (see :func:`standing`)."""
FAMILY_PRESENT = 0.5
DECISIVE_SIGNAL = 0.8
"""The strength from which a message's coercion or its search for children is a fact on its own."""
CORROBORATING_FACTS: tuple[str, ...] = (
    "coercing",
    "seeking_minors",
    "minor_target",
    "several_stages",
    "persistent",
    "several_targets",
    "exploiting_minor",
)
DECISIVE_FACTS: tuple[str, ...] = ("coercing", "seeking_minors")
"""The facts that act on one message whoever the target is: a threat to share pictures, a search for children."""


@dataclass(frozen=True)
class Ceilings:
    """The highest risk a conversation may reach before its evidence is corroborated.

    One message is rarely enough: a lone age question, a lone "add me on Snap" or a lone "keep it our secret"
    is what parents, shops and friends say too. Risk above a ceiling needs facts beyond the message itself
    (see :func:`corroboration`). Training places the ceilings just under the policy ladder's levels.

    Attributes:
        uncorroborated: the ceiling with no corroborating fact.
        one_fact: the ceiling with one corroborating fact.
        no_minor_in_sight: the ceiling while the target shows no minor cue and nobody probed their age.
        answering: the ceiling for a sender who answers a target whose risk towards them came first (see
            :func:`standing` for when a target who presents as a minor leads).
        asking_back: the ceiling for a sender who only asks back the age question the target asked first (see
            :func:`asks_back`).
        family: the ceiling within a family frame, while no exploitation and no secrecy beyond a gift kept quiet
            shows.
        minor_small_talk: the ceiling for a sender who presents as a minor and only gets acquainted, or who talks
            with another minor with no secrecy and no exploitation.
        presents_minor: the ceiling for a sender who presents as a minor, towards a target who does not or with
            no exploitation in sight.
        towards_adult: the ceiling for a sender whose target presents as an adult and not as a minor.
        acquainting: the ceiling for a sender who has asked nothing beyond getting acquainted (an age, a school, a
            place) of a target who does not present as a minor.
        first_contact: the ceiling for a sender's first message to a target (see :func:`first_contact`).
        first_compliment: the ceiling for a sender's first message to a target that only praises them.
        lone_fact_risk: while no minor is in sight, the conversation head's risk that a single corroborating fact
            needs before the evidence may pass the uncorroborated ceiling: one message that names a contact and
            pictures, or a lift and a dinner, is what shops and adults dating write too.
        one_step_opening: the ceiling for a sender's first message to a target when it takes one step only (see
            :func:`single_step_opening`) and the target presenting as a minor is the only corroborating fact.
        room_risk: the conversation head's risk that a message to the whole room (addressed to no one) needs before
            its evidence may pass the uncorroborated ceiling, unless it threatens or looks for children (see
            ``DECISIVE_FACTS``): an offer, a contact and "keep it quiet" broadcast to a group is how shops, streamers
            and adults' groups write; grooming turns to someone.
    """

    uncorroborated: float = 1.0
    one_fact: float = 1.0
    no_minor_in_sight: float = 1.0
    answering: float = 1.0
    asking_back: float = 1.0
    family: float = 1.0
    minor_small_talk: float = 1.0
    presents_minor: float = 1.0
    towards_adult: float = 1.0
    acquainting: float = 1.0
    first_contact: float = 1.0
    first_compliment: float = 1.0
    lone_fact_risk: float = 0.0
    one_step_opening: float = 1.0
    room_risk: float = 0.0

    def limit(
        self, facts: tuple[str, ...], minor_in_sight: bool, standing: str | None = None, risk: float = 1.0,
        to_room: bool = False, one_step: bool = False,
    ) -> float:
        """The ceiling given the facts, a minor in sight, the sender's standing, the head's risk and the message.

        ``standing`` is the sender's :func:`standing`, ``risk`` the conversation head's, ``to_room`` whether the
        message is addressed to the whole room (no target), ``one_step`` whether it is a
        :func:`single_step_opening`.
        """
        by_facts = (self.uncorroborated, self.one_fact, 1.0)[min(len(facts), 2)]
        lone = len(facts) < 2 and risk < self.lone_fact_risk
        limited = by_facts if minor_in_sight else min(by_facts, self.uncorroborated if lone else self.no_minor_in_sight)
        if to_room and risk < self.room_risk and not set(facts) & set(DECISIVE_FACTS):
            limited = min(limited, self.uncorroborated)
        if one_step and facts == ("minor_target",):
            limited = min(limited, self.one_step_opening)
        return min(limited, getattr(self, standing)) if standing in STANDINGS else limited


def answered_age(analysis: MessageAnalysis, context: ConversationContext, params: DecayParams) -> MessageAnalysis:
    """The message with the bare number it opens with read as the writer's age, when it answers an age question.

    "13" or "31 and i have a mortgage" says nothing alone; sent to someone who asked the writer's age (the
    target's evidence towards the sender holds an age probe), it is the writer presenting as a minor or an adult.
    An adult age also answers an adult who told their own ("27了 你呢" – "29"); a minor's age after a child told
    theirs is more often an echo ("13?? no way") than an answer.
    """
    if analysis.stated_age is None:
        return analysis
    asked = faded(context.reverse, context.sent_at, params).evidence.get(Stage.AGE_PROBE.value, 0.0) >= STAGE_PRESENT
    cue = "minor_cue" if analysis.stated_age < ADULT_AGE else "adult_cue"
    told = cue == "adult_cue" and context.target_adult_cue >= TOLD_AGE_CUE
    if not (asked or told) or getattr(analysis, cue) >= ANSWERED_AGE_CUE:
        return analysis
    why = "an age question" if asked else "the other user's own age"
    reason = Reason(cue, ANSWERED_AGE_CUE, f"gives their age ({analysis.stated_age}) in answer to {why}")
    reasons = (*(kept for kept in analysis.reasons if kept.signal != cue), reason)
    return replace(analysis, reasons=reasons, **{cue: ANSWERED_AGE_CUE})


def echoed_age(analysis: MessageAnalysis, context: ConversationContext, params: DecayParams) -> MessageAnalysis:
    """The message read as the writer presenting as a minor when it answers with "same" a child whose age it asked.

    "how old r u" – "12" – "same!! add me on snap" is one child meeting another; the "same" says nothing alone, and
    it counts only right after the writer asked the age (the writer's latest message to the target was an age
    probe: "me too" a hundred lines on answers "i'm bored", not "i'm 13") and the target answered as a child
    (``LEADER_MINOR``).
    """
    if not analysis.same_as_you or analysis.minor_cue >= ANSWERED_AGE_CUE or context.target_minor_cue < LEADER_MINOR:
        return analysis
    if not faded(context.pair, context.sent_at, params).probed_last:
        return analysis
    reason = Reason("minor_cue", ANSWERED_AGE_CUE, "says they are the same age as the other user, whose age they asked")
    reasons = (*(kept for kept in analysis.reasons if kept.signal != "minor_cue"), reason)
    return replace(analysis, reasons=reasons, minor_cue=ANSWERED_AGE_CUE)


def corroboration(
    analysis: MessageAnalysis, context: ConversationContext, pair: PairState, sender: SenderState,
    params: DecayParams,
) -> tuple[str, ...]:
    """The facts, beyond one message, that back the grooming evidence of a sender towards a target.

    ``pair`` and ``sender`` are the states after the message. The facts, in ``CORROBORATING_FACTS`` order: the
    message threatens to share the target's pictures (sextortion says that pictures were already taken, whoever
    the target is); the message looks for children by age or school year (to the room or to anyone); the target
    presents as a minor; two or more stages towards the target, one of them beyond getting acquainted (an age
    question with a compliment is how aunts, coaches and new friends open, too); two or more messages that carried
    a stage; two or more users approached by the sender in this chat; images, sex or a "job" asked of a user who
    presents as a minor or whose age the sender probed before this message (an advert that names ages, pictures
    and a contact at once is one message, not two facts).
    """
    before = faded(context.pair, context.sent_at, params)
    strong = [stage for stage, value in pair.evidence.items() if value >= STRONG_STAGE]
    present = {
        "coercing": analysis.coercion >= DECISIVE_SIGNAL,
        "seeking_minors": analysis.seeks_minors >= DECISIVE_SIGNAL,
        "minor_target": context.target_minor_cue >= MINOR_CUE_PRESENT,
        "several_stages": len(strong) >= 2 and any(stage in ESCALATION_STAGES for stage in strong),
        "persistent": pair.staged_messages >= 2,
        "several_targets": targets_approached(sender, params) >= 2,
        "exploiting_minor": exploiting(pair) and minor_in_sight(context, before),
    }
    return tuple(name for name in CORROBORATING_FACTS if present[name])


def single_step_opening(context: ConversationContext, pair: PairState) -> bool:
    """Whether the message is the sender's first to the target and takes one step only.

    ``pair`` is the state after the message. One step is at most one stage at ``STAGE_PRESENT``, or several that
    only get acquainted (an age question with a compliment): a classmate's "我也是 你哪个学校的", a study partner's
    "加个微信互相监督", a fan artist's "post it with the hashtag, no DMs" to a child who said "im 12". A child in
    sight alone does not yet corroborate such an opening (``Ceilings.one_step_opening``); a second stage in the same
    message, or a second message, does.
    """
    if context.pair.messages > 0:
        return False
    present = [stage for stage, value in pair.evidence.items() if value >= STAGE_PRESENT]
    return len(present) < 2 or not any(stage in ESCALATION_STAGES for stage in present)


def standing(
    analysis: MessageAnalysis, context: ConversationContext, pair: PairState, params: DecayParams
) -> str | None:
    """How the sender stands towards the target when it speaks against grooming, one of ``STANDINGS``; or None.

    ``pair`` is the sender→target state after the message. The sender presents as a minor from
    ``MINOR_CUE_PRESENT``, unless the message itself speaks as an adult (``ADULT_TARGET``: "叔叔给你送好吃的", "my
    wife") more strongly than any minor cue the sender showed. In order:

    - "answering": the target, who does not present as a minor (``LEADER_MINOR``), has already reached a risk
      towards the sender that the sender never reached towards the target (the target leads, the sender answers).
      A target who presents as a minor makes only a sender who presents as a minor too "answering", and only
      while the sender takes no step that a target with no adult cue never took (:func:`escalates_past`): an adult
      who follows a child's lead into secrets or pictures is still the one to watch, a child who answers someone
      posing as a child is not, and someone posing as a child who moves a child's "how old r u" on to secrets and
      another app leads. Once the target's risk towards the sender reached ``FLAGGED_LEAD``, a sender who presents
      as a minor answers whatever steps they take: a groomer whose lines read young ("my mom", "homework") is still the
      one flagged, and the child who goes along with his meeting is his target;
    - "asking_back": the sender asks nothing but the age question the target asked first (:func:`asks_back`);
    - "family": one of the two spoke within a family or kept the child's parents in the loop, and no images, sex or
      "job" show between them, nor secrecy unless it keeps a gift quiet with no other app and no meeting in sight
      (a grandmother's 红包 "别告诉你妈", an uncle's skin "don't tell your brother": see :func:`secret_treat`);
    - "minor_small_talk": the sender presents as a minor and has asked nothing beyond getting acquainted (no
      escalation stage towards the target), or both present as minors and no secrecy, no courting flattery
      (``COURTING_FLATTERY``) and no images, sex or "job" show between them (children add each other on QQ and
      Snap and meet at the mall);
    - "presents_minor": the sender presents as a minor, and the target does not, or presents as an adult too
      (``ADULT_TARGET``: a "14" who later says "i'm 28" is no child's peer), or nothing sexual, no images and no
      "job" show between them;
    - "towards_adult": the target presents as an adult (``ADULT_TARGET``) and not as a minor, and the message
      neither threatens to share the target's pictures nor looks for children: adults dating, trading or
      quarrelling are not the grooming of a minor;
    - "acquainting": the target does not present as a minor, and the sender has asked nothing beyond getting
      acquainted (age, school, whereabouts; no escalation stage, no courting flattery) and neither threatens nor
      looks for children: "asl?" and "where u from" are how strangers, new friends and children themselves open,
      and they become grooming evidence once the target shows a minor cue or the sender takes a further step.
    """
    led = faded(context.reverse, context.sent_at, params)
    leader_minor = context.target_minor_cue >= LEADER_MINOR
    minor_cue = max(context.sender_minor_cue, analysis.minor_cue)
    speaks_as_adult = analysis.adult_cue >= ADULT_TARGET and analysis.adult_cue > minor_cue
    sender_minor = minor_cue >= MINOR_CUE_PRESENT and not speaks_as_adult
    follows = led.peak_risk >= LEADING_RISK and led.peak_risk > context.pair.peak_risk
    child_led = leader_minor and context.target_adult_cue < MINOR_CUE_PRESENT
    flagged = led.peak_risk >= FLAGGED_LEAD
    if follows and (not leader_minor or (sender_minor and (flagged or not (child_led and escalates_past(pair, led))))):
        return "answering"
    if asks_back(analysis, led, pair):
        return "asking_back"
    hidden = pair.evidence.get(Stage.SECRECY.value, 0.0) >= STRONG_STAGE
    family = max(pair.family, context.reverse.family) >= FAMILY_PRESENT
    if family and not exploiting(pair) and (not hidden or secret_treat(pair)):
        return "family"
    peers = context.target_minor_cue >= MINOR_CUE_PRESENT
    acquainting = max(pair.evidence.get(stage, 0.0) for stage in ESCALATION_STAGES) < STRONG_STAGE
    courting = pair.evidence.get(Stage.FLATTERY.value, 0.0) >= COURTING_FLATTERY
    if not sender_minor:
        if max(analysis.coercion, analysis.seeks_minors) >= DECISIVE_SIGNAL:
            return None
        if context.target_adult_cue >= ADULT_TARGET and not peers:
            return "towards_adult"
        return "acquainting" if acquainting and not courting and not peers else None
    if acquainting or (peers and not (hidden or courting or exploiting(pair))):
        return "minor_small_talk"
    adult_too = context.target_adult_cue >= ADULT_TARGET
    return "presents_minor" if not peers or adult_too or not exploiting(pair) else None


def asks_back(analysis: MessageAnalysis, led: PairState, pair: PairState) -> bool:
    """Whether the sender asks nothing but the age question that the target asked them first.

    ``led`` is the target's evidence towards the sender (faded to now), ``pair`` the sender's after the message.
    "asl?" – "13 f u?" is a child answering in kind, and a child asks a stranger's age as often as a stranger asks
    theirs: while age, school and whereabouts are all that the sender asks, no more than the target asked, and the
    message neither threatens nor looks for children, it is not the sender probing.
    """
    if led.evidence.get(Stage.AGE_PROBE.value, 0.0) < STAGE_PRESENT:
        return False
    if max(analysis.coercion, analysis.seeks_minors) >= DECISIVE_SIGNAL:
        return False
    return all(stage == Stage.AGE_PROBE.value for stage, value in pair.evidence.items() if value >= STRONG_STAGE)


def secret_treat(pair: PairState) -> bool:
    """Whether the pair's secrecy keeps a gift quiet, with no other app and no meeting among the strong stages.

    Within a family frame that is a relative's treat ("别告诉你妈" with a 红包); a secret with a move elsewhere or a
    meeting, or with no gift, is not (a coach's "stay back after, no need to tell your mum").
    """
    strong = {stage for stage, value in pair.evidence.items() if value >= STRONG_STAGE}
    return Stage.GIFTS.value in strong and not strong & {Stage.OFF_PLATFORM.value, Stage.MEETING.value}


def first_contact(analysis: MessageAnalysis, context: ConversationContext) -> str | None:
    """How a sender's first message to the target is held: "first_compliment", "first_contact" or None.

    One message, however alarming its words, is met with a warning and a moderator's review rather than a deletion,
    a mute or a ban: a classmate's "发张自拍给我 我们给班里做头像墙" and a stranger's request read alike. A message that
    threatens to share the target's pictures, looks for children by age, or that the rules read as sexual talk is
    decisive and is not held (None, as for every later message). A first message that only praises the target
    ("ur cat is so cute", "跳得真好") is "first_compliment": every fan, relative and classmate writes one under a
    child's video, so it waits for what comes next, unless the praise courts (``COURTING_FLATTERY``: "so mature for
    your age").
    """
    if context.pair.messages > 0:
        return None
    sexual = max((reason.score for reason in analysis.reasons if reason.signal == Stage.SEXUAL_TALK.value), default=0.0)
    if max(analysis.coercion, analysis.seeks_minors, sexual) >= DECISIVE_SIGNAL:
        return None
    evidence = directed_evidence(analysis)
    praise = evidence.get(Stage.FLATTERY.value, 0.0)
    beyond = max((value for stage, value in evidence.items() if stage != Stage.FLATTERY.value), default=0.0)
    return "first_compliment" if beyond < STAGE_PRESENT and praise < COURTING_FLATTERY else "first_contact"


def escalates_past(pair: PairState, led: PairState) -> bool:
    """Whether the sender has taken a step the target never took towards them.

    Secrecy, another app, gifts, pictures, a meeting or sex where the target only asked an age: that is leading,
    not answering.
    """
    return any(
        pair.evidence.get(stage, 0.0) >= STRONG_STAGE and led.evidence.get(stage, 0.0) < STAGE_PRESENT
        for stage in ESCALATION_STAGES
    )


def exploiting(pair: PairState) -> bool:
    """Whether the pair shows images, sex or a "job" asked (an exploitation stage at ``EXPLOITATION_PRESENT``)."""
    return max(pair.evidence.get(stage, 0.0) for stage in EXPLOITATION_STAGES) >= EXPLOITATION_PRESENT


def held_as_in_sight(context: ConversationContext, pair: PairState, facts: tuple[str, ...]) -> bool:
    """Whether the ceilings treat the target as a minor.

    True when a minor is in sight, when the sender threatens to share the target's pictures (sextortion is acted on
    whoever the target is), or when the message looks for children by age (it aims at minors, to whomever sent).
    """
    return minor_in_sight(context, pair) or any(fact in DECISIVE_FACTS for fact in facts)


def minor_in_sight(context: ConversationContext, pair: PairState) -> bool:
    """Whether the target presents as a minor, or the sender probed the age of a target who presents as no adult.

    A message to the whole room has no target to probe: "asl all" puts nobody in sight.
    """
    probed = context.target_id is not None and pair.evidence.get(Stage.AGE_PROBE.value, 0.0) >= STAGE_PRESENT
    presents_adult = context.target_adult_cue >= MINOR_CUE_PRESENT
    return context.target_minor_cue >= MINOR_CUE_PRESENT or (probed and not presents_adult)


@dataclass(frozen=True)
class DecayParams:
    """How fast evidence fades.

    Attributes:
        per_message: share of a pair's evidence kept when the same sender writes to the same target again.
        evidence_floor: stage strength under which a message adds nothing to a pair's evidence: faint readings
            are what every long friendly chat is made of, and added up over dozens of turns they would look like
            grooming.
        risk_kept: share of the risk of the sender's previous message to a target that carries over to the next
            one, so that an innocuous follow-up does not wipe out what the conversation already showed.
        half_life_s: seconds after which evidence has halved through time alone.
        ttl_s: seconds of silence after which a pair's (or a sender's) evidence is dropped.
        approach_floor: evidence from which a target counts as approached by the sender.
        max_targets: most targets remembered per sender (the weakest are forgotten first).
    """

    per_message: float = 0.95
    evidence_floor: float = 0.18
    risk_kept: float = 0.8
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
    return replace(pair, evidence=evidence, peak_risk=pair.peak_risk * factor, recent_risk=pair.recent_risk * factor)


def directed_evidence(analysis: MessageAnalysis) -> dict[str, float]:
    """The message's stage strengths, discounted when it reads as quoting or reporting rather than doing."""
    keep = 1.0 - min(max(analysis.quoting, 0.0), 1.0)
    return {stage.value: float(analysis.stage_scores.get(stage.value, 0.0)) * keep for stage in STAGES}


def advance_pair(
    pair: PairState, evidence: Mapping[str, float], now: float | None, params: DecayParams, family: float = 0.0
) -> PairState:
    """Add one message's evidence (and its family frame) to a sender→target state (noisy-or after decay)."""
    current = faded(pair, now, params)
    merged = {}
    for stage in STAGES:
        before = current.evidence.get(stage.value, 0.0) * params.per_message
        reading = min(max(evidence.get(stage.value, 0.0), 0.0), 1.0)
        added = reading if reading >= params.evidence_floor else 0.0
        value = 1.0 - (1.0 - before) * (1.0 - added)
        if value > 1e-4:
            merged[stage.value] = round(value, 6)
    last_seen = now if now is not None else current.last_seen
    staged = current.staged_messages + (1 if max(evidence.values(), default=0.0) >= STRONG_STAGE else 0)
    return PairState(
        evidence=merged,
        messages=current.messages + 1,
        peak_risk=current.peak_risk,
        last_seen=last_seen,
        staged_messages=staged,
        recent_risk=current.recent_risk,
        family=max(current.family, family),
        probed_last=evidence.get(Stage.AGE_PROBE.value, 0.0) >= STAGE_PRESENT,
    )


def carried_risk(pair: PairState, now: float | None, params: DecayParams) -> float:
    """The part of the risk of the sender's previous message to the target that holds for the next one.

    It fades by ``risk_kept`` per message (and with time), so a flagged exchange that goes on innocently falls
    back under the policy's thresholds after a few messages instead of staying flagged.
    """
    return faded(pair, now, params).recent_risk * params.risk_kept


def with_risk(pair: PairState, risk: float) -> PairState:
    """The pair's state after a message of ``risk``: its recent risk set to it, its peak risk raised to it."""
    return replace(pair, peak_risk=round(max(pair.peak_risk, risk), 6), recent_risk=round(risk, 6))


def sender_minor_cue(known: float, cue: float) -> float:
    """The sender's self-presented minor cue after a message with ``cue``, given the ``known`` one before it.

    The strongest cue stands ("I'm 13"); below it, medium cues (from ``MINOR_CUE_ADDS_UP``: a class the writer
    hates, a grandmother asleep, "my old bf was 24") add up at half their strength, as a moderator reading the whole
    chat would see a child where no single line says so, but only to ``MINOR_CUE_ADDED_UP``: enough to present as
    a minor, never as a child leading (``LEADER_MINOR``), since an adult's hundred lines hold medium readings too.
    Weaker readings, which the learned cue gives adults' everyday lines, never add up.
    """
    strongest = max(known, cue)
    if cue < MINOR_CUE_ADDS_UP:
        return strongest
    added = 1.0 - (1.0 - known) * (1.0 - cue / 2.0)
    return round(max(strongest, min(added, MINOR_CUE_ADDED_UP)), 6)


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
