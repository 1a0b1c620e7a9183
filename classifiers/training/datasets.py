"""Readers of the training and evaluation data: our own labelled corpus and the shared research formats.

Each reader returns plain frozen values, sorted by id, so that training is deterministic. Paths inside the shared
data folder follow ``../shared/data/README.md``; nothing here copies that data anywhere.
"""

from __future__ import annotations

import csv
import gzip
import json
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

CORPUS_DIR = Path(__file__).parent / "corpus"
BENIGN_SOURCES: tuple[str, ...] = (
    "conda-dota2",
    "cped",
    "dailydialog",
    "kdconv",
    "lccc",
    "parenting-reddit",
    "reddit-2015",
    "topical-chat",
    "youtube-spam",
)


@dataclass(frozen=True)
class Turn:
    """One message of a conversation: who wrote it, to whom, what, and its labels where known."""

    sender: str
    to: str | None
    text: str
    stages: tuple[str, ...] = ()
    cue: str | None = None


@dataclass(frozen=True)
class Conversation:
    """A labelled conversation (our corpus format, also used for the research data once converted).

    Attributes:
        id: unique id.
        lang: "en", "zh" or "mixed".
        label: "grooming" or "benign".
        kind: the corpus kind ("grooming-fast", "reporting", …) or the research source's name.
        offender: the groomer's sender id, or None.
        first_actionable: index of the first message a careful moderator would act on, or None.
        turns: the messages in order.
        group: what must stay on one side of a split (the offender, the thread, the match).
    """

    id: str
    lang: str
    label: str
    kind: str
    offender: str | None
    first_actionable: int | None
    turns: tuple[Turn, ...]
    group: str = ""


def read_corpus(path: Path) -> list[Conversation]:
    """Read one of our JSON Lines corpus files (format in ``corpus/FORMAT.md``)."""
    conversations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        turns = tuple(
            Turn(
                sender=str(message["sender"]),
                to=None if message.get("to") is None else str(message["to"]),
                text=str(message["text"]),
                stages=tuple(message.get("stages") or ()),
                cue=message.get("cue"),
            )
            for message in case["messages"]
        )
        conversations.append(
            Conversation(
                id=str(case["id"]),
                lang=str(case.get("lang", "en")),
                label=str(case["label"]),
                kind=str(case.get("kind", case["label"])),
                offender=case.get("offender"),
                first_actionable=case.get("first_actionable"),
                turns=turns,
                group=str(case["id"]),
            )
        )
    return sorted(conversations, key=lambda conversation: conversation.id)


def read_training_corpus(corpus_dir: Path = CORPUS_DIR, prefix: str = "train") -> list[Conversation]:
    """All ``<prefix>_*.jsonl`` conversations of our corpus, never ``dev.jsonl``.

    ``train`` files teach every learned part, ``stages`` files the stage heads alone.
    """
    conversations = []
    for path in sorted(corpus_dir.glob(f"{prefix}_*.jsonl")):
        conversations += read_corpus(path)
    return sorted(conversations, key=lambda conversation: conversation.id)


def read_pj_sessions(data_dir: Path) -> list[Conversation]:
    """Perverted-Justice sessions with turn order (``bf-psr-pj``): the offender writes to the decoy and back."""
    path = data_dir / "perverted-justice" / "bf-psr-pj" / "pj_conversations.jsonl.gz"
    sessions = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            turns = tuple(
                Turn(sender=message["author"], to="decoy" if message["author"] == "groomer" else "groomer", text=text)
                for message in case["messages"]
                if (text := str(message.get("text") or "").strip())
            )
            sessions.append(
                Conversation(
                    id=f"pj-{case['id']:05d}",
                    lang="en",
                    label="grooming",
                    kind="perverted-justice",
                    offender="groomer",
                    first_actionable=None,
                    turns=turns,
                    group=str(case["groomer_id"]),
                )
            )
    return sorted(sessions, key=lambda session: session.id)


@dataclass(frozen=True)
class SideLines:
    """One Perverted-Justice case of the Koutli release: the offender's lines and the decoys' lines, unordered."""

    case: str
    offender: tuple[str, ...]
    decoy: tuple[str, ...]


