"""The conversation model: how evidence accumulates, fades and is read, independent of any text analysis."""

from __future__ import annotations

from dataclasses import replace

import pytest

from classifiers.conversation import (
    FEATURE_NAMES,
    STAGE_PRESENT,
    Ceilings,
    DecayParams,
    advance_pair,
    advance_sender,
    answered_age,
    approach_strength,
    carried_risk,
    corroboration,
    directed_evidence,
    echoed_age,
    faded,
    features,
    first_contact,
    held_as_in_sight,
    minor_in_sight,
    present_stages,
    sender_minor_cue,
    single_step_opening,
    standing,
    targets_approached,
    time_factor,
    with_risk,
)
from classifiers.types import ConversationContext, MessageAnalysis, PairState, Reason, SenderState

PARAMS = DecayParams()
DAY = 86400.0


def analysis(quoting: float = 0.0, minor: float = 0.0, adult: float = 0.0, **stages: float) -> MessageAnalysis:
    return MessageAnalysis(
        text="x", normalized="x", lang="en", stage_scores=stages, minor_cue=minor, adult_cue=adult, quoting=quoting
    )


def test_conversation_evidence_accumulates_as_noisy_or() -> None:
    pair = advance_pair(PairState(), {"age_probe": 0.5}, None, PARAMS)
    pair = advance_pair(pair, {"age_probe": 0.5}, None, PARAMS)
    expected = 1 - (1 - 0.5 * PARAMS.per_message) * (1 - 0.5)
    assert pair.evidence["age_probe"] == pytest.approx(expected, abs=1e-6)
    assert pair.messages == 2


def test_conversation_evidence_fades_with_later_messages() -> None:
    pair = advance_pair(PairState(), {"secrecy": 0.9}, None, PARAMS)
    for _ in range(20):
        pair = advance_pair(pair, {}, None, PARAMS)
    assert pair.evidence["secrecy"] == pytest.approx(0.9 * PARAMS.per_message**20, rel=1e-4)


@pytest.mark.parametrize(
    ("silence_days", "kept"),
    [(0.0, 1.0), (7.0, 0.5), (14.0, 0.25), (31.0, 0.0)],
)
def test_conversation_time_factor_halves_per_week_and_drops_past_ttl(silence_days: float, kept: float) -> None:
    assert time_factor(1000.0, 1000.0 + silence_days * DAY, PARAMS) == pytest.approx(kept)


def test_conversation_pair_past_ttl_starts_over() -> None:
    pair = PairState(evidence={"meeting": 0.9}, messages=7, peak_risk=0.8, last_seen=0.0)
    assert faded(pair, 40 * DAY, PARAMS) == PairState()
    fresh = advance_pair(pair, {"flattery": 0.4}, 40 * DAY, PARAMS)
    assert fresh.messages == 1 and "meeting" not in fresh.evidence


def test_conversation_quoting_discounts_evidence() -> None:
    doing = directed_evidence(analysis(secrecy=0.8))
    quoting = directed_evidence(analysis(quoting=0.9, secrecy=0.8))
    assert doing["secrecy"] == pytest.approx(0.8)
    assert quoting["secrecy"] == pytest.approx(0.08)


def test_conversation_sender_counts_distinct_targets_above_floor() -> None:
    sender = SenderState()
    for target, strength in (("a", 0.6), ("b", 0.5), ("c", 0.1), (None, 0.9)):
        sender = advance_sender(sender, target, strength, None, PARAMS)
    assert targets_approached(sender, PARAMS) == 2
    assert sender.messages == 4


def test_conversation_sender_forgets_weakest_targets_beyond_limit() -> None:
    params = DecayParams(max_targets=3)
    sender = SenderState()
    for index in range(6):
        sender = advance_sender(sender, f"t{index}", index / 10, None, params)
    assert sorted(sender.approached) == ["t3", "t4", "t5"]


def test_conversation_features_see_direction() -> None:
    """The one who answers an age question is not the one who asked it."""
    asker_pair = advance_pair(PairState(), {"age_probe": 0.8}, None, PARAMS)
    answer = analysis(minor=0.9)
    context = ConversationContext(sender_id="kid", target_id="adult", reverse=asker_pair)
    pair = advance_pair(context.pair, directed_evidence(answer), None, PARAMS)
    values = features(answer, context, pair, SenderState(), PARAMS)
    assert values["reverse_lead"] == pytest.approx(0.8)
    assert values["pair_peak"] == 0.0
    assert values["sender_minor_evidence"] == 0.0


