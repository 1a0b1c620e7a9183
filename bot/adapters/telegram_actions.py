"""minorguard's Bot API calls: carrying decisions out (warn, delete, mute, ban), undoing them, and speaking in chats.

``TelegramActions`` implements ``handlers.ports.ActionSink`` and ``handlers.review.ActionReverser``. Telegram
errors never escape it: each step's outcome goes into the (ok, detail) recorded on the incident, and the first
failure of one kind of call in a chat is reported to that chat's admins once (again only after the same kind of
call has worked there in between).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, ChatPermissions, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from handlers.model import Action, Decision, IncomingMessage
from handlers.review import nothing_to_undo

log = logging.getLogger("minorguard.telegram")

DELETE_WINDOW = timedelta(hours=48)
"""Bots may delete other users' messages in groups only this long after they were sent."""

DELETE_MARGIN = timedelta(minutes=5)
"""Messages this close to the end of the window are not tried: the call would race the deadline."""

ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
"""Chat member statuses that count as the chat's admins."""

NEEDED_RIGHTS = {
    "deleteMessage": "the admin right “Delete messages”",
    "restrictChatMember": "the admin right “Ban users” (it also allows muting)",
    "banChatMember": "the admin right “Ban users”",
    "sendMessage": "permission to send messages",
}
"""What each call needs, named as Telegram's admin settings name it, for the report to the admins."""

MAX_TEXT = 4096
"""Telegram's limit on a message's length, in characters."""


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Step:
    """One Bot API call made for a decision: its method, whether it worked, and what to record about it.

    ``report`` is False for outcomes the admins cannot fix (a message past Telegram's delete window).
    """

    method: str
    ok: bool
    detail: str
    report: bool = True


class TelegramActions:
    """The adapter's gateway to the Bot API: acts on decisions, undoes them, checks admins and sends messages."""

    def __init__(self, bot: Bot, clock: Callable[[], datetime] = utc_now) -> None:
        self._bot = bot
        self._clock = clock
        self._reported: set[tuple[int, str]] = set()

    async def execute(self, message: IncomingMessage, decision: Decision) -> tuple[bool, str]:
        """Carry a warn, delete, mute or ban out; return (ok, detail) for the incident. Never raises."""
        chat, user, message_id = int(message.chat_id), int(message.sender_id), int(message.message_id)
        steps: list[Step] = []
        if decision.action is Action.MUTE:
            until = self._clock() + timedelta(seconds=decision.mute_seconds)
            restrict = self._bot.restrict_chat_member(chat, user, ChatPermissions.no_permissions(), until_date=until)
            steps.append(await self._step("restrictChatMember", restrict, f"muted until {until.isoformat()}"))
        elif decision.action is Action.BAN:
            steps.append(await self._step("banChatMember", self._bot.ban_chat_member(chat, user), "banned"))
        if decision.notice is not None:
            thread = int(message.thread_id) if message.thread_id else None
            notice = self._reply(chat, decision.notice.text, message_id, thread)
            steps.append(await self._step("sendMessage", notice, f"notice sent ({decision.notice.lang})"))
        if decision.action in (Action.DELETE, Action.MUTE, Action.BAN):
            steps.append(await self._delete(chat, message_id, message.sent_at))
        await self._report_failures(chat, steps)
        return all(step.ok for step in steps), "; ".join(step.detail for step in steps)

    async def reverse(self, incident: Mapping[str, Any]) -> tuple[bool, str]:
        """Lift the ban or mute an incident recorded; other actions need nothing. Never raises."""
        chat, user = int(incident["chat_id"]), int(incident["sender_id"])
        if incident["action"] == "ban":
            unban = self._bot.unban_chat_member(chat, user, only_if_banned=True)
            step = await self._step("unbanChatMember", unban, "ban lifted; the user may rejoin")
        elif incident["action"] == "mute":
            permissions = await self._chat_permissions(chat)
            lift = self._bot.restrict_chat_member(chat, user, permissions)
            step = await self._step("restrictChatMember", lift, "mute lifted")
        else:
            return True, nothing_to_undo(incident)
        return step.ok, step.detail

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        """Whether the user is an owner or administrator of the chat (False when Telegram cannot say)."""
        try:
            member = await self._bot.get_chat_member(chat_id, user_id)
        except TelegramError as error:
            log.info("getChatMember %s/%s failed: %s", chat_id, user_id, error.message)
            return False
        return member.status in ADMIN_STATUSES

    async def say(
        self,
        chat_id: int | str,
        text: str,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> Message | None:
        """Send a plain-text message (cut to Telegram's length limit); None, logged, when Telegram refuses."""
        reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to else None
        try:
            return await self._bot.send_message(
                chat_id, text[:MAX_TEXT], message_thread_id=thread_id, reply_parameters=reply, reply_markup=keyboard
            )
        except TelegramError as error:
            log.warning("sendMessage to %s failed: %s", chat_id, error.message)
            return None

    async def edit(self, message: Message, text: str) -> None:
        """Replace a message's text and drop its buttons; a failure is logged only."""
        try:
            await self._bot.edit_message_text(text[:MAX_TEXT], chat_id=message.chat_id, message_id=message.message_id)
        except TelegramError as error:
            log.warning("editMessageText in %s failed: %s", message.chat_id, error.message)

    def _reply(self, chat: int, text: str, message_id: int, thread: int | None) -> Awaitable[Message]:
        reply = ReplyParameters(message_id=message_id, allow_sending_without_reply=True)
        return self._bot.send_message(chat, text[:MAX_TEXT], message_thread_id=thread, reply_parameters=reply)

    async def _delete(self, chat: int, message_id: int, sent_at: datetime) -> Step:
        age = self._clock() - sent_at
        if age >= DELETE_WINDOW - DELETE_MARGIN:
            hours = age.total_seconds() / 3600
            why = f"not deleted: the message is {hours:.0f} hours old and bots may delete only within 48 hours"
            return Step("deleteMessage", False, why, report=False)
        return await self._step("deleteMessage", self._bot.delete_message(chat, message_id), "message deleted")

    async def _chat_permissions(self, chat: int) -> ChatPermissions:
        try:
            permissions = (await self._bot.get_chat(chat)).permissions
        except TelegramError as error:
            log.info("getChat %s failed, lifting the mute with full permissions: %s", chat, error.message)
            permissions = None
        return permissions or ChatPermissions.all_permissions()

    @staticmethod
    async def _step(method: str, call: Awaitable[Any], done: str) -> Step:
        try:
            await call
        except TelegramError as error:
            return Step(method, False, f"{method} failed: {error.message}")
        return Step(method, True, done)

    async def _report_failures(self, chat: int, steps: list[Step]) -> None:
        for step in steps:
            key = (chat, step.method)
            if step.ok:
                self._reported.discard(key)
            elif step.report and key not in self._reported:
                self._reported.add(key)
                needed = NEEDED_RIGHTS.get(step.method, "the admin rights minorguard asks for at /start")
                await self.say(
                    chat,
                    f"minorguard could not act here: {step.detail}. Please check that minorguard is an admin "
                    f"with {needed}. (Reported once; the incident log keeps every failure.)",
                )
