"""``python bot.py evaluate``: measure the detector on data it was never trained on.

- our development set (written apart from the training corpus), with EVAL.md's measures per language, and the
  per-stage precision/recall of the message readings;
- held-out Perverted-Justice offenders (split by offender, deduplicated across the two releases by text):
  ``bf-psr-pj`` sessions with both sides for conversation-level measures and the child (decoy) side, Koutli
  offender lines as one-sided message sequences (whole, and how many are actioned within their first
  ``KOUTLI_LINES`` lines), and each case's two sides interleaved by their position in their files for the child
  (decoy) side read beside its offender;
- held-out benign conversations from every source, false alarms per 10,000 messages per source and language
  (ToxiCN included: evaluation only);
- scorer throughput in messages per second, per language.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from classifiers.scorer import Scorer
from classifiers.signals import analyze_text
from classifiers.training import examples, metrics
from classifiers.training.datasets import Conversation, SideLines, Turn, read_koutli, read_pj_sessions
from classifiers.training.embedding import embed_all
from classifiers.training.replay import PUNITIVE, Thresholds, outcome, replay
from classifiers.training.splits import split_pj
from classifiers.types import MessageAnalysis

KOUTLI_LINES = 60
REVIEWED = frozenset({"review", "warn"})
THROUGHPUT_MESSAGES = 2000


@dataclass(frozen=True)
class Reader:
    """Reads conversations as one scorer does, the encoder's embeddings served from the training cache."""

    scorer: Scorer
    cache_dir: Path | None = None

    def read(self, conversations: Sequence[Conversation]) -> list[list[MessageAnalysis]]:
        """One list of analyses per conversation."""
        texts = [turn.text for conversation in conversations for turn in conversation.turns]
        analyses = [analyze_text(text) for text in texts]
        part = self.scorer.learned
        if part is not None and analyses:
            embed = lambda batch: part.encoder.embed(batch, batch_size=part.batch_size)  # noqa: E731
            normalized = [analysis.normalized for analysis in analyses]
            embeddings = embed_all(normalized, embed, part.encoder.cache_key, self.cache_dir, "eval")
            analyses = part.heads.fuse(analyses, embeddings)
        cut, start = [], 0
        for conversation in conversations:
            cut.append(analyses[start : start + len(conversation.turns)])
            start += len(conversation.turns)
        return cut


def replay_actions(
    scorer: Scorer, conversations: Sequence[Conversation], readings: Sequence[Sequence[MessageAnalysis]],
    thresholds: Thresholds,
) -> list[list[str]]:
    """Each conversation's actions per message under the thresholds."""
    return [
        [thresholds.action(score.risk) for score in replay(conversation, analyses, scorer.combine)]
        for conversation, analyses in zip(conversations, readings, strict=True)
    ]


def dev_measures(scorer: Scorer, reader: Reader, dev: Sequence[Conversation], thresholds: Thresholds) -> dict:
    """EVAL.md's measures and per-stage precision/recall on the development set."""
    readings = reader.read(dev)
    outcomes = [
        outcome(conversation, replay(conversation, analyses, scorer.combine), thresholds)
        for conversation, analyses in zip(dev, readings, strict=True)
    ]
    missed = [conversation.id for conversation, result in zip(dev, outcomes, strict=True)
              if result.label == "grooming" and not result.caught]
    alarms = [conversation.id for conversation, result in zip(dev, outcomes, strict=True)
              if result.label != "grooming" and (result.false_alarm or result.review_load)]
    return {
        "conversations": metrics.conversation_table(outcomes),
        "stages": metrics.stage_table(dev, readings),
        "missed": missed,
        "benign_flagged": alarms,
    }


def benign_measures(scorer: Scorer, reader: Reader, data_dir: Path, thresholds: Thresholds) -> dict:
    """False alarms per 10,000 held-out benign messages, per source and per language."""
    by_source, by_lang = {}, defaultdict(list)
    for source in examples.EVAL_BUDGET:
        conversations = examples.benign_side(data_dir, source, evaluation=True)
        rows = replay_actions(scorer, conversations, reader.read(conversations), thresholds)
        actions = [action for row in rows for action in row]
        lang = conversations[0].lang if conversations else "en"
        by_source[source] = metrics.per_10k(actions) | {"lang": lang}
        by_lang[lang] += actions
    return {"sources": by_source, "languages": {lang: metrics.per_10k(acts) for lang, acts in sorted(by_lang.items())}}