def test_conversation_features_combine_probe_and_escalation_towards_minor() -> None:
    pair = advance_pair(PairState(), {"age_probe": 0.8}, None, PARAMS)
    context = ConversationContext(sender_id="s", target_id="t", pair=pair, target_minor_cue=0.9)
    message = analysis(secrecy=0.7)
    after = advance_pair(pair, directed_evidence(message), None, PARAMS)
    values = features(message, context, after, SenderState(), PARAMS)
    assert list(values) == list(FEATURE_NAMES)
    assert values["probe_then_escalate"] == pytest.approx(0.8 * PARAMS.per_message * 0.7, rel=1e-4)
    assert values["minor_target_evidence"] == pytest.approx(0.9 * approach_strength(after))
    assert values["room_evidence"] == 0.0


def test_conversation_role_features_need_stage_evidence() -> None:
    """Talking to a child without any grooming stage is not, by itself, a risk feature."""
    message = analysis(adult=0.9)
    context = ConversationContext(sender_id="teacher", target_id="kid", target_minor_cue=1.0)
    after = advance_pair(PairState(), directed_evidence(message), None, PARAMS)
    values = features(message, context, after, SenderState(), PARAMS)
    assert all(value == 0.0 for value in values.values())


def test_conversation_present_stages_strongest_first() -> None:
    pair = PairState(evidence={"flattery": 0.4, "meeting": 0.9, "gifts": 0.2})
    assert present_stages(pair) == ("meeting", "flattery")


def test_conversation_states_round_trip_through_dicts() -> None:
    pair = with_risk(advance_pair(PairState(), {"gifts": 0.6, "meeting": 0.3}, 1234.5, PARAMS), 0.7)
    sender = advance_sender(SenderState(), "t", 0.6, 1234.5, PARAMS)
    assert PairState.from_dict(pair.to_dict()) == pair
    assert SenderState.from_dict(sender.to_dict()) == sender
    assert PairState.from_dict({}) == PairState()


def test_conversation_pair_counts_messages_that_carried_a_stage() -> None:
    pair = advance_pair(PairState(), {"flattery": 0.2}, None, PARAMS)
    pair = advance_pair(pair, {"secrecy": 0.8}, None, PARAMS)
    pair = advance_pair(pair, {}, None, PARAMS)
    assert (pair.messages, pair.staged_messages) == (3, 1)
    assert PairState.from_dict(pair.to_dict()) == pair
    assert PairState.from_dict({"evidence": {}, "messages": 2}).staged_messages == 0


def _after(messages: list[dict[str, float]], target_minor: float = 0.0, targets: int = 1) -> tuple[str, ...]:
    before = pair = PairState()
    for evidence in messages:
        before, pair = pair, advance_pair(pair, evidence, None, PARAMS)
    sender = SenderState(approached={f"t{n}": 0.9 for n in range(targets)})
    context = ConversationContext(sender_id="s", target_id="t0", pair=before, target_minor_cue=target_minor)
    return corroboration(analysis(**messages[-1]), context, pair, sender, PARAMS)


@pytest.mark.parametrize(
    ("messages", "target_minor", "targets", "facts"),
    [
        ([{"age_probe": 0.9}], 0.0, 1, ()),
        ([{"secrecy": 0.9}], 0.0, 1, ()),
        ([{"age_probe": 0.9}], 0.9, 1, ("minor_target",)),
        ([{"age_probe": 0.9, "off_platform": 0.8}], 0.0, 1, ("several_stages",)),
        ([{"age_probe": 0.9, "flattery": 0.8}], 0.0, 1, ()),
        ([{"age_probe": 0.9, "flattery": 0.8}], 0.9, 1, ("minor_target",)),
        ([{"age_probe": 0.9}, {"flattery": 0.8}], 0.0, 1, ("persistent",)),
        ([{"off_platform": 0.8}, {"off_platform": 0.6}], 0.0, 1, ("persistent",)),
        ([{"gifts": 0.8}], 0.0, 3, ("several_targets",)),
        ([{"image_request": 0.9}], 0.0, 1, ()),
        ([{"age_probe": 0.9, "image_request": 0.9}], 0.0, 1, ("several_stages",)),
        ([{"age_probe": 0.9}, {"image_request": 0.9}], 0.0, 1, ("several_stages", "persistent", "exploiting_minor")),
        ([{"image_request": 0.9}], 0.8, 1, ("minor_target", "exploiting_minor")),
    ],
)
def test_conversation_corroboration_names_facts_beyond_one_message(
    messages: list[dict[str, float]], target_minor: float, targets: int, facts: tuple[str, ...]
) -> None:
    assert _after(messages, target_minor, targets) == facts


