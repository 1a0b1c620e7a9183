"""Conversation memory: snapshots, windows, states, cues, thread authors, edits, TTL, replay and forgetting."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from storage.memory_conversations import MemoryConversationStore

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def message(tenant, number, sender, target, text=None, **fields):
    entry = {
        "tenant_id": tenant,
        "chat_id": "chat-1",
        "message_id": f"m{number}",
        "thread_id": None,
        "sender_id": sender,
        "target_id": target,
        "text": text or f"invented line {number}",
        "sent_at": START + timedelta(seconds=number),
        "risk": number / 100,
        "action": "allow",
        "decision": {"message_id": f"m{number}", "action": "allow", "risk": number / 100},
        "pair": {"messages": number, "evidence": {"flattery": 0.1 * number}},
        "sender": {"messages": number, "approached": {target or "": 0.2}},
        "minor_cue": 0.0,
        "adult_cue": 0.0,
    }
    return entry | fields


async def test_conversations_snapshot_of_unknown_pair_is_empty(stores, tenant):
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "a", "b", "thread-1")
    assert snapshot == {
        "pair": {},
        "reverse": {},
        "sender": {},
        "sender_minor": 0.0,
        "sender_adult": 0.0,
        "target_minor": 0.0,
        "target_adult": 0.0,
        "window": [],
        "thread_author": None,
    }


async def test_conversations_snapshot_returns_pair_reverse_and_sender_states(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "a", "b"))
    await stores.conversations.remember(message(tenant, 2, "b", "a", pair={"messages": 77}))
    await stores.conversations.remember(message(tenant, 3, "a", None, pair={"room": True}))
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "a", "b", None)
    assert snapshot["pair"] == {"messages": 1, "evidence": {"flattery": 0.1}}
    assert snapshot["reverse"] == {"messages": 77}
    assert snapshot["sender"] == {"messages": 3, "approached": {"": 0.2}}
    room = await stores.conversations.snapshot(tenant, "chat-1", "a", None, None)
    assert room["pair"] == {"room": True}
    assert room["reverse"] == {}


async def test_conversations_window_holds_both_directions_oldest_first_and_bounded(stores, tenant):
    for number in range(1, 16):
        sender, target = ("a", "b") if number % 2 else ("b", "a")
        await stores.conversations.remember(message(tenant, number, sender, target))
    await stores.conversations.remember(message(tenant, 40, "a", "c"))
    await stores.conversations.remember(message(tenant, 41, "c", "b"))
    window = (await stores.conversations.snapshot(tenant, "chat-1", "a", "b", None))["window"]
    assert [line["message_id"] for line in window] == [f"m{number}" for number in range(4, 16)]
    assert window[-1] == {
        "message_id": "m15",
        "sender_id": "a",
        "target_id": "b",
        "text": "invented line 15",
        "sent_at": START + timedelta(seconds=15),
        "risk": 0.15,
    }


async def test_conversations_window_is_the_newest_lines_whichever_way_they_went(stores, tenant):
    for number in range(1, 20):
        await stores.conversations.remember(message(tenant, number, "a", "b"))
        later = START + timedelta(seconds=number + 0.5)
        await stores.conversations.remember(message(tenant, 100 + number, "a", "c", sent_at=later))
    await stores.conversations.remember(message(tenant, 20, "b", "a"))
    window = (await stores.conversations.snapshot(tenant, "chat-1", "b", "a", None))["window"]
    assert [line["message_id"] for line in window] == [f"m{number}" for number in range(9, 21)]
    own = (await stores.conversations.snapshot(tenant, "chat-1", "a", None, None))["window"]
    assert [line["message_id"] for line in own] == [f"m{base + n}" for n in range(14, 20) for base in (0, 100)]


async def test_conversations_window_without_target_is_senders_own_messages(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "a", None))
    await stores.conversations.remember(message(tenant, 2, "b", None))
    await stores.conversations.remember(message(tenant, 3, "a", "c"))
    window = (await stores.conversations.snapshot(tenant, "chat-1", "a", None, None))["window"]
    assert [line["message_id"] for line in window] == ["m1", "m3"]


async def test_conversations_cues_are_max_merged_per_user(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "kid", None, minor_cue=0.9))
    await stores.conversations.remember(message(tenant, 2, "kid", None, minor_cue=0.2, adult_cue=0.1))
    await stores.conversations.remember(message(tenant, 3, "grown", "kid", adult_cue=0.7))
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "grown", "kid", None)
    assert (snapshot["sender_minor"], snapshot["sender_adult"]) == (0.0, 0.7)
    assert (snapshot["target_minor"], snapshot["target_adult"]) == (0.9, 0.1)


async def test_conversations_thread_author_is_first_sender_seen(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "author", None, thread_id="t-1"))
    await stores.conversations.remember(message(tenant, 2, "replier", "author", thread_id="t-1"))
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "replier", "author", "t-1")
    assert snapshot["thread_author"] == "author"
    other = await stores.conversations.snapshot(tenant, "chat-1", "replier", "author", "t-2")
    assert other["thread_author"] is None


async def test_conversations_edited_message_replaces_its_row(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "a", "b"))
    await stores.conversations.remember(message(tenant, 2, "a", "b"))
    edited = message(tenant, 1, "a", "b", text="edited line", risk=0.5, decision={"action": "warn"})
    await stores.conversations.remember(edited)
    window = (await stores.conversations.snapshot(tenant, "chat-1", "a", "b", None))["window"]
    assert [(line["message_id"], line["text"]) for line in window] == [("m1", "edited line"), ("m2", "invented line 2")]
    assert await stores.conversations.previous(tenant, "chat-1", "m1") == {"action": "warn"}


async def test_conversations_previous_returns_stored_decision(stores, tenant):
    assert await stores.conversations.previous(tenant, "chat-1", "m1") is None
    await stores.conversations.remember(message(tenant, 1, "a", "b"))
    assert await stores.conversations.previous(tenant, "chat-1", "m1") == {
        "message_id": "m1",
        "action": "allow",
        "risk": 0.01,
    }
    assert await stores.conversations.previous(tenant, "chat-2", "m1") is None


async def test_conversations_states_expire_after_ttl_but_cues_stay(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "a", "b", minor_cue=0.4))
    await stores.conversations.remember(message(tenant, 2, "b", "a"))
    stores.clock.advance(timedelta(days=29))
    assert (await stores.conversations.snapshot(tenant, "chat-1", "a", "b", None))["pair"] != {}
    stores.clock.advance(timedelta(days=2))
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "a", "b", None)
    assert (snapshot["pair"], snapshot["reverse"], snapshot["sender"]) == ({}, {}, {})
    assert snapshot["sender_minor"] == 0.4
    assert len(snapshot["window"]) == 2


async def test_conversations_recent_messages_oldest_first(stores, tenant):
    for number in (3, 1, 2, 4):
        await stores.conversations.remember(message(tenant, number, "a", "b"))
    await stores.conversations.remember(message(tenant, 9, "x", "y", chat_id="chat-2"))
    recent = await stores.conversations.recent_messages(tenant, "chat-1", 3)
    assert [row["message_id"] for row in recent] == ["m2", "m3", "m4"]
    assert recent[0]["decision"] == {"message_id": "m2", "action": "allow", "risk": 0.02}
    assert set(recent[0]) == {
        "message_id",
        "thread_id",
        "sender_id",
        "target_id",
        "text",
        "sent_at",
        "risk",
        "action",
        "decision",
    }


async def test_conversations_forget_user_removes_their_data_only(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "gone", "b", thread_id="t-1"))
    await stores.conversations.remember(message(tenant, 2, "b", "gone"))
    await stores.conversations.remember(message(tenant, 3, "b", "c"))
    await stores.conversations.remember(message(tenant + "-other", 4, "gone", "b"))
    # messages m1, m2; pair states gone->b, b->gone; sender state of gone; thread t-1
    assert await stores.conversations.forget_user(tenant, "gone") == 6
    assert await stores.conversations.previous(tenant, "chat-1", "m1") is None
    assert await stores.conversations.previous(tenant, "chat-1", "m3") is not None
    assert await stores.conversations.previous(tenant + "-other", "chat-1", "m4") is not None
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "b", "gone", "t-1")
    assert (snapshot["pair"], snapshot["reverse"], snapshot["window"], snapshot["thread_author"]) == ({}, {}, [], None)
    assert await stores.conversations.forget_user(tenant, "gone") == 0


@pytest.mark.slow
async def test_conversations_memory_store_replays_100k_messages_quickly(tenant):
    store = MemoryConversationStore(window=12)
    started = time.process_time()
    for number in range(100_000):
        sender, target = f"u{number % 300}", f"u{(number * 7) % 300}"
        await store.snapshot(tenant, "chat-1", sender, target, None)
        await store.remember(message(tenant, number, sender, target))
    elapsed = time.process_time() - started
    snapshot = await store.snapshot(tenant, "chat-1", "u1", "u7", None)
    assert 0 < len(snapshot["window"]) <= 12
    assert elapsed < 30, f"100,000 messages took {elapsed:.1f} s of CPU"


async def test_conversations_purge_deletes_old_messages_and_stale_states(stores, tenant):
    await stores.conversations.remember(message(tenant, 1, "a", "b", minor_cue=0.3))
    stores.clock.advance(timedelta(days=40))
    cutoff = stores.clock.now
    await stores.conversations.remember(message(tenant, 200, "c", "b", sent_at=cutoff + timedelta(seconds=1)))
    await stores.conversations.remember(message(tenant + "-other", 2, "a", "b"))
    # before the cutoff: message m1, the a->b pair state and a's sender state
    assert await stores.conversations.purge_older_than(tenant, cutoff) == 3
    assert await stores.conversations.purge_older_than(tenant, cutoff) == 0
    assert await stores.conversations.previous(tenant, "chat-1", "m1") is None
    assert await stores.conversations.previous(tenant, "chat-1", "m200") is not None
    assert await stores.conversations.previous(tenant + "-other", "chat-1", "m2") is not None
    snapshot = await stores.conversations.snapshot(tenant, "chat-1", "a", "b", None)
    assert (snapshot["pair"], snapshot["window"], snapshot["sender_minor"]) == ({}, [], 0.0)
