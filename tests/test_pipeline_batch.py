"""The pipeline on batches, on every backend: a batch of N decides and records exactly as N single calls, in a
fixed number of queries, atomically, and two batches of one chat at once keep the incident chain intact."""

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from classifiers.scorer import load_scorer
from handlers.model import Action, Decision, IncomingMessage
from handlers.pipeline import Moderator, batch_message, plan
from handlers.policy import ChatPolicy
from storage.conversations import SqlConversationStore
from storage.db import Database
from storage.incidents import SqlIncidentStore
from storage.ledger import MemoryModerationStore, SqlModerationStore
from storage.memory import MemoryIncidentStore, MemoryPolicyStore, MemoryReviewQueue
from storage.memory_conversations import MemoryConversationStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue

START = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
STRICT = ChatPolicy(
    review_at=0.0, warn_at=0.0, delete_at=1.01, mute_at=1.01, ban_at=1.01, warn_limit=2, review_punitive=True
)
DRY = ChatPolicy(review_at=0.0, warn_at=0.0, delete_at=1.01, mute_at=1.01, ban_at=1.01, dry_run=True)
WARN_ALL = ChatPolicy(review_at=0.0, warn_at=0.0, delete_at=1.01, mute_at=1.01, ban_at=1.01, warn_limit=100)

APPROACH = [
    "hey cutie, loved your dance video",
    "you look way more mature than 12. what school do you go to?",
    "i can get you the new skin for free, just add me on snap so we can talk more",
    "dont tell your mom about me ok, its our secret. send me a pic of you",
]
REPLIES = ["thx! im 12 lol my mom says i can post one a week", "idk", "ok", "why"]
CHATTER = ["nice goal in the match", "anyone up for the quiz tonight?", "lol same", "the bus is late again"]


@pytest.fixture(scope="module")
def scorer():
    return load_scorer(model_dir=Path("var/models"), use_encoder=False)


@dataclass
class Backend:
    """One backend's stores and how to build a pipeline over them."""

    kind: str
    store: Any
    conversations: Any
    incidents: Any
    reviews: Any
    policies: Any
    db: Database | None

    def moderator(self, scorer, policy: ChatPolicy | None = None) -> Moderator:
        return Moderator(scorer=scorer, store=self.store, policies=self.policies, default_policy=policy)


