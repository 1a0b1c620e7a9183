"""The detector must not fall behind the figures of its model card (``classifiers/weights/metrics.json``).

The development-set and written-apart parts (``APART_SETS``) always run (rules + conversation path; the full path
where the encoder is built).
The held-out part needs the shared research data next to the project (``../shared/data``) and skips without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers.encoder import encoder_files_present
from classifiers.scorer import WEIGHTS_DIR, load_scorer
from classifiers.training.evaluate import Reader, benign_measures, dev_measures, pj_measures
from classifiers.training.examples import APART_SETS, own_corpus
from classifiers.training.model_card import METRICS_FILE
from classifiers.training.replay import Thresholds

MODEL_DIR = Path("var/models")
DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
CACHE_DIR = Path("var/cache")
# The rules path is pure Python and reproduces exactly, up to the card's rounding to four decimals. The int8
# encoder is batch-independent (activations quantised per token row) and its integer products are exact on every
# CPU (weight codes within ±63); its float parts may still round in another order on other vector instructions, so
# the full path may differ from the card by one conversation per language and class (and by a tenth of a
# false-alarm rate).
SLACK = {"rules": 1e-4, "full": 0.03}
HIGHER_IS_BETTER = ("recall", "early", "warn_plus")
LOWER_IS_BETTER = ("false_alarm", "review_load")
needs_encoder = pytest.mark.skipif(
    not encoder_files_present(MODEL_DIR, "onnx-int8"), reason="encoder not built: run python bot.py setup-model"
)
needs_data = pytest.mark.skipif(not DATA_DIR.is_dir(), reason=f"shared research data not found at {DATA_DIR}")


def card(mode: str) -> dict:
    return json.loads((WEIGHTS_DIR / METRICS_FILE).read_text(encoding="utf-8"))["reports"][mode]


def scorer_for(mode: str):  # noqa: ANN201
    return load_scorer(model_dir=MODEL_DIR, use_encoder=mode == "full")


def check_dev(mode: str, part: str) -> None:
    scorer = scorer_for(mode)
    conversations = own_corpus().part(part)
    measured = dev_measures(scorer, Reader(scorer, CACHE_DIR), conversations, Thresholds())["conversations"]
    for lang, expected in card(mode)[part]["conversations"].items():
        got = measured[lang]
        one = {"grooming": 0.0, "benign": 0.0}
        if mode == "full":
            one = {kind: 1.0 / max(expected[kind], 1) for kind in one}
        for key in HIGHER_IS_BETTER:
            slack = max(SLACK[mode], one["grooming"] + 1e-9)
            assert got[key] >= expected[key] - slack, f"{mode} {lang} {key}: {got[key]:.3f} < {expected[key]:.3f}"
        for key in LOWER_IS_BETTER:
            slack = max(SLACK[mode], one["benign"] + 1e-9)
            assert got[key] <= expected[key] + slack, f"{mode} {lang} {key}: {got[key]:.3f} > {expected[key]:.3f}"
        assert got["others_punished"] <= expected["others_punished"]


@pytest.mark.parametrize("part", ["dev", *APART_SETS])
def test_model_quality_rules_dev_set_holds_card_figures(part: str) -> None:
    check_dev("rules", part)


@pytest.mark.model
@needs_encoder
@pytest.mark.parametrize("part", ["dev", *APART_SETS])
def test_model_quality_full_dev_set_holds_card_figures(part: str) -> None:
    check_dev("full", part)


def check_held_out(mode: str) -> None:
    scorer = scorer_for(mode)
    reader = Reader(scorer, CACHE_DIR)
    expected = card(mode)
    benign = benign_measures(scorer, reader, DATA_DIR, Thresholds())
    for lang, row in expected["benign"]["languages"].items():
        for key in ("punitive_per_10k", "review_warn_per_10k"):
            slack = 1e4 * SLACK[mode] / 100 + (0.1 * row[key] if mode == "full" else 0.0)
            assert benign["languages"][lang][key] <= row[key] + slack, f"{mode} {lang} {key}"
    alarms = round(benign["languages"].get("en", {}).get("punitive_per_10k", 0.0))
    pj = pj_measures(scorer, reader, DATA_DIR, Thresholds(), alarms)
    card_pj = expected["perverted_justice"]
    one_offender = 1.0 / card_pj["bf_psr_offenders"] + 1e-9 if mode == "full" else 0.0
    assert pj["bf_psr"]["recall"] >= card_pj["bf_psr"]["recall"] - max(SLACK[mode], one_offender)
    assert pj["koutli_actioned"] >= card_pj["koutli_actioned"] - SLACK[mode]
    assert pj["koutli_whole"]["actioned"] >= card_pj["koutli_whole"]["actioned"] - SLACK[mode]
    assert pj["decoy_side"]["punished_share"] <= card_pj["decoy_side"]["punished_share"] + SLACK[mode]
    assert pj["decoy_side"]["reviewed_share"] <= card_pj["decoy_side"]["reviewed_share"] + SLACK[mode]
    both, card_both = pj["koutli_interleaved"], card_pj["koutli_interleaved"]
    assert both["offenders_actioned"] >= card_both["offenders_actioned"] - SLACK[mode]
    for key in ("decoys_punished", "decoys_actioned"):
        assert both[key] <= card_both[key] + SLACK[mode], f"{mode} interleaved {key}"


@pytest.mark.slow
@needs_data
def test_model_quality_rules_held_out_holds_card_figures() -> None:
    check_held_out("rules")


@pytest.mark.slow
@pytest.mark.model
@needs_data
@needs_encoder
def test_model_quality_full_held_out_holds_card_figures() -> None:
    check_held_out("full")
