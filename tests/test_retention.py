"""Retention: per-chat purge keeps the chain verifiable, user forget keeps what is under retention, the schedule."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli.evidence import retention_for
from bot.cli.main import create_cli
from bot.retention import retention_job, run_once, run_schedule
from handlers.evidence import PurgeReport
from handlers.policy import ChatPolicy
from storage.appeals import SqlAppealStore
from storage.conversations import SqlConversationStore
from storage.db import Database
from storage.incidents import SqlIncidentStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue
from tests.conftest import TickingClock, run_sync

NOW = datetime.now(UTC)
LONG_CHAT, SHORT_CHAT = "long-chat", "short-chat"


@dataclass
class Seeded:
    """The ids of what ``seed`` recorded, by how old it is."""

    expired_long: str
    kept_long: str
    expired_short: str
    kept_short: str
    about_user_as_target: str


def message(tenant: str, chat_id: str, number: int, sender: str, target: str | None) -> dict[str, Any]:
    return {
        "tenant_id": tenant,
        "chat_id": chat_id,
        "message_id": f"m-{number}",
        "thread_id": None,
        "sender_id": sender,
        "target_id": target,
        "text": f"invented chat line {number}",
        "sent_at": NOW,
        "risk": 0.1,
        "action": "allow",
        "decision": {},
        "pair": {"seen": number},
        "sender": {"seen": number},
        "minor_cue": 0.0,
        "adult_cue": 0.0,
    }


async def seed(database: Database, tenant: str, make_incident: Any) -> Seeded:
    """Two chats: one with the default retention (365 days), one keeping 30 days; incidents and messages of ages."""
    clock = TickingClock(NOW - timedelta(days=400))
    incidents = SqlIncidentStore(database, clock)
    conversations = SqlConversationStore(database, clock=clock)
    await SqlPolicyStore(database).put(tenant, SHORT_CHAT, ChatPolicy(retention_days=30).model_dump(mode="json"))

    async def at(days_ago: int, chat_id: str, number: int, **fields: Any) -> str:
        clock.now = NOW - timedelta(days=days_ago)
        return await incidents.record(make_incident(tenant, number, chat_id=chat_id, **fields))

    expired_long = await at(400, LONG_CHAT, 1)
    await conversations.remember(message(tenant, LONG_CHAT, 1, "user-a", "user-b"))
    kept_long = await at(100, LONG_CHAT, 2)
    expired_short = await at(40, SHORT_CHAT, 3)
    await conversations.remember(message(tenant, SHORT_CHAT, 2, "user-a", "user-b"))
    kept_short = await at(10, SHORT_CHAT, 4)
    about_user = await at(5, LONG_CHAT, 5, sender_id="user-c", target_id="user-a")
    clock.now = NOW - timedelta(days=1)
    await conversations.remember(message(tenant, LONG_CHAT, 3, "user-a", "user-b"))
    await conversations.remember(message(tenant, LONG_CHAT, 4, "user-b", "user-a"))
    reviews = SqlReviewQueue(database)
    await reviews.enqueue(
        {"tenant_id": tenant, "chat_id": LONG_CHAT, "incident_id": expired_long, "kind": "report", "note": "a note"}
    )
    await SqlAppealStore(database).open(tenant, expired_long, "user-a", "invented appeal text", "en")
    return Seeded(expired_long, kept_long, expired_short, kept_short, about_user)


async def test_retention_purge_redacts_each_chat_by_its_policy(database, tenant, make_incident):
    seeded = await seed(database, tenant, make_incident)
    incidents = SqlIncidentStore(database)
    retention = retention_for(database)

    dry = await retention.purge(dry_run=True)
    mine = {chat.chat_id: chat for chat in dry.chats if chat.tenant_id == tenant}
    assert (mine[LONG_CHAT].incidents, mine[LONG_CHAT].messages, mine[LONG_CHAT].retention_days) == (1, 1, 365)
    assert (mine[SHORT_CHAT].incidents, mine[SHORT_CHAT].messages, mine[SHORT_CHAT].retention_days) == (1, 1, 30)
    assert not (await incidents.get(tenant, seeded.expired_long))["redacted"]

    report = await retention.purge()

    purged = {chat.chat_id: chat for chat in report.chats if chat.tenant_id == tenant}
    assert (purged[LONG_CHAT].incidents, purged[SHORT_CHAT].incidents) == (1, 1)
    for expired in (seeded.expired_long, seeded.expired_short):
        gone = await incidents.get(tenant, expired)
        assert gone["redacted"] and gone["text"] == "" and gone["context"] == [] and gone["reasons"] == []
        assert gone["content_hash"] and gone["sender_id"] == "user-a"
    for kept in (seeded.kept_long, seeded.kept_short, seeded.about_user_as_target):
        assert not (await incidents.get(tenant, kept))["redacted"]
    assert (await SqlReviewQueue(database).list(tenant, kind="report"))[0]["note"] == ""
    assert (await SqlAppealStore(database).for_incident(tenant, seeded.expired_long))["text"] == ""
    remaining = await SqlConversationStore(database).recent_messages(tenant, LONG_CHAT, 10)
    assert [line["message_id"] for line in remaining] == ["m-3", "m-4"]
    assert await SqlConversationStore(database).recent_messages(tenant, SHORT_CHAT, 10) == []
    chain = await incidents.verify(tenant)
    assert chain.ok, chain.problems
    again = await retention.purge()
    assert [chat for chat in again.chats if chat.tenant_id == tenant] == []


async def test_retention_forget_user_keeps_incidents_under_retention(database, tenant, make_incident):
    seeded = await seed(database, tenant, make_incident)
    incidents = SqlIncidentStore(database)

    report = await retention_for(database).forget_user(tenant, "user-a")

    assert report.conversation_rows >= 4
    assert report.redacted == 2
    kept = {item.incident_id: item for item in report.kept}
    assert set(kept) == {seeded.kept_long, seeded.kept_short, seeded.about_user_as_target}
    assert kept[seeded.about_user_as_target].role == "target" and kept[seeded.kept_long].role == "sender"
    assert kept[seeded.kept_short].retention_days == 30 and kept[seeded.kept_long].retention_days == 365
    assert kept[seeded.kept_short].keep_until > NOW
    for incident_id in kept:
        assert not (await incidents.get(tenant, incident_id))["redacted"]
    assert (await incidents.get(tenant, seeded.expired_short))["redacted"]
    conversations = SqlConversationStore(database)
    for chat_id in (LONG_CHAT, SHORT_CHAT):
        lines = await conversations.recent_messages(tenant, chat_id, 10)
        assert all("user-a" not in (line["sender_id"], line["target_id"]) for line in lines)
    snapshot = await conversations.snapshot(tenant, LONG_CHAT, "user-a", "user-b", None)
    assert snapshot["pair"] == {} and snapshot["sender"] == {} and snapshot["window"] == []
    assert (await incidents.verify(tenant)).ok


def run_cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(create_cli(), list(args), env={"MINORGUARD_STORAGE__URL": url})


@pytest.fixture
def seeded_sqlite(sqlite_url: str, tenant: str, make_incident: Any) -> Seeded:
    async def build() -> Seeded:
        database = Database(sqlite_url)
        try:
            return await seed(database, tenant, make_incident)
        finally:
            await database.close()

    return run_sync(build())


def test_retention_cli_purge_then_verify_passes(sqlite_url, tenant, seeded_sqlite):
    dry = run_cli(sqlite_url, "incidents", "purge", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"{tenant}/{SHORT_CHAT}: would purge 1 incidents" in dry.stdout
    assert "would purge 2 incidents, 2 messages" in dry.stdout

    purged = run_cli(sqlite_url, "incidents", "purge")
    assert purged.exit_code == 0, purged.output
    assert f"{tenant}/{LONG_CHAT}: purged 1 incidents" in purged.stdout and "(retention 365 days)" in purged.stdout
    assert "retention purged 2 incidents" in purged.stdout

    verified = run_cli(sqlite_url, "incidents", "verify")
    assert verified.exit_code == 0, verified.output
    assert "incident chain intact: 5 incidents verified" in verified.stdout
    exported = run_cli(sqlite_url, "incidents", "export", "--incident", seeded_sqlite.expired_long)
    assert exported.exit_code == 0, exported.output
    assert '"content_matches": null' in exported.stdout and '"redacted": true' in exported.stdout


def test_retention_cli_user_forget_says_what_it_kept_and_why(sqlite_url, tenant, seeded_sqlite):
    result = run_cli(sqlite_url, "user", "forget", "--tenant", tenant, "--user", "user-a")
    assert result.exit_code == 0, result.output
    assert "redacted 2 incidents past their chat's retention" in result.stdout
    assert "kept 3 incidents under retention:" in result.stdout
    kept_line = next(line for line in result.stdout.splitlines() if seeded_sqlite.kept_short in line)
    assert "the user is its sender" in kept_line and "retention of 30 days" in kept_line
    assert "the user is its target" in result.stdout


class RecordingPurger:
    """A purger that counts its runs and can be told to fail."""

    def __init__(self, fail: bool = False) -> None:
        self.runs = 0
        self.fail = fail

    async def purge(self, dry_run: bool = False) -> PurgeReport:
        self.runs += 1
        if self.fail:
            raise RuntimeError("database unreachable")
        return PurgeReport(at=NOW, dry_run=dry_run, chats=())


async def test_retention_run_once_logs_and_survives_a_failure(caplog):
    caplog.set_level(logging.INFO, logger="bot.retention")
    assert await run_once(RecordingPurger(fail=True)) is None
    assert "retention purge failed" in caplog.text
    report = await run_once(RecordingPurger())
    assert report is not None and "retention purged 0 incidents" in caplog.text


async def test_retention_schedule_repeats_until_cancelled():
    purger = RecordingPurger(fail=True)
    task = asyncio.create_task(run_schedule(purger, 0.01))
    while purger.runs < 3:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert purger.runs >= 3


async def test_retention_job_purges_at_start_and_stops_on_exit(database, tenant, make_incident):
    seeded = await seed(database, tenant, make_incident)
    incidents = SqlIncidentStore(database)
    async with retention_job(retention_for(database), interval_hours=1.0) as task:
        assert task is not None
        for _ in range(500):
            if (await incidents.get(tenant, seeded.expired_long))["redacted"]:
                break
            await asyncio.sleep(0.01)
    assert task.done()
    assert (await incidents.get(tenant, seeded.expired_long))["redacted"]
    assert not (await incidents.get(tenant, seeded.kept_long))["redacted"]


async def test_retention_job_off_when_interval_is_zero():
    purger = RecordingPurger()
    async with retention_job(purger, interval_hours=0) as task:
        await asyncio.sleep(0.01)
    assert task is None and purger.runs == 0
