"""The moderation pipeline on the real scorer (rule signals + conversation model) and the in-memory stores."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from classifiers.scorer import load_scorer
from handlers.model import Action, Decision, IncomingMessage
from handlers.pipeline import Moderator, resolve_target
from handlers.policy import ChatPolicy
from storage.ledger import MemoryModerationStore
from storage.memory import MemoryIncidentStore, MemoryPolicyStore, MemoryReviewQueue
from storage.memory_conversations import MemoryConversationStore

START = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
WARN_EVERYTHING = ChatPolicy(review_at=0.0, warn_at=0.0, delete_at=1.01, mute_at=1.01, ban_at=1.01, warn_limit=2)


@pytest.fixture(scope="module")
def scorer():
    return load_scorer(model_dir=Path("var/models"), use_encoder=False)


class Stores:
    def __init__(self):
        self.conversations = MemoryConversationStore()
        self.incidents = MemoryIncidentStore()
        self.policies = MemoryPolicyStore()
        self.reviews = MemoryReviewQueue(self.incidents)


class PlatformLog:
    """The platform side of an ActionSink: what a platform adapter was asked to do, and its answer."""

    def __init__(self, ok=True):
        self.calls: list[tuple[str, str]] = []
        self.ok = ok

    async def execute(self, message, decision):
        self.calls.append((message.message_id, decision.action.value))
        return self.ok, "done" if self.ok else "no rights to delete"


@pytest.fixture
def stores():
    return Stores()


def moderator(scorer, stores, policy=None):
    store = MemoryModerationStore(stores.conversations, stores.incidents, stores.reviews)
    return Moderator(scorer=scorer, store=store, policies=stores.policies, default_policy=policy)


def message(index, sender, text, to=None, chat="c1", thread=None, edited=False):
    return IncomingMessage(
        tenant_id="t1", platform="test", chat_id=chat, message_id=f"m{index}", sender_id=sender, text=text,
        sent_at=START + timedelta(minutes=index), reply_to_user_id=to, thread_id=thread, edited=edited,
    )


GROOMING = [
    ("adult", "hey cutie, loved your dance video", "kid"),
    ("kid", "thx! im 12 lol my mom says i can post one a week", "adult"),
    ("adult", "you look way more mature than 12. what school do you go to?", "kid"),
    ("adult", "i can get you the new skin for free, just add me on snap so we can talk more", "kid"),
    ("adult", "dont tell your mom about me ok, its our secret. send me a pic of you", "kid"),
]


async def test_pipeline_grooming_escalates_against_sender_not_child(scorer, stores):
    decisions = await moderator(scorer, stores).process([message(i, *m) for i, m in enumerate(GROOMING)])
    adult = [d for d in decisions if d.sender_id == "adult"]
    assert adult[-1].action.punitive and adult[-1].target_user_id == "kid"
    assert {"secrecy", "image_request"} <= set(adult[-1].stages)
    assert adult[-1].risk > adult[0].risk
    assert all(d.action is Action.ALLOW for d in decisions if d.sender_id == "kid")
    assert adult[-1].notice is not None and adult[-1].incident_id in adult[-1].notice.text


async def test_pipeline_resend_and_in_batch_duplicate_give_same_decision(scorer, stores):
    pipeline = moderator(scorer, stores, WARN_EVERYTHING)
    first = await pipeline.process([message(1, "a", "hello there", "b"), message(1, "a", "hello there", "b")])
    again = await pipeline.process([message(1, "a", "hello there", "b")])
    assert first[0].to_api() == first[1].to_api() == again[0].to_api()
    incidents, _ = await stores.incidents.list("t1")
    assert len(incidents) == 1


async def test_pipeline_edited_message_is_rescored(scorer, stores):
    pipeline = moderator(scorer, stores)
    (before,) = await pipeline.process([message(1, "a", "nice goal in the match", "b")])
    (after,) = await pipeline.process(
        [message(1, "a", "how old are you? add me on snap and dont tell your parents, send a pic", "b", edited=True)]
    )
    assert before.action is Action.ALLOW and after.risk > before.risk


async def test_pipeline_warn_limit_escalates_to_mute(scorer, stores):
    pipeline = moderator(scorer, stores, WARN_EVERYTHING)
    decisions = await pipeline.process([message(i, "a", f"message number {i}", "b") for i in range(3)])
    assert [d.action for d in decisions] == [Action.WARN, Action.WARN, Action.MUTE]
    assert "warn limit" in decisions[2].explanation


async def test_pipeline_dry_run_records_but_does_not_act(scorer, stores):
    platform = PlatformLog()
    pipeline = moderator(scorer, stores, WARN_EVERYTHING.model_copy(update={"dry_run": True}))
    (decision,) = await pipeline.process([message(1, "a", "hi", "b")], sink=platform)
    assert decision.dry_run and platform.calls == []
    stored = await stores.incidents.get("t1", decision.incident_id)
    assert "dry run" in stored["outcomes"][0]["detail"]


async def test_pipeline_failed_action_is_recorded_on_incident(scorer, stores):
    platform = PlatformLog(ok=False)
    (decision,) = await moderator(scorer, stores, WARN_EVERYTHING).process([message(1, "a", "hi", "b")], platform)
    assert platform.calls == [("m1", "warn")]
    stored = await stores.incidents.get("t1", decision.incident_id)
    assert stored["outcomes"][0]["ok"] is False and "no rights" in stored["outcomes"][0]["detail"]


async def test_pipeline_review_decision_is_queued(scorer, stores):
    policy = ChatPolicy(review_at=0.0, warn_at=1.01, delete_at=1.01, mute_at=1.01, ban_at=1.01)
    (decision,) = await moderator(scorer, stores, policy).process([message(1, "a", "hi", "b")])
    queue = await stores.reviews.list("t1")
    assert decision.action is Action.REVIEW and decision.notice is None
    assert [item["incident_id"] for item in queue] == [decision.incident_id]


async def test_pipeline_thread_author_is_the_default_target(scorer, stores):
    pipeline = moderator(scorer, stores)
    await pipeline.process([message(1, "creator", "my new video!", thread="t-9")])
    (reply,) = await pipeline.process([message(2, "viewer", "love it", thread="t-9")])
    assert reply.target_user_id == "creator"


@pytest.mark.parametrize(
    ("reply_to", "mentions", "thread_author", "expected"),
    [("b", ("c",), "d", "b"), (None, ("c",), "d", "c"), (None, (), "d", "d"), ("a", (), "a", None), (None, (), None, None)],
)
def test_pipeline_resolve_target_order(reply_to, mentions, thread_author, expected):
    incoming = IncomingMessage(
        tenant_id="t", platform="p", chat_id="c", message_id="m", sender_id="a", text="x", sent_at=START,
        reply_to_user_id=reply_to, mentioned_user_ids=mentions,
    )
    assert resolve_target(incoming, thread_author) == expected


def test_pipeline_decision_record_round_trips():
    decision = Decision(
        tenant_id="t", chat_id="c", message_id="m", sender_id="s", action=Action.MUTE, risk=0.93,
        target_user_id="k", stages=("meeting",), reasons=(), model_version="v", mute_seconds=60,
    )
    assert Decision.from_record(decision.to_record()) == decision
