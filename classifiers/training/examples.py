"""What the learned parts are trained and measured on: conversations drawn from every source, deterministically.

Our corpus gives the labelled conversations (stages per message, cues, the offender, the first actionable
message). The shared research data gives presumed-benign conversations and rude-but-not-grooming comments
(hard negatives), sampled per source and language on the training side of the group split; the held-out side
is left for evaluation. ToxiCN is read for evaluation only (its licence forbids derivatives).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from classifiers.training import datasets
from classifiers.training.datasets import Conversation, LabelledText, Turn
from classifiers.training.splits import held_out

MAX_TURNS = 24
TRAIN_BUDGET: dict[str, int] = {
    "dailydialog": 2500,
    "topical-chat": 1500,
    "conda-dota2": 2500,
    "reddit-2015": 2500,
    "parenting-reddit": 1200,
    "youtube-spam": 500,
    "nps-chat": 2500,
    "lccc": 4000,
    "kdconv": 1500,
    "cped": 2500,
    "cold": 3000,
    "swsr": 2500,
}
EVAL_BUDGET: dict[str, int] = {
    "dailydialog": 2000,
    "topical-chat": 1500,
    "conda-dota2": 2000,
    "reddit-2015": 2500,
    "parenting-reddit": 1000,
    "youtube-spam": 400,
    "nps-chat": 2500,
    "lccc": 4000,
    "kdconv": 1500,
    "cped": 2500,
    "cold": 2000,
    "swsr": 2000,
    "toxicn": 2000,
}


def _rank(key: str) -> str:
    return hashlib.sha256(f"sample:{key}".encode()).hexdigest()


def _trimmed(conversation: Conversation) -> Conversation:
    return replace(conversation, turns=conversation.turns[:MAX_TURNS])


def sample_conversations(items: Iterable[Conversation], budget: int) -> list[Conversation]:
    """Whole conversations in a fixed pseudo-random order until ``budget`` messages are reached."""
    chosen, total = [], 0
    for conversation in sorted(items, key=lambda item: _rank(item.id)):
        if total >= budget:
            break
        trimmed = _trimmed(conversation)
        if trimmed.turns:
            chosen.append(trimmed)
            total += len(trimmed.turns)
    return sorted(chosen, key=lambda item: item.id)


def _singles(rows: Iterable[LabelledText], lang: str) -> list[Conversation]:
    """Comments without a thread, each a one-message conversation addressed to the room."""
    return [
        Conversation(
            id=row.id,
            lang=lang,
            label="benign",
            kind=f"{row.source}:{row.label}",
            offender=None,
            first_actionable=None,
            turns=(Turn(sender="commenter", to=None, text=row.text),),
            group=row.id,
        )
        for row in rows
    ]


def _window(room: Conversation, start: int) -> Conversation:
    """``MAX_TURNS`` turns of a long chat room from ``start``, as a conversation of its own."""
    turns = room.turns[start : start + MAX_TURNS]
    return replace(room, id=f"{room.id}-{start}", turns=turns, group=f"{room.group}-{start}")


def _source_conversations(data_dir: Path, source: str) -> list[Conversation]:
    if source == "nps-chat":
        rooms = datasets.read_nps_chat(data_dir)
        return [
            _window(room, start) for room in rooms for start in range(0, len(room.turns), MAX_TURNS)
        ]
    if source == "cold":
        return _singles(datasets.read_cold(data_dir), "zh")
    if source == "swsr":
        return _singles(datasets.read_swsr(data_dir), "zh")
    if source == "toxicn":
        return _singles(datasets.read_toxicn(data_dir), "zh")
    return list(datasets.read_benign(data_dir, source))


def benign_side(data_dir: Path, source: str, *, evaluation: bool) -> list[Conversation]:
    """A source's sampled conversations on the training or the held-out side of the split."""
    if source == "toxicn" and not evaluation:
        raise ValueError("ToxiCN is licensed for evaluation only")
    budget = (EVAL_BUDGET if evaluation else TRAIN_BUDGET)[source]
    side = [item for item in _source_conversations(data_dir, source) if held_out(item.group) == evaluation]
    return sample_conversations(side, budget)