@pytest.mark.parametrize(
    ("messages", "one_step"),
    [
        ([{"age_probe": 0.9}], True),
        ([{"off_platform": 0.9}], True),
        ([{"age_probe": 0.9, "flattery": 0.8}], True),
        ([{"off_platform": 0.4, "gifts": 0.38}], False),
        ([{"age_probe": 0.9, "off_platform": 0.8}], False),
        ([{}, {"off_platform": 0.9}], False),
    ],
)
def test_conversation_a_single_step_opening_is_a_first_message_with_one_step(
    messages: list[dict[str, float]], one_step: bool
) -> None:
    before = pair = PairState()
    for evidence in messages:
        before, pair = pair, advance_pair(pair, evidence, None, PARAMS)
    context = ConversationContext(sender_id="s", target_id="t", pair=before, target_minor_cue=0.9)
    assert single_step_opening(context, pair) is one_step


@pytest.mark.parametrize(
    ("facts", "one_step", "limit"),
    [
        (("minor_target",), True, 0.44),
        (("minor_target",), False, 0.7),
        (("minor_target", "exploiting_minor"), True, 1.0),
        (("seeking_minors",), True, 0.7),
    ],
)
def test_conversation_a_one_step_opening_to_a_child_waits_for_a_second(
    facts: tuple[str, ...], one_step: bool, limit: float
) -> None:
    ceilings = Ceilings(uncorroborated=0.44, one_fact=0.7, no_minor_in_sight=0.7, one_step_opening=0.44)
    assert ceilings.limit(facts, True, one_step=one_step) == limit
    assert Ceilings(uncorroborated=0.44, one_fact=0.7).limit(facts, True, one_step=one_step) >= limit


def test_conversation_a_threat_to_share_pictures_is_a_fact_acted_on_with_no_minor_in_sight() -> None:
    threat = replace(analysis(image_request=0.95), coercion=0.95)
    pair = advance_pair(PairState(), directed_evidence(threat), None, PARAMS)
    context = ConversationContext(sender_id="s", target_id="t")
    facts = corroboration(threat, context, pair, SenderState(), PARAMS)
    assert facts == ("coercing",)
    assert corroboration(analysis(image_request=0.95), context, pair, SenderState(), PARAMS) == ()
    assert held_as_in_sight(context, pair, facts) and not minor_in_sight(context, pair)
    ceilings = Ceilings(uncorroborated=0.4, one_fact=0.7, no_minor_in_sight=0.7, lone_fact_risk=0.7)
    assert ceilings.limit(facts, held_as_in_sight(context, pair, facts), risk=0.5) == 0.7
    assert ceilings.limit(("several_stages",), held_as_in_sight(context, pair, ("several_stages",)), risk=0.5) == 0.4


def test_conversation_looking_for_children_by_age_is_a_fact_even_to_the_room() -> None:
    post = replace(analysis(off_platform=0.85), seeks_minors=0.9)
    pair = advance_pair(PairState(), directed_evidence(post), None, PARAMS)
    room = ConversationContext(sender_id="s", target_id=None)
    facts = corroboration(post, room, pair, SenderState(), PARAMS)
    assert facts == ("seeking_minors",)
    assert held_as_in_sight(room, pair, facts) and not minor_in_sight(room, pair)


@pytest.mark.parametrize(
    ("stated_age", "asked", "minor", "adult"),
    [
        (13, 0.9, 0.85, 0.0),
        (31, 0.9, 0.0, 0.85),
        (13, 0.0, 0.0, 0.0),
        (13, 0.2, 0.0, 0.0),
        (None, 0.9, 0.0, 0.0),
    ],
)
def test_conversation_a_bare_number_is_an_age_only_in_answer_to_an_age_question(
    stated_age: int | None, asked: float, minor: float, adult: float
) -> None:
    message = replace(analysis(), stated_age=stated_age)
    question = advance_pair(PairState(), {"age_probe": asked}, None, PARAMS)
    read = answered_age(message, ConversationContext(sender_id="s", target_id="t", reverse=question), PARAMS)
    assert (read.minor_cue, read.adult_cue) == (minor, adult)
    if minor or adult:
        assert any("in answer to an age question" in reason.detail for reason in read.reasons)


