"""Per-message stage signals with reasons: the bilingual rule layer of the detector.

:func:`analyze_text` folds a message (:mod:`classifiers.normalize`), runs the English and Chinese rule tables
(:mod:`classifiers.patterns`) and returns a :class:`~classifiers.types.MessageAnalysis`: a graded score for every
grooming stage, the writer's minor/adult self-presentation, how much the message reports or quotes grooming rather
than doing it, the contact handles, and one :class:`~classifiers.types.Reason` per stage and cue, also when a check
finds nothing. It is evidence for the scorer, never a verdict on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from types import MappingProxyType

from classifiers.normalize import Normalized, Normalizer
from classifiers.patterns import cues, en_approach, en_exploit, zh_approach, zh_exploit
from classifiers.patterns.common import CHAT_SPEAK, Rule
from classifiers.patterns.matcher import Hit, RuleMatcher
from classifiers.types import STAGES, MessageAnalysis, Reason, Stage

__all__ = ["SignalAnalyzer", "analyze_text", "learned_damping"]

_EN_RULES: tuple[tuple[Rule, ...], ...] = (
    en_approach.AGE_PROBE, en_approach.FLATTERY, en_approach.SECRECY, en_approach.OFF_PLATFORM, en_approach.GIFTS,
    en_exploit.IMAGE_REQUEST, en_exploit.MEETING, en_exploit.SEXUAL_TALK, en_exploit.RECRUITMENT,
)
_ZH_RULES: tuple[tuple[Rule, ...], ...] = (
    zh_approach.AGE_PROBE_ZH, zh_approach.FLATTERY_ZH, zh_approach.SECRECY_ZH, zh_approach.OFF_PLATFORM_ZH,
    zh_approach.GIFTS_ZH, zh_exploit.IMAGE_REQUEST_ZH, zh_exploit.MEETING_ZH, zh_exploit.SEXUAL_TALK_ZH,
    zh_exploit.RECRUITMENT_ZH,
)
_NOTHING_FOUND = MappingProxyType({
    Stage.AGE_PROBE: "no sign of questions about age, school or whereabouts",
    Stage.FLATTERY: "no sign of flattery or 'special friend' talk",
    Stage.SECRECY: "no sign of a request for secrecy",
    Stage.OFF_PLATFORM: "no sign of moving the conversation elsewhere",
    Stage.GIFTS: "no sign of gifts or money offered",
    Stage.IMAGE_REQUEST: "no sign of a request for pictures or a threat with them",
    Stage.MEETING: "no sign of a proposal to meet",
    Stage.SEXUAL_TALK: "no sign of sexual talk aimed at the addressee",
    Stage.RECRUITMENT: "no sign of a 'job' offer",
    "minor_cue": "the writer does not present themself as a minor",
    "adult_cue": "the writer does not present themself as an adult",
    "quoting": "no sign of reporting or quoting someone else",
})
_PLATFORM_NAMES = MappingProxyType({
    "qq": "a QQ number", "wechat": "a WeChat id", "snap": "a Snapchat name", "phone": "a phone number",
    "telegram": "a Telegram handle", "discord": "a Discord tag", "line": "a LINE id", "kik": "a Kik name",
    "whatsapp": "a WhatsApp number", "instagram": "an Instagram handle",
})
# How much a frame weakens a stage: a shop's "add our WeChat", a trade's "add me on discord" or a grandmother's
# "what grade are you in now?" is not grooming. Frames never excuse sexual talk, image requests or "jobs" for minors.
FAMILY_DAMPING = MappingProxyType({
    "age_probe": 0.6, "flattery": 0.6, "secrecy": 0.6, "gifts": 0.5, "image_request": 0.7, "meeting": 0.6,
})
SURPRISE_DAMPING = MappingProxyType({"secrecy": 0.3, "gifts": 0.5, "meeting": 0.7})
_FRAME_DAMPING = MappingProxyType({
    "commerce": MappingProxyType({"off_platform": 0.35, "gifts": 0.35, "recruitment": 0.5}),
    "trade": MappingProxyType({"off_platform": 0.4, "gifts": 0.4}),
    "family": FAMILY_DAMPING,
    "surprise": SURPRISE_DAMPING,
})
_NOTHING_FOUND_REASONS = MappingProxyType(
    {str(name): Reason(str(name), 0.0, detail) for name, detail in _NOTHING_FOUND.items()}
)
_OFF_PLATFORM = Stage.OFF_PLATFORM.value
_STAGE_NAMES = tuple(stage.value for stage in STAGES)
_NOT_EXCUSED = (Stage.IMAGE_REQUEST.value, Stage.SEXUAL_TALK.value, Stage.RECRUITMENT.value)
_QUOTING_DAMPING = 0.7
FRAME_PRESENT = 0.5
EXPLOITING_RULE = 0.6
_QUOTED_PHRASE = Rule("quoting", 0.75, "puts a grooming phrase in quotation marks", ())
_SEXTORTION = frozenset({en_exploit.SEXTORTION, zh_exploit.SEXTORTION_ZH})
STATED_AGES = range(8, 80)
"""Numbers a bare opening number may give as an age: below 8 it is a count or a score, not a chat user's age."""