APART_SETS: tuple[str, ...] = (
    "holdout", "fresh", "sealed", "blind", "probe", "probe2", "final",
    "comments6", "groups6", "subtle6", "hardneg6", "slow6", "chinese6", "implied6",
    "en7", "zhbenign7", "mixed7", "teens7", "sealed7a", "sealed7b", "en8", "zh8", "mixed8", "sealed8",
    "en9", "zhrl9", "en10", "zh10", "mixed10", "sealed10a", "sealed10b", "en11", "zhmx11", "mixzh12", "sealed12",
    "en13", "zh13", "mixed13", "sealed13", "en14", "zh14", "sealed14", "en15", "zh15", "mixed15", "sealed15",
    "en16", "zh16", "bal16", "en17", "zh17", "mixed17", "sealed17", "en18", "zh18", "mixed18", "sealed18",
    "en19", "zh19", "mixed19", "sealed19", "sealed20a", "sealed20b", "sealed21a", "sealed21b",
    "sealed22a", "sealed22b", "sealed23a", "sealed23b", "sealed24a", "sealed24b", "sealed25a", "sealed25b",
    "sealed26a", "sealed26b", "sealed27a", "sealed27b", "zh20", "zh21", "mx20", "en20", "zh22", "sealed28a",
    "sealed28b", "zh23", "zh24", "mx21", "en21", "zh25", "zh26", "en22", "mx22", "sealed29a", "sealed29b", "zh27",
    "en23", "mx23", "zh28", "en24", "zh29", "sealed30a", "sealed30b", "en25", "mx24", "zh30",
)
NEGATIVES_TRAINED: tuple[str, ...] = (
    "comments6", "groups6", "hardneg6", "slow6", "chinese6", "implied6", "en7", "zhbenign7", "mixed7", "teens7",
)
"""Sets written apart whose benign conversations, once their misses were analysed, became training negatives: the
ordinary talk of comment threads, class groups and teenagers' chats that the stage heads had read as stages. Their
grooming conversations stay apart (never trained on) and are still measured; their benign ones are measured no
more."""


@dataclass(frozen=True)
class Corpus:
    """Our own labelled conversations: the training files, the development set and the sets written apart.

    The sets of ``APART_SETS`` (``apart_sets``, by name) were each written by someone who had read neither the
    training corpus nor the development set; none of their grooming conversations is ever trained on, and only
    the benign conversations of ``NEGATIVES_TRAINED`` are (in ``train``, not in ``apart_sets``). ``stages`` are
    labelled per message for the stage heads alone: written dense with hard negatives and groomers, they would
    move the conversation heads' place on the policy ladder, which is set by the share of ordinary negative
    messages above each level.
    """

    train: list[Conversation]
    dev: list[Conversation]
    apart_sets: Mapping[str, list[Conversation]]
    stages: list[Conversation]

    def apart(self) -> dict[str, list[Conversation]]:
        """The sets written apart, by name (empty ones left out)."""
        return {name: self.apart_sets[name] for name in APART_SETS if self.apart_sets.get(name)}

    def part(self, name: str) -> list[Conversation]:
        """The development set ("dev") or one set written apart, by name (empty when its file is missing)."""
        return self.dev if name == "dev" else list(self.apart_sets.get(name, []))


def own_corpus(corpus_dir: Path = datasets.CORPUS_DIR) -> Corpus:
    """Read our corpus; the development set and the grooming conversations written apart are never in ``train``.

    The benign conversations of the ``NEGATIVES_TRAINED`` sets move from their set into ``train``.
    """
    parts = {}
    for name in ("dev", *APART_SETS):
        path = corpus_dir / f"{name}.jsonl"
        parts[name] = datasets.read_corpus(path) if path.exists() else []
    dev = parts.pop("dev")
    negatives = []
    for name in NEGATIVES_TRAINED:
        negatives += [conversation for conversation in parts[name] if conversation.label != "grooming"]
        parts[name] = [conversation for conversation in parts[name] if conversation.label == "grooming"]
    train = datasets.read_training_corpus(corpus_dir) + sorted(negatives, key=lambda conversation: conversation.id)
    stages = datasets.read_training_corpus(corpus_dir, prefix="stages")
    return Corpus(train=train, dev=dev, apart_sets=parts, stages=stages)