def sql_backend(kind: str, db: Database) -> Backend:
    conversations, incidents = SqlConversationStore(db), SqlIncidentStore(db)
    store = SqlModerationStore(db, conversations, incidents)
    return Backend(kind, store, conversations, incidents, SqlReviewQueue(db), SqlPolicyStore(db), db)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def backend(request):
    if request.param == "memory":
        conversations, incidents = MemoryConversationStore(), MemoryIncidentStore()
        reviews = MemoryReviewQueue(incidents)
        store = MemoryModerationStore(conversations, incidents, reviews)
        yield Backend("memory", store, conversations, incidents, reviews, MemoryPolicyStore(), None)
        return
    db = Database(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url"))
    yield sql_backend(request.param, db)
    await db.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def sql(request):
    db = Database(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url"))
    yield sql_backend(request.param, db)
    await db.close()


def message(tenant: str, chat: str, number: int, sender: str, text: str, **fields: Any) -> IncomingMessage:
    fields.setdefault("sent_at", START + timedelta(minutes=number))
    return IncomingMessage(
        tenant_id=tenant, platform="test", chat_id=chat, message_id=f"{chat}-{number}", sender_id=sender, text=text,
        **fields,
    )


def scenario(tenant: str) -> list[IncomingMessage]:
    """Three chats with long pair windows, threads, mentions, edits, repeats, escalation, reviews and dry runs."""
    room = []
    for number in range(16):
        adult = number % 2 == 0
        text = APPROACH[(number // 2) % 4] if adult else REPLIES[(number // 2) % 4]
        sender, target = ("adult", "kid") if adult else ("kid", "adult")
        room.append(message(tenant, "room", number, sender, text, reply_to_user_id=target))
    room.insert(3, message(tenant, "room", 50, "creator", "my new video!", thread_id="t-1"))
    room.insert(5, message(tenant, "room", 51, "viewer", "love it, how old are you?", thread_id="t-1"))
    room.insert(7, message(tenant, "room", 52, "viewer", CHATTER[0], mentioned_user_ids=("kid",)))
    room.insert(9, message(tenant, "room", 53, "adult", CHATTER[1], sent_at=START - timedelta(hours=1)))
    room.append(room[4])
    strict = [message(tenant, "strict", number, "a", CHATTER[number % 4], reply_to_user_id="b") for number in range(4)]
    strict.append(message(tenant, "strict", 1, "a", APPROACH[3], reply_to_user_id="c", edited=True))
    strict.append(message(tenant, "strict", 1, "a", APPROACH[3], reply_to_user_id="c"))
    dry = [message(tenant, "dry", number, "d", APPROACH[number % 4], reply_to_user_id="e") for number in range(3)]
    return [line for lines in zip_longest(room, strict, dry) for line in lines if line is not None]


async def prepare(backend: Backend, scorer, tenant: str) -> Moderator:
    moderator = backend.moderator(scorer)
    await moderator.set_policy(tenant, "strict", STRICT)
    await moderator.set_policy(tenant, "dry", DRY)
    return moderator


class Refs:
    """Replaces each tenant's incident ids by their order of first appearance, so two tenants can be compared."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def of(self, incident_id: str | None) -> str | None:
        return None if incident_id is None else self.ids.setdefault(incident_id, f"incident-{len(self.ids)}")

    def decision(self, decision: Decision) -> dict[str, Any]:
        api = decision.to_api()
        if api["notice"] and api["incident_id"]:
            api["notice"]["text"] = api["notice"]["text"].replace(api["incident_id"], str(self.of(api["incident_id"])))
        return api | {"incident_id": self.of(api["incident_id"])}


async def recorded(backend: Backend, tenant: str, refs: Refs) -> dict[str, Any]:
    """Everything the backend holds for the tenant, with incident ids replaced by references."""
    page, _ = await backend.incidents.list(tenant, limit=500)
    incidents = [
        (refs.of(row["id"]), row["seq"], row["message_id"], row["sender_id"], row["target_id"], row["text"],
         row["action"], row["risk"], row["stages"], row["context"], row["dry_run"])
        for row in reversed(page)
    ]
    outcomes = [
        [outcome["detail"] for outcome in (await backend.incidents.get(tenant, row["id"]))["outcomes"]] for row in page
    ]
    reviews = sorted((refs.of(item["incident_id"]), item["kind"]) for item in await backend.reviews.list(tenant))
    chats = {}
    for chat in ("room", "strict", "dry"):
        lines = await backend.conversations.recent_messages(tenant, chat, 100)
        chats[chat] = [
            line | {"decision": {k: v for k, v in line["decision"].items() if k not in ("tenant_id", "incident_id",
                                                                                        "notice")}}
            for line in lines
        ]
    snapshots = [
        await backend.conversations.snapshot(tenant, chat, sender, target, thread)
        for chat, sender, target, thread in [
            ("room", "adult", "kid", None), ("room", "kid", "adult", None), ("room", "viewer", "creator", "t-1"),
            ("room", "adult", None, None), ("strict", "a", "b", None), ("strict", "a", "c", None),
        ]
    ]
    report = await backend.incidents.verify(tenant)
    return {"incidents": incidents, "outcomes": outcomes, "reviews": reviews, "chats": chats,
            "snapshots": snapshots, "chain": (report.ok, report.checked)}


async def test_pipeline_batch_decides_and_records_as_single_calls(backend, scorer, tenant):
    messages = scenario(tenant)
    batched = await (await prepare(backend, scorer, tenant)).process(messages)

    single_tenant = tenant + "-singles"
    one_by_one = await prepare(backend, scorer, single_tenant)
    singles = [(await one_by_one.process([replace(m, tenant_id=single_tenant)]))[0] for m in messages]

    batch_refs, single_refs = Refs(), Refs()
    assert [batch_refs.decision(d) for d in batched] == [single_refs.decision(d) for d in singles]
    assert await recorded(backend, tenant, batch_refs) == await recorded(backend, single_tenant, single_refs)

    by_id = {m.message_id: d for m, d in zip(messages, batched, strict=True)}
    assert by_id["room-14"].action.punitive and by_id["room-14"].target_user_id == "kid"
    assert by_id["room-51"].target_user_id == "creator"
    assert Action.MUTE in [d.action for m, d in zip(messages, batched, strict=True) if m.chat_id == "strict"]
    assert by_id["dry-2"].dry_run and by_id["dry-2"].incident_id
    edited = [d for m, d in zip(messages, batched, strict=True) if m.message_id == "strict-1"]
    assert edited[0].target_user_id == "b" and edited[1].target_user_id == edited[2].target_user_id == "c"
    assert edited[2] == edited[1]
    report = await recorded(backend, tenant, Refs())
    assert report["chain"] == (True, len(report["incidents"])) and len(report["incidents"]) > 5
    assert any(kind == "punitive" for _, kind in report["reviews"])
    assert len(report["snapshots"][0]["window"]) == 12


async def test_pipeline_batch_resend_inside_and_across_batches_creates_nothing_twice(backend, scorer, tenant):
    moderator = await prepare(backend, scorer, tenant)
    messages = [message(tenant, "strict", n, "a", APPROACH[n % 4], reply_to_user_id="b") for n in range(5)]
    first = [d.to_api() for d in await moderator.process(messages + messages[:2])]
    again = [d.to_api() for d in await moderator.process(list(reversed(messages)))]
    assert first[5:] == first[:2] and again == list(reversed(first[:5]))
    page, _ = await backend.incidents.list(tenant, limit=100)
    assert sorted(row["message_id"] for row in page) == sorted(m.message_id for m in messages)
    assert len(await backend.reviews.list(tenant)) == len([d for d in first[:5] if Action(d["action"]).punitive])


async def test_pipeline_batch_costs_the_same_queries_for_10_or_200_messages(sql, scorer, tenant):
    statements: list[str] = []
    event.listen(sql.db.engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    moderator = sql.moderator(scorer, WARN_ALL)
    counts = []
    for size, offset in ((10, 0), (200, 1000)):
        batch = [
            message(tenant, f"chat-{offset + n % 7}", offset + n, f"user-{n % 13}", CHATTER[n % 4],
                    reply_to_user_id=f"user-{(n + 1) % 13}")
            for n in range(size)
        ]
        statements.clear()
        decisions = await moderator.process(batch)
        counts.append(len(statements))
        assert len(decisions) == size and any(d.incident_id for d in decisions)
    assert counts[0] == counts[1] <= 20, counts


async def test_pipeline_batch_two_batches_of_one_chat_at_once_keep_the_chain(sql, scorer, tenant):
    other = Database(sql.db.url)
    try:
        moderators = [sql.moderator(scorer, WARN_ALL), sql_backend(sql.kind, other).moderator(scorer, WARN_ALL)]
        messages = [message(tenant, "strict", n, f"u{n % 3}", CHATTER[n % 4], reply_to_user_id="k") for n in range(30)]
        first, second = await asyncio.gather(moderators[0].process(messages[:20]), moderators[1].process(messages[10:]))
    finally:
        await other.close()
    assert [d.to_api() for d in first[10:]] == [d.to_api() for d in second[:10]]
    page, _ = await sql.incidents.list(tenant, limit=100)
    assert sorted(row["message_id"] for row in page) == sorted(m.message_id for m in messages)
    report = await sql.incidents.verify(tenant)
    assert (report.ok, report.checked) == (True, 30)


async def test_pipeline_batch_that_fails_writes_nothing(sql, make_incident, tenant):
    incoming = message(tenant, "c1", 1, "a", "hello", reply_to_user_id="b")
    entry = {
        "tenant_id": tenant, "chat_id": "c1", "message_id": incoming.message_id, "thread_id": None, "sender_id": "a",
        "target_id": "b", "text": "hello", "sent_at": incoming.sent_at, "risk": 0.7, "action": "warn",
        "decision": {"action": "warn"}, "pair": {"messages": 1}, "sender": {}, "minor_cue": 0.0, "adult_cue": 0.4,
    }
    with pytest.raises(RuntimeError, match="scorer broke"):
        async with sql.store.batch(tenant, [batch_message(incoming)], START) as (conversations, incidents):
            conversations.remember(entry)
            incident_id = incidents.record(make_incident(tenant, 1, chat_id="c1"))
            incidents.queue_review({"tenant_id": tenant, "chat_id": "c1", "incident_id": incident_id,
                                    "kind": "detector", "requested_by": None, "note": ""})
            raise RuntimeError("scorer broke")
    assert await sql.conversations.previous(tenant, "c1", incoming.message_id) is None
    assert (await sql.conversations.snapshot(tenant, "c1", "a", "b", None))["sender_adult"] == 0.0
    assert (await sql.incidents.list(tenant))[0] == [] and await sql.reviews.list(tenant) == []
    report = await sql.incidents.verify(tenant)
    assert (report.ok, report.checked) == (True, 0)


async def test_pipeline_batch_review_items_and_outcomes_are_written_with_the_batch(backend, make_incident, tenant):
    incoming = message(tenant, "chat-1", 1, "user-a", "hi")
    async with backend.store.batch(tenant, [batch_message(incoming)], START) as (_, incidents):
        first = incidents.record(make_incident(tenant, 1))
        assert incidents.record(make_incident(tenant, 1)) == first
        second = incidents.record(make_incident(tenant, 2, action="mute"))
        for incident_id in (first, first, second):
            incidents.queue_review({"tenant_id": tenant, "chat_id": "chat-1", "incident_id": incident_id,
                                    "kind": "detector", "requested_by": None, "note": "look"})
        incidents.note_outcome(second, True, "muted")
        assert incidents.history("chat-1", "user-a", START - timedelta(days=400)) == {
            "warnings": 1, "mutes": 1, "bans": 0
        }
    assert sorted(item["incident_id"] for item in await backend.reviews.list(tenant)) == sorted([first, second])
    assert [o["detail"] for o in (await backend.incidents.get(tenant, second))["outcomes"]] == ["muted"]
    assert (await backend.incidents.verify(tenant)).checked == 2


@pytest.mark.parametrize(
    ("edits", "todo", "repeats"),
    [
        ((False, False, True, False), [0, 2], {1: 0, 3: 2}),
        ((True, False), [0], {1: 0}),
        ((False, True, True), [0, 1, 2], {}),
    ],
)
def test_pipeline_plan_repeats_get_the_latest_earlier_decision(edits, todo, repeats):
    messages = [message("t", "c", 1, "a", "same id", edited=edited) for edited in edits]
    assert plan(messages) == (todo, repeats)
