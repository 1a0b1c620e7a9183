"""SqlAppealStore on a real SQLite file and the real PostgreSQL: one appeal per incident, tenant isolation, answers."""

import asyncio

import pytest

from storage.appeals import SqlAppealStore
from storage.incidents import SqlIncidentStore


@pytest.fixture
async def recorded(database, tenant, make_incident):
    """The tenant's incident id and an appeal store on the same database."""
    incident_id = await SqlIncidentStore(database).record(make_incident(tenant))
    return incident_id, SqlAppealStore(database)


async def test_appeals_store_open_then_get(recorded, tenant):
    incident_id, appeals = recorded
    appeal = await appeals.open(tenant, incident_id, "user-a", "I was talking about my own little brother", "en")

    assert appeal["created"] is True
    assert (appeal["incident_id"], appeal["user_id"], appeal["lang"], appeal["status"]) == (
        incident_id,
        "user-a",
        "en",
        "open",
    )
    stored = await appeals.get(tenant, appeal["id"])
    assert stored == {key: value for key, value in appeal.items() if key != "created"}
    assert await appeals.for_incident(tenant, incident_id) == stored


async def test_appeals_store_second_appeal_is_refused(recorded, tenant):
    incident_id, appeals = recorded
    first = await appeals.open(tenant, incident_id, "user-a", "first", "en")
    second = await appeals.open(tenant, incident_id, "user-a", "second try", "zh")

    assert second["created"] is False
    assert (second["id"], second["text"], second["lang"]) == (first["id"], "first", "en")
    assert [appeal["id"] for appeal in await appeals.list(tenant)] == [first["id"]]


async def test_appeals_store_concurrent_appeals_make_one(recorded, tenant):
    incident_id, appeals = recorded
    results = await asyncio.gather(*(appeals.open(tenant, incident_id, "user-a", f"try {n}", "en") for n in range(4)))

    assert sum(result["created"] for result in results) == 1
    assert len({result["id"] for result in results}) == 1


async def test_appeals_store_unknown_or_foreign_incident_is_refused(recorded, tenant):
    incident_id, appeals = recorded
    with pytest.raises(KeyError):
        await appeals.open(tenant, "no-such-incident", "user-a", "text", "en")
    with pytest.raises(KeyError):
        await appeals.open(f"{tenant}-other", incident_id, "user-a", "text", "en")


async def test_appeals_store_tenants_are_isolated(recorded, tenant):
    incident_id, appeals = recorded
    appeal = await appeals.open(tenant, incident_id, "user-a", "text", "en")
    other = f"{tenant}-other"

    assert await appeals.get(other, appeal["id"]) is None
    assert await appeals.for_incident(other, incident_id) is None
    assert await appeals.list(other) == []
    assert await appeals.answer(other, appeal["id"], "overturned", "not yours") is None
    assert (await appeals.get(tenant, appeal["id"]))["status"] == "open"


async def test_appeals_store_answer_is_final(recorded, tenant):
    incident_id, appeals = recorded
    appeal = await appeals.open(tenant, incident_id, "user-a", "text", "zh")

    answered = await appeals.answer(tenant, appeal["id"], "overturned", "context shows a family chat")

    assert (answered["status"], answered["outcome"], answered["note"]) == (
        "answered",
        "overturned",
        "context shows a family chat",
    )
    assert answered["answered_at"] is not None and answered["answered_at"].tzinfo is not None
    assert await appeals.answer(tenant, appeal["id"], "confirmed", "changed my mind") is None
    assert (await appeals.get(tenant, appeal["id"]))["outcome"] == "overturned"
    assert await appeals.list(tenant) == []
    assert [a["id"] for a in await appeals.list(tenant, status="answered")] == [appeal["id"]]
    assert [a["id"] for a in await appeals.list(tenant, status=None)] == [appeal["id"]]


@pytest.mark.parametrize("outcome", ["escalated", "maybe", ""])
async def test_appeals_store_answer_rejects_unknown_outcome(recorded, tenant, outcome):
    incident_id, appeals = recorded
    appeal = await appeals.open(tenant, incident_id, "user-a", "text", "en")
    with pytest.raises(ValueError, match="outcome"):
        await appeals.answer(tenant, appeal["id"], outcome, "")


async def test_appeals_store_list_rejects_unknown_status(recorded, tenant):
    _, appeals = recorded
    with pytest.raises(ValueError, match="status"):
        await appeals.list(tenant, status="closed")
