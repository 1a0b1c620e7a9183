"""Evidence commands: export an incident's evidence package, purge expired evidence, forget a user.

``incidents export`` writes the JSON package of ``docs/EVIDENCE_FORMAT.md``; ``incidents purge`` applies every
chat's ``retention_days`` now (the server also does it on a schedule); ``user forget`` deletes what minorguard
holds about a user except incidents still under retention, and says which it kept and why.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.context import settings_of
from handlers.evidence import EvidenceExporter, ForgetReport, PurgeReport, Retention
from handlers.policy import ChatPolicy
from storage.appeals import SqlAppealStore
from storage.conversations import SqlConversationStore
from storage.db import Database, migrate
from storage.evidence import SqlEvidenceStore
from storage.incidents import SqlIncidentStore
from storage.policies import SqlPolicyStore

EXIT_NOT_FOUND = 1
EXIT_CHAIN_BROKEN = 2


@dataclass(frozen=True)
class PolicyBook:
    """Chat policies as stored, the defaults for a chat without one: what the pipeline uses, without its scorer."""

    store: SqlPolicyStore

    async def policy(self, tenant_id: str, chat_id: str) -> ChatPolicy:
        """The chat's policy, or the defaults."""
        stored = await self.store.get(tenant_id, chat_id)
        return ChatPolicy.model_validate(stored) if stored else ChatPolicy()

    async def set_policy(self, tenant_id: str, chat_id: str, policy: ChatPolicy) -> None:
        """Store the chat's policy."""
        await self.store.put(tenant_id, chat_id, policy.model_dump(mode="json"))


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[Database]:
    """The migrated database at ``url``, closed on the way out."""
    await migrate(url)
    database = Database(url)
    try:
        yield database
    finally:
        await database.close()


def exporter_for(database: Database) -> EvidenceExporter:
    """The evidence exporter over a database's stores."""
    return EvidenceExporter(
        incidents=SqlIncidentStore(database),
        links=SqlEvidenceStore(database),
        appeals=SqlAppealStore(database),
    )


def retention_for(database: Database) -> Retention:
    """The retention rules over a database's stores."""
    policies = PolicyBook(SqlPolicyStore(database))
    return Retention(store=SqlEvidenceStore(database), conversations=SqlConversationStore(database), policies=policies)


async def export_package(url: str, incident_id: str, tenant_id: str | None) -> dict[str, Any] | None:
    """The evidence package of the incident (of the given tenant, or whoever's it is); None when not found."""
    async with opened(url) as database:
        exporter = exporter_for(database)
        tenant_id = tenant_id or await exporter.locate(incident_id)
        return await exporter.package(tenant_id, incident_id) if tenant_id else None


async def purge(url: str, dry_run: bool) -> PurgeReport:
    """Run the retention purge (or count what it would remove) over every chat."""
    async with opened(url) as database:
        return await retention_for(database).purge(dry_run=dry_run)


async def forget(url: str, tenant_id: str, user_id: str) -> ForgetReport:
    """Forget the user, keeping the incidents under retention."""
    async with opened(url) as database:
        return await retention_for(database).forget_user(tenant_id, user_id)


def incidents_export(
    ctx: typer.Context,
    incident: Annotated[str, typer.Option("--incident", help="The incident's id (the reference in the notice).")],
    tenant: Annotated[str | None, typer.Option("--tenant", help="Its tenant; found from the id when left out.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the JSON here instead of printing it.")] = None,
) -> None:
    """Write an incident's evidence package (JSON, with its hash-chain proof); exit 2 if the chain is broken."""
    package = asyncio.run(export_package(settings_of(ctx).storage.url, incident, tenant))
    if package is None:
        typer.echo(f"no incident {incident}" + (f" for tenant {tenant}" if tenant else ""), err=True)
        raise typer.Exit(EXIT_NOT_FOUND)
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"evidence package of incident {incident} written to {out}", err=True)
    verification = package["chain"]["verification"]
    if not (verification["incident_ok"] and verification["chain_ok"]):
        for problem in verification["chain_problems"]:
            typer.echo(f"BROKEN: seq {problem['seq']} {problem['incident_id'] or '-'}: {problem['what']}", err=True)
        typer.echo("hash chain verification FAILED: see chain.verification in the package", err=True)
        raise typer.Exit(EXIT_CHAIN_BROKEN)


def incidents_purge(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be purged.")] = False,
) -> None:
    """Redact incidents and delete messages older than their chat's retention_days (default 365)."""
    report = asyncio.run(purge(settings_of(ctx).storage.url, dry_run))
    for line in report.lines():
        typer.echo(line)


def user_forget(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant the user belongs to.")],
    user: Annotated[str, typer.Option("--user", help="The user's id on the platform.")],
) -> None:
    """Delete a user's messages and conversation state; keep incidents under retention and say why."""
    report = asyncio.run(forget(settings_of(ctx).storage.url, tenant, user))
    for line in report.lines():
        typer.echo(line)


def add_evidence_commands(cli: typer.Typer, incidents_cli: typer.Typer) -> None:
    """Add ``incidents export``/``incidents purge`` and the ``user`` group to the command line."""
    incidents_cli.command("export")(incidents_export)
    incidents_cli.command("purge")(incidents_purge)
    user_cli = typer.Typer(no_args_is_help=True)
    user_cli.command("forget")(user_forget)
    cli.add_typer(user_cli, name="user", help="Delete a user's data (except evidence under retention).")
