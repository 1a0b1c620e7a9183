"""Shared helpers for commands: the settings built once by the root callback."""

from __future__ import annotations

import typer

from bot.settings import Settings


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the root callback."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        raise typer.BadParameter("settings were not initialised")
    return settings