def test_conversation_a_bare_number_answers_an_age_told_in_kind() -> None:
    message = replace(analysis(), stated_age=29)
    told = ConversationContext(sender_id="s", target_id="t", target_adult_cue=0.8)
    read = answered_age(message, told, PARAMS)
    assert read.adult_cue == 0.85
    assert any("the other user's own age" in reason.detail for reason in read.reasons)
    assert answered_age(message, replace(told, target_adult_cue=0.6), PARAMS).adult_cue == 0.0
    echo = replace(analysis(), stated_age=13)
    assert answered_age(echo, ConversationContext(sender_id="s", target_id="t", target_minor_cue=0.9), PARAMS) == echo


def test_conversation_minor_in_sight_needs_a_cue_or_an_age_probe() -> None:
    probed = advance_pair(PairState(), {"age_probe": 0.6}, None, PARAMS)
    assert minor_in_sight(ConversationContext(sender_id="s", target_id="t"), probed)
    assert minor_in_sight(ConversationContext(sender_id="s", target_id="t", target_minor_cue=0.7), PairState())
    assert not minor_in_sight(ConversationContext(sender_id="s", target_id="t", target_minor_cue=0.3), PairState())


def test_conversation_an_age_probe_to_the_whole_room_puts_nobody_in_sight() -> None:
    probed = advance_pair(PairState(), {"age_probe": 0.9}, None, PARAMS)
    assert not minor_in_sight(ConversationContext(sender_id="s", target_id=None), probed)
    assert minor_in_sight(ConversationContext(sender_id="s", target_id="t"), probed)


def test_conversation_age_probe_of_a_self_declared_adult_puts_no_minor_in_sight() -> None:
    probed = advance_pair(PairState(), {"age_probe": 0.6}, None, PARAMS)
    adult = ConversationContext(sender_id="s", target_id="t", target_adult_cue=0.8)
    assert not minor_in_sight(adult, probed)
    assert minor_in_sight(replace(adult, target_minor_cue=0.7), probed)


def _standing(message: MessageAnalysis, **context: object) -> str | None:
    after = advance_pair(PairState(), directed_evidence(message), None, PARAMS, message.family)
    return standing(message, ConversationContext(sender_id="s", target_id="t", **context), after, PARAMS)


def test_conversation_standing_towards_a_target_who_presents_as_an_adult() -> None:
    date = analysis(off_platform=0.9, meeting=0.7)
    assert _standing(date, target_adult_cue=0.85) == "towards_adult"
    assert _standing(date, target_adult_cue=0.6) is None
    assert _standing(date, target_adult_cue=0.85, target_minor_cue=0.6) is None
    assert _standing(replace(date, coercion=0.95), target_adult_cue=0.85) is None
    assert _standing(replace(date, seeks_minors=0.9), target_adult_cue=0.85) is None
    assert Ceilings(towards_adult=0.4).limit(("several_stages", "persistent"), True, "towards_adult") == 0.4


def test_conversation_standing_answering_a_target_flagged_first() -> None:
    flagged = PairState(peak_risk=0.9)
    assert _standing(analysis(meeting=0.8), reverse=flagged) == "answering"
    assert _standing(analysis(meeting=0.8), reverse=flagged, pair=PairState(peak_risk=0.95)) is None
    assert _standing(analysis(meeting=0.8), reverse=PairState(peak_risk=0.3)) is None


def test_conversation_standing_answering_a_leader_who_presents_as_a_minor_only_as_a_minor_too() -> None:
    flagged = PairState(peak_risk=0.9, evidence={"image_request": 0.9})
    assert _standing(analysis(image_request=0.8), reverse=flagged, target_minor_cue=0.3) == "answering"
    assert _standing(analysis(image_request=0.8), reverse=flagged, target_minor_cue=0.8) is None
    assert _standing(analysis(image_request=0.8), reverse=flagged, target_minor_cue=0.55) == "answering"
    assert _standing(analysis(minor=0.9, image_request=0.8), reverse=flagged, target_minor_cue=0.9) == "answering"
    assert _standing(analysis(image_request=0.8), reverse=flagged, target_minor_cue=0.9, sender_minor_cue=0.8) == (
        "answering"
    )


