"""The detector the pipeline calls: ``analyze`` a batch of texts, then ``combine`` each with its conversation.

``analyze`` is the heavy, batched half (rule signals and, when an encoder is loaded, the learned stage heads);
``combine`` is the cheap, pure half that adds one message's evidence to its sender→target conversation and turns
the conversation features into a calibrated risk with reasons.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from classifiers import explain
from classifiers.conversation import (
    FEATURE_NAMES,
    Ceilings,
    DecayParams,
    advance_pair,
    advance_sender,
    answered_age,
    approach_strength,
    carried_risk,
    corroboration,
    directed_evidence,
    echoed_age,
    features,
    first_contact,
    held_as_in_sight,
    present_stages,
    sender_minor_cue,
    single_step_opening,
    standing,
    targets_approached,
    with_risk,
)
from classifiers.heads import ConversationHead, StageHeads
from classifiers.signals import analyze_text
from classifiers.types import ConversationContext, MessageAnalysis, PairState, Reason, Score, SenderState

WEIGHTS_DIR = Path(__file__).parent / "weights"
RULES_HEAD = "conversation_rules.json"
FUSED_HEAD = "conversation_fused.json"
STAGE_HEADS = "stage_heads.npz"


class TextEncoder(Protocol):
    """What the scorer needs of an encoder: batched, L2-normalised sentence embeddings, a version, a cache key.

    ``version`` is what trained heads must match; ``cache_key`` names the exact built files, for embedding caches.
    """

    version: str
    cache_key: str

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embeddings of shape (len(texts), dim), rows in input order."""
        ...


@dataclass(frozen=True)
class EncoderPart:
    """An encoder with the stage heads trained on its embeddings."""

    encoder: TextEncoder
    heads: StageHeads
    batch_size: int = 64


@dataclass(frozen=True)
class Bounds:
    """The conversation head's risk for one message and the corroboration ceiling over it, with what placed it.

    Attributes:
        learned: the conversation head's calibrated risk.
        ceiling: the ceiling that applies (see :class:`classifiers.conversation.Ceilings`).
        facts: the corroborating facts.
        in_sight: whether the ceilings treat the target as a minor.
        standing: the sender's standing or first-contact hold, or None.
        to_room: whether the message is addressed to the whole room.
        one_step: whether the message is a one-step opening.
    """

    learned: float
    ceiling: float
    facts: tuple[str, ...]
    in_sight: bool
    standing: str | None
    to_room: bool
    one_step: bool

    def reason(self, ceilings: Ceilings) -> Reason:
        """Why the risk is held at the ceiling: the standing where it binds, else the missing corroboration."""
        unheld = ceilings.limit(self.facts, self.in_sight, None, self.learned, self.to_room, self.one_step)
        binding = self.standing if self.ceiling < unheld else None
        return explain.ceiling_reason(self.ceiling, self.facts, self.in_sight, binding, self.to_room, self.one_step)


