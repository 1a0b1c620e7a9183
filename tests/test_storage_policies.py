"""Chat policies: stored as JSON, replaced on put, listed per tenant — on every backend."""


async def test_policies_get_unknown_chat_is_none(stores, tenant):
    assert await stores.policies.get(tenant, "chat-1") is None


async def test_policies_put_replaces_and_round_trips_json(stores, tenant):
    policy = {"warn_at": 0.6, "allowed_users": ["u1", "u2"], "review_chat_id": None, "language": "zh", "dry_run": True}
    await stores.policies.put(tenant, "chat-1", policy)
    assert await stores.policies.get(tenant, "chat-1") == policy
    await stores.policies.put(tenant, "chat-1", {"warn_at": 0.7})
    assert await stores.policies.get(tenant, "chat-1") == {"warn_at": 0.7}


async def test_policies_returned_copy_does_not_change_the_store(stores, tenant):
    await stores.policies.put(tenant, "chat-1", {"allowed_users": ["u1"]})
    got = await stores.policies.get(tenant, "chat-1")
    got["allowed_users"].append("intruder")
    assert await stores.policies.get(tenant, "chat-1") == {"allowed_users": ["u1"]}


async def test_policies_chats_lists_sorted_chat_ids(stores, tenant):
    for chat in ("chat-b", "chat-a", "chat-c"):
        await stores.policies.put(tenant, chat, {"warn_at": 0.6})
    assert await stores.policies.chats(tenant) == ["chat-a", "chat-b", "chat-c"]
