"""Appeals (one per incident) and moderator accounts, on SQLite and PostgreSQL."""

import asyncio

import pytest

from storage.appeals import SqlAppealStore
from storage.incidents import SqlIncidentStore
from storage.moderators import SqlModeratorStore


@pytest.fixture
async def appealed(database, tenant, make_incident):
    incident_id = await SqlIncidentStore(database).record(make_incident(tenant, 1, action="mute"))
    return SqlAppealStore(database), incident_id


async def test_appeals_open_once_per_incident(appealed, tenant):
    appeals, incident_id = appealed
    first = await appeals.open(tenant, incident_id, "user-a", "I was asking my cousin", "en")
    again = await appeals.open(tenant, incident_id, "user-a", "second try", "en")
    assert first["created"] is True and again["created"] is False
    assert again["id"] == first["id"] and again["text"] == "I was asking my cousin"
    assert (first["status"], first["outcome"], first["lang"]) == ("open", None, "en")
    assert first["created_at"].tzinfo is not None
    assert await appeals.for_incident(tenant, incident_id) == {k: v for k, v in first.items() if k != "created"}


async def test_appeals_concurrent_opens_create_one(appealed, tenant):
    appeals, incident_id = appealed
    opened = await asyncio.gather(*(appeals.open(tenant, incident_id, "user-a", "please", "zh") for _ in range(6)))
    assert sum(appeal["created"] for appeal in opened) == 1
    assert len({appeal["id"] for appeal in opened}) == 1


async def test_appeals_answer_open_appeal_once(appealed, tenant):
    appeals, incident_id = appealed
    appeal = await appeals.open(tenant, incident_id, "user-a", "not me", "zh")
    answered = await appeals.answer(tenant, appeal["id"], "overturned", "sorry")
    assert (answered["status"], answered["outcome"], answered["note"]) == ("answered", "overturned", "sorry")
    assert answered["answered_at"] is not None
    assert await appeals.answer(tenant, appeal["id"], "confirmed", "") is None
    assert await appeals.list(tenant) == []
    assert [row["id"] for row in await appeals.list(tenant, status=None)] == [appeal["id"]]
    with pytest.raises(ValueError, match="unknown appeal outcome"):
        await appeals.answer(tenant, appeal["id"], "escalated", "")


async def test_appeals_are_per_tenant(appealed, tenant):
    appeals, incident_id = appealed
    intruder = tenant + "-intruder"
    with pytest.raises(KeyError):
        await appeals.open(intruder, incident_id, "user-x", "mine now", "en")
    appeal = await appeals.open(tenant, incident_id, "user-a", "text", "en")
    assert await appeals.for_incident(intruder, incident_id) is None
    assert await appeals.get(intruder, appeal["id"]) is None
    assert await appeals.answer(intruder, appeal["id"], "overturned", "") is None
    assert (await appeals.get(tenant, appeal["id"]))["status"] == "open"


async def test_moderators_create_get_list_disable_and_rekey(database, tenant):
    store = SqlModeratorStore(database)
    name = f"mod-{tenant}"
    moderator_id = await store.create(name, "$argon2id$fake-hash", role="admin")
    with pytest.raises(ValueError, match="exists already"):
        await store.create(name, "$argon2id$other")
    with pytest.raises(ValueError, match="unknown role"):
        await store.create(name + "-2", "$argon2id$x", role="owner")
    account = await store.get(name)
    assert (account["id"], account["role"], account["password_hash"], account["disabled"]) == (
        moderator_id,
        "admin",
        "$argon2id$fake-hash",
        False,
    )
    assert await store.set_disabled(name, True) and await store.set_password(name, "$argon2id$new")
    assert not await store.set_disabled("nobody-" + tenant, True)
    account = await store.get(name)
    assert (account["disabled"], account["password_hash"]) == (True, "$argon2id$new")
    listed = {row["name"]: row for row in await store.list()}
    assert "password_hash" not in listed[name] and listed[name]["disabled"] is True
    assert await store.get("nobody-" + tenant) is None