@dataclass(frozen=True)
class Scorer:
    """Risk, stages and reasons for each message in its conversation.

    Attributes:
        conversation: the conversation head (trained for the stage scores this scorer produces).
        version: identifies the build (rules, weights and encoder); kept on every incident.
        learned: the encoder and stage heads, or None to score with the rule signals alone.
        params: how fast evidence fades.
    """

    conversation: ConversationHead
    version: str
    learned: EncoderPart | None = None
    params: DecayParams = field(default_factory=DecayParams)

    def analyze(self, texts: Sequence[str]) -> list[MessageAnalysis]:
        """Each text on its own: rule signals, fused with the learned heads when an encoder is loaded."""
        analyses = [analyze_text(text) for text in texts]
        if self.learned is None or not analyses:
            return analyses
        part = self.learned
        embeddings = part.encoder.embed([analysis.normalized for analysis in analyses], batch_size=part.batch_size)
        return part.heads.fuse(analyses, embeddings)

    def combine(self, analysis: MessageAnalysis, context: ConversationContext) -> Score:
        """One message's risk given the conversation before it (pure and deterministic)."""
        analysis = echoed_age(answered_age(analysis, context, self.params), context, self.params)
        pair, sender, values = self.step(analysis, context)
        bounds = self._bounded(analysis, context, pair, sender, values)
        learned, ceiling = bounds.learned, bounds.ceiling
        carried = carried_risk(context.pair, context.sent_at, self.params)
        risk = round(max(min(learned, ceiling), carried), 6)
        reasons = self._reasons(analysis, values, pair, targets_approached(sender, self.params))
        if learned > ceiling:
            reasons = (bounds.reason(self.conversation.ceilings), *reasons)
        if carried > min(learned, ceiling):
            reasons = (explain.carried_reason(carried), *reasons)
        return Score(
            risk=risk,
            message_risk=round(self.message_risk(analysis), 6),
            stages=present_stages(pair),
            reasons=reasons,
            model_version=self.version,
            pair=with_risk(pair, risk),
            sender=sender,
            minor_cue=sender_minor_cue(context.sender_minor_cue, analysis.minor_cue),
            adult_cue=analysis.adult_cue,
            lang=analysis.lang,
        )

    def step(self, analysis: MessageAnalysis, context: ConversationContext) -> tuple[PairState, SenderState, dict]:
        """The updated pair and sender states and the conversation features, before the head reads them."""
        pair = advance_pair(context.pair, directed_evidence(analysis), context.sent_at, self.params, analysis.family)
        approach = approach_strength(pair)
        sender = advance_sender(context.sender, context.target_id, approach, context.sent_at, self.params)
        return pair, sender, features(analysis, context, pair, sender, self.params)

    def message_risk(self, analysis: MessageAnalysis) -> float:
        """The risk of the message alone, as if it opened a conversation with an unknown user."""
        context = ConversationContext(sender_id="", target_id="")
        bounds = self._bounded(analysis, context, *self.step(analysis, context))
        return min(bounds.learned, bounds.ceiling)

    def _bounded(
        self, analysis: MessageAnalysis, context: ConversationContext, pair: PairState, sender: SenderState,
        values: dict,
    ) -> Bounds:
        """The head's risk and the ceiling that applies, with what placed the ceiling."""
        facts = corroboration(analysis, context, pair, sender, self.params)
        in_sight = held_as_in_sight(context, pair, facts)
        stands = standing(analysis, context, pair, self.params) or first_contact(analysis, context)
        learned = self.conversation.probability(values)
        to_room, one_step = context.target_id is None, single_step_opening(context, pair)
        ceiling = self.conversation.ceilings.limit(facts, in_sight, stands, learned, to_room, one_step)
        return Bounds(learned, ceiling, facts, in_sight, stands, to_room, one_step)

    def score(self, items: Sequence[tuple[str, ConversationContext]]) -> list[Score]:
        """Analyze and combine each (text, context) independently: one score per item, in order."""
        analyses = self.analyze([text for text, _ in items])
        return [self.combine(analysis, context) for analysis, (_, context) in zip(analyses, items, strict=True)]

    def _reasons(
        self, analysis: MessageAnalysis, values: dict[str, float], pair: PairState, targets: int
    ) -> tuple[Reason, ...]:
        contributions = self.conversation.contributions(values)
        weight = self.conversation.coef[self.conversation.names.index("pair_peak")]
        ranked = explain.stage_reasons(pair, weight)
        ranked += explain.factor_reasons(values, contributions, pair, targets)
        ranked += explain.message_reasons(analysis)
        return explain.ordered(ranked)


def _digest(paths: Sequence[Path], extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _rules_files() -> list[Path]:
    """The source files whose rules and arithmetic the scores depend on (their bytes go into the version)."""
    here = Path(__file__).parent
    fixed = [here / "signals.py", here / "normalize.py", here / "conversation.py", here / "heads.py"]
    return [path for path in fixed if path.exists()] + sorted((here / "patterns").glob("*.py"))


def load_scorer(
    *,
    model_dir: Path,
    weights_dir: Path | None = None,
    runtime: str = "onnx-int8",
    threads: int = 2,
    batch_size: int = 64,
    use_encoder: bool = True,
) -> Scorer:
    """Load the detector.

    Args:
        model_dir: the converted encoder's folder (see ``classifiers.encoder_build``).
        weights_dir: the trained heads; None = the ones shipped in ``classifiers/weights``.
        runtime: the encoder runtime ("onnx-int8", "onnx" or "torch").
        threads: CPU threads for the encoder.
        batch_size: messages per encoder batch.
        use_encoder: False scores with the rule signals and the conversation model alone.

    Raises:
        FileNotFoundError: the encoder or the weights are missing.
        ValueError: the stage heads were trained on another encoder version.
    """
    weights = Path(weights_dir) if weights_dir is not None else WEIGHTS_DIR
    if not use_encoder:
        head_path = weights / RULES_HEAD
        head = ConversationHead.load(head_path, FEATURE_NAMES)
        return Scorer(conversation=head, version="rules-" + _digest([head_path, *_rules_files()], "rules"))
    from classifiers.encoder import Encoder, encoder_files_present

    if not encoder_files_present(Path(model_dir), runtime):
        raise FileNotFoundError(
            f"no {runtime} encoder in {model_dir}: build it with `python bot.py setup-model`, "
            "or score without it (MINORGUARD_CLASSIFIER__USE_ENCODER=false)"
        )
    encoder = Encoder.load(Path(model_dir), runtime=runtime, threads=threads)
    heads = StageHeads.load(weights / STAGE_HEADS)
    if heads.encoder_version != encoder.version:
        raise ValueError(
            f"stage heads in {weights} were trained on encoder {heads.encoder_version!r}, "
            f"but {model_dir} holds {encoder.version!r}: retrain with `python bot.py train`"
        )
    head_path = weights / FUSED_HEAD
    head = ConversationHead.load(head_path, FEATURE_NAMES)
    files = [head_path, weights / STAGE_HEADS, *_rules_files()]
    version = "e5-" + _digest(files, encoder.version)
    return Scorer(conversation=head, version=version, learned=EncoderPart(encoder, heads, batch_size))
