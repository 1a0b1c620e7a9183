"""Telegram messages turned into the pipeline's IncomingMessage: what is scored, the target, threads and time."""

from datetime import UTC, datetime

import pytest
from telegram import Message

from bot.adapters.telegram_messages import RecentUsernames, incoming_message, tenant_of
from tests.fake_telegram import CHILD_EN, GROOMER_EN, group, message

SENT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC).timestamp()


def telegram(data):
    return Message.de_json(data, None)


def test_telegram_messages_tenant_is_the_bot_id():
    assert tenant_of("123456:AAE-secret") == "telegram-123456"


def test_telegram_messages_reply_gives_target_locale_and_time():
    kid = message(1, group(), CHILD_EN, "hi", date=SENT)
    reply = message(2, group(), GROOMER_EN, "hey", reply_to=kid, date=SENT + 60)
    incoming = incoming_message("t", telegram(reply), RecentUsernames())

    assert (incoming.chat_id, incoming.message_id, incoming.sender_id) == (str(group()["id"]), "2", "601")
    assert (incoming.reply_to_message_id, incoming.reply_to_user_id) == ("1", "501")
    assert incoming.sent_at == datetime.fromtimestamp(SENT + 60, UTC) and incoming.sent_at.tzinfo is not None
    assert (incoming.platform, incoming.sender_locale, incoming.thread_id, incoming.edited) == (
        "telegram",
        "en",
        None,
        False,
    )


def test_telegram_messages_topic_opening_is_not_a_target_but_the_topic_is_a_thread():
    forum = group(forum=True)
    topic = {"forum_topic_created": {"name": "Homework", "icon_color": 7322096}}
    opening = message(40, forum, CHILD_EN, "Homework", date=SENT) | topic
    data = message(41, forum, GROOMER_EN, "hello", reply_to=opening, thread_id=40, date=SENT)

    incoming = incoming_message("t", telegram(data), RecentUsernames())

    assert incoming.thread_id == "40" and incoming.reply_to_user_id is None and incoming.reply_to_message_id is None


def test_telegram_messages_mentions_by_entity_and_known_username():
    usernames = RecentUsernames()
    incoming_message("t", telegram(message(1, group(), CHILD_EN, "hi all", date=SENT)), usernames)
    text = "@mia_draws and Sam, look"
    data = message(2, group(), GROOMER_EN, text, date=SENT) | {
        "entities": [
            {"type": "mention", "offset": 0, "length": 10},
            {
                "type": "text_mention",
                "offset": 15,
                "length": 3,
                "user": {"id": 777, "is_bot": False, "first_name": "Sam"},
            },
        ]
    }

    assert incoming_message("t", telegram(data), usernames).mentioned_user_ids == ("501", "777")


def test_telegram_messages_caption_is_scored_and_edit_is_flagged():
    data = message(3, group(), GROOMER_EN, "look at this", caption=True, date=SENT)
    incoming = incoming_message("t", telegram(data), RecentUsernames(), edited=True)
    assert incoming.text == "look at this" and incoming.edited


@pytest.mark.parametrize(
    "change",
    [
        {"from": {"id": 5, "is_bot": True, "first_name": "otherbot"}},
        {"sender_chat": {"id": group()["id"], "type": "supergroup", "title": "Homework help"}},
        {"text": ""},
    ],
    ids=["bot", "on_behalf_of_a_chat", "no_text"],
)
def test_telegram_messages_not_scored(change):
    data = message(4, group(), GROOMER_EN, "hello", date=SENT) | change
    assert incoming_message("t", telegram(data), RecentUsernames()) is None


def test_telegram_messages_usernames_are_bounded():
    usernames = RecentUsernames(capacity=2)
    for number in range(3):
        sender = {"id": number, "is_bot": False, "first_name": "x", "username": f"user{number}"}
        incoming_message("t", telegram(message(number, group(), sender, "hi")), usernames)
    assert [usernames.get(f"USER{number}") for number in range(3)] == [None, "1", "2"]
