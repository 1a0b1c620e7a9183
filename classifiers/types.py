"""The detector's vocabulary: stages, reasons, per-message analyses, conversation context and scores.

Everything here is a frozen dataclass or an enum, free of any platform or storage type, so that the
scorer can be used as a library and its results can be stored as JSON (``to_dict`` / ``from_dict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Stage(StrEnum):
    """Grooming stages from the research literature, as the detector names them."""

    AGE_PROBE = "age_probe"  # asking age, school, whereabouts, home alone, parents around
    FLATTERY = "flattery"  # compliments, "special friend", "mature for your age"
    SECRECY = "secrecy"  # "don't tell your parents", "delete this"
    OFF_PLATFORM = "off_platform"  # isolation, moving to QQ/WeChat/Snap, handles and numbers
    GIFTS = "gifts"  # skins, coins, 红包, money, phone credit
    IMAGE_REQUEST = "image_request"  # photo/video requests, sextortion
    MEETING = "meeting"  # meeting in person, picking up
    SEXUAL_TALK = "sexual_talk"  # sexual talk aimed at the target
    RECRUITMENT = "recruitment"  # "jobs" for minors: modelling, paid chatting, game companions


STAGES: tuple[Stage, ...] = tuple(Stage)


@dataclass(frozen=True)
class Reason:
    """One signal's verdict: its name, strength in 0–1 and a short human explanation."""

    signal: str
    score: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"signal": self.signal, "score": round(float(self.score), 4), "detail": self.detail}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        """Inverse of :meth:`to_dict`."""
        return cls(signal=str(data["signal"]), score=float(data["score"]), detail=str(data["detail"]))


@dataclass(frozen=True)
class MessageAnalysis:
    """What one message says on its own, before any conversation context.

    Attributes:
        text: the message as received.
        normalized: the text after de-obfuscation (full-width, homoglyphs, spaced digits, Traditional→Simplified).
        lang: "en", "zh" or "mixed".
        stage_scores: per stage (``Stage`` value) the strength in 0–1 that this message performs that stage.
        minor_cue: 0–1, how strongly the writer presents themself as a minor ("I'm 13", "我初二", curfew, homework).
        adult_cue: 0–1, how strongly the writer presents themself as an adult (job, "I'm 35", own kids).
        quoting: 0–1, how strongly the message reports, quotes or warns about grooming instead of doing it.
        family: 0–1, how strongly the message speaks within a family or keeps the child's parents in the loop.
        surprise: 0–1, how strongly the message keeps a surprise for someone else (a birthday, a party): the
            secret is kept from the one it is for, not from the child's parents.
        handles: contact handles and numbers found after de-obfuscation (e.g. "qq:12345678").
        reasons: the signals behind the scores, including those that did not fire strongly.
        coercion: 0–1, how strongly the message threatens to share the addressee's pictures (sextortion).
        seeks_minors: 0–1, how strongly the message looks for children by age or school year ("有没有初中妹子").
        same_as_you: the message opens with "same", "me too" or "我也是": alone it says nothing; in answer to a child
            who gave their age it is the writer presenting as the same age (see
            :func:`classifiers.conversation.echoed_age`).
        stated_age: the bare number the message opens with when it reads as an age ("13", "31 and i have a
            mortgage", "十三了"), else None. Alone it says nothing; in answer to an age question it is the writer's
            age (see :func:`classifiers.conversation.answered_age`).
    """

    text: str
    normalized: str
    lang: str
    stage_scores: Mapping[str, float]
    minor_cue: float = 0.0
    adult_cue: float = 0.0
    quoting: float = 0.0
    family: float = 0.0
    surprise: float = 0.0
    handles: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()
    coercion: float = 0.0
    seeks_minors: float = 0.0
    stated_age: int | None = None
    same_as_you: bool = False