def _offender_chat(sessions: Sequence[Conversation]) -> Conversation:
    """One offender's sessions as one chat in order (the bot keeps the pair's state between sessions)."""
    turns = tuple(turn for session in sorted(sessions, key=lambda s: s.id) for turn in session.turns)
    return replace(sessions[0], id=f"pj-{sessions[0].group}", turns=turns)


def _one_sided(case: SideLines, side: str, limit: int | None = KOUTLI_LINES) -> Conversation:
    """One side's lines as a conversation of their own, the first ``limit`` of them (None: all)."""
    lines = (case.offender if side == "groomer" else case.decoy)[:limit]
    turns = tuple(Turn(sender=side, to="decoy" if side == "groomer" else "groomer", text=line) for line in lines)
    return Conversation(f"koutli-{side}-{case.case}", "en", "grooming", "koutli", "groomer", None, turns, case.case)


def interleaved(case: SideLines) -> Conversation:
    """Both sides of a case as one chat, each line placed by its relative position in its own file.

    The release lost the turn order between the two files; within each file the lines keep theirs. Placing line
    ``i`` of ``n`` at ``(i + 0.5) / n`` (the offender's) or ``(i + 0.75) / n`` (the decoy's) keeps each side in
    order and puts the decoy's answers just after the offender's lines they most likely answer. The order is an
    approximation, so the measures on it stand beside the one-sided ones rather than replacing them.
    """
    placed = [((index + 0.5) / len(case.offender), 0, index, Turn("groomer", "decoy", line))
              for index, line in enumerate(case.offender)]
    placed += [((index + 0.75) / len(case.decoy), 1, index, Turn("decoy", "groomer", line))
               for index, line in enumerate(case.decoy)]
    turns = tuple(item[3] for item in sorted(placed, key=lambda item: item[:3]))
    return Conversation(f"koutli-both-{case.case}", "en", "grooming", "koutli", "groomer", None, turns, case.case)


def pj_measures(scorer: Scorer, reader: Reader, data_dir: Path, thresholds: Thresholds, benign_alarms: int) -> dict:
    """Held-out Perverted-Justice offenders: actioned, messages to first action, eSPD F1, the decoy side."""
    sessions = read_pj_sessions(data_dir)
    _, test_sessions, _, test_cases = split_pj(sessions, read_koutli(data_dir))
    grouped: dict[str, list[Conversation]] = defaultdict(list)
    for session in test_sessions:
        grouped[session.group].append(session)
    chats = [_offender_chat(group) for _, group in sorted(grouped.items())]
    chat_actions = replay_actions(scorer, chats, reader.read(chats), thresholds)
    first = [_first_offender_action(chat, actions) for chat, actions in zip(chats, chat_actions, strict=True)]
    decoy_rows = [
        [action for turn, action in zip(chat.turns, acts, strict=True) if turn.sender != "groomer"]
        for chat, acts in zip(chats, chat_actions, strict=True)
    ]
    decoy = [action for row in decoy_rows for action in row]
    koutli = [_one_sided(case, "groomer", limit=None) for case in test_cases]
    koutli_actions = replay_actions(scorer, koutli, reader.read(koutli), thresholds)
    whole = [next((i + 1 for i, a in enumerate(acts) if a != "allow"), None) for acts in koutli_actions]
    koutli_first = [first if first is not None and first <= KOUTLI_LINES else None for first in whole]
    decoys = [_one_sided(case, "decoy") for case in test_cases if case.decoy]
    decoy_actions = replay_actions(scorer, decoys, reader.read(decoys), thresholds)
    both = [interleaved(case) for case in test_cases if case.decoy]
    both_rows = replay_actions(scorer, both, reader.read(both), thresholds)
    sides = {
        side: [[action for turn, action in zip(chat.turns, acts, strict=True) if turn.sender == side]
               for chat, acts in zip(both, both_rows, strict=True)]
        for side in ("groomer", "decoy")
    }
    return {
        "bf_psr_offenders": len(chats),
        "bf_psr_messages": sum(len(chat.turns) for chat in chats),
        "bf_psr": metrics.latency_f1([f[0] if f else None for f in first], benign_alarms),
        "bf_psr_offender_messages_to_action": _median([f[1] for f in first if f]),
        "decoy_side": metrics.per_10k(decoy)
        | {"punished_share": _share(decoy, PUNITIVE), "reviewed_share": _share(decoy, REVIEWED)},
        "bf_psr_decoys_punished": _share_conversations(decoy_rows, PUNITIVE),
        "bf_psr_decoys_reviewed": _share_conversations(decoy_rows, REVIEWED),
        "koutli_cases": len(koutli),
        "koutli_actioned": sum(k is not None for k in koutli_first) / max(len(koutli), 1),
        "koutli_messages_to_action": _median([k for k in koutli_first if k is not None]),
        "koutli_whole": {
            "lines": sum(len(conversation.turns) for conversation in koutli),
            "actioned": sum(k is not None for k in whole) / max(len(koutli), 1),
            "lines_to_action": _median([k for k in whole if k is not None]),
        },
        "koutli_decoys_punished": _share_conversations(decoy_actions, PUNITIVE),
        "koutli_decoys_actioned": _share_conversations(decoy_actions, PUNITIVE | REVIEWED),
        "koutli_interleaved": {
            "cases": len(both),
            "offenders_actioned": _share_conversations(sides["groomer"], PUNITIVE | REVIEWED),
            "decoys_punished": _share_conversations(sides["decoy"], PUNITIVE),
            "decoys_actioned": _share_conversations(sides["decoy"], PUNITIVE | REVIEWED),
        },
    }