def read_koutli(data_dir: Path) -> list[SideLines]:
    """The Koutli release's cases: each offender file with the decoy files that answered it."""
    path = data_dir / "perverted-justice" / "koutli-pj" / "pj_koutli_2023.tar.gz"
    offenders: dict[str, list[str]] = {}
    decoys: dict[str, list[str]] = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            name = Path(member.name).name
            if not member.isfile() or not name.endswith(".txt"):
                continue
            handle = archive.extractfile(member)
            lines = [line.strip() for line in handle.read().decode("utf-8", "replace").splitlines()] if handle else []
            lines = [line for line in lines if line]
            if name.startswith("predator_"):
                offenders[name.removeprefix("predator_").removesuffix(".txt")] = lines
            elif name.startswith("officer_"):
                case = name.removeprefix("officer_").removesuffix(".txt")
                base = case.rsplit("_", 1)[0] if case not in offenders and "_" in case else case
                decoys.setdefault(base, []).extend(lines)
    return [
        SideLines(case=case, offender=tuple(offenders[case]), decoy=tuple(decoys.get(case, ())))
        for case in sorted(offenders)
    ]


def read_benign(data_dir: Path, source: str) -> Iterator[Conversation]:
    """One benign corpus (``benign/<source>``) as unlabelled conversations, in file order."""
    path = data_dir / "benign" / source / f"{source}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            case = json.loads(line)
            turns = _benign_turns(case["turns"])
            meta = case.get("meta") or {}
            group = str(meta.get("match", meta.get("root_group", meta.get("tv_id", case["id"]))))
            yield Conversation(
                id=str(case["id"]),
                lang=str(case["lang"]),
                label="benign",
                kind=source,
                offender=None,
                first_actionable=None,
                turns=turns,
                group=f"{source}:{group}",
            )


def _benign_turns(raw: list[dict]) -> tuple[Turn, ...]:
    speakers = [str(turn.get("speaker") or f"anon{index}") for index, turn in enumerate(raw)]
    turns = []
    for index, turn in enumerate(raw):
        if "reply_to" in turn:
            parent = turn.get("reply_to")
            to = None if parent is None or parent >= len(speakers) else speakers[parent]
        else:
            others = [speaker for speaker in speakers[:index][::-1] if speaker != speakers[index]]
            to = others[0] if others else None
        for text in str(turn["text"]).split("[SEPA]"):
            if text.strip():
                turns.append(Turn(sender=speakers[index], to=to, text=text.strip()))
    return tuple(turns)


def read_nps_chat(data_dir: Path) -> list[Conversation]:
    """NPS Chat rooms, one conversation per session file, room traffic addressed to nobody in particular."""
    sessions = []
    with zipfile.ZipFile(data_dir / "nps-chat" / "nps_chat.zip") as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".xml"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            turns = tuple(
                Turn(sender=str(post.get("user")), to=None, text=(post.text or "").strip())
                for post in root.iter("Post")
                if post.get("class") != "System" and (post.text or "").strip()
            )
            stem = Path(name).stem
            sessions.append(
                Conversation(
                    id=f"nps-{stem}",
                    lang="en",
                    label="benign",
                    kind="nps-chat",
                    offender=None,
                    first_actionable=None,
                    turns=turns,
                    group=f"nps:{stem}",
                )
            )
    return sessions


@dataclass(frozen=True)
class LabelledText:
    """A single comment from a labelled Chinese corpus (offensive / sexist), a hard negative for grooming."""

    id: str
    source: str
    text: str
    label: str


def read_cold(data_dir: Path) -> list[LabelledText]:
    """COLD comments (Apache-2.0): offensive or safe, about race, region and gender."""
    rows = []
    for split in ("train", "dev", "test"):
        with (data_dir / "chinese" / "cold" / f"{split}.csv").open(encoding="utf-8-sig", newline="") as handle:
            for index, row in enumerate(csv.DictReader(handle)):
                text = (row.get("TEXT") or "").strip()
                if text:
                    label = "offensive" if row["label"] == "1" else "safe"
                    rows.append(LabelledText(f"cold-{split}-{index}", "cold", text, label))
    return rows


def read_swsr(data_dir: Path) -> list[LabelledText]:
    """SWSR Weibo comments (MIT): sexist or not, with the category (``SO`` = sexual offence)."""
    rows = []
    with (data_dir / "chinese" / "swsr" / "SexComment.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("comment_text") or "").strip()
            if text:
                label = row.get("category") or ("sexist" if row.get("label") == "1" else "safe")
                rows.append(LabelledText(f"swsr-{row['index']}", "swsr", text, label))
    return rows


def read_toxicn(data_dir: Path) -> list[LabelledText]:
    """ToxiCN comments (CC BY-NC-ND: evaluation only, never training)."""
    rows = []
    with (data_dir / "chinese" / "toxicn" / "ToxiCN_1.0.csv").open(encoding="utf-8-sig", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            text = (row.get("content") or "").strip()
            if text:
                label = "toxic" if row.get("toxic") == "1" else "safe"
                rows.append(LabelledText(f"toxicn-{index}", "toxicn", text, label))
    return rows
