"""``python bot.py moderator``: create, list and disable the moderator console's accounts."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer

from bot.cli.context import settings_of
from bot.web.accounts import Accounts
from storage.db import Database, migrate
from storage.moderators import SqlModeratorStore
from storage.tables import MODERATOR_ROLES

moderator_cli = typer.Typer(no_args_is_help=True)

Result = TypeVar("Result")


async def with_accounts(url: str, work: Callable[[Accounts], Awaitable[Result]]) -> Result:
    """Run ``work`` on the accounts of the database at ``url`` (migrated first), then close it."""
    await migrate(url)
    database = Database(url)
    try:
        return await work(Accounts(SqlModeratorStore(database)))
    finally:
        await database.close()


def read_password(from_stdin: bool) -> tuple[str, str]:
    """The new password and its confirmation: the first line of stdin (used for both), or typed twice, hidden."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        return password, password
    password = typer.prompt("Password", hide_input=True)
    again = typer.prompt("Password again", hide_input=True)
    return password, again


@moderator_cli.command("add")
def moderator_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The account's sign-in name."),
    role: str = typer.Option("moderator", "--role", help="moderator (review queue, appeals) or admin (also policies)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from the first stdin line."),
) -> None:
    """Create a console account; the password is asked twice (hidden) unless it comes on stdin."""
    if role not in MODERATOR_ROLES:
        raise typer.BadParameter(f"expected one of {', '.join(MODERATOR_ROLES)}", param_hint="--role")
    password, again = read_password(password_stdin)
    url = settings_of(ctx).storage.url
    try:
        asyncio.run(with_accounts(url, lambda accounts: accounts.add(name, password, again, role)))
    except ValueError as error:
        typer.echo(f"not added: {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"{role} {name} added; sign in at /console/login")


@moderator_cli.command("list")
def moderator_list(ctx: typer.Context) -> None:
    """List the accounts (one JSON object a line; never the password hashes)."""
    accounts: list[dict[str, Any]] = asyncio.run(
        with_accounts(settings_of(ctx).storage.url, lambda accounts: accounts.list())
    )
    for account in accounts:
        typer.echo(json.dumps(account, default=str, ensure_ascii=False))


@moderator_cli.command("disable")
def moderator_disable(ctx: typer.Context, name: str = typer.Argument(..., help="The account to disable.")) -> None:
    """Disable an account: it can no longer sign in, and its open sessions end at their next request."""
    done = asyncio.run(with_accounts(settings_of(ctx).storage.url, lambda accounts: accounts.set_disabled(name, True)))
    if not done:
        typer.echo(f"no moderator named {name!r}", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{name} disabled")