def _first_offender_action(chat: Conversation, actions: Sequence[str]) -> tuple[int, int] | None:
    """(messages seen, offender messages seen) at the first action against the offender."""
    offender_seen = 0
    for index, (turn, action) in enumerate(zip(chat.turns, actions, strict=True)):
        offender_seen += turn.sender == chat.offender
        if turn.sender == chat.offender and action != "allow":
            return index + 1, offender_seen
    return None


def _median(values: Sequence[float]) -> dict[str, float]:
    import numpy as np

    if not values:
        return {"median": float("nan"), "p90": float("nan")}
    return {"median": float(np.median(values)), "p90": float(np.percentile(values, 90))}


def _share(actions: Sequence[str], kinds: frozenset[str]) -> float:
    return sum(action in kinds for action in actions) / max(len(actions), 1)


def _share_conversations(rows: Sequence[Sequence[str]], kinds: frozenset[str]) -> float:
    return sum(any(action in kinds for action in row) for row in rows) / max(len(rows), 1)


def throughput(scorer: Scorer, conversations: Sequence[Conversation]) -> dict[str, float]:
    """Messages per second through ``analyze`` + ``combine`` in batches of 64, per language (no cache)."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for conversation in conversations:
        by_lang[conversation.lang] += [turn.text for turn in conversation.turns]
    rates = {}
    for lang, texts in sorted(by_lang.items()):
        texts = (texts * (THROUGHPUT_MESSAGES // max(len(texts), 1) + 1))[:THROUGHPUT_MESSAGES]
        started = time.perf_counter()
        for start in range(0, len(texts), 64):
            from classifiers.types import ConversationContext

            batch = texts[start : start + 64]
            for analysis in scorer.analyze(batch):
                scorer.combine(analysis, ConversationContext(sender_id="s", target_id="t"))
        rates[lang] = len(texts) / (time.perf_counter() - started)
    return rates


def evaluate(
    scorer: Scorer, *, dev: Sequence[Conversation], data_dir: Path | None, thresholds: Thresholds,
    cache_dir: Path | None = None, apart: Mapping[str, Sequence[Conversation]] | None = None,
) -> dict[str, Any]:
    """Every measure of the model card for one scorer; the research parts only when ``data_dir`` is given.

    ``apart`` holds the sets written apart from the corpus (by name), measured as the development set is.
    """
    reader = Reader(scorer, cache_dir)
    report: dict[str, Any] = {"version": scorer.version, "dev": dev_measures(scorer, reader, dev, thresholds)}
    for name, conversations in (apart or {}).items():
        report[name] = dev_measures(scorer, reader, conversations, thresholds)
    if data_dir is not None:
        report["benign"] = benign_measures(scorer, reader, data_dir, thresholds)
        alarms = round(report["benign"]["languages"].get("en", {}).get("punitive_per_10k", 0.0))
        report["perverted_justice"] = pj_measures(scorer, reader, data_dir, thresholds, alarms)
    report["throughput"] = throughput(scorer, dev)
    return report
