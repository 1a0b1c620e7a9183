"""The stage heads' fusion with the rule layer, on hand-set heads (no encoder needed)."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.heads import RULE_INPUTS, StageHeads
from classifiers.signals import analyze_text

OUTPUTS = ("secrecy", "image_request", "minor_cue", "adult_cue", "quoting")
DIM = 4


def heads_reading(**logits: float) -> StageHeads:
    """Heads that ignore their inputs and read a fixed probability per output (from its logit)."""
    bias = np.array([logits.get(name, -40.0) for name in OUTPUTS])
    weights = np.zeros((len(OUTPUTS), DIM + len(RULE_INPUTS)))
    return StageHeads(outputs=OUTPUTS, weights=weights, bias=bias, encoder_version="test")


def fused(heads: StageHeads, text: str):  # noqa: ANN201
    return heads.fuse([analyze_text(text)], np.zeros((1, DIM)))[0]


def test_heads_fused_stage_never_falls_below_the_rule_reading() -> None:
    text = "don't tell your parents about us"
    assert fused(heads_reading(), text).stage_scores["secrecy"] == pytest.approx(
        analyze_text(text).stage_scores["secrecy"]
    )
    assert fused(heads_reading(secrecy=3.0), "see you soon").stage_scores["secrecy"] > 0.9


def test_heads_learned_quoting_alone_does_not_discount_a_message() -> None:
    assert fused(heads_reading(quoting=2.0), "add me on snap, dont tell your mom").quoting == 0.0


def test_heads_learned_quoting_strengthens_a_report_the_rules_found() -> None:
    report = "PSA: someone in this group told my son 'add me on snap, dont tell your mom'. reported to the mods"
    rules = analyze_text(report).quoting
    assert 0.0 < rules < 0.99
    assert fused(heads_reading(quoting=6.0), report).quoting > rules


def test_heads_family_frame_weakens_the_learned_stage_readings_as_it_weakens_the_rules() -> None:
    heads = heads_reading(image_request=2.0)
    stranger = fused(heads, "send a picture of you in your new uniform")
    grandma = fused(heads, "sweetheart send grandma a picture of you in your new uniform")
    assert grandma.family >= 0.5
    assert grandma.stage_scores["image_request"] == pytest.approx(stranger.stage_scores["image_request"] * 0.7)


def test_heads_a_surprise_for_someone_else_weakens_the_learned_secrecy() -> None:
    heads = heads_reading(secrecy=2.0)
    hidden = fused(heads, "dont tell your brother ok")
    surprise = fused(heads, "dont tell your brother, the cake is for his birthday")
    assert surprise.surprise >= 0.5
    assert surprise.stage_scores["secrecy"] == pytest.approx(hidden.stage_scores["secrecy"] * 0.3, rel=0.05)


def test_heads_family_frame_does_not_excuse_what_the_rules_read_as_exploitation() -> None:
    heads = heads_reading(image_request=2.0)
    text = "sweetheart send grandma a nude pic of you"
    assert analyze_text(text).stage_scores["image_request"] >= 0.6
    assert fused(heads, text).stage_scores["image_request"] >= fused(heads, "hello").stage_scores["image_request"]
