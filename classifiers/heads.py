"""The learned parts of the detector, stored as JSON and ``.npz`` (never pickle).

- ``ConversationHead``: a logistic model over the named conversation features of ``classifiers.conversation``,
  followed by a monotone calibration (isotonic knots), giving the risk the chat policy thresholds.
- ``StageHeads``: per-stage (and per-cue) logistic heads over a message's encoder embedding and its rule
  features, fused with the rule scores into the message's stage strengths.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.conversation import Ceilings
from classifiers.neighbours import Neighbours
from classifiers.signals import learned_damping
from classifiers.types import MessageAnalysis, Reason

REASON_FLOOR = 0.3


def sigmoid(value: float) -> float:
    """The logistic function, safe for large magnitudes."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True)
class ConversationHead:
    """Logistic risk over named features, then isotonic calibration.

    Attributes:
        names: the feature names, in the order of ``coef``.
        coef: one weight per feature (on the features' own 0–1 scale).
        intercept: the bias.
        calibration_x: raw probabilities, ascending (knots of the calibration curve).
        calibration_y: calibrated risks at those knots, non-decreasing.
        ceilings: the highest risks allowed before the evidence is corroborated (see ``Ceilings``).
        meta: where the head came from (training data, date, encoder version), for the model card.
    """

    names: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    calibration_x: tuple[float, ...] = (0.0, 1.0)
    calibration_y: tuple[float, ...] = (0.0, 1.0)
    ceilings: Ceilings = Ceilings()
    meta: Mapping[str, Any] | None = None

    def logit(self, values: Mapping[str, float]) -> float:
        """The linear score before the logistic function."""
        return self.intercept + sum(weight * values[name] for name, weight in zip(self.names, self.coef, strict=True))

    def raw(self, values: Mapping[str, float]) -> float:
        """The uncalibrated probability."""
        return sigmoid(self.logit(values))

    def probability(self, values: Mapping[str, float]) -> float:
        """The calibrated risk in 0–1."""
        return float(np.interp(self.raw(values), self.calibration_x, self.calibration_y))

    def contributions(self, values: Mapping[str, float]) -> dict[str, float]:
        """Each feature's share of the logit (weight × value)."""
        return {name: weight * values[name] for name, weight in zip(self.names, self.coef, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "names": list(self.names),
            "coef": [round(float(weight), 6) for weight in self.coef],
            "intercept": round(float(self.intercept), 6),
            "calibration_x": [round(float(x), 6) for x in self.calibration_x],
            "calibration_y": [round(float(y), 6) for y in self.calibration_y],
            "ceilings": {name: round(float(value), 6) for name, value in asdict(self.ceilings).items()},
            "meta": dict(self.meta or {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConversationHead:
        """Inverse of :meth:`to_dict`."""
        return cls(
            names=tuple(str(name) for name in data["names"]),
            coef=tuple(float(weight) for weight in data["coef"]),
            intercept=float(data["intercept"]),
            calibration_x=tuple(float(x) for x in data["calibration_x"]),
            calibration_y=tuple(float(y) for y in data["calibration_y"]),
            ceilings=Ceilings(**{str(name): float(value) for name, value in dict(data.get("ceilings") or {}).items()}),
            meta=dict(data.get("meta") or {}),
        )

    def save(self, path: Path) -> None:
        """Write the head as indented JSON."""
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path, expected_names: Sequence[str]) -> ConversationHead:
        """Read a head written by :meth:`save`, refusing one built for other features."""
        head = cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        if tuple(head.names) != tuple(expected_names):
            raise ValueError(f"{path} was trained on features {head.names}, this code computes {tuple(expected_names)}")
        return head


RULE_INPUTS: tuple[str, ...] = (
    "age_probe",
    "flattery",
    "secrecy",
    "off_platform",
    "gifts",
    "image_request",
    "meeting",
    "sexual_talk",
    "recruitment",
    "minor_cue",
    "adult_cue",
    "quoting",
)
CUE_OUTPUTS: tuple[str, ...] = ("minor_cue", "adult_cue", "quoting")


def rule_vector(analysis: MessageAnalysis) -> np.ndarray:
    """The rule signals of one message in ``RULE_INPUTS`` order."""
    cues = {"minor_cue": analysis.minor_cue, "adult_cue": analysis.adult_cue, "quoting": analysis.quoting}
    values = [float(analysis.stage_scores.get(name, 0.0)) if name not in cues else cues[name] for name in RULE_INPUTS]
    return np.asarray(values, dtype=np.float32)


def head_inputs(analyses: Sequence[MessageAnalysis], embeddings: np.ndarray) -> np.ndarray:
    """The heads' input matrix: each message's embedding followed by its rule signals."""
    rules = np.vstack([rule_vector(analysis) for analysis in analyses]) if analyses else np.zeros((0, len(RULE_INPUTS)))
    return np.hstack([np.asarray(embeddings, dtype=np.float32), rules.astype(np.float32)])


@dataclass(frozen=True)
class StageHeads:
    """Logistic heads over [embedding ⊕ rule signals], one per stage and per cue, trained on one encoder.

    Attributes:
        outputs: what each row of ``weights`` predicts (stage values and ``CUE_OUTPUTS``).
        weights: (len(outputs), embedding dim + len(RULE_INPUTS)) coefficients.
        bias: (len(outputs),) intercepts.
        encoder_version: the encoder the heads were trained on; another encoder's embeddings are meaningless here.
        neighbours: the labelled corpus memory whose stage votes are averaged with the heads' stage readings.
        meta: training provenance for the model card.
    """

    outputs: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    encoder_version: str
    neighbours: Neighbours | None = None
    meta: Mapping[str, Any] | None = None

    def probabilities(self, inputs: np.ndarray) -> np.ndarray:
        """(n, len(outputs)) probabilities for an input matrix from :func:`head_inputs`."""
        logits = inputs.astype(np.float64) @ self.weights.T.astype(np.float64) + self.bias.astype(np.float64)
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))

    def fuse(self, analyses: Sequence[MessageAnalysis], embeddings: np.ndarray) -> list[MessageAnalysis]:
        """The analyses with the heads' fused reading of stages and cues, plus their reasons.

        A fused value never falls below the rule layer's own: the rules are precise where they fire, the heads
        and neighbours add what the rules do not cover. Quoting is the exception: it discounts evidence, so a
        learned quoting reading only strengthens a reporting cue the rules found (on the development set the head
        alone read quoting into one offender message in twelve, and added nothing to the real reports). Within a
        family frame or a surprise kept for someone else (:func:`classifiers.signals.learned_damping`) the heads'
        stage readings are weakened as the rules' are.
        """
        if not analyses:
            return []
        probabilities = self.probabilities(head_inputs(analyses, embeddings))
        if self.neighbours is not None:
            probabilities = self.with_votes(probabilities, self.neighbours.read(embeddings))
        return [self.fused_row(analysis, row) for analysis, row in zip(analyses, probabilities, strict=True)]

    def with_votes(self, probabilities: np.ndarray, votes: np.ndarray) -> np.ndarray:
        """Head probabilities with each stage column averaged with the neighbours' vote for that stage."""
        fused = probabilities.copy()
        stages = [index for index, name in enumerate(self.outputs) if name not in CUE_OUTPUTS]
        fused[:, stages] = (probabilities[:, stages] + votes) / 2.0
        return fused

    def fused_row(self, analysis: MessageAnalysis, row: np.ndarray) -> MessageAnalysis:
        """One analysis fused with one row of head probabilities (in ``outputs`` order)."""
        read = {name: round(float(value), 6) for name, value in zip(self.outputs, row, strict=True)}
        damping = learned_damping(analysis)
        read = {name: round(value * damping.get(name, 1.0), 6) for name, value in read.items()}
        stages = {
            stage: read.get(stage, float(analysis.stage_scores.get(stage, 0.0))) for stage in analysis.stage_scores
        }
        stages |= {
            name: max(value, float(analysis.stage_scores.get(name, 0.0)))
            for name, value in read.items()
            if name not in CUE_OUTPUTS
        }
        learned = tuple(
            Reason(signal=f"model:{name}", score=value, detail=f"the learned model reads {name.replace('_', ' ')}")
            for name, value in sorted(read.items(), key=lambda item: (-item[1], item[0]))
            if value >= REASON_FLOOR
        )
        return replace(
            analysis,
            stage_scores=stages,
            minor_cue=max(read.get("minor_cue", 0.0), analysis.minor_cue),
            adult_cue=max(read.get("adult_cue", 0.0), analysis.adult_cue),
            quoting=max(read.get("quoting", 0.0), analysis.quoting) if analysis.quoting > 0 else 0.0,
            reasons=learned + tuple(analysis.reasons),
        )

    def save(self, path: Path) -> None:
        """Write the heads as an ``.npz`` of plain arrays (loadable without pickle)."""
        memory = self.neighbours or Neighbours(np.zeros((0, self.weights.shape[1])), np.zeros((0, 0)))
        header = {
            "outputs": list(self.outputs),
            "encoder_version": self.encoder_version,
            "neighbours": {"k": memory.k, "sharpness": memory.sharpness, "used": self.neighbours is not None},
            "meta": dict(self.meta or {}),
        }
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            memory_vectors=memory.vectors.astype(np.float16),
            memory_labels=memory.labels.astype(np.uint8),
            header=np.asarray(json.dumps(header, ensure_ascii=False)),
        )

    @classmethod
    def load(cls, path: Path) -> StageHeads:
        """Read heads written by :meth:`save`."""
        if not path.exists():
            raise FileNotFoundError(f"no stage heads at {path}: run `python bot.py train`")
        with np.load(path, allow_pickle=False) as stored:
            header = json.loads(str(stored["header"]))
            weights, bias = stored["weights"].copy(), stored["bias"].copy()
            vectors, labels = stored["memory_vectors"].copy(), stored["memory_labels"].copy()
        memory = header["neighbours"]
        neighbours = None
        if memory["used"]:
            neighbours = Neighbours(vectors, labels, int(memory["k"]), float(memory["sharpness"]))
        return cls(
            outputs=tuple(header["outputs"]),
            weights=weights,
            bias=bias,
            encoder_version=str(header["encoder_version"]),
            neighbours=neighbours,
            meta=header.get("meta") or {},
        )