def test_conversation_standing_someone_posing_as_a_child_who_escalates_past_a_childs_question_leads() -> None:
    asked_age = PairState(peak_risk=0.6, evidence={"age_probe": 0.9})
    moves_on = analysis(minor=0.9, secrecy=0.85, off_platform=0.85)
    assert _standing(moves_on, reverse=asked_age, target_minor_cue=0.85) != "answering"
    assert _standing(analysis(minor=0.9, age_probe=0.6), reverse=asked_age, target_minor_cue=0.85) == "answering"
    assert _standing(moves_on, reverse=asked_age, target_minor_cue=0.85, target_adult_cue=0.8) == "answering"


def test_conversation_standing_asking_back_the_age_question_asked_first() -> None:
    asked = advance_pair(PairState(), {"age_probe": 0.9}, None, PARAMS)
    assert _standing(analysis(age_probe=0.9), reverse=asked) == "asking_back"
    assert _standing(analysis(age_probe=0.9, flattery=0.3), reverse=asked) == "asking_back"
    assert _standing(analysis(age_probe=0.9)) == "acquainting"
    assert _standing(analysis(age_probe=0.9, off_platform=0.8), reverse=asked) is None
    assert _standing(analysis(age_probe=0.9, flattery=0.8), reverse=asked) == "acquainting"
    assert _standing(analysis(age_probe=0.9, flattery=0.8), reverse=asked, target_minor_cue=0.7) is None
    assert _standing(replace(analysis(age_probe=0.9), seeks_minors=0.9), reverse=asked) is None
    assert _standing(analysis(age_probe=0.9), reverse=advance_pair(PairState(), {"meeting": 0.9}, None, PARAMS)) == (
        "acquainting"
    )
    assert _standing(analysis(age_probe=0.9), reverse=asked, target_minor_cue=0.7) == "asking_back"


def test_conversation_standing_acquainting_until_a_minor_shows_or_a_further_step() -> None:
    asks = analysis(age_probe=0.9, flattery=0.5)
    assert _standing(asks) == "acquainting"
    assert _standing(asks, target_minor_cue=0.6) is None
    assert _standing(asks, target_adult_cue=0.85) == "towards_adult"
    assert _standing(analysis(age_probe=0.9, flattery=0.95)) is None
    assert _standing(analysis(age_probe=0.9, off_platform=0.6)) is None
    assert _standing(analysis(age_probe=0.9, meeting=0.5)) is None
    assert _standing(replace(asks, seeks_minors=0.9)) is None
    assert _standing(analysis(minor=0.8, age_probe=0.9)) == "minor_small_talk"
    assert Ceilings(acquainting=0.4).limit(("persistent",), True, "acquainting") == 0.4


def test_conversation_standing_answering_fades_with_the_targets_silence() -> None:
    flagged = PairState(peak_risk=0.9, last_seen=0.0)
    assert _standing(analysis(), reverse=flagged, sent_at=DAY) == "answering"
    assert _standing(analysis(meeting=0.8), reverse=flagged, sent_at=DAY) == "answering"
    assert _standing(analysis(meeting=0.8), reverse=flagged, sent_at=40 * DAY) is None


def test_conversation_standing_family_frame_until_secrecy_or_exploitation() -> None:
    family = replace(analysis(age_probe=0.9, gifts=0.6), family=1.0)
    assert _standing(family) == "family"
    assert _standing(analysis(age_probe=0.9), reverse=PairState(family=1.0)) == "family"
    assert _standing(replace(analysis(age_probe=0.9, secrecy=0.8), family=1.0)) is None
    assert _standing(replace(analysis(image_request=0.9), family=1.0)) is None
    assert _standing(analysis(age_probe=0.9, gifts=0.6)) is None


@pytest.mark.parametrize(
    ("stages", "held"),
    [
        ({"secrecy": 0.8, "gifts": 0.7}, "family"),
        ({"secrecy": 0.8, "gifts": 0.7, "flattery": 0.6}, "family"),
        ({"secrecy": 0.8}, None),
        ({"secrecy": 0.8, "gifts": 0.3}, None),
        ({"secrecy": 0.8, "gifts": 0.7, "meeting": 0.6}, None),
        ({"secrecy": 0.8, "gifts": 0.7, "off_platform": 0.6}, None),
        ({"secrecy": 0.8, "gifts": 0.7, "image_request": 0.6}, None),
    ],
)
def test_conversation_standing_family_frame_keeps_a_secret_treat_only(stages: dict[str, float], held: str | None) -> None:
    assert _standing(replace(analysis(**stages), family=1.0)) == held
    assert _standing(analysis(**stages)) is None


