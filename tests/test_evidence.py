"""The evidence package: export and verification on SQLite and PostgreSQL, tampering detected, the CLI command."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli.evidence import exporter_for
from bot.cli.main import create_cli
from handlers.evidence import FORMAT, FORMAT_VERSION, GENESIS_HASH
from storage.appeals import SqlAppealStore
from storage.db import Database
from storage.incidents import SqlIncidentStore
from storage.reviews import SqlReviewQueue
from tests.conftest import run_sync


def recompute(package: dict[str, Any]) -> str:
    """The content hash, recomputed from the package alone, as docs/EVIDENCE_FORMAT.md tells a reader to."""
    record = {name: package["incident"][name] for name in package["chain"]["hashed_fields"]}
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def record_chain(database: Database, tenant: str, make_incident: Any, count: int = 3) -> list[str]:
    """Record ``count`` incidents of the tenant; the second gets an outcome, a review and an appeal."""
    incidents = SqlIncidentStore(database)
    ids = [await incidents.record(make_incident(tenant, number)) for number in range(1, count + 1)]
    await incidents.record_outcome(ids[1], True, "warned in chat")
    reviews = SqlReviewQueue(database)
    review_id = await reviews.enqueue(
        {"tenant_id": tenant, "chat_id": "chat-1", "incident_id": ids[1], "kind": "appeal", "requested_by": "user-a"}
    )
    await reviews.resolve(tenant, review_id, "confirmed", "mod-1", "the decision stands")
    await SqlAppealStore(database).open(tenant, ids[1], "user-a", "invented appeal text", "en")
    return ids


async def tamper(database: Database, sql: str, **params: Any) -> None:
    async with database.transaction() as session:
        await session.exec(text(sql), params=params)


async def test_evidence_export_carries_evidence_history_and_intact_proof(database, tenant, make_incident):
    ids = await record_chain(database, tenant, make_incident)
    package = await exporter_for(database).package(tenant, ids[1])

    assert (package["format"], package["format_version"]) == (FORMAT, FORMAT_VERSION)
    incident = package["incident"]
    assert incident["id"] == ids[1] and incident["tenant_id"] == tenant
    assert incident["text"] == make_incident(tenant, 2)["text"]
    assert (incident["sender_id"], incident["target_id"], incident["chat_id"]) == ("user-a", "user-b", "chat-1")
    assert incident["sent_at"] == "2025-03-01T12:02:00+00:00"
    assert incident["created_at"].endswith("+00:00") and package["generated_at"].endswith("+00:00")
    assert (incident["risk"], incident["model_version"], incident["stages"]) == (
        0.61,
        "test-model-1",
        ["age_probe", "secrecy"],
    )
    assert incident["reasons"][0]["signal"] == "age_probe" and incident["context"][0]["text"] == "earlier line"
    assert incident["status"] == "confirmed" and incident["redacted"] is False
    assert [outcome["detail"] for outcome in package["outcomes"]] == ["warned in chat"]
    assert [(r["kind"], r["status"], r["resolved_by"]) for r in package["reviews"]] == [
        ("appeal", "confirmed", "mod-1")
    ]
    assert package["appeal"]["text"] == "invented appeal text"

    chain = package["chain"]
    assert chain["seq"] == 2
    assert chain["previous"]["id"] == ids[0] and chain["previous"]["row_hash"] == chain["prev_hash"]
    assert chain["next"]["id"] == ids[2] and chain["next"]["prev_hash"] == chain["row_hash"]
    assert recompute(package) == chain["content_hash"]
    assert hashlib.sha256((chain["prev_hash"] + chain["content_hash"]).encode()).hexdigest() == chain["row_hash"]
    verification = chain["verification"]
    assert verification["incident_ok"] and verification["chain_ok"]
    assert verification["content_matches"] and verification["linked_to_previous"] and verification["linked_to_next"]
    assert verification["chain_checked"] == 3 and verification["chain_problems"] == []
    json.dumps(package)


async def test_evidence_export_of_first_and_last_incident_links_to_genesis_and_nothing(database, tenant, make_incident):
    ids = await record_chain(database, tenant, make_incident, count=2)
    first = await exporter_for(database).package(tenant, ids[0])
    last = await exporter_for(database).package(tenant, ids[1])
    assert first["chain"]["previous"] is None and first["chain"]["prev_hash"] == GENESIS_HASH
    assert first["chain"]["verification"]["linked_to_previous"] is True
    assert last["chain"]["next"] is None and last["chain"]["verification"]["linked_to_next"] is None
    assert first["appeal"] is None and first["reviews"] == []
    assert last["chain"]["verification"]["incident_ok"]


async def test_evidence_export_detects_a_tampered_incident(database, tenant, make_incident):
    ids = await record_chain(database, tenant, make_incident)
    await tamper(database, "UPDATE incidents SET text = 'rewritten afterwards' WHERE id = :id", id=ids[1])

    package = await exporter_for(database).package(tenant, ids[1])

    verification = package["chain"]["verification"]
    assert package["incident"]["text"] == "rewritten afterwards"
    assert verification["content_matches"] is False
    assert verification["recomputed_content_hash"] != package["chain"]["content_hash"]
    assert verification["incident_ok"] is False and verification["chain_ok"] is False
    assert [(p["seq"], p["incident_id"]) for p in verification["incident_problems"]] == [(2, ids[1])]
    assert "edited" in verification["incident_problems"][0]["what"]
    neighbour = await exporter_for(database).package(tenant, ids[0])
    assert neighbour["chain"]["verification"]["incident_ok"] is True
    assert neighbour["chain"]["verification"]["chain_ok"] is False


async def test_evidence_export_detects_a_deleted_predecessor(database, tenant, make_incident):
    ids = await record_chain(database, tenant, make_incident)
    await tamper(database, "DELETE FROM incidents WHERE id = :id", id=ids[0])

    package = await exporter_for(database).package(tenant, ids[1])

    verification = package["chain"]["verification"]
    assert package["chain"]["previous"] is None
    assert verification["linked_to_previous"] is False and verification["incident_ok"] is False


async def test_evidence_export_is_tenant_scoped(database, tenant, make_incident):
    ids = await record_chain(database, tenant, make_incident, count=2)
    other = f"{tenant}-other"
    await SqlIncidentStore(database).record(make_incident(other, 1))
    exporter = exporter_for(database)
    assert await exporter.package(other, ids[0]) is None
    assert await exporter.locate(ids[0]) == tenant
    assert await exporter.locate("no-such-incident") is None
    package = await exporter.package(tenant, ids[0])
    assert package["chain"]["verification"]["chain_checked"] == 2


def run_cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(create_cli(), list(args), env={"MINORGUARD_STORAGE__URL": url})


@pytest.fixture
def sqlite_chain(sqlite_url: str, tenant: str, make_incident: Any) -> list[str]:
    async def build() -> list[str]:
        database = Database(sqlite_url)
        try:
            return await record_chain(database, tenant, make_incident)
        finally:
            await database.close()

    return run_sync(build())


def test_evidence_cli_export_writes_package_found_by_id(sqlite_url, sqlite_chain, tmp_path: Path):
    out = tmp_path / "evidence" / "incident.json"
    result = run_cli(sqlite_url, "incidents", "export", "--incident", sqlite_chain[1], "--out", str(out))
    assert result.exit_code == 0, result.output
    package = json.loads(out.read_text(encoding="utf-8"))
    assert package["incident"]["id"] == sqlite_chain[1]
    assert package["chain"]["verification"]["incident_ok"] is True
    assert recompute(package) == package["chain"]["content_hash"]

    printed = run_cli(sqlite_url, "incidents", "export", "--incident", sqlite_chain[0])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["incident"]["id"] == sqlite_chain[0]


def test_evidence_cli_export_unknown_or_other_tenant_exits_1(sqlite_url, sqlite_chain):
    missing = run_cli(sqlite_url, "incidents", "export", "--incident", "no-such-incident")
    assert missing.exit_code == 1 and "no incident no-such-incident" in missing.stderr
    foreign = run_cli(sqlite_url, "incidents", "export", "--incident", sqlite_chain[0], "--tenant", "someone-else")
    assert foreign.exit_code == 1 and "for tenant someone-else" in foreign.stderr


def test_evidence_cli_export_of_tampered_chain_writes_package_and_exits_2(sqlite_url, sqlite_chain, tmp_path: Path):
    async def edit() -> None:
        database = Database(sqlite_url)
        try:
            await tamper(database, "UPDATE incidents SET risk = 0.01 WHERE id = :id", id=sqlite_chain[2])
        finally:
            await database.close()

    run_sync(edit())
    out = tmp_path / "incident.json"
    result = run_cli(sqlite_url, "incidents", "export", "--incident", sqlite_chain[2], "--out", str(out))
    assert result.exit_code == 2
    assert "verification FAILED" in result.stderr and "BROKEN: seq 3" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["chain"]["verification"]["content_matches"] is False
