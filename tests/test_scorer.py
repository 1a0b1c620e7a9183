"""The scorer's contract and behaviour, on the rules + conversation path (and the full path where the encoder is built).

Conversations here are written for the tests; every name and handle is invented.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from classifiers.encoder import encoder_files_present
from classifiers.scorer import RULES_HEAD, WEIGHTS_DIR, Scorer, load_scorer
from classifiers.types import ConversationContext, PairState, Score, SenderState

MODEL_DIR = Path("var/models")
REVIEW, WARN, DELETE = 0.45, 0.6, 0.8

SLOW_EN = [
    ("kid", None, "finally finished my pixel art dragon!! took me the whole weekend after homework lol"),
    ("max", "kid", "this is honestly better than stuff I see from adults. you've got real talent"),
    ("kid", "max", "omg thank you!! im only 12 so that means a lot"),
    ("max", "kid", "12 and this good? you're so mature for your age. which school do you go to?"),
    ("max", "kid", "I could buy you the pro brush pack as a gift, just between us ok? don't tell your parents"),
    ("max", "kid", "add me on snap so we can chat properly, it's max.draws.99"),
    ("max", "kid", "we should meet at the mall on saturday, I'll pick you up and get you some art supplies"),
]
SLOW_ZH = [
    ("kid", None, "第一次发自己画的画 求轻喷 我才初一"),
    ("lao", "kid", "画得真好 比很多大人都强 你好有天赋"),
    ("kid", "lao", "谢谢叔叔"),
    ("lao", "kid", "你在哪个学校呀 几年级了 放学一般几点到家"),
    ("lao", "kid", "我送你一套皮肤吧 别告诉你爸妈 这是我们的小秘密"),
    ("lao", "kid", "加我微信聊 v信号 lao8866 这里说话不方便"),
    ("lao", "kid", "周末出来见个面吧 我开车去你学校门口接你"),
]
REPORTING = "PSA for parents: an account in this group asked my son how old he is and told him to add him on snap and keep it secret. Reported to the mods."
REPORTING_ZH = "提醒各位家长：群里有人私信我女儿问她几年级，还让她加微信别告诉大人，已经举报给管理员了"


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return load_scorer(model_dir=MODEL_DIR, use_encoder=False)


def replay(scorer: Scorer, lines: list[tuple[str, str | None, str]]) -> list[tuple[str, Score]]:
    """Run lines through the scorer keeping state as the pipeline does."""
    pairs: dict[tuple[str, str | None], PairState] = {}
    senders: dict[str, SenderState] = {}
    minor: dict[str, float] = {}
    adult: dict[str, float] = {}
    analyses = scorer.analyze([text for _, _, text in lines])
    results = []
    for (sender, target, _), analysis in zip(lines, analyses, strict=True):
        context = ConversationContext(
            sender_id=sender,
            target_id=target,
            pair=pairs.get((sender, target), PairState()),
            reverse=pairs.get((target, sender), PairState()) if target else PairState(),
            sender=senders.get(sender, SenderState()),
            target_minor_cue=minor.get(target, 0.0) if target else 0.0,
            target_adult_cue=adult.get(target, 0.0) if target else 0.0,
            sender_minor_cue=minor.get(sender, 0.0),
            sender_adult_cue=adult.get(sender, 0.0),
        )
        score = scorer.combine(analysis, context)
        pairs[(sender, target)], senders[sender] = score.pair, score.sender
        minor[sender] = max(minor.get(sender, 0.0), score.minor_cue)
        adult[sender] = max(adult.get(sender, 0.0), score.adult_cue)
        results.append((sender, score))
    return results


def test_scorer_batch_in_batch_out_same_length(scorer: Scorer) -> None:
    items = [(text, ConversationContext(sender_id=sender, target_id=target)) for sender, target, text in SLOW_EN]
    scores = scorer.score(items)
    assert len(scores) == len(items)
    assert all(isinstance(score, Score) and 0.0 <= score.risk <= 1.0 for score in scores)
    assert all(score.model_version == scorer.version for score in scores)


def test_scorer_empty_batch_gives_empty_list(scorer: Scorer) -> None:
    assert scorer.analyze([]) == []
    assert scorer.score([]) == []


def test_scorer_reasons_present_and_ordered(scorer: Scorer) -> None:
    _, last = replay(scorer, SLOW_EN)[-1]
    assert last.reasons, "a risky message must carry reasons"
    assert all(0.0 <= reason.score <= 1.0 and reason.detail for reason in last.reasons)
    assert any(reason.signal.startswith("stage:") for reason in last.reasons)
    assert last.stages and set(last.stages) <= set(last.pair.evidence)


def test_scorer_combine_is_pure_and_deterministic(scorer: Scorer) -> None:
    analysis = scorer.analyze([SLOW_EN[4][2]])[0]
    context = ConversationContext(sender_id="max", target_id="kid", target_minor_cue=0.9)
    first, second = scorer.combine(analysis, context), scorer.combine(analysis, context)
    assert first == second
    assert context == ConversationContext(sender_id="max", target_id="kid", target_minor_cue=0.9)


def test_scorer_state_round_trips_through_dicts(scorer: Scorer) -> None:
    _, score = replay(scorer, SLOW_EN)[-1]
    assert PairState.from_dict(score.pair.to_dict()) == score.pair
    assert SenderState.from_dict(score.sender.to_dict()) == score.sender


@pytest.mark.parametrize("lines", [SLOW_EN, SLOW_ZH], ids=["en", "zh"])
def test_scorer_slow_grooming_caught_before_meeting_request(scorer: Scorer, lines: list) -> None:
    results = replay(scorer, lines)
    groomer = lines[1][0]
    before_meeting = [score.risk for sender, score in results[:-1] if sender == groomer]
    assert max(before_meeting) >= REVIEW, f"risks before the meeting request: {before_meeting}"
    assert results[-1][1].risk >= REVIEW


@pytest.mark.parametrize("lines", [SLOW_EN, SLOW_ZH], ids=["en", "zh"])
def test_scorer_child_side_not_punished(scorer: Scorer, lines: list) -> None:
    kid = [score.risk for sender, score in replay(scorer, lines) if sender == "kid"]
    assert max(kid) < REVIEW


@pytest.mark.parametrize("text", [REPORTING, REPORTING_ZH], ids=["en", "zh"])
def test_scorer_reporting_message_not_punished(scorer: Scorer, text: str) -> None:
    (_, score), = replay(scorer, [("parent", None, text)])
    assert score.risk < REVIEW


def test_scorer_refuses_missing_weights(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_scorer(model_dir=MODEL_DIR, weights_dir=tmp_path, use_encoder=False)


def test_scorer_refuses_missing_encoder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="setup-model"):
        load_scorer(model_dir=tmp_path / "nothing", use_encoder=True)


def test_scorer_version_follows_weights(tmp_path: Path) -> None:
    (tmp_path / RULES_HEAD).write_bytes((WEIGHTS_DIR / RULES_HEAD).read_bytes())
    copied = load_scorer(model_dir=MODEL_DIR, weights_dir=tmp_path, use_encoder=False)
    assert copied.version == load_scorer(model_dir=MODEL_DIR, use_encoder=False).version
    head = json.loads((tmp_path / RULES_HEAD).read_text())
    head["intercept"] += 0.5
    (tmp_path / RULES_HEAD).write_text(json.dumps(head))
    assert load_scorer(model_dir=MODEL_DIR, weights_dir=tmp_path, use_encoder=False).version != copied.version


@pytest.mark.model
@pytest.mark.skipif(not encoder_files_present(MODEL_DIR, "onnx-int8"), reason="encoder not built: python bot.py setup-model")
@pytest.mark.parametrize("lines", [SLOW_EN, SLOW_ZH], ids=["en", "zh"])
def test_scorer_full_catches_slow_grooming_and_spares_child(lines: list) -> None:
    full = load_scorer(model_dir=MODEL_DIR, use_encoder=True)
    results = replay(full, lines)
    groomer = lines[1][0]
    assert max(score.risk for sender, score in results[:-1] if sender == groomer) >= REVIEW
    assert max(score.risk for sender, score in results if sender == "kid") < REVIEW
    assert any(reason.signal.startswith("model:") for _, score in results for reason in score.reasons)


def test_scorer_message_risk_ignores_context(scorer: Scorer) -> None:
    analysis = scorer.analyze([SLOW_EN[4][2]])[0]
    plain = scorer.combine(analysis, ConversationContext(sender_id="max", target_id="kid"))
    primed = scorer.combine(analysis, ConversationContext(sender_id="max", target_id="kid", target_minor_cue=1.0,
                                                          pair=replace(PairState(), evidence={"age_probe": 0.9})))
    assert plain.message_risk == primed.message_risk
    assert primed.risk >= plain.risk


@pytest.mark.parametrize(
    "text",
    [
        "hey how old are you?",
        "你今年多大了呀",
        "add me on snap: max.draws.99",
        "keep this our little secret ok",
        "加我微信 lao8866 私聊",
    ],
)
def test_scorer_lone_message_to_unknown_user_stays_below_review(scorer: Scorer, text: str) -> None:
    [score] = scorer.score([(text, ConversationContext(sender_id="stranger", target_id="someone"))])
    assert score.risk < REVIEW, (text, score.risk)
    assert score.message_risk < REVIEW


def test_scorer_names_the_corroboration_limit_when_it_holds_risk_down(scorer: Scorer) -> None:
    [score] = scorer.score([("hey how old are you?", ConversationContext(sender_id="a", target_id="b"))])
    limit = next(reason for reason in score.reasons if reason.signal == "limit:uncorroborated")
    assert limit.score == pytest.approx(score.risk, abs=1e-6)
    assert "corroborated" in limit.detail and "minor" not in limit.detail.split(";")[0]


def test_scorer_probe_then_image_request_to_a_minor_is_punitive(scorer: Scorer) -> None:
    lines = [
        ("kid", None, "im 12 and so bored"),
        ("stranger", "kid", "hey cutie how old are u? which school?"),
        ("stranger", "kid", "send me a pic of you in your swimsuit, just for me"),
    ]
    scores = [score for _, score in replay(scorer, lines)]
    assert scores[1].risk < DELETE
    assert scores[2].risk >= DELETE
    assert not any(reason.signal == "limit:uncorroborated" for reason in scores[2].reasons)


def test_scorer_a_first_message_alone_is_warned_not_punished(scorer: Scorer) -> None:
    lines = [
        ("kid", None, "im 12 and so bored"),
        ("stranger", "kid", "hey cutie how old are u? add my snap, send me a pic of you in your swimsuit, just for me"),
        ("stranger", "kid", "dont tell your mom ok? send it now"),
    ]
    scores = [score for _, score in replay(scorer, lines)]
    assert WARN <= scores[1].risk < DELETE
    assert scores[1].reasons[0].signal == "limit:first_contact"
    assert scores[2].risk >= DELETE


CHILD_ANSWERS = [
    ("kid", None, "im 12 and so bored, mom took my switch"),
    ("stranger", "kid", "hey cutie how old are u? which school?"),
    ("stranger", "kid", "send me a pic of you in your swimsuit, just for me. dont tell your mom"),
    ("stranger", "kid", "add me on snap and we can meet at the mall on saturday, I'll buy you a new game"),
    ("kid", "stranger", "ok i'll add u on snap. i wont tell my mom, she would take my phone"),
    ("kid", "stranger", "can u pick me up from the mall saturday? i can send u a pic first"),
]


def test_scorer_child_answering_a_flagged_groomer_is_held_under_review(scorer: Scorer) -> None:
    scores = [score for _, score in replay(scorer, CHILD_ANSWERS)]
    assert scores[2].risk >= DELETE
    kid = scores[-1]
    limit = next(reason for reason in kid.reasons if reason.signal == "limit:answering")
    assert kid.risk == pytest.approx(limit.score, abs=1e-6) and kid.risk < REVIEW
    assert "answers a user" in limit.detail


CHILD_LEADS = [
    ("kid", "stranger", "im 12 lol. skipping class in the bathroom rn, dont tell my teacher"),
    ("stranger", "kid", "haha our secret. send me a mirror pic of you without the school jacket"),
    ("stranger", "kid", "add me on snap, dont tell your mom, ill buy you a skin"),
]


def test_scorer_adult_following_a_childs_lead_is_not_held_as_answering(scorer: Scorer) -> None:
    scores = [score for _, score in replay(scorer, CHILD_LEADS)]
    assert not any(reason.signal == "limit:answering" for score in scores[1:] for reason in score.reasons)
    assert scores[-1].risk >= WARN


def test_scorer_self_declared_minor_stays_under_delete_towards_a_non_minor(scorer: Scorer) -> None:
    lines = [
        ("teen", None, "im 13 lol"),
        ("teen", "older", "how old are you? send me a pic, dont tell anyone. add me on snap"),
        ("teen", "older", "send me a pic of you shirtless. add me on snap: teen.k22, its our secret"),
    ]
    scores = [score for _, score in replay(scorer, lines)]
    assert all(score.risk < DELETE for score in scores)
    assert any(reason.signal == "limit:presents_minor" for reason in scores[-1].reasons)


ADULT_DATE = [
    ("nora", None, "anyone going to the indie show on friday? 34 and new in town"),
    ("sam", "nora", "me! dinner before? I'll pick you up at 7, send a pic of your outfit so I spot you"),
]


def test_scorer_a_lone_fact_with_no_minor_in_sight_needs_the_heads_risk(scorer: Scorer) -> None:
    bars = {0.0: None, 1.0: None}
    for bar in bars:
        ceilings = replace(scorer.conversation.ceilings, lone_fact_risk=bar)
        barred = replace(scorer, conversation=replace(scorer.conversation, ceilings=ceilings))
        bars[bar] = replay(barred, ADULT_DATE)[-1][1]
    assert bars[1.0].risk < REVIEW
    assert any(reason.signal == "limit:uncorroborated" for reason in bars[1.0].reasons)
    assert bars[0.0].risk > bars[1.0].risk


TWO_KIDS = [
    ("mia", None, "im 12 and finally got snap!!"),
    ("zoe", "mia", "omg me too im 12, add me: zoe.skates"),
    ("zoe", "mia", "lets meet at the mall saturday with my mom"),
]


def test_scorer_two_minors_adding_each_other_stay_under_review(scorer: Scorer) -> None:
    scores = [score for _, score in replay(scorer, TWO_KIDS)]
    assert all(score.risk < REVIEW for score in scores)
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    held = [score for _, score in replay(alarmed, TWO_KIDS)]
    assert all(score.risk < REVIEW for score in held[1:])
    assert all(any(reason.signal == "limit:minor_small_talk" for reason in score.reasons) for score in held[1:])


def test_scorer_a_child_who_answers_an_age_with_same_is_a_peer(scorer: Scorer) -> None:
    lines = [
        ("mia", None, "is this the 7b chat??"),
        ("zoe", "mia", "hiii welcome!! how old r u"),
        ("mia", "zoe", "12"),
        ("zoe", "mia", "same!! add me on snap its zoe.skates"),
    ]
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    last = replay(alarmed, lines)[-1][1]
    assert last.minor_cue >= 0.85
    assert any(reason.signal == "limit:minor_small_talk" for reason in last.reasons)


def test_scorer_a_teenager_courting_a_child_as_mature_for_her_age_is_not_small_talk(scorer: Scorer) -> None:
    lines = [*TWO_KIDS[:1], ("zoe", "mia", "omg im 15, ur so mature for ur age, add me: zoe.skates")]
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    last = replay(alarmed, lines)[-1][1]
    assert not any(reason.signal == "limit:minor_small_talk" for reason in last.reasons)
    assert last.risk >= REVIEW


def test_scorer_a_minor_who_asks_another_for_secrecy_and_pictures_is_not_small_talk(scorer: Scorer) -> None:
    lines = [*TWO_KIDS[:2], ("zoe", "mia", "send me a pic in ur pjs and dont tell ur mom, its our secret")]
    last = replay(scorer, lines)[-1][1]
    assert not any(reason.signal == "limit:minor_small_talk" for reason in last.reasons)


POSER_LEADS = [
    ("kid", None, "im 13 and so bored, mom took my switch"),
    ("poser", "kid", "im 14 too lol. send me a pic of u in ur pjs, dont tell ur mom. add my snap: poser.14"),
    ("kid", "poser", "ok ill add u but dont tell anyone ok? send me a pic of urs first"),
]


def test_scorer_child_answering_someone_posing_as_a_child_is_held_under_review(scorer: Scorer) -> None:
    scores = [score for _, score in replay(scorer, POSER_LEADS)]
    assert scores[1].risk >= WARN
    kid = scores[-1]
    assert kid.risk < REVIEW
    assert any(reason.signal == "limit:answering" for reason in kid.reasons)


def _age_answered(scorer: Scorer, age_reply: str) -> list[Score]:
    lines = [
        ("gamer", None, "anyone up for a match"),
        ("drifter", "gamer", "how old r u?"),
        ("gamer", "drifter", age_reply),
        ("drifter", "gamer", "cool. add me on snap drift.k77, keep it between us"),
    ]
    return [score for _, score in replay(scorer, lines)]


def test_scorer_a_bare_age_given_in_answer_is_the_answerers_age(scorer: Scorer) -> None:
    child, adult = _age_answered(scorer, "12 lol"), _age_answered(scorer, "31 lol, why")
    assert (child[2].minor_cue, adult[2].adult_cue) == (0.85, 0.85)
    assert child[3].risk >= WARN > adult[3].risk
    assert _age_answered(scorer, "12 points last round")[2].minor_cue < 0.5


def test_scorer_a_threat_to_share_pictures_is_acted_on_with_no_minor_in_sight(scorer: Scorer) -> None:
    lines = [("blackmailer", "target", "you remember the pics you sent? send 3 more tonight or i post them in ur class group")]
    score = replay(scorer, lines)[0][1]
    assert score.risk >= WARN
    top = " ".join(reason.detail for reason in score.reasons[:3])
    assert "threatens to share" in top
    assert "no sign yet that the other user is a minor" not in top


def test_scorer_a_first_compliment_to_a_child_waits_for_what_comes_next(scorer: Scorer) -> None:
    lines = [
        ("kid", None, "my first dance video!! im 10 pls be nice"),
        ("fan", "kid", "omg you dance so well, so talented!!"),
        ("fan", "kid", "how old are u? add me on snap, dont tell ur mom"),
    ]
    scores = [score for _, score in replay(scorer, lines)]
    assert scores[1].risk < REVIEW
    assert scores[2].risk >= WARN


def test_scorer_a_child_asking_back_the_age_a_stranger_asked_is_held_under_review(scorer: Scorer) -> None:
    lines = [
        ("stranger", "kid", "hey cutie asl?"),
        ("kid", "stranger", "13 f cali, how old r u?"),
        ("kid", "stranger", "what school do u go to? where do u live?"),
    ]
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    asked_back = [score for sender, score in replay(alarmed, lines) if sender == "kid"]
    assert all(score.risk < REVIEW for score in asked_back)
    assert any(reason.signal == "limit:asking_back" for reason in asked_back[-1].reasons)
    unasked = replay(alarmed, lines[1:])
    assert not any(reason.signal == "limit:asking_back" for _, score in unasked for reason in score.reasons)


def test_scorer_a_family_secret_treat_stays_under_review_and_a_secret_meeting_does_not(scorer: Scorer) -> None:
    lines = [
        ("uncle", "lily", "舅舅给你充了点券 别跟你妈说"),
        ("uncle", "lily", "周六我去学校门口接你 就我们俩 别让你妈知道"),
    ]
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    treat, meeting = (score for _, score in replay(alarmed, lines))
    assert treat.risk < REVIEW
    assert any(reason.signal == "limit:family" for reason in treat.reasons)
    assert meeting.risk >= WARN
    assert not any(reason.signal == "limit:family" for reason in meeting.reasons)


def test_scorer_a_one_step_first_message_to_a_child_waits_for_a_second(scorer: Scorer) -> None:
    kid = ("kid", None, "我五年级 今天作业好多")
    ceilings = replace(scorer.conversation.ceilings, one_step_opening=scorer.conversation.ceilings.uncorroborated)
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0, ceilings=ceilings))
    one_step = [kid, ("classmate", "kid", "加个微信互相监督吧"), ("classmate", "kid", "周末出来见面 别告诉你爸妈")]
    _, opening, second = (score for _, score in replay(alarmed, one_step))
    assert opening.risk < REVIEW
    assert opening.reasons[0].signal == "limit:uncorroborated"
    assert "waits for a second" in opening.reasons[0].detail
    assert second.risk >= WARN
    _, two_steps = (score for _, score in replay(alarmed, [kid, ("stranger", "kid", "加个微信吧 别告诉你爸妈")]))
    assert two_steps.risk >= WARN


ROOM_GIVEAWAY = [("streamer", None, "giveaway! add my snap and dm me a selfie to enter, dont tell the mods")]
ROOM_SEARCH = [("stranger", None, "who here is under 14? free gems for the young players, add my snap")]


def test_scorer_a_message_to_the_whole_room_needs_the_heads_risk_unless_it_looks_for_children(scorer: Scorer) -> None:
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=2.0))
    bars = {}
    for bar in (0.0, 1.0):
        ceilings = replace(alarmed.conversation.ceilings, room_risk=bar)
        barred = replace(alarmed, conversation=replace(alarmed.conversation, ceilings=ceilings))
        bars[bar] = (replay(barred, ROOM_GIVEAWAY)[-1][1], replay(barred, ROOM_SEARCH)[-1][1])
    assert bars[0.0][0].risk >= REVIEW
    assert bars[1.0][0].risk < REVIEW
    assert "addressed to the whole room" in bars[1.0][0].reasons[0].detail
    assert bars[1.0][1].risk == bars[0.0][1].risk >= REVIEW


def test_scorer_me_too_long_after_the_age_question_is_not_the_writers_age(scorer: Scorer) -> None:
    lines = [
        ("kid", None, "anyone else stuck doing homework on a friday night"),
        ("drifter", "kid", "how old r u?"),
        ("kid", "drifter", "13"),
        ("drifter", "kid", "nice. u got snap? add me drift.k77"),
        ("kid", "drifter", "im so bored"),
        ("drifter", "kid", "me too"),
    ]
    scores = [score for _, score in replay(scorer, lines)]
    assert scores[2].minor_cue >= 0.85
    assert scores[-1].minor_cue < 0.5
    right_after = [*lines[:3], ("drifter", "kid", "me too")]
    assert replay(scorer, right_after)[-1][1].minor_cue >= 0.85


def test_scorer_a_man_who_calls_himself_uncle_is_no_childs_peer(scorer: Scorer) -> None:
    lines = [
        ("kid", None, "放学啦 今天作业好少 我初一"),
        ("dashu", "kid", "我是学生 放学了吗 今天爸妈在家吗"),
        ("kid", "dashu", "没 就我和奶奶"),
        ("dashu", "kid", "你家在哪个小区呀 叔叔晚上给你带零食过去"),
    ]
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    scores = [score for _, score in replay(alarmed, lines)]
    assert 0.5 <= scores[1].minor_cue < 0.8
    assert any(reason.signal == "limit:minor_small_talk" for reason in scores[1].reasons)
    assert not any(reason.signal.startswith("limit:") for reason in scores[-1].reasons)
    assert scores[-1].risk >= WARN


def test_scorer_questions_that_only_get_acquainted_wait_for_a_minor_cue_or_a_further_step(scorer: Scorer) -> None:
    lines = [
        ("newbie", "runner", "how old r u?"),
        ("newbie", "runner", "where do u live? u walk home alone after?"),
        ("runner", "newbie", "yea westfield middle 😄"),
        ("newbie", "runner", "what time does practice end?"),
    ]
    alarmed = replace(scorer, conversation=replace(scorer.conversation, intercept=10.0))
    _, asked, answer, after_answer = (score for _, score in replay(alarmed, lines))
    assert asked.risk < REVIEW
    assert asked.reasons[0].signal == "limit:acquainting"
    assert answer.minor_cue >= 0.5
    assert after_answer.risk >= REVIEW
    assert not any(reason.signal == "limit:acquainting" for reason in after_answer.reasons)
    _, moved = replay(alarmed, [lines[0], ("newbie", "runner", "add my snap, dont tell ur mom")])
    assert moved[1].risk >= WARN
    assert not any(reason.signal == "limit:acquainting" for reason in moved[1].reasons)