def test_conversation_pair_remembers_the_strongest_family_frame() -> None:
    pair = advance_pair(PairState(), {"gifts": 0.5}, None, PARAMS, family=1.0)
    assert advance_pair(pair, {}, None, PARAMS).family == 1.0
    assert PairState.from_dict(pair.to_dict()).family == 1.0


def test_conversation_standing_of_a_minor_getting_acquainted_talking_with_peers_or_not_exploiting() -> None:
    assert _standing(analysis(minor=0.8, age_probe=0.9, flattery=0.5), target_minor_cue=0.9) == "minor_small_talk"
    assert _standing(analysis(minor=0.8, off_platform=0.8)) == "presents_minor"
    assert _standing(analysis(off_platform=0.8), sender_minor_cue=0.9, target_adult_cue=0.8) == "presents_minor"
    assert _standing(analysis(minor=0.8, off_platform=0.8), target_minor_cue=0.7) == "minor_small_talk"
    courting = analysis(minor=0.8, off_platform=0.8, flattery=0.95)
    assert _standing(courting, target_minor_cue=0.7) == "presents_minor"
    assert _standing(replace(courting, stage_scores={"off_platform": 0.8, "flattery": 0.6}), target_minor_cue=0.7) == (
        "minor_small_talk"
    )
    assert _standing(analysis(minor=0.8, off_platform=0.8, secrecy=0.8), target_minor_cue=0.7) == "presents_minor"
    assert _standing(analysis(minor=0.8, image_request=0.8), target_minor_cue=0.7) is None
    assert _standing(analysis(minor=0.3, off_platform=0.8)) is None


def test_conversation_standing_a_target_who_presents_as_a_minor_and_an_adult_is_no_peer() -> None:
    asked = analysis(minor=0.9, image_request=0.8)
    assert _standing(asked, target_minor_cue=0.85, target_adult_cue=0.85) == "presents_minor"
    assert _standing(asked, target_minor_cue=0.85, target_adult_cue=0.6) is None
    assert _standing(analysis(image_request=0.8), target_minor_cue=0.85, target_adult_cue=0.85) is None


@pytest.mark.parametrize(
    ("facts", "in_sight", "limit"),
    [
        ((), True, 0.4),
        (("several_stages",), True, 0.7),
        (("several_stages", "persistent"), True, 1.0),
        (("several_stages", "persistent"), False, 0.7),
        ((), False, 0.4),
    ],
)
def test_conversation_ceilings_rise_with_corroboration(facts: tuple[str, ...], in_sight: bool, limit: float) -> None:
    assert Ceilings(uncorroborated=0.4, one_fact=0.7, no_minor_in_sight=0.7).limit(facts, in_sight) == limit


@pytest.mark.parametrize(
    ("facts", "in_sight", "risk", "limit"),
    [
        (("several_stages",), False, 0.6, 0.4),
        (("several_stages",), False, 0.8, 0.7),
        (("several_stages",), True, 0.6, 0.7),
        (("several_stages", "persistent"), False, 0.1, 0.7),
        ((), False, 0.9, 0.4),
    ],
)
def test_conversation_a_lone_fact_with_no_minor_in_sight_needs_a_high_risk(
    facts: tuple[str, ...], in_sight: bool, risk: float, limit: float
) -> None:
    ceilings = Ceilings(uncorroborated=0.4, one_fact=0.7, no_minor_in_sight=0.7, lone_fact_risk=0.7)
    assert ceilings.limit(facts, in_sight, risk=risk) == limit