class SignalAnalyzer:
    """Turns one message into stage scores, cues and reasons; holds the compiled rule tables.

    Args:
        normalizer: the folding step to use; a new :class:`~classifiers.normalize.Normalizer` when omitted.
    """

    def __init__(self, normalizer: Normalizer | None = None) -> None:
        self._normalizer = normalizer or Normalizer()
        self._expansions = {token: target for tokens, target in CHAT_SPEAK for token in tokens.split("|")}
        tokens = "|".join(sorted(map(re.escape, self._expansions), key=len, reverse=True))
        self._chat_speak = re.compile(rf"\b(?:{tokens})\b")
        self._word_hyphen = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
        rules = [rule for table in (*_EN_RULES, *_ZH_RULES) for rule in table]
        rules += [*cues.MINOR_CUE, *cues.ADULT_CUE, *cues.QUOTING, *cues.COMMERCE, *cues.TRADE, *cues.FAMILY]
        rules += [*cues.SURPRISE]
        rules += cues.SEEKS_MINORS
        self._matcher = RuleMatcher(rules)
        self._quoted = re.compile(
            r"\"[^\"]{3,200}\"|「[^」]{2,200}」|『[^』]{2,200}』|(?:^|(?<=[\s:('])|(?<=[\u4e00-\u9fff]))'[^']{2,200}'"
            r"(?=$|[\s,.!?)'\u4e00-\u9fff])"
        )
        self._stated_age = re.compile(cues.STATED_AGE)
        self._same_as_you = re.compile(cues.SAME_AS_YOU)

    def analyze(self, text: str) -> MessageAnalysis:
        """Analyse one message on its own (no conversation context)."""
        normalized = self._normalizer.normalize(text)
        canonical = self._canonical(normalized.folded)
        hits: dict[str, list[Hit]] = {}
        for hit in self._matcher.hits(canonical):
            hits.setdefault(hit.rule.signal, []).append(hit)
        quoting, quoting_reason = _cue("quoting", [*hits.get("quoting", ()), *self._quoted_hits(canonical, hits)])
        minor, minor_reason = _cue("minor_cue", hits.get("minor_cue", ()))
        adult, adult_reason = _cue("adult_cue", hits.get("adult_cue", ()))
        family = max((hit.rule.weight for hit in hits.get("family", ())), default=0.0)
        surprise = max((hit.rule.weight for hit in hits.get("surprise", ())), default=0.0)
        if adult >= 0.8 and 0 < minor <= 0.6:
            minor, minor_reason = _weakened(minor_reason, 0.5, "the writer's own children are likely meant")
        stage_reasons = [self._stage_reason(stage, hits, normalized, quoting) for stage in STAGES]
        threats = [hit.rule.weight for hit in hits.get(Stage.IMAGE_REQUEST.value, ()) if hit.rule in _SEXTORTION]
        coercion = max(threats, default=0.0) * (1.0 - quoting)
        seeks = max((hit.rule.weight for hit in hits.get("seeks_minors", ())), default=0.0) * (1.0 - quoting)
        return MessageAnalysis(
            text=text,
            normalized=normalized.folded,
            lang=normalized.lang,
            stage_scores={reason.signal: reason.score for reason in stage_reasons},
            minor_cue=minor,
            adult_cue=adult,
            quoting=quoting,
            family=family,
            surprise=surprise,
            handles=normalized.handles,
            reasons=(*stage_reasons, minor_reason, adult_reason, quoting_reason),
            coercion=round(coercion, 4),
            seeks_minors=round(seeks, 4),
            stated_age=self._read_stated_age(canonical),
            same_as_you=self._same_as_you.search(canonical) is not None,
        )

    def _canonical(self, folded: str) -> str:
        """Folded text with chat-speak expanded and hyphens between words turned into spaces."""
        text = self._word_hyphen.sub(" ", folded)
        return self._chat_speak.sub(lambda match: self._expansions[match.group()], text)

    def _read_stated_age(self, canonical: str) -> int | None:
        """The age a message opening with a bare number gives, within ``STATED_AGES``; else None."""
        match = self._stated_age.match(canonical)
        if match is None:
            return None
        digits, numeral = match.group("digits"), match.group("numeral")
        age = int(digits) if digits else _chinese_number(numeral)
        return age if age in STATED_AGES else None

    def _quoted_hits(self, canonical: str, hits: dict[str, list[Hit]]) -> list[Hit]:
        """A quoting hit when a stage phrase sits inside quotation marks ("he said 'don't tell your mom'")."""
        stage_hits = [hit for name in _STAGE_NAMES for hit in hits.get(name, ())]
        if not stage_hits:
            return []
        spans = [match.span() for match in self._quoted.finditer(canonical)]
        if any(start <= hit.start and hit.end <= end for hit in stage_hits for start, end in spans):
            return [Hit(_QUOTED_PHRASE, 0, 0)]
        return []

    def _stage_reason(
        self, stage: Stage, hits: dict[str, list[Hit]], normalized: Normalized, quoting: float
    ) -> Reason:
        """One stage's score and explanation: its hits (and handles), weakened by frames and by quoting."""
        name = stage.value
        evidence = [(hit.rule.weight, hit.rule.detail) for hit in hits.get(name, ())]
        if name == _OFF_PLATFORM and normalized.handles:
            evidence.extend(_handle_evidence(normalized))
        if not evidence:
            return _NOTHING_FOUND_REASONS[name]
        score, detail = _combine(evidence)
        if not _exploits(hits):
            for frame, damping in _FRAME_DAMPING.items():
                factor = damping.get(name)
                if factor is not None and frame in hits:
                    score, detail = score * factor, f"{detail} (weakened: {hits[frame][0].rule.detail})"
        if quoting > 0:
            score, detail = score * (1 - _QUOTING_DAMPING * quoting), f"{detail} (weakened: reported or quoted)"
        return Reason(name, round(score, 4), detail)


