"""Telegram commands, reviews, reports and appeals: python-telegram-bot's real client against the fake Bot API,
a real SQLite file and the real rule-based scorer."""

import re
from pathlib import Path

import pytest

from bot.adapters.telegram import telegram_adapter
from bot.app import open_services
from bot.settings import ClassifierSettings, Settings, StorageSettings, TelegramSettings
from handlers.policy import ChatPolicy
from storage.appeals import SqlAppealStore
from tests.fake_telegram import (
    ADMIN,
    CHILD_EN,
    GROOMER_EN,
    GROOMING_EN,
    GROUP_ID,
    PARENT,
    TOKEN,
    FakeBotApi,
    conversation,
    group,
    message,
    private,
)

REVIEW_CHAT = -1009998887776
REFERENCE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
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
        telegram=TelegramSettings(token=TOKEN, base_url=fake.base_url, report_cooldown_seconds=60),
    )
    async with open_services(settings) as opened:
        yield opened


@pytest.fixture
async def adapter(services):
    async with telegram_adapter(services, polling_timeout=1).running() as running:
        yield running


class Chat:
    """Sends commands into a chat through the fake and returns the bot's answers to them."""

    def __init__(self, fake, chat, first_id=20_000):
        self.fake, self.chat, self.next_id = fake, chat, first_id

    async def say(self, sender, text, reply_to=None):
        self.next_id += 1
        sent = message(self.next_id, self.chat, sender, text, reply_to=reply_to)
        await self.fake.play([sent])
        return [
            call["text"]
            for call in self.fake.calls_to("sendMessage")
            if call["chat_id"] == self.chat["id"] and call.get("reply_parameters", {}).get("message_id") == self.next_id
        ]


def buttons_of(sent):
    return [button["callback_data"] for button in sent["reply_markup"]["inline_keyboard"][0]]


async def press(fake, presser, posted, data):
    query = fake.callback(presser, posted, data)
    fake.queue(fake.update(callback=query))
    [answered] = await fake.wait_for("answerCallbackQuery", where=lambda call: call["callback_query_id"] == query["id"])
    return answered


async def test_telegram_admin_set_changes_the_next_decision_and_members_are_refused(fake, services, adapter):
    room = Chat(fake, group())

    refused = await room.say(PARENT, "/set dry_run on")
    assert refused == ["Sorry, only this group's admins can use that command."]
    assert not (await services.moderator.policy(adapter.tenant_id, str(GROUP_ID))).dry_run
    assert (await room.say(ADMIN, "/set warn_at 2"))[0].startswith("Not changed: warn_at")

    assert await room.say(ADMIN, "/set dry_run on") == ["dry_run = True"]
    await fake.play(conversation(GROOMING_EN))

    assert (await services.moderator.policy(adapter.tenant_id, str(GROUP_ID))).dry_run
    assert [call.method for call in fake.calls if call.method in ACTIONS] == []


async def test_telegram_report_reaches_the_review_chat_and_buttons_check_admins(fake, services, adapter):
    room, moderators = Chat(fake, group()), Chat(fake, group(REVIEW_CHAT, "Mods"))
    assert await moderators.say(PARENT, f"/review_here {GROUP_ID}") == [
        "Sorry, only this group's admins can use that command."
    ]
    assert await moderators.say(ADMIN, f"/review_here {GROUP_ID}") == [
        f"Review items of group {GROUP_ID} will be posted here."
    ]
    [odd] = conversation([(PARENT, None, "who has the maths worksheet for monday?")], first_id=300)
    await fake.play([odd])

    thanks = await room.say(CHILD_EN, "/report this felt weird", reply_to=odd)
    again = await room.say(CHILD_EN, "/report", reply_to=odd)

    assert thanks == ["Thank you. The moderators will look at that message."]
    assert again[0].startswith("Please wait")
    [posted] = [sent for sent in fake.sent_to(REVIEW_CHAT) if "reported by a member" in sent["text"]]
    assert "this felt weird" in posted["text"] and "maths worksheet" in posted["text"]
    confirm, overturn = buttons_of(next(c for c in fake.calls_to("sendMessage") if "reported by" in c["text"]))

    denied = await press(fake, PARENT, posted, confirm)
    assert denied["show_alert"] is True
    [item] = await services.reviews.list(adapter.tenant_id, kind="report")
    assert item["status"] == "open"

    await press(fake, ADMIN, posted, overturn)
    edited = await fake.wait_for("editMessageText")
    assert "overturned by Grace (telegram:900)" in edited[0]["text"]
    assert (await services.reviews.get(adapter.tenant_id, item["id"]))["status"] == "overturned"
    assert (await services.incidents.get(adapter.tenant_id, item["incident_id"]))["status"] == "overturned"


async def test_telegram_appeal_reaches_the_review_chat_and_the_answer_goes_back(fake, services, adapter):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), ChatPolicy(review_chat_id=str(REVIEW_CHAT)))
    await fake.play(conversation(GROOMING_EN))
    notice = next(c["text"] for c in fake.calls_to("sendMessage") if c["text"].startswith("minorguard"))
    reference = REFERENCE.search(notice).group()
    groomer_dm, child_dm = Chat(fake, private(GROOMER_EN)), Chat(fake, private(CHILD_EN))

    received = await groomer_dm.say(GROOMER_EN, f"/appeal {reference} I only asked about homework")
    twice = await groomer_dm.say(GROOMER_EN, f"/appeal {reference}")
    stranger = await child_dm.say(CHILD_EN, f"/appeal {reference}")

    assert received == [f"Your appeal about {reference} was received. A moderator will answer you here."]
    assert "already appealed" in twice[0] and "no incident" in stranger[0]
    posted = [m for m in fake.sent_to(REVIEW_CHAT) if "appealed by the user" in m["text"]]
    assert len(posted) == 1 and "I only asked about homework" in posted[0]["text"]
    call = next(c for c in fake.calls_to("sendMessage") if "appealed by the user" in c["text"])

    await press(fake, ADMIN, posted[0], buttons_of(call)[1])

    [answer] = await fake.wait_for(
        "sendMessage", where=lambda c: c["chat_id"] == GROOMER_EN["id"] and "accepted" in c["text"]
    )
    assert reference in answer["text"]
    appeal = await SqlAppealStore(services.database).for_incident(adapter.tenant_id, reference)
    assert (appeal["status"], appeal["outcome"]) == ("answered", "overturned")