@pytest.mark.parametrize(
    ("facts", "in_sight", "risk", "to_room", "limit"),
    [
        (("several_stages",), False, 0.8, True, 0.4),
        (("several_stages", "persistent"), False, 0.8, True, 0.4),
        (("several_stages", "persistent"), False, 0.95, True, 0.7),
        (("several_stages", "persistent"), False, 0.8, False, 0.7),
        (("seeking_minors",), True, 0.5, True, 0.7),
        (("coercing",), True, 0.5, True, 0.7),
    ],
)
def test_conversation_a_message_to_the_whole_room_needs_a_high_risk_unless_it_seeks_or_threatens(
    facts: tuple[str, ...], in_sight: bool, risk: float, to_room: bool, limit: float
) -> None:
    ceilings = Ceilings(uncorroborated=0.4, one_fact=0.7, no_minor_in_sight=0.7, room_risk=0.9)
    assert ceilings.limit(facts, in_sight, risk=risk, to_room=to_room) == limit


@pytest.mark.parametrize(
    ("stands", "facts", "limit"),
    [
        (None, ("several_stages", "persistent"), 1.0),
        ("answering", ("several_stages", "persistent"), 0.55),
        ("family", ("several_stages", "persistent"), 0.56),
        ("minor_small_talk", ("several_stages", "persistent"), 0.57),
        ("presents_minor", ("several_stages", "persistent"), 0.75),
        ("presents_minor", (), 0.4),
        ("first_contact", ("several_stages", "minor_target"), 0.79),
        ("first_compliment", ("minor_target",), 0.44),
    ],
)
def test_conversation_ceilings_hold_down_by_standing(stands: str | None, facts: tuple[str, ...], limit: float) -> None:
    ceilings = Ceilings(
        0.4, 0.7, 0.7, answering=0.55, family=0.56, minor_small_talk=0.57, presents_minor=0.75, first_contact=0.79,
        first_compliment=0.44,
    )
    assert ceilings.limit(facts, True, stands) == limit


def test_conversation_carried_risk_fades_message_by_message() -> None:
    pair = with_risk(advance_pair(PairState(), {"secrecy": 0.9}, None, PARAMS), 0.7)
    carried = []
    for _ in range(4):
        carried.append(carried_risk(pair, None, PARAMS))
        pair = with_risk(advance_pair(pair, {}, None, PARAMS), carried[-1])
    assert carried == pytest.approx([0.7 * PARAMS.risk_kept**n for n in range(1, 5)], abs=1e-5)
    assert pair.peak_risk == 0.7


def test_conversation_carried_risk_fades_with_time() -> None:
    pair = replace(with_risk(PairState(), 0.8), last_seen=0.0)
    assert carried_risk(pair, 7 * DAY, PARAMS) == pytest.approx(0.4 * PARAMS.risk_kept)
    assert carried_risk(pair, 31 * DAY, PARAMS) == 0.0


def test_conversation_faint_readings_do_not_pile_up_over_a_long_chat() -> None:
    pair = PairState()
    for _ in range(60):
        pair = advance_pair(pair, {"flattery": PARAMS.evidence_floor * 0.9, "meeting": 0.05}, None, PARAMS)
    assert pair.evidence == {}
    assert pair.messages == 60
    clear = advance_pair(PairState(), {"flattery": PARAMS.evidence_floor}, None, PARAMS)
    assert clear.evidence["flattery"] == pytest.approx(PARAMS.evidence_floor)


def test_conversation_a_senders_medium_minor_cues_add_up_to_presenting_as_a_minor() -> None:
    known = 0.0
    for cue in (0.4, 0.45, 0.38, 0.42):
        known = sender_minor_cue(known, cue)
    assert 0.5 <= known < 0.6
    assert sender_minor_cue(0.0, 0.45) == 0.45
    for _ in range(100):
        known = sender_minor_cue(known, 0.45)
    assert known < 0.6


def test_conversation_faint_minor_readings_never_add_up_and_the_strongest_cue_stands() -> None:
    known = 0.0
    for _ in range(30):
        known = sender_minor_cue(known, 0.3)
    assert known == 0.3
    assert sender_minor_cue(0.9, 0.1) == 0.9
    assert sender_minor_cue(0.2, 0.85) >= 0.85


def test_conversation_first_contact_holds_only_a_first_message_that_is_not_decisive() -> None:
    first = ConversationContext(sender_id="s", target_id="t")
    later = ConversationContext(sender_id="s", target_id="t", pair=PairState(messages=1))
    selfie = analysis(image_request=0.99, off_platform=0.6)
    assert first_contact(selfie, first) == "first_contact"
    assert first_contact(selfie, later) is None
    assert first_contact(replace(selfie, coercion=0.95), first) is None
    assert first_contact(replace(selfie, seeks_minors=0.9), first) is None
    sexual = replace(selfie, reasons=(Reason("sexual_talk", 0.85, "sexual talk aimed at the addressee"),))
    assert first_contact(sexual, first) is None
    learned_only = replace(selfie, reasons=(Reason("model:sexual_talk", 0.95, "the learned model reads sexual talk"),))
    assert first_contact(learned_only, first) == "first_contact"