@dataclass(frozen=True)
class PairState:
    """Evidence accumulated for one sender towards one target in one chat (JSON-serialisable).

    ``evidence`` maps a stage to its decayed accumulated strength; the other fields are counters the
    conversation model uses. The exact update rule lives in ``classifiers.conversation``.
    """

    evidence: Mapping[str, float] = field(default_factory=dict)
    messages: int = 0
    peak_risk: float = 0.0
    last_seen: float | None = None  # POSIX seconds of the last message from sender to target
    staged_messages: int = 0  # messages from sender to target that carried a grooming stage on their own
    recent_risk: float = 0.0  # the risk of the sender's latest message to the target (fades with time)
    family: float = 0.0  # strongest family / parents-in-the-loop frame of the sender's messages to the target
    probed_last: bool = False  # the sender's latest message to the target asked their age, school or whereabouts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self) | {"evidence": dict(self.evidence)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> PairState:
        """Inverse of :meth:`to_dict`; ``None`` or ``{}`` gives an empty state."""
        if not data:
            return cls()
        return cls(
            evidence={str(k): float(v) for k, v in dict(data.get("evidence", {})).items()},
            messages=int(data.get("messages", 0)),
            peak_risk=float(data.get("peak_risk", 0.0)),
            last_seen=None if data.get("last_seen") is None else float(data["last_seen"]),
            staged_messages=int(data.get("staged_messages", 0)),
            recent_risk=float(data.get("recent_risk", 0.0)),
            family=float(data.get("family", 0.0)),
            probed_last=bool(data.get("probed_last", False)),
        )


@dataclass(frozen=True)
class SenderState:
    """One sender's behaviour across a whole chat: how many people they approach, and how."""

    approached: Mapping[str, float] = field(default_factory=dict)  # target id -> strongest approach evidence
    messages: int = 0
    last_seen: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self) | {"approached": dict(self.approached)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SenderState:
        """Inverse of :meth:`to_dict`; ``None`` or ``{}`` gives an empty state."""
        if not data:
            return cls()
        return cls(
            approached={str(k): float(v) for k, v in dict(data.get("approached", {})).items()},
            messages=int(data.get("messages", 0)),
            last_seen=None if data.get("last_seen") is None else float(data["last_seen"]),
        )


@dataclass(frozen=True)
class ConversationContext:
    """What the scorer may know about a message's conversation.

    Attributes:
        sender_id: the message's author (opaque id).
        target_id: whom the message addresses (reply, mention, thread author), or None for the room.
        sent_at: POSIX seconds, or None when unknown.
        pair: evidence so far from sender to target.
        reverse: evidence so far from target to sender (who leads the conversation matters).
        sender: the sender's behaviour across the chat.
        target_minor_cue: strongest minor cue the target has shown about themself in this chat (0–1).
        target_adult_cue: strongest adult cue the target has shown about themself (0–1).
        sender_minor_cue: strongest minor cue the sender has shown about themself (0–1).
        sender_adult_cue: strongest adult cue the sender has shown about themself (0–1).
        recent_texts: the last few texts between the two, oldest first (for models that read context).
    """

    sender_id: str
    target_id: str | None = None
    sent_at: float | None = None
    pair: PairState = field(default_factory=PairState)
    reverse: PairState = field(default_factory=PairState)
    sender: SenderState = field(default_factory=SenderState)
    target_minor_cue: float = 0.0
    target_adult_cue: float = 0.0
    sender_minor_cue: float = 0.0
    sender_adult_cue: float = 0.0
    recent_texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    """The detector's answer for one message in its conversation.

    Attributes:
        risk: calibrated 0–1 risk that the sender is grooming/soliciting the target, given everything so far.
        message_risk: 0–1 risk of this message alone.
        stages: stages seen in this conversation so far (strongest first).
        reasons: the signals behind ``risk``, strongest first, each with a human explanation.
        model_version: identifies the detector build (weights hash), kept on every incident.
        pair: the updated sender→target state to store.
        sender: the updated sender state to store.
        minor_cue: the sender's self-presented minor cue after this message, stored for the sender (the strongest
            one, or medium ones added up: :func:`classifiers.conversation.sender_minor_cue`).
        adult_cue: this message's self-presented adult cue (stored for the sender).
        lang: the message's language ("en", "zh", "mixed").
    """

    risk: float
    message_risk: float
    stages: tuple[str, ...]
    reasons: tuple[Reason, ...]
    model_version: str
    pair: PairState = field(default_factory=PairState)
    sender: SenderState = field(default_factory=SenderState)
    minor_cue: float = 0.0
    adult_cue: float = 0.0
    lang: str = "en"
