"""How the evaluation lays out the Perverted-Justice cases it replays."""

from __future__ import annotations

from classifiers.training.datasets import SideLines
from classifiers.training.evaluate import interleaved


def test_interleaved_keeps_each_side_in_order_and_spreads_the_shorter_side() -> None:
    case = SideLines(case="c1", offender=("o1", "o2", "o3", "o4"), decoy=("d1", "d2"))
    chat = interleaved(case)
    assert [turn.text for turn in chat.turns] == ["o1", "o2", "d1", "o3", "o4", "d2"]
    assert {(turn.sender, turn.to) for turn in chat.turns} == {("groomer", "decoy"), ("decoy", "groomer")}
    assert chat.offender == "groomer" and chat.group == "c1"


def test_interleaved_puts_an_answer_after_the_line_at_the_same_position() -> None:
    case = SideLines(case="c2", offender=("o1", "o2"), decoy=("d1", "d2"))
    assert [turn.text for turn in interleaved(case).turns] == ["o1", "d1", "o2", "d2"]
