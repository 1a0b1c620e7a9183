"""Which training conversations teach which learned part, and where training places the standings' ceilings."""

from __future__ import annotations

from classifiers.conversation import STANDINGS
from classifiers.explain import STANDING_LABELS
from classifiers.signals import analyze_text
from classifiers.training.datasets import Conversation, Turn
from classifiers.training.examples import own_corpus
from classifiers.training.train import conversation_part, ladder_ceilings, training_conversations


def _conversation(case_id: str, text: str) -> Conversation:
    turn = Turn(sender="u1", to="u2", text=text)
    return Conversation(
        id=case_id, lang="en", label="benign", kind="ordinary", offender=None, first_actionable=None, turns=(turn,),
        group=case_id,
    )


def test_training_conversation_heads_skip_the_stage_only_conversations_and_keep_the_readings_aligned() -> None:
    conversations = [_conversation("train-1", "hi all"), _conversation("stages_s11a-001", "add me"),
                     _conversation("train-2", "see you at practice")]
    readings = [[analyze_text(conversation.turns[0].text)] for conversation in conversations]
    kept, kept_readings = conversation_part(conversations, readings, frozenset({"stages_s11a-001"}))
    assert [conversation.id for conversation in kept] == ["train-1", "train-2"]
    assert [reading[0].normalized for reading in kept_readings] == ["hi all", "see you at practice"]


def test_training_reads_the_stage_only_files_with_the_training_corpus() -> None:
    corpus = own_corpus()
    ids = {conversation.id for conversation in training_conversations(corpus, None)}
    assert {conversation.id for conversation in corpus.stages} <= ids
    assert {conversation.id for conversation in corpus.train} <= ids


def test_training_ladder_ceilings_hold_every_standing_on_a_ladder_level_and_explain_it() -> None:
    levels = (0.45, 0.6, 0.8, 0.92, 0.985)
    ceilings = ladder_ceilings(levels, margin=0.005)
    for name in STANDINGS:
        assert getattr(ceilings, name) in (0.445, 0.795), name
        assert name in STANDING_LABELS, name
    assert ceilings.asking_back == ceilings.answering == 0.445


def test_training_ladder_ceilings_carry_the_risk_bars_training_chose() -> None:
    levels = (0.45, 0.6, 0.8, 0.92, 0.985)
    ceilings = ladder_ceilings(levels, margin=0.005, lone_fact_risk=0.7, room_risk=0.9, one_step_waits=True)
    assert (ceilings.lone_fact_risk, ceilings.room_risk, ceilings.one_step_opening) == (0.7, 0.9, 0.445)
    plain = ladder_ceilings(levels, margin=0.005)
    assert (plain.lone_fact_risk, plain.room_risk, plain.one_step_opening) == (0.0, 0.0, 1.0)
