"""Appeals answered within the chat's deadline or escalated: the pure selection, the check on the real stores
(SQLite file and PostgreSQL) and the scheduled job."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from bot.appeal_deadlines import (
    ESCALATED_BY,
    AppealDeadlines,
    appeal_deadline_job,
    check_once,
    deadline_reason,
    overdue_appeals,
)
from bot.cli.evidence import PolicyBook
from handlers.policy import ChatPolicy
from storage.appeals import ESCALATED_PRIORITY, SqlAppealStore
from storage.db import Database
from storage.incidents import SqlIncidentStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue
from tests.conftest import TickingClock

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def waiting(hours_ago: float, chat: str = "chat-1", **fields: Any) -> dict[str, Any]:
    appeal = {"tenant_id": "t", "chat_id": chat, "status": "open", "escalated_at": None}
    return appeal | {"created_at": NOW - timedelta(hours=hours_ago)} | fields


@pytest.mark.parametrize(
    ("appeal", "overdue"),
    [
        (waiting(71.9), False),
        (waiting(72), True),
        (waiting(500), True),
        (waiting(500, status="answered"), False),
        (waiting(500, escalated_at=NOW - timedelta(hours=1)), False),
        (waiting(5, chat="strict"), True),
        (waiting(3, chat="strict"), False),
        (waiting(500, chat="unknown"), False),
    ],
    ids=[
        "just-before",
        "at-deadline",
        "long-past",
        "answered",
        "escalated-already",
        "short-deadline",
        "short-in-time",
        "no-policy-read",
    ],
)
def test_appeal_deadlines_overdue_selection(appeal, overdue):
    deadlines = {("t", "chat-1"): 72, ("t", "strict"): 4}
    assert overdue_appeals([appeal], deadlines, NOW) == ([appeal] if overdue else [])


@pytest.mark.parametrize("hours", [0, -1, 8761, "soon"])
def test_appeal_deadlines_policy_rejects_a_bad_deadline(hours):
    with pytest.raises(ValidationError, match="appeal_deadline_hours"):
        ChatPolicy(appeal_deadline_hours=hours)


def test_appeal_deadlines_policy_default_is_72_hours():
    assert ChatPolicy().appeal_deadline_hours == 72


class Installation:
    """The stores of one database on a clock the test moves, and an appeal helper."""

    def __init__(self, database: Any, tenant: str, make_incident: Any) -> None:
        self.clock = TickingClock(NOW)
        self.tenant = tenant
        self.make_incident = make_incident
        self.incidents = SqlIncidentStore(database, self.clock)
        self.reviews = SqlReviewQueue(database, self.clock)
        self.appeals = SqlAppealStore(database, self.clock)
        self.policies = SqlPolicyStore(database, self.clock)
        self.deadlines = AppealDeadlines(appeals=self.appeals, policies=PolicyBook(self.policies), clock=self.clock)
        self.number = 0

    async def appeal(self, chat_id: str) -> tuple[dict[str, Any], str]:
        """An appealed warning in the chat: the appeal and its open review item's id."""
        self.number += 1
        entry = self.make_incident(self.tenant, self.number, chat_id=chat_id, sender_id=f"user-{self.number}")
        incident_id = await self.incidents.record(entry)
        appeal = await self.appeals.open(self.tenant, incident_id, entry["sender_id"], "it was a joke", "en")
        review = {"tenant_id": self.tenant, "chat_id": chat_id, "incident_id": incident_id, "kind": "appeal"}
        review_id = await self.reviews.enqueue(review | {"requested_by": entry["sender_id"], "note": ""})
        return appeal, review_id


