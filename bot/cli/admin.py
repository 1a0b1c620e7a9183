"""Administrative commands: API keys (tenants) and the incident log."""

from __future__ import annotations

import asyncio
import json

import typer

from bot.cli.context import settings_of
from storage.db import Database, migrate
from storage.incidents import SqlIncidentStore
from storage.tenants import TenantStore

apikey_cli = typer.Typer(no_args_is_help=True)
incidents_cli = typer.Typer(no_args_is_help=True)


async def _create_key(url: str, name: str) -> tuple[str, str]:
    await migrate(url)
    database = Database(url)
    try:
        return await TenantStore(database).create(name)
    finally:
        await database.close()


@apikey_cli.command("create")
def apikey_create(ctx: typer.Context, name: str = typer.Option(..., "--name", help="The app this key is for.")) -> None:
    """Create a tenant and print its API key once, alone on the last line (only its hash is stored)."""
    if not name.strip():
        raise typer.BadParameter("the name must not be empty", param_hint="--name")
    tenant_id, key = asyncio.run(_create_key(settings_of(ctx).storage.url, name.strip()))
    typer.echo(f"tenant {tenant_id} ({name.strip()}): store this key now, it is not shown again", err=True)
    typer.echo(key)


async def _list_tenants(url: str) -> list[dict]:
    await migrate(url)
    database = Database(url)
    try:
        return await TenantStore(database).list()
    finally:
        await database.close()


@apikey_cli.command("list")
def apikey_list(ctx: typer.Context) -> None:
    """List tenants (never their keys)."""
    for tenant in asyncio.run(_list_tenants(settings_of(ctx).storage.url)):
        typer.echo(json.dumps(tenant, default=str, ensure_ascii=False))


async def _revoke(url: str, tenant_id: str) -> bool:
    database = Database(url)
    try:
        return await TenantStore(database).revoke(tenant_id)
    finally:
        await database.close()


@apikey_cli.command("revoke")
def apikey_revoke(ctx: typer.Context, tenant_id: str) -> None:
    """Revoke a tenant's API key."""
    if not asyncio.run(_revoke(settings_of(ctx).storage.url, tenant_id)):
        typer.echo(f"no tenant {tenant_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {tenant_id}")


async def _verify(url: str, tenant_id: str | None):
    database = Database(url)
    try:
        return await SqlIncidentStore(database).verify(tenant_id)
    finally:
        await database.close()


@incidents_cli.command("verify")
def incidents_verify(
    ctx: typer.Context, tenant: str | None = typer.Option(None, help="Check one tenant's chain only.")
) -> None:
    """Recompute every incident's hash and link; exit 1 and list the problems if the chain is broken."""
    report = asyncio.run(_verify(settings_of(ctx).storage.url, tenant))
    if report.ok:
        typer.echo(f"incident chain intact: {report.checked} incidents verified")
        return
    for problem in report.problems:
        typer.echo(f"BROKEN: {problem}", err=True)
    typer.echo(f"incident chain BROKEN: {len(report.problems)} problem(s) in {report.checked} incidents", err=True)
    raise typer.Exit(1)