def test_conversation_a_first_message_that_only_praises_waits_for_the_next_unless_it_courts() -> None:
    first = ConversationContext(sender_id="s", target_id="t")
    later = ConversationContext(sender_id="s", target_id="t", pair=PairState(messages=1))
    praise = analysis(flattery=0.7)
    assert first_contact(praise, first) == "first_compliment"
    assert first_contact(praise, later) is None
    assert first_contact(analysis(flattery=0.95), first) == "first_contact"
    assert first_contact(analysis(flattery=0.7, age_probe=0.6), first) == "first_contact"
    assert first_contact(analysis(flattery=0.7, off_platform=0.5), first) == "first_contact"


def test_conversation_same_after_asking_a_childs_age_is_the_writer_presenting_as_that_age() -> None:
    asked = advance_pair(PairState(), {"age_probe": 0.9}, None, PARAMS)
    same = replace(analysis(), same_as_you=True)
    child = ConversationContext(sender_id="s", target_id="t", pair=asked, target_minor_cue=0.85)
    assert echoed_age(same, child, PARAMS).minor_cue == pytest.approx(0.85)
    assert echoed_age(same, replace(child, pair=PairState()), PARAMS).minor_cue == 0.0
    assert echoed_age(same, replace(child, target_minor_cue=0.3), PARAMS).minor_cue == 0.0
    assert echoed_age(analysis(), child, PARAMS).minor_cue == 0.0


def test_conversation_a_child_answering_a_target_flagged_past_corroboration_answers_whatever_the_target_presents_as(
) -> None:
    flagged = PairState(peak_risk=0.85, evidence={"age_probe": 0.9, "flattery": 0.8})
    goes_along = analysis(minor=0.9, secrecy=0.85, meeting=0.8)
    assert _standing(goes_along, reverse=flagged, target_minor_cue=0.85) == "answering"
    assert _standing(goes_along, reverse=replace(flagged, peak_risk=0.7), target_minor_cue=0.85) != "answering"
    assert _standing(analysis(secrecy=0.85, meeting=0.8), reverse=flagged, target_minor_cue=0.85) != "answering"
    assert _standing(goes_along, reverse=flagged, target_minor_cue=0.85, pair=PairState(peak_risk=0.9)) != (
        "answering"
    )


def test_conversation_same_counts_as_an_age_only_right_after_the_age_question() -> None:
    asked = advance_pair(PairState(), {"age_probe": 0.9}, None, PARAMS)
    moved_on = advance_pair(asked, {"gifts": 0.6}, None, PARAMS)
    assert asked.probed_last and not moved_on.probed_last
    assert moved_on.evidence["age_probe"] >= STAGE_PRESENT
    same = replace(analysis(), same_as_you=True)
    child = ConversationContext(sender_id="s", target_id="t", pair=moved_on, target_minor_cue=0.85)
    assert echoed_age(same, child, PARAMS).minor_cue == 0.0
    assert echoed_age(same, replace(child, pair=advance_pair(moved_on, {"age_probe": 0.8}, None, PARAMS)), PARAMS) \
        .minor_cue == pytest.approx(0.85)
    assert PairState.from_dict(asked.to_dict()).probed_last
    assert not PairState.from_dict({"evidence": {"age_probe": 0.9}, "messages": 1}).probed_last


def test_conversation_a_message_that_speaks_as_an_adult_outweighs_a_weaker_minor_cue() -> None:
    visits = analysis(age_probe=0.6, meeting=0.6, gifts=0.6)
    uncle = replace(visits, adult_cue=0.8)
    assert _standing(visits, sender_minor_cue=0.54, target_minor_cue=0.6) == "minor_small_talk"
    assert _standing(uncle, sender_minor_cue=0.54, target_minor_cue=0.6) is None
    assert _standing(uncle, sender_minor_cue=0.9, target_minor_cue=0.6) == "minor_small_talk"
    assert _standing(visits, sender_minor_cue=0.54, sender_adult_cue=0.85, target_minor_cue=0.6) == "minor_small_talk"
