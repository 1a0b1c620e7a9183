"""The Telegram adapter moderating a group: python-telegram-bot's real client against the fake Bot API on loopback,
a real SQLite file and the real rule-based scorer. Updates arrive by getUpdates long polling."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.telegram import telegram_adapter
from bot.app import open_services
from bot.settings import ClassifierSettings, Settings, StorageSettings, TelegramSettings
from handlers.policy import ChatPolicy
from tests.fake_telegram import (
    BENIGN,
    CHILD_EN,
    GROOMER_EN,
    GROOMING_EN,
    GROOMING_ZH,
    GROUP_ID,
    TOKEN,
    FakeBotApi,
    conversation,
    group,
    message,
)

ACTIONS = ("deleteMessage", "restrictChatMember", "banChatMember")


@pytest.fixture
async def fake(aiohttp_server):
    api = FakeBotApi()
    server = await aiohttp_server(api.app())
    api.base_url = str(server.make_url("/bot"))
    return api


@pytest.fixture
async def services(tmp_path, fake):
    settings = Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        telegram=TelegramSettings(token=TOKEN, base_url=fake.base_url),
    )
    async with open_services(settings) as opened:
        yield opened


def start_adapter(services, clock=None):
    options = {"clock": clock} if clock else {}
    return telegram_adapter(services, polling_timeout=1, **options).running()


async def incidents_of(services, adapter):
    page, _ = await services.incidents.list(adapter.tenant_id, limit=200)
    return [await services.incidents.get(adapter.tenant_id, incident["id"]) for incident in reversed(page)]


@pytest.mark.parametrize(("lines", "lang"), [(GROOMING_EN, "en"), (GROOMING_ZH, "zh")], ids=["en", "zh"])
async def test_telegram_grooming_conversation_acts_on_the_groomer(fake, services, lines, lang):
    groomer, child = lines[1][0]["id"], lines[1][1]["id"]
    async with start_adapter(services) as adapter:
        await fake.play(conversation(lines))
        incidents = await incidents_of(services, adapter)

    acted = [(method, call) for method in ACTIONS for call in fake.calls_to(method)]
    assert {"deleteMessage"} < {method for method, _ in acted}
    assert all(call["chat_id"] == GROUP_ID for _, call in acted)
    assert {call["user_id"] for method, call in acted if method != "deleteMessage"} == {groomer}
    groomer_messages = {m["message_id"] for m in conversation(lines) if m["from"]["id"] == groomer}
    assert {call["message_id"] for method, call in acted if method == "deleteMessage"} <= groomer_messages
    assert not any(call.get("user_id") == child for _, call in acted)

    notices = [c for c in fake.calls_to("sendMessage") if c["text"].startswith("minorguard")]
    assert notices and all(c["reply_parameters"]["message_id"] in groomer_messages for c in notices)
    assert all(("：" in c["text"]) == (lang == "zh") for c in notices)
    assert {i["sender_id"] for i in incidents} == {str(groomer)}
    assert all(i["platform"] == "telegram" and i["target_id"] == str(child) for i in incidents)
    acted_on = [i for i in incidents if i["action"] != "review"]
    assert acted_on and all(i["outcomes"] and i["outcomes"][-1]["ok"] for i in acted_on)
    assert any(i["id"] in c["text"] for i in incidents for c in notices)


def only(action, **extra):
    """A policy whose every threshold from review up to ``action`` is 0.3 and whose stronger actions are off."""
    names = ["review_at", "warn_at", "delete_at", "mute_at", "ban_at"]
    last = names.index(f"{action}_at")
    return {name: 0.3 if index <= last else 1.01 for index, name in enumerate(names)} | extra


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (only("warn", warn_limit=0), set()),
        (only("delete"), {"deleteMessage"}),
        (only("mute", mute_limit=0, mute_minutes=90), {"restrictChatMember", "deleteMessage"}),
        (only("ban"), {"banChatMember", "deleteMessage"}),
    ],
    ids=["warn", "delete", "mute", "ban"],
)
async def test_telegram_each_action_makes_its_bot_api_calls(fake, services, policy, expected):
    lines = conversation(GROOMING_EN)
    async with start_adapter(services) as adapter:
        await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), ChatPolicy(**policy))
        await fake.play(lines)
        incidents = await incidents_of(services, adapter)

    assert {call.method for call in fake.calls if call.method in ACTIONS} == expected
    notices = [c for c in fake.calls_to("sendMessage") if c["text"].startswith("minorguard")]
    assert len(notices) == len(incidents) >= 3
    assert {c["reply_parameters"]["message_id"] for c in notices} == {int(i["message_id"]) for i in incidents}
    assert {i["sender_id"] for i in incidents} == {str(GROOMER_EN["id"])}
    for muted in fake.calls_to("restrictChatMember"):
        assert muted["user_id"] == GROOMER_EN["id"] and muted["permissions"]["can_send_messages"] is False
        assert 89 * 60 < muted["until_date"] - time.time() <= 90 * 60
    assert all(call["user_id"] == GROOMER_EN["id"] for call in fake.calls_to("banChatMember"))
    assert all(i["outcomes"][-1]["ok"] for i in incidents)


async def test_telegram_benign_conversation_makes_no_calls(fake, services):
    async with start_adapter(services) as adapter:
        await fake.play(conversation(BENIGN))
        assert await incidents_of(services, adapter) == []

    assert [call.method for call in fake.calls if call.method in ACTIONS] == []
    assert [c for c in fake.calls_to("sendMessage") if c["text"].startswith("minorguard")] == []


async def test_telegram_rate_limit_429_is_retried_after_retry_after(fake, services, monkeypatch):
    # python-telegram-bot 22 warns on every RetryAfter unless its documented timedelta opt-in is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake.fail("sendMessage", "Too Many Requests: retry after 1", status=429, retry_after=1)
    async with start_adapter(services):
        await fake.play([])
        first, second = await fake.wait_for("sendMessage", 2)

    assert first == second and first["text"].startswith("✅")
    tries = [call.at for call in fake.calls if call.method == "sendMessage"]
    assert len(tries) == 2 and tries[1] - tries[0] >= 1.0


async def test_telegram_failed_delete_is_recorded_reported_once_and_bot_keeps_going(fake, services):
    fake.fail("deleteMessage", "Bad Request: message to delete not found", times=50)
    async with start_adapter(services) as adapter:
        await fake.play(conversation(GROOMING_EN))
        incidents = await incidents_of(services, adapter)

    failed = [i for i in incidents if i["outcomes"] and not i["outcomes"][-1]["ok"]]
    assert len(failed) == len(fake.calls_to("deleteMessage")) >= 2
    assert all("message to delete not found" in i["outcomes"][-1]["detail"].lower() for i in failed)
    reports = [c for c in fake.calls_to("sendMessage") if "could not act here" in c["text"]]
    assert len(reports) == 1 and reports[0]["chat_id"] == GROUP_ID
    assert len(fake.calls_to("banChatMember")) >= 2


async def test_telegram_message_past_the_48_hour_window_is_not_deleted(fake, services):
    later = lambda: datetime.now(UTC) + timedelta(hours=49)  # noqa: E731
    async with start_adapter(services, clock=later) as adapter:
        await fake.play(conversation(GROOMING_EN))
        incidents = await incidents_of(services, adapter)

    assert fake.calls_to("deleteMessage") == []
    assert fake.calls_to("banChatMember")
    punished = [i for i in incidents if i["action"] in ("delete", "mute", "ban")]
    assert punished and all("within 48 hours" in i["outcomes"][-1]["detail"] for i in punished)
    assert not [c for c in fake.calls_to("sendMessage") if "could not act here" in c["text"]]


async def test_telegram_dry_run_acts_on_nothing(fake, services):
    async with start_adapter(services) as adapter:
        await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), ChatPolicy(dry_run=True))
        await fake.play(conversation(GROOMING_EN))
        incidents = await incidents_of(services, adapter)

    assert [call.method for call in fake.calls if call.method in ACTIONS] == []
    assert [c for c in fake.calls_to("sendMessage") if c["text"].startswith("minorguard")] == []
    assert incidents and all(i["dry_run"] and "dry run" in i["outcomes"][-1]["detail"] for i in incidents)


async def test_telegram_edited_message_is_rescored(fake, services):
    lines = conversation([GROOMING_EN[0], GROOMING_EN[2], (GROOMER_EN, CHILD_EN, "ha, good night then")])
    edited = dict(lines[-1], text="you're so mature for your age. send me a selfie, and don't tell your mum")
    async with start_adapter(services) as adapter:
        await fake.play(lines)
        assert await incidents_of(services, adapter) == []
        fake.queue(fake.update(edited=edited))
        await fake.play([])
        incidents = await incidents_of(services, adapter)

    assert [(i["message_id"], i["text"]) for i in incidents] == [(str(edited["message_id"]), edited["text"])]
    assert incidents[0]["action"] != "allow" and incidents[0]["sender_id"] == str(GROOMER_EN["id"])


async def test_telegram_caption_in_forum_topic_is_scored_as_a_thread(fake, services):
    forum = group(forum=True)
    lines = conversation(GROOMING_EN, chat=forum)
    in_topic = [dict(m, message_thread_id=42, is_topic_message=True) for m in lines]
    in_topic[-1] = message(
        in_topic[-1]["message_id"],
        forum,
        GROOMER_EN,
        GROOMING_EN[-1][2],
        reply_to=in_topic[2],
        thread_id=42,
        caption=True,
    )
    async with start_adapter(services) as adapter:
        await fake.play(in_topic)
        incidents = await incidents_of(services, adapter)

    last = [i for i in incidents if i["message_id"] == str(in_topic[-1]["message_id"])]
    assert last and last[0]["thread_id"] == "42" and last[0]["target_id"] == str(CHILD_EN["id"])
    notices = [c for c in fake.calls_to("sendMessage") if c["text"].startswith("minorguard")]
    assert notices and all(c.get("message_thread_id") == 42 for c in notices)


async def test_telegram_mention_gives_the_target(fake, services):
    lines = conversation(GROOMING_EN)
    for sent in lines[3:]:
        sent.pop("reply_to_message", None)
        sent["text"] = f"@{CHILD_EN['username']} {sent['text']}"
        sent["entities"] = [{"type": "mention", "offset": 0, "length": len(CHILD_EN["username"]) + 1}]
    async with start_adapter(services) as adapter:
        await fake.play(lines)
        incidents = await incidents_of(services, adapter)

    assert incidents and {i["target_id"] for i in incidents} == {str(CHILD_EN["id"])}
