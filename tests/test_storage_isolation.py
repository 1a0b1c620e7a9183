"""Tenant isolation: one tenant can never read, list, change or resolve another tenant's data."""


async def test_isolation_incidents_invisible_to_other_tenant(stores, tenant, make_incident):
    intruder = tenant + "-intruder"
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    assert await stores.incidents.get(intruder, incident_id) is None
    assert await stores.incidents.list(intruder) == ([], None)
    assert not await stores.incidents.set_status(intruder, incident_id, "overturned")
    assert await stores.incidents.purge_older_than(intruder, stores.clock.now.replace(year=2100)) == 0
    assert await stores.incidents.history(intruder, "chat-1", "user-a", make_incident(tenant, 0)["sent_at"]) == {
        "warnings": 0,
        "mutes": 0,
        "bans": 0,
    }
    mine = await stores.incidents.get(tenant, incident_id)
    assert (mine["status"], mine["redacted"]) == ("open", False)


async def test_isolation_reviews_invisible_and_unresolvable_by_other_tenant(stores, tenant, make_incident):
    intruder = tenant + "-intruder"
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    entry = {"tenant_id": tenant, "chat_id": "chat-1", "incident_id": incident_id, "kind": "detector", "note": ""}
    review_id = await stores.reviews.enqueue(entry)
    assert await stores.reviews.get(intruder, review_id) is None
    assert await stores.reviews.list(intruder, status=None) == []
    assert await stores.reviews.resolve(intruder, review_id, "overturned", "mod-x", "") is None
    assert (await stores.reviews.get(tenant, review_id))["status"] == "open"
    assert (await stores.incidents.get(tenant, incident_id))["status"] == "open"


async def test_isolation_review_cannot_point_at_other_tenants_incident(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    entry = {"tenant_id": tenant + "-intruder", "chat_id": "chat-1", "incident_id": incident_id, "kind": "report"}
    try:
        await stores.reviews.enqueue(entry)
    except KeyError:
        pass
    else:
        raise AssertionError("a review was queued against another tenant's incident")


async def test_isolation_policies_are_per_tenant(stores, tenant):
    intruder = tenant + "-intruder"
    await stores.policies.put(tenant, "chat-1", {"warn_at": 0.5})
    assert await stores.policies.get(intruder, "chat-1") is None
    assert await stores.policies.chats(intruder) == []
    await stores.policies.put(intruder, "chat-1", {"warn_at": 0.9})
    assert await stores.policies.get(tenant, "chat-1") == {"warn_at": 0.5}


async def test_isolation_conversations_are_per_tenant(stores, tenant):
    entry = {
        "tenant_id": tenant,
        "chat_id": "chat-1",
        "message_id": "m1",
        "thread_id": "t1",
        "sender_id": "a",
        "target_id": "b",
        "text": "invented",
        "sent_at": stores.clock.now,
        "risk": 0.3,
        "action": "allow",
        "decision": {"action": "allow"},
        "pair": {"messages": 1},
        "sender": {"messages": 1},
        "minor_cue": 0.5,
        "adult_cue": 0.0,
    }
    await stores.conversations.remember(entry)
    other = await stores.conversations.snapshot(tenant + "-intruder", "chat-1", "a", "b", "t1")
    assert (other["pair"], other["window"], other["thread_author"], other["sender_minor"]) == ({}, [], None, 0.0)
    assert await stores.conversations.previous(tenant + "-intruder", "chat-1", "m1") is None
    assert await stores.conversations.recent_messages(tenant + "-intruder", "chat-1", 10) == []
