"""The review queue: reuse of open items, joined listing, resolution onto the incident — on every backend."""

import asyncio

import pytest


def review(tenant, incident_id, kind="detector", **fields):
    return {
        "tenant_id": tenant,
        "chat_id": "chat-1",
        "incident_id": incident_id,
        "kind": kind,
        "requested_by": None,
        "note": "",
    } | fields


async def test_reviews_enqueue_reuses_open_item_for_same_incident_and_kind(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    first = await stores.reviews.enqueue(review(tenant, incident_id))
    again = await stores.reviews.enqueue(review(tenant, incident_id, note="second request"))
    report = await stores.reviews.enqueue(review(tenant, incident_id, kind="report", requested_by="member-9"))
    assert again == first
    assert report != first
    assert [item["kind"] for item in await stores.reviews.list(tenant)] == ["detector", "report"]


async def test_reviews_concurrent_enqueues_give_one_open_item(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    ids = await asyncio.gather(*(stores.reviews.enqueue(review(tenant, incident_id)) for _ in range(8)))
    assert len(set(ids)) == 1


async def test_reviews_enqueue_after_resolution_opens_a_new_item(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    first = await stores.reviews.enqueue(review(tenant, incident_id))
    await stores.reviews.resolve(tenant, first, "escalated", "mod-1", "needs an admin")
    second = await stores.reviews.enqueue(review(tenant, incident_id))
    assert second != first


async def test_reviews_enqueue_for_unknown_incident_raises(stores, tenant):
    with pytest.raises(KeyError):
        await stores.reviews.enqueue(review(tenant, "no-such-incident"))


async def test_reviews_list_is_oldest_first_with_incident_joined(stores, tenant, make_incident):
    ids = [await stores.incidents.record(make_incident(tenant, n, action="delete", risk=0.8)) for n in range(3)]
    for incident_id in reversed(ids):
        await stores.reviews.enqueue(review(tenant, incident_id, requested_by="auto"))
    items = await stores.reviews.list(tenant)
    assert [item["incident_id"] for item in items] == list(reversed(ids))
    item = items[0]
    assert item["text"] == make_incident(tenant, 2)["text"]
    assert (item["stages"], item["risk"], item["action"]) == (["age_probe", "secrecy"], 0.8, "delete")
    assert (item["status"], item["requested_by"], item["resolved_by"], item["resolved_at"]) == (
        "open",
        "auto",
        None,
        None,
    )
    assert item["created_at"].tzinfo is not None
    assert await stores.reviews.get(tenant, item["id"]) == item
    assert len(await stores.reviews.list(tenant, limit=2)) == 2


async def test_reviews_list_filters_by_status_chat_and_kind(stores, tenant, make_incident):
    one = await stores.incidents.record(make_incident(tenant, 1))
    two = await stores.incidents.record(make_incident(tenant, 2, chat_id="chat-2"))
    done = await stores.reviews.enqueue(review(tenant, one))
    await stores.reviews.enqueue(review(tenant, one, kind="appeal"))
    await stores.reviews.enqueue(review(tenant, two, chat_id="chat-2"))
    await stores.reviews.resolve(tenant, done, "confirmed", "mod-1", "")
    assert [item["kind"] for item in await stores.reviews.list(tenant, kind="appeal")] == ["appeal"]
    assert [item["chat_id"] for item in await stores.reviews.list(tenant, chat_id="chat-2")] == ["chat-2"]
    assert [item["id"] for item in await stores.reviews.list(tenant, status="confirmed")] == [done]
    assert len(await stores.reviews.list(tenant, status=None)) == 3


async def test_reviews_resolve_sets_item_and_incident_status(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1, action="mute"))
    review_id = await stores.reviews.enqueue(review(tenant, incident_id, kind="punitive"))
    resolved = await stores.reviews.resolve(tenant, review_id, "overturned", "mod-7", "a parent asking, not grooming")
    assert resolved["status"] == "overturned"
    assert (resolved["resolved_by"], resolved["resolution_note"]) == ("mod-7", "a parent asking, not grooming")
    assert resolved["resolved_at"] is not None
    assert (await stores.incidents.get(tenant, incident_id))["status"] == "overturned"
    history = await stores.incidents.history(tenant, "chat-1", "user-a", make_incident(tenant, 0)["sent_at"])
    assert history["mutes"] == 0
    assert (await stores.incidents.verify(tenant)).ok
    assert await stores.reviews.list(tenant) == []


async def test_reviews_resolve_rejects_unknown_outcome_and_missing_item(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    review_id = await stores.reviews.enqueue(review(tenant, incident_id))
    with pytest.raises(ValueError, match="unknown review outcome"):
        await stores.reviews.resolve(tenant, review_id, "open", "mod-1", "")
    assert await stores.reviews.resolve(tenant, "missing", "confirmed", "mod-1", "") is None


async def test_reviews_list_rejects_unknown_status(stores, tenant):
    with pytest.raises(ValueError, match="unknown incident status"):
        await stores.reviews.list(tenant, status="closed")


async def test_reviews_second_resolve_changes_nothing(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    item_id = await stores.reviews.enqueue(review(tenant, incident_id))
    first = await stores.reviews.resolve(tenant, item_id, "confirmed", "mod-1", "clear case")
    second = await stores.reviews.resolve(tenant, item_id, "overturned", "mod-2", "too late")
    assert first is not None and first["status"] == "confirmed"
    assert second is None
    kept = await stores.reviews.get(tenant, item_id)
    assert (kept["status"], kept["resolved_by"]) == ("confirmed", "mod-1")