def _chinese_number(numeral: str) -> int:
    """The value of a Chinese numeral from 八 to 七十九 ("十三" = 13, "二十" = 20)."""
    digits = "一二三四五六七八九"
    tens, _, units = numeral.rpartition("十") if "十" in numeral else ("", "", numeral)
    if "十" not in numeral:
        return digits.index(units) + 1
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(units) + 1 if units else 0)


def learned_damping(analysis: MessageAnalysis) -> dict[str, float]:
    """How much the frames of a message weaken the learned readings of its stages, as they weaken the rules' own.

    A family frame (:data:`FAMILY_DAMPING`) or a surprise kept for someone else (:data:`SURPRISE_DAMPING`) weakens
    them only while the message's rules read no exploitation (pictures, sex, "jobs"): "send Grandma a picture of
    you in your new uniform" is a family asking, not a stranger. Empty when nothing weakens the message.
    """
    rules_exploit = max((analysis.stage_scores.get(stage, 0.0) for stage in _NOT_EXCUSED), default=0.0)
    if rules_exploit >= EXPLOITING_RULE:
        return {}
    factors: dict[str, float] = {}
    for strength, damping in ((analysis.family, FAMILY_DAMPING), (analysis.surprise, SURPRISE_DAMPING)):
        if strength >= FRAME_PRESENT:
            for name, factor in damping.items():
                factors[name] = factors.get(name, 1.0) * factor
    return factors


def _exploits(hits: dict[str, list[Hit]]) -> bool:
    """Whether the message asks for pictures, talks sex or aims a "job" at minors: no business frame excuses it."""
    return any(hit.rule.weight >= EXPLOITING_RULE for stage in _NOT_EXCUSED for hit in hits.get(stage, ()))


def _handle_evidence(normalized: Normalized) -> list[tuple[float, str]]:
    """Off-platform evidence from the handles the message carries; disguised handles weigh more."""
    evidence = []
    raw = normalized.text.lower()
    for handle in normalized.handles:
        platform, _, value = handle.partition(":")
        disguised = value.lstrip("@") not in raw
        weight = (0.45 if platform == "discord" else 0.75) + (0.1 if disguised else 0.0)
        name = _PLATFORM_NAMES.get(platform, f"a {platform} contact")
        evidence.append((weight, f"shares {name}{' written in disguise' if disguised else ''}"))
    return evidence


def _combine(evidence: list[tuple[float, str]]) -> tuple[float, str]:
    """Noisy-or of the weights (two weak hints make a stronger one) and the three strongest distinct details."""
    evidence.sort(reverse=True)
    remaining = 1.0
    for weight, _ in evidence:
        remaining *= 1.0 - weight
    details = list(dict.fromkeys(detail for _, detail in evidence))[:3]
    return min(1.0, 1.0 - remaining), "; ".join(details)


def _cue(name: str, hits: Sequence[Hit]) -> tuple[float, Reason]:
    """Score and reason for a cue from its hits (one count per rule)."""
    if not hits:
        return 0.0, _NOTHING_FOUND_REASONS[name]
    score, detail = _combine([(hit.rule.weight, hit.rule.detail) for hit in hits])
    return round(score, 4), Reason(name, round(score, 4), detail)


def _weakened(reason: Reason, factor: float, why: str) -> tuple[float, Reason]:
    """Scale a cue and say why in its reason."""
    score = round(reason.score * factor, 4)
    return score, Reason(reason.signal, score, f"{reason.detail} (weakened: {why})")


@cache
def _default_analyzer() -> SignalAnalyzer:
    """The shared analyser behind :func:`analyze_text`, built on first use."""
    return SignalAnalyzer()


def analyze_text(text: str) -> MessageAnalysis:
    """Analyse one message with a shared :class:`SignalAnalyzer`.

    Args:
        text: one chat message, as received.

    Returns:
        Stage scores for every stage, minor/adult cues, quoting, handles and one reason per stage and cue.
    """
    return _default_analyzer().analyze(text)
