"""Turning conversations into training rows: per-message head labels and per-prefix conversation labels.

Message rows (for the stage heads): the offender's messages are positive for the stages they are labelled with;
every other message (benign conversations, the child's side, research negatives) is negative for every stage.
Cue and quoting labels exist only in our corpus; elsewhere they are unknown (NaN) and those rows are skipped.

Prefix rows (for the conversation head): replaying a conversation gives one row per message, its conversation
features at that point. The offender's messages from ``first_actionable`` on are positive, every message of a
benign conversation and every message of someone other than the offender is negative, and the offender's
messages before ``first_actionable`` are left out (acting on them early is neither required nor wrong).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classifiers.heads import CUE_OUTPUTS
from classifiers.training.datasets import Conversation
from classifiers.types import STAGES, MessageAnalysis

OUTPUTS: tuple[str, ...] = tuple(stage.value for stage in STAGES) + CUE_OUTPUTS
OWN_CORPUS_WEIGHT = 3.0
CHILD_SIDE_WEIGHT = 2.0
QUOTED_STAGE = 0.2


@dataclass(frozen=True)
class MessageRows:
    """Per-message labels for every output (NaN = unknown), weights and the split group of each row."""

    labels: np.ndarray
    weights: np.ndarray
    groups: tuple[str, ...]


def _is_own(conversation: Conversation) -> bool:
    return conversation.kind in OWN_KINDS


OWN_KINDS = frozenset(
    {
        "grooming-fast",
        "grooming-slow",
        "adult_flirt",
        "sex_ed",
        "parent_teacher",
        "shop_contact",
        "game_trade",
        "rude",
        "reporting",
        "child_side",
        "family",
        "ordinary",
    }
)


def quoting_label(conversation: Conversation, index: int, analysis: MessageAnalysis) -> float:
    """Quoting per message, derived from the conversation's kind (our corpus has no per-message quoting mark).

    A message of a reporting conversation that the rules read as a stage or as quoting is quoting (1); its other
    messages ("thank you") are unknown (NaN); the offender's staged messages are doing, not quoting (0).
    """
    if conversation.kind == "reporting":
        strongest = max(analysis.stage_scores.values(), default=0.0)
        return 1.0 if strongest >= QUOTED_STAGE or analysis.quoting >= QUOTED_STAGE else np.nan
    return 0.0


def message_rows(conversations: Sequence[Conversation], analyses: Sequence[MessageAnalysis]) -> MessageRows:
    """Labels for every message of ``conversations``, in order (``analyses`` are their rule readings, flattened)."""
    rows, weights, groups = [], [], []
    readings = iter(analyses)
    for conversation in conversations:
        own = _is_own(conversation)
        for index, turn in enumerate(conversation.turns):
            analysis = next(readings)
            stages = [1.0 if stage.value in turn.stages else 0.0 for stage in STAGES]
            if own:
                quoting = quoting_label(conversation, index, analysis)
                cues = [float(turn.cue == "minor"), float(turn.cue == "adult"), quoting]
            else:
                cues = [np.nan] * len(CUE_OUTPUTS)
            rows.append(stages + cues)
            weights.append(prefix_weight(conversation, index))
            groups.append(conversation.group)
    labels = np.asarray(rows, dtype=np.float64).reshape(-1, len(OUTPUTS))
    return MessageRows(labels=labels, weights=np.asarray(weights), groups=tuple(groups))


def prefix_label(conversation: Conversation, index: int) -> float | None:
    """The conversation head's label for a message: 1, 0, or None to leave the message out."""
    if conversation.label != "grooming":
        return 0.0
    turn = conversation.turns[index]
    if turn.sender != conversation.offender:
        return 0.0
    first = conversation.first_actionable if conversation.first_actionable is not None else 0
    return 1.0 if index >= first else None


def prefix_weight(conversation: Conversation, index: int) -> float:
    """How much a prefix row counts: our own conversations and the child's side count more."""
    if not _is_own(conversation):
        return 1.0
    child = conversation.label == "grooming" and conversation.turns[index].sender != conversation.offender
    return OWN_CORPUS_WEIGHT * (CHILD_SIDE_WEIGHT if child else 1.0)
