"""The measures the model card reports, as pure functions of replayed conversations.

- EVAL.md's conversation measures (recall, early, warn+, false-alarm, review-load, others punished), per language;
- false alarms per 10,000 benign messages (punitive, and review/warn), per source and language;
- offender conversations actioned, messages to the first action and the eSPD latency-weighted F1 (Vogt, Leser
  and Akbik 2021): speed penalty −1 + 2/(1 + e^(−p(k−1))) with p = ln 3 / 89, speed = 1 − median penalty;
- per-stage precision and recall of the message readings against our corpus's labels.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from classifiers.training.datasets import Conversation
from classifiers.training.replay import PUNITIVE, Outcome
from classifiers.types import STAGES, MessageAnalysis

ESPD_P = math.log(3.0) / 89.0


def conversation_table(outcomes: Iterable[Outcome]) -> dict[str, dict[str, float]]:
    """EVAL.md's measures per language and for "all"."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for result in outcomes:
        for key in (result.lang, "all"):
            row = counts[key]
            if result.label == "grooming":
                row["grooming"] += 1
                row["caught"] += result.caught
                row["early"] += result.early
                row["strong"] += result.strong
                row["others_punished"] += result.others_punished
            else:
                row["benign"] += 1
                row["false_alarm"] += result.false_alarm
                row["review_load"] += result.review_load
    table = {}
    for key, row in sorted(counts.items(), key=lambda item: (item[0] == "all", item[0])):
        positives, negatives = max(row["grooming"], 1), max(row["benign"], 1)
        table[key] = {
            "grooming": row["grooming"],
            "recall": row["caught"] / positives,
            "early": row["early"] / positives,
            "warn_plus": row["strong"] / positives,
            "benign": row["benign"],
            "false_alarm": row["false_alarm"] / negatives,
            "review_load": row["review_load"] / negatives,
            "others_punished": row["others_punished"],
        }
    return table


def per_10k(actions: Sequence[str]) -> dict[str, float]:
    """Punitive and review/warn actions per 10,000 messages."""
    total = max(len(actions), 1)
    punitive = sum(action in PUNITIVE for action in actions)
    review = sum(action in ("review", "warn") for action in actions)
    return {
        "messages": len(actions),
        "punitive_per_10k": 1e4 * punitive / total,
        "review_warn_per_10k": 1e4 * review / total,
    }


def speed_penalty(k: int) -> float:
    """The eSPD latency penalty for a warning raised after ``k`` messages."""
    return -1.0 + 2.0 / (1.0 + math.exp(-ESPD_P * (k - 1)))


def latency_f1(first_actions: Sequence[int | None], false_positives: int) -> dict[str, float]:
    """The eSPD latency-weighted F1 from the message count at the first action of each offender conversation."""
    found = [k for k in first_actions if k is not None]
    positives = len(first_actions)
    true_positives = len(found)
    precision = true_positives / max(true_positives + false_positives, 1)
    recall = true_positives / max(positives, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    speed = 1.0 - float(np.median([speed_penalty(k) for k in found])) if found else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "speed": speed,
        "latency_f1": f1 * speed,
        "median_messages": float(np.median(found)) if found else float("nan"),
        "p90_messages": float(np.percentile(found, 90)) if found else float("nan"),
    }


def stage_table(
    conversations: Sequence[Conversation], readings: Sequence[Sequence[MessageAnalysis]], floor: float = 0.5
) -> dict[str, dict[str, float]]:
    """Per-stage precision / recall of the message readings (stage strength ≥ ``floor``) against the labels."""
    table = {}
    for stage in STAGES:
        hits = predicted = actual = 0
        for conversation, analyses in zip(conversations, readings, strict=True):
            for turn, analysis in zip(conversation.turns, analyses, strict=True):
                said = analysis.stage_scores.get(stage.value, 0.0) >= floor
                truth = stage.value in turn.stages
                hits += said and truth
                predicted += said
                actual += truth
        table[stage.value] = {
            "precision": hits / predicted if predicted else float("nan"),
            "recall": hits / actual if actual else float("nan"),
            "support": actual,
        }
    return table
