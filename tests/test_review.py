"""The platform-free review, overturn and appeal workflows on the real SQL stores (SQLite file and PostgreSQL)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from classifiers.scorer import load_scorer
from classifiers.types import Reason
from handlers.model import Action, Decision, IncomingMessage
from handlers.pipeline import Moderator
from handlers.review import AppealRefused, ReviewDesk, ReviewError
from handlers.review_texts import format_counts
from storage.appeals import SqlAppealStore
from storage.conversations import SqlConversationStore
from storage.incidents import SqlIncidentStore
from storage.ledger import SqlModerationStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue


@dataclass
class PlatformLog:
    """An ActionReverser standing in for a platform: records what it was asked to undo, answers as told."""

    ok: bool = True
    undone: list[tuple[str, str]] = field(default_factory=list)

    async def reverse(self, incident):
        self.undone.append((incident["action"], incident["sender_id"]))
        return self.ok, "lifted" if self.ok else "no rights"


@dataclass
class Desk:
    desk: ReviewDesk
    incidents: SqlIncidentStore
    reviews: SqlReviewQueue
    appeals: SqlAppealStore
    moderator: Moderator


@pytest.fixture
def desk(database) -> Desk:
    incidents, reviews = SqlIncidentStore(database), SqlReviewQueue(database)
    conversations, appeals = SqlConversationStore(database), SqlAppealStore(database)
    moderator = Moderator(
        scorer=load_scorer(model_dir=Path("var/models"), use_encoder=False),
        store=SqlModerationStore(database, conversations, incidents),
        policies=SqlPolicyStore(database),
    )
    desk = ReviewDesk(
        reviews=reviews, incidents=incidents, appeals=appeals, conversations=conversations, policies=moderator
    )
    return Desk(desk, incidents, reviews, appeals, moderator)


async def queued(d: Desk, tenant: str, make_incident, kind: str = "detector", **fields: Any) -> tuple[str, str]:
    incident_id = await d.incidents.record(make_incident(tenant, **fields))
    review_id = await d.desk.queue(
        {
            "tenant_id": tenant,
            "chat_id": "chat-1",
            "incident_id": incident_id,
            "kind": kind,
            "requested_by": None,
            "note": "flagged",
        }
    )
    return incident_id, review_id


async def test_review_confirm_records_who_and_why(desk, tenant, make_incident):
    incident_id, review_id = await queued(desk, tenant, make_incident, action="review")

    resolution = await desk.desk.resolve(tenant, review_id, "confirmed", "mod-ana", "clear grooming pattern")

    assert resolution.review["status"] == "confirmed"
    assert (resolution.review["resolved_by"], resolution.review["resolution_note"]) == (
        "mod-ana",
        "clear grooming pattern",
    )
    assert resolution.review["resolved_at"] is not None
    assert resolution.reversal == ""
    incident = await desk.incidents.get(tenant, incident_id)
    assert incident["status"] == "confirmed" and incident["outcomes"] == []


async def test_review_overturn_of_a_mute_asks_the_platform_and_clears_history(desk, tenant, make_incident):
    incident_id, review_id = await queued(desk, tenant, make_incident, action="mute")
    platform = PlatformLog()
    since = datetime(2025, 1, 1, tzinfo=UTC)
    assert (await desk.incidents.history(tenant, "chat-1", "user-a", since))["mutes"] == 1

    resolution = await desk.desk.resolve(tenant, review_id, "overturned", "mod-ana", "family chat", platform)

    assert platform.undone == [("mute", "user-a")]
    assert resolution.reversal == "lifted"
    incident = await desk.incidents.get(tenant, incident_id)
    assert incident["status"] == "overturned"
    assert [(o["ok"], o["detail"]) for o in incident["outcomes"]] == [(True, "overturned by mod-ana: lifted")]
    assert (await desk.incidents.history(tenant, "chat-1", "user-a", since))["mutes"] == 0


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"action": "delete"}, "cannot be restored"),
        ({"action": "warn"}, "no longer counts"),
        ({"action": "ban", "dry_run": True}, "dry run"),
    ],
)
async def test_review_overturn_without_platform_call(desk, tenant, make_incident, fields, expected):
    incident_id, review_id = await queued(desk, tenant, make_incident, **fields)
    platform = PlatformLog()

    resolution = await desk.desk.resolve(tenant, review_id, "overturned", "mod-ana", "", platform)

    assert platform.undone == []
    assert expected in resolution.reversal
    assert expected in (await desk.incidents.get(tenant, incident_id))["outcomes"][0]["detail"]


async def test_review_resolve_refuses_twice_unknown_and_bad_outcome(desk, tenant, make_incident):
    _, review_id = await queued(desk, tenant, make_incident)
    await desk.desk.resolve(tenant, review_id, "confirmed", "mod-ana", "")

    with pytest.raises(ReviewError, match="already confirmed by mod-ana"):
        await desk.desk.resolve(tenant, review_id, "overturned", "mod-ben", "")
    with pytest.raises(ReviewError, match="no review item"):
        await desk.desk.resolve(tenant, "nope", "confirmed", "mod-ana", "")
    with pytest.raises(ReviewError, match="no review item"):
        await desk.desk.resolve(f"{tenant}-other", review_id, "confirmed", "mod-ana", "")
    with pytest.raises(ReviewError, match="unknown outcome"):
        await desk.desk.resolve(tenant, review_id, "deleted", "mod-ana", "")


async def test_review_appeal_once_then_answered_in_the_users_language(desk, tenant, make_incident):
    incident_id = await desk.incidents.record(make_incident(tenant, action="mute"))

    appeal = await desk.desk.appeal(tenant, incident_id, "user-a", "  I was talking about my nephew  ", "zh-CN")

    assert (appeal["lang"], appeal["text"], appeal["chat_id"]) == ("zh", "I was talking about my nephew", "chat-1")
    item = await desk.desk.item(tenant, appeal["review_id"])
    assert (item["kind"], item["requested_by"], item["incident"]["id"]) == ("appeal", "user-a", incident_id)
    with pytest.raises(AppealRefused, match="已于"):
        await desk.desk.appeal(tenant, incident_id, "user-a", "again", "zh")

    platform = PlatformLog()
    resolution = await desk.desk.resolve(tenant, appeal["review_id"], "overturned", "mod-ana", "", platform)

    assert platform.undone == [("mute", "user-a")]
    assert (resolution.appeal["status"], resolution.appeal["outcome"]) == ("answered", "overturned")
    assert resolution.answer.lang == "zh" and incident_id in resolution.answer.text
    assert "撤销" in resolution.answer.text
    assert (await desk.appeals.get(tenant, appeal["id"]))["status"] == "answered"


@pytest.mark.parametrize(
    ("who", "fields", "expected"),
    [
        ("user-b", {}, "no incident"),
        ("user-a", {"action": "review"}, "Nothing was done"),
        ("user-a", {"action": "ban", "dry_run": True}, "Nothing was done"),
    ],
)
async def test_review_appeal_refusals(desk, tenant, make_incident, who, fields, expected):
    incident_id = await desk.incidents.record(make_incident(tenant, **fields))
    with pytest.raises(AppealRefused, match=expected):
        await desk.desk.appeal(tenant, incident_id, who, "please", "en")
    with pytest.raises(AppealRefused, match="no incident"):
        await desk.desk.appeal(f"{tenant}-other", incident_id, "user-a", "please", "en")
    assert await desk.appeals.for_incident(tenant, incident_id) is None


async def test_review_confirmed_appeal_says_the_decision_stands(desk, tenant, make_incident):
    incident_id = await desk.incidents.record(make_incident(tenant, action="warn"))
    appeal = await desk.desk.appeal(tenant, incident_id, "user-a", "", None)

    resolution = await desk.desk.resolve(tenant, appeal["review_id"], "confirmed", "mod-ana", "see the rules")

    assert resolution.answer.lang == "en"
    assert "stands" in resolution.answer.text and "see the rules" in resolution.answer.text


async def test_review_report_of_an_allowed_message_records_an_incident_with_context(desk, tenant):
    sent = datetime.now(UTC)
    message = IncomingMessage(
        tenant_id=tenant,
        platform="telegram",
        chat_id="chat-9",
        message_id="77",
        sender_id="user-x",
        text="an invented message someone found creepy",
        sent_at=sent,
        reply_to_user_id="user-y",
    )
    [decision] = await desk.moderator.process([message])
    assert decision.action is Action.ALLOW and decision.incident_id is None

    review_id = await desk.desk.report(message, decision, "reporter-1", "made my kid uncomfortable")

    item = await desk.desk.item(tenant, review_id)
    assert (item["kind"], item["requested_by"], item["note"]) == ("report", "reporter-1", "made my kid uncomfortable")
    incident = item["incident"]
    assert (incident["action"], incident["sender_id"], incident["target_id"]) == ("review", "user-x", "user-y")
    assert [line["message_id"] for line in incident["context"]] == ["77"]
    assert await desk.desk.report(message, decision, "reporter-2", "") == review_id


async def test_review_report_reuses_an_existing_incident(desk, tenant, make_incident):
    incident_id = await desk.incidents.record(make_incident(tenant, action="warn"))
    message = IncomingMessage(
        tenant_id=tenant,
        platform="http",
        chat_id="chat-1",
        message_id="msg-1",
        sender_id="user-a",
        text="x",
        sent_at=datetime.now(UTC),
    )
    decision = Decision(
        tenant_id=tenant,
        chat_id="chat-1",
        message_id="msg-1",
        sender_id="user-a",
        action=Action.WARN,
        risk=0.6,
        target_user_id="user-b",
        stages=("secrecy",),
        reasons=(Reason("secrecy", 0.6, "asks for secrecy"),),
        model_version="m",
        incident_id=incident_id,
    )
    review_id = await desk.desk.report(message, decision, "reporter-1", "")
    assert (await desk.desk.item(tenant, review_id))["incident"]["id"] == incident_id


async def test_review_overturn_latest_lifts_the_newest_standing_ban(desk, tenant, make_incident):
    older = await desk.incidents.record(make_incident(tenant, 1, action="ban"))
    newer = await desk.incidents.record(make_incident(tenant, 2, action="ban"))
    await desk.incidents.record(make_incident(tenant, 3, action="ban", dry_run=True))
    platform = PlatformLog()

    first = await desk.desk.overturn_latest(tenant, "chat-1", "user-a", "ban", "telegram:900", platform)
    second = await desk.desk.overturn_latest(tenant, "chat-1", "user-a", "ban", "telegram:900", platform)

    assert [first.incident["id"], second.incident["id"]] == [newer, older]
    assert first.ok and first.incident["status"] == "overturned"
    assert (await desk.incidents.get(tenant, newer))["outcomes"][0]["detail"] == "overturned by telegram:900: lifted"
    with pytest.raises(ReviewError, match="no standing ban"):
        await desk.desk.overturn_latest(tenant, "chat-1", "user-a", "ban", "telegram:900", platform)
    with pytest.raises(ReviewError, match="only mute and ban"):
        await desk.desk.overturn_latest(tenant, "chat-1", "user-a", "delete", "telegram:900", platform)


async def test_review_failed_overturn_keeps_the_incident_standing(desk, tenant, make_incident):
    incident_id = await desk.incidents.record(make_incident(tenant, action="mute"))

    result = await desk.desk.overturn_latest(tenant, "chat-1", "user-a", "mute", "mod", PlatformLog(ok=False))

    assert not result.ok and result.detail == "no rights"
    incident = await desk.incidents.get(tenant, incident_id)
    assert incident["status"] == "open"
    assert incident["outcomes"][0]["ok"] is False and "overturn failed" in incident["outcomes"][0]["detail"]


async def test_review_designate_review_chat(desk, tenant):
    policy = await desk.desk.designate_review_chat(tenant, "-100111", "-100222")
    assert policy.review_chat_id == "-100222"
    assert (await desk.moderator.policy(tenant, "-100111")).review_chat_id == "-100222"
    with pytest.raises(ReviewError, match="cannot review itself"):
        await desk.desk.designate_review_chat(tenant, "-100111", "-100111")


async def test_review_chat_counts(desk, tenant, make_incident):
    for number, action in enumerate(["warn", "warn", "ban", "review"], start=1):
        await desk.incidents.record(make_incident(tenant, number, action=action))
    _, review_id = await queued(desk, tenant, make_incident, number=9, action="mute")
    await desk.desk.resolve(tenant, review_id, "overturned", "mod", "")

    counts = await desk.desk.chat_counts(tenant, "chat-1", datetime.now(UTC) - timedelta(days=1))

    assert {k: counts.get(k, 0) for k in ("warn", "ban", "review", "mute", "overturned")} == {
        "warn": 2,
        "ban": 1,
        "review": 1,
        "mute": 1,
        "overturned": 1,
    }
    text = format_counts(counts, 30)
    assert "warn 2" in text and "overturned 1" in text and "open review items: 0" in text