@pytest.mark.parametrize(
    ("policy", "command", "done"),
    [
        (ChatPolicy(review_at=0.3, warn_at=0.3, delete_at=0.3, mute_at=0.3, ban_at=0.3), "/unban", "done: ban lifted"),
        (
            ChatPolicy(review_at=0.3, warn_at=0.3, delete_at=0.3, mute_at=0.3, ban_at=1.01, mute_limit=0),
            "/unmute",
            "done: mute lifted",
        ),
    ],
    ids=["ban", "mute"],
)
async def test_telegram_unban_and_unmute_reverse_the_bots_own_actions(fake, services, adapter, policy, command, done):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), policy)
    room = Chat(fake, group())
    lines = conversation(GROOMING_EN)
    await fake.play(lines)
    action = "banChatMember" if command == "/unban" else "restrictChatMember"
    assert fake.calls_to(action)
    before = len(fake.calls_to("restrictChatMember"))

    refused = await room.say(PARENT, f"{command} {GROOMER_EN['id']}")
    [lifted] = await room.say(ADMIN, command, reply_to=lines[-1])
    [nothing] = await room.say(ADMIN, f"{command} {CHILD_EN['id']}")

    assert refused == ["Sorry, only this group's admins can use that command."]
    assert lifted.startswith(done) and "no standing" in nothing
    if command == "/unban":
        [unban] = fake.calls_to("unbanChatMember")
        assert (unban["chat_id"], unban["user_id"], unban["only_if_banned"]) == (GROUP_ID, GROOMER_EN["id"], True)
    else:
        [lift] = fake.calls_to("restrictChatMember")[before:]
        assert lift["user_id"] == GROOMER_EN["id"] and lift["permissions"]["can_send_messages"] is True
    incident = await services.incidents.get(adapter.tenant_id, REFERENCE.search(lifted).group())
    assert incident["status"] == "overturned" and "overturned by telegram:900" in incident["outcomes"][-1]["detail"]


async def test_telegram_why_policy_status_and_allow(fake, services, adapter):
    room = Chat(fake, group())
    lines = conversation(GROOMING_EN[:4])
    await fake.play(lines)

    [why] = await room.say(ADMIN, "/why", reply_to=lines[3])
    [policy] = await room.say(ADMIN, "/policy")
    [status] = await room.say(ADMIN, "/status")
    [allowed] = await room.say(ADMIN, "/allow", reply_to=lines[3])

    assert why.startswith("action: ") and "stages: " in why and "flattery" in why
    assert "warn_at = 0.6" in policy
    assert status.startswith("last 30 days:") and "open review items" in status
    assert allowed == f"user {GROOMER_EN['id']} is now on this chat's allow list"
    before = len([call for call in fake.calls if call.method in ACTIONS])
    await fake.play(conversation(GROOMING_EN[4:], first_id=400))
    assert len([call for call in fake.calls if call.method in ACTIONS]) == before


async def test_telegram_detector_review_is_posted_with_buttons(fake, services, adapter):
    policy = ChatPolicy(
        review_at=0.3, warn_at=1.01, delete_at=1.01, mute_at=1.01, ban_at=1.01, review_chat_id=str(REVIEW_CHAT)
    )
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), policy)

    await fake.play(conversation(GROOMING_EN[:4]))

    posted = [c for c in fake.calls_to("sendMessage") if c["chat_id"] == REVIEW_CHAT]
    assert posted and all("flagged by the detector" in c["text"] for c in posted)
    assert all(buttons_of(c)[0].startswith("rv:c:") for c in posted)
    assert [call.method for call in fake.calls if call.method in ACTIONS] == []


@pytest.mark.parametrize(
    ("bot_is_admin", "can_read", "rights", "expected"),
    [
        (False, False, {}, ["not an admin", "privacy mode is on"]),
        (True, False, {"can_restrict_members": False}, ["“Ban users”"]),
        (True, True, {}, ["✅ minorguard can see and act in this group."]),
    ],
)
async def test_telegram_start_tells_admins_what_stops_the_bot(fake, adapter, bot_is_admin, can_read, rights, expected):
    fake.bot_is_admin, fake.can_read_all_group_messages = bot_is_admin, can_read
    fake.bot_rights.update(rights)

    [answer] = await Chat(fake, group()).say(ADMIN, "/start")

    assert all(part in answer for part in expected), answer
    assert f"This group's id: {GROUP_ID}" in answer


async def test_telegram_commands_registered_in_english_and_chinese(fake, adapter):
    registered = fake.calls_to("setMyCommands")
    assert sorted((c["scope"]["type"], c.get("language_code", "")) for c in registered) == [
        ("all_group_chats", ""),
        ("all_group_chats", "zh"),
        ("all_private_chats", ""),
        ("all_private_chats", "zh"),
    ]
    chinese = next(c for c in registered if c.get("language_code") == "zh" and c["scope"]["type"] == "all_group_chats")
    assert {"set", "report", "review_here"} <= {command["command"] for command in chinese["commands"]}
    assert any("管理员" in command["description"] for command in chinese["commands"])
