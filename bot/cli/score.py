"""``bot.py score``: replay JSON Lines of messages through the real pipeline with fresh in-memory state."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import typer
from pydantic import ValidationError
from tqdm import tqdm

from bot.adapters.http_models import MessageIn
from bot.app import build_scorer, replay_moderator
from bot.cli.context import settings_of
from handlers.model import IncomingMessage
from handlers.pipeline import Moderator
from handlers.policy import ChatPolicy

REPLAY_TENANT = "replay"


def parse_line(line: str, number: int, received_at: datetime) -> IncomingMessage | dict[str, Any]:
    """One input line as a message, or an error object naming the line and the field."""
    try:
        return MessageIn.model_validate_json(line).to_incoming(REPLAY_TENANT, received_at)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or None
        return {"line": number, "error": {"code": "invalid_message", "message": first["msg"], "field": field}}


def read_chunks(stream: IO[str], size: int) -> Iterator[list[tuple[int, str]]]:
    """Non-blank lines with their 1-based numbers, ``size`` at a time."""
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(stream, start=1):
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def replay(moderator: Moderator, stream: IO[str], out: IO[str], chunk_size: int, progress: tqdm) -> int:
    """Score every line in order, writing one JSON object per input line; return how many lines were bad."""
    bad = 0
    for chunk in read_chunks(stream, chunk_size):
        now = datetime.now(UTC)
        parsed = [parse_line(line, number, now) for number, line in chunk]
        messages = [item for item in parsed if isinstance(item, IncomingMessage)]
        decisions = iter(await moderator.process(messages))
        for item in parsed:
            if isinstance(item, IncomingMessage):
                out.write(json.dumps(next(decisions).to_api(), ensure_ascii=False) + "\n")
            else:
                bad += 1
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
                typer.echo(f"line {item['line']}: {item['error']['field']}: {item['error']['message']}", err=True)
        out.flush()
        progress.update(len(chunk))
    return bad


def load_policy(path: Path | None) -> ChatPolicy | None:
    """The policy file's ChatPolicy (JSON), with a clear error when it is invalid."""
    if path is None:
        return None
    try:
        return ChatPolicy.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as error:
        raise typer.BadParameter(str(error), param_hint="--policy") from error


def count_lines(path: Path | None) -> int | None:
    """Number of lines in the input file (None for stdin), for the progress bar."""
    if path is None:
        return None
    with path.open("rb") as stream:
        return sum(1 for _ in stream)


def score_command(
    ctx: typer.Context,
    input_path: Path | None = typer.Option(None, "--input", help="JSON Lines of messages; stdin when omitted."),
    policy_path: Path | None = typer.Option(None, "--policy", help="A chat policy (JSON) applied to every chat."),
    chunk_size: int = typer.Option(256, min=1, help="Messages scored per encoder batch."),
) -> None:
    """Replay messages (the POST /api/v1/messages objects, one per line) and print one decision per line."""
    settings = settings_of(ctx)
    policy = load_policy(policy_path)
    if input_path is not None and not input_path.is_file():
        raise typer.BadParameter(f"no such file: {input_path}", param_hint="--input")
    moderator = replay_moderator(build_scorer(settings.classifier), settings.pipeline.context_messages, policy)
    stream = input_path.open(encoding="utf-8") if input_path else sys.stdin
    with stream, tqdm(total=count_lines(input_path), unit="msg", file=sys.stderr, desc="scoring") as progress:
        bad = asyncio.run(replay(moderator, stream, sys.stdout, chunk_size, progress))
    if bad:
        typer.echo(f"{bad} line(s) were not valid messages; every other line was scored", err=True)
        raise typer.Exit(1)