async def test_appeal_deadlines_escalate_overdue_appeals_by_their_chat_policy(database, tenant, make_incident):
    site = Installation(database, tenant, make_incident)
    await site.policies.put(tenant, "strict", ChatPolicy(appeal_deadline_hours=4).model_dump(mode="json"))
    relaxed, relaxed_item = await site.appeal("relaxed")
    strict, strict_item = await site.appeal("strict")
    answered, answered_item = await site.appeal("strict")
    await site.reviews.resolve(tenant, answered_item, "confirmed", "mod-ana", "")
    await site.appeals.answer(tenant, answered["id"], "confirmed", "")
    fresh_incident = await site.incidents.record(make_incident(tenant, 99, action="review"))
    fresh_item = await site.reviews.enqueue(
        {"tenant_id": tenant, "chat_id": "relaxed", "incident_id": fresh_incident, "kind": "detector"}
        | {"requested_by": None, "note": ""}
    )

    site.clock.advance(timedelta(hours=5))
    first = await site.deadlines.escalate_overdue()
    queue_after_first = [item["id"] for item in await site.reviews.list(tenant)]
    site.clock.advance(timedelta(hours=68))
    second = await site.deadlines.escalate_overdue()
    third = await site.deadlines.escalate_overdue()

    assert [appeal["id"] for appeal in first] == [strict["id"]]
    assert [appeal["id"] for appeal in second] == [relaxed["id"]]
    assert third == []
    stored = await site.appeals.get(tenant, strict["id"])
    assert stored["status"] == "open" and stored["escalated_by"] == ESCALATED_BY == "system"
    assert stored["escalation_reason"] == deadline_reason(4) == "deadline passed: no answer within 4 hours"
    assert NOW + timedelta(hours=5) <= stored["escalated_at"] < NOW + timedelta(hours=5, minutes=1)
    assert (await site.appeals.get(tenant, answered["id"]))["escalated_at"] is None
    assert queue_after_first == [strict_item, relaxed_item, fresh_item]
    assert [item["id"] for item in await site.reviews.list(tenant)] == [relaxed_item, strict_item, fresh_item]
    assert (await site.reviews.get(tenant, strict_item))["priority"] == ESCALATED_PRIORITY
    assert (await site.reviews.get(tenant, fresh_item))["priority"] == 0


async def test_appeal_deadlines_escalated_appeal_can_still_be_answered(database, tenant, make_incident):
    site = Installation(database, tenant, make_incident)
    appeal, _ = await site.appeal("chat-1")
    site.clock.advance(timedelta(hours=73))
    await site.deadlines.escalate_overdue()

    answered = await site.appeals.answer(tenant, appeal["id"], "overturned", "sorry for the wait")

    assert answered["status"] == "answered" and answered["escalated_by"] == "system"
    assert await site.appeals.escalate(tenant, appeal["id"], "system", "again") is None


async def test_appeal_deadlines_concurrent_checks_escalate_once(database, tenant, make_incident):
    site = Installation(database, tenant, make_incident)
    appeal, _ = await site.appeal("chat-1")
    site.clock.advance(timedelta(hours=80))

    results = await asyncio.gather(*(site.deadlines.escalate_overdue() for _ in range(4)))

    assert sum(len(escalated) for escalated in results) == 1
    assert (await site.appeals.get(tenant, appeal["id"]))["escalated_at"] is not None


async def test_appeal_deadlines_check_once_logs_and_survives_a_failure(tmp_path, caplog):
    unmigrated = Database(f"sqlite+aiosqlite:///{tmp_path / 'no-tables.db'}")
    deadlines = AppealDeadlines(appeals=SqlAppealStore(unmigrated), policies=PolicyBook(SqlPolicyStore(unmigrated)))
    try:
        assert await check_once(deadlines) is None
    finally:
        await unmigrated.close()
    assert "appeal deadline check failed" in caplog.text


async def test_appeal_deadlines_job_checks_at_start_and_stops_on_exit(database, tenant, make_incident):
    site = Installation(database, tenant, make_incident)
    appeal, _ = await site.appeal("chat-1")
    site.clock.advance(timedelta(hours=100))

    async with appeal_deadline_job(site.deadlines, interval_minutes=60) as task:
        for _ in range(500):
            if (await site.appeals.get(tenant, appeal["id"]))["escalated_at"] is not None:
                break
            await asyncio.sleep(0.01)
        assert task is not None and not task.done()
    assert task.cancelled()
    assert (await site.appeals.get(tenant, appeal["id"]))["escalated_by"] == "system"


async def test_appeal_deadlines_job_off_when_interval_is_zero(database, tenant, make_incident):
    site = Installation(database, tenant, make_incident)
    async with appeal_deadline_job(site.deadlines, interval_minutes=0) as task:
        assert task is None
