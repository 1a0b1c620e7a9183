"""Telegram's message shapes turned into the pipeline's ``IncomingMessage``: the one place that reads them.

Text and media captions are scored; a reply gives the target (in a forum topic, a plain message "replies" to
the topic's opening service message, which is not a target); text mentions and @usernames of members seen
before give more; forum topics are threads; the time is when the message was first sent, also for edits,
because Telegram's 48-hour delete window counts from then.
"""

from __future__ import annotations

from collections import OrderedDict

from telegram import Message, MessageEntity, User

from handlers.model import IncomingMessage

TENANT_PREFIX = "telegram-"
"""A bot's tenant id is this followed by the bot's numeric id (the part of its token before the colon)."""

PLATFORM = "telegram"


def tenant_of(token: str) -> str:
    """The stable tenant id of the bot a Bot API token belongs to, e.g. "telegram-123"."""
    return TENANT_PREFIX + token.split(":", 1)[0]


class RecentUsernames:
    """Usernames of the latest senders seen, so that an @mention can name its target; bounded, oldest dropped."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._ids: OrderedDict[str, str] = OrderedDict()

    def learn(self, user: User) -> None:
        """Remember a sender's username (if they have one)."""
        if user.username:
            self._ids[user.username.lower()] = str(user.id)
            self._ids.move_to_end(user.username.lower())
            if len(self._ids) > self._capacity:
                self._ids.popitem(last=False)

    def get(self, username: str) -> str | None:
        """The id of the user with this username (without "@"), if they were seen."""
        return self._ids.get(username.lower())


def reply_target(message: Message) -> Message | None:
    """The message this one really replies to; None for no reply or a forum topic's opening service message."""
    reply = message.reply_to_message
    if reply is None or reply.forum_topic_created is not None:
        return None
    return reply


def mentioned_users(message: Message, usernames: RecentUsernames) -> tuple[str, ...]:
    """Ids of the users a message mentions, by text mention or by a known @username, in order, once each."""
    kinds = [MessageEntity.TEXT_MENTION, MessageEntity.MENTION]
    entities = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    found: list[str] = []
    for entity, text in entities.items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and not entity.user.is_bot:
            user_id: str | None = str(entity.user.id)
        else:
            user_id = usernames.get(text.removeprefix("@")) if entity.type == MessageEntity.MENTION else None
        if user_id and user_id not in found:
            found.append(user_id)
    return tuple(found)


def incoming_message(
    tenant_id: str, message: Message, usernames: RecentUsernames, edited: bool = False
) -> IncomingMessage | None:
    """The pipeline's view of a group message; None for what is not scored.

    Not scored: messages without text or caption, messages from bots, and messages sent on behalf of a chat
    (anonymous admins, linked channels), which have no member to act upon.
    """
    sender = message.from_user
    text = message.text or message.caption
    if sender is None or sender.is_bot or message.sender_chat is not None or not text:
        return None
    usernames.learn(sender)
    reply = reply_target(message)
    in_topic = message.is_topic_message and message.message_thread_id is not None
    return IncomingMessage(
        tenant_id=tenant_id,
        platform=PLATFORM,
        chat_id=str(message.chat_id),
        message_id=str(message.message_id),
        sender_id=str(sender.id),
        text=text,
        sent_at=message.date,
        thread_id=str(message.message_thread_id) if in_topic else None,
        reply_to_message_id=str(reply.message_id) if reply else None,
        reply_to_user_id=str(reply.from_user.id) if reply and reply.from_user else None,
        mentioned_user_ids=mentioned_users(message, usernames),
        sender_locale=sender.language_code,
        edited=edited,
    )
