"""Telegram's side of review: the moderators' chat, its buttons, members' reports and users' appeals.

Review items are posted to the moderators' chat with confirm/overturn buttons; members ``/report`` a message
in a group; users ``/appeal`` in a private chat with the bot. An appeal answered anywhere (buttons, console,
API) is sent to the user privately, or, when the bot may not write to them, as a reply in the incident's chat.

The workflows themselves (what a confirm or an overturn records, one appeal per incident) live in
``handlers.review``; this module only reads Telegram's updates and writes Telegram's messages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import ContextTypes

from bot.adapters.telegram_actions import TelegramActions
from bot.adapters.telegram_messages import RecentUsernames, incoming_message, reply_target
from handlers.model import Action, Decision, IncomingMessage
from handlers.notices import notice_language
from handlers.pipeline import Moderator
from handlers.policy import ChatPolicy
from handlers.review import AppealRefused, Resolution, ReviewDesk, ReviewError

BUTTON_OUTCOMES = {"c": "confirmed", "o": "overturned"}
"""Callback-data codes of the review buttons and the outcome each one records."""

BUTTON_PATTERN = r"^rv:[co]:[0-9a-f-]{36}$"
"""Callback data of a review button: "rv:", the outcome's code, ":" and the review item's id."""

KIND_TITLES = {
    "detector": "flagged by the detector",
    "punitive": "action taken, for a second look",
    "report": "reported by a member",
    "appeal": "appealed by the user",
}

CONTEXT_LINES = 8
"""Earlier messages of the conversation shown with a review item."""

TEXTS = {
    "en": {
        "report_usage": "Reply to the message you want to report with /report (you may add why).",
        "report_wait": "Please wait {seconds} seconds before reporting again.",
        "reported": "Thank you. The moderators will look at that message.",
        "reported_no_chat": "Thank you. The report is queued; admins: choose a moderators' chat with /review_here.",
        "appeal_usage": "Send /appeal followed by the reference from the notice you received, then why, if you like.",
        "appealed": "Your appeal about {ref} was received. A moderator will answer you here.",
        "not_here": "Only admins of the group this item came from may decide it, in its review chat.",
    },
    "zh": {
        "report_usage": "请回复要举报的消息并发送 /report（可附上理由）。",
        "report_wait": "请在 {seconds} 秒后再举报。",
        "reported": "谢谢，管理员会查看这条消息。",
        "reported_no_chat": "谢谢，举报已记录；请管理员用 /review_here 指定审核群。",
        "appeal_usage": "请发送 /appeal 加上通知里的编号，可在后面写上理由。",
        "appealed": "你对记录 {ref} 的申诉已收到，管理员会在这里回复你。",
        "not_here": "只有该群的管理员才能在其审核群里处理此项。",
    },
}


def language_of(user: User | None) -> str:
    """The language to answer a Telegram user in ("en" or "zh")."""
    return notice_language(user.language_code if user else None, "", "en")


def review_kind(decision: Decision, policy: ChatPolicy) -> str | None:
    """The kind of review item the pipeline queued for a decision, if it queued one."""
    if decision.action is Action.REVIEW:
        return "detector"
    return "punitive" if policy.review_punitive and decision.action.punitive else None


def review_text(item: Mapping[str, Any]) -> str:
    """The moderators' view of an item: what was decided and why, the conversation, the message, who asked."""
    incident = item["incident"]
    lines = [
        f"minorguard review · {KIND_TITLES.get(item['kind'], item['kind'])} · incident {incident['id']}",
        f"chat {incident['chat_id']} · sender {incident['sender_id']} → {incident['target_id'] or 'the room'}",
        f"decided: {incident['action']} (risk {incident['risk']:.2f}) · stages: {', '.join(incident['stages']) or '-'}",
    ]
    if incident["dry_run"]:
        lines.append("dry run: nothing was done")
    if incident["explanation"]:
        lines.append(f"why: {incident['explanation']}")
    lines += [f"- {r['signal']} {r['score']:.2f}: {r['detail']}" for r in incident["reasons"] if r["score"] > 0][:6]
    if item["requested_by"]:
        lines.append(f"{item['kind']} by {item['requested_by']}: {item['note'] or '-'}")
    context = [line for line in incident["context"] if line.get("message_id") != incident["message_id"]]
    if context:
        lines.append("conversation before it:")
        lines += [f"  {line['sender_id']}: {line['text']}" for line in context[-CONTEXT_LINES:]]
    lines.append(f"message: {incident['text']}")
    return "\n".join(lines)


def review_buttons(review_id: str) -> InlineKeyboardMarkup:
    """The confirm and overturn buttons of an item."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ confirm", callback_data=f"rv:c:{review_id}"),
                InlineKeyboardButton("↩️ overturn", callback_data=f"rv:o:{review_id}"),
            ]
        ]
    )


class ReportCooldown:
    """At most one ``/report`` per member per ``seconds``."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._last: dict[str, float] = {}

    def wait(self, reporter: str) -> int:
        """Whole seconds the reporter must still wait; 0 means the report may go ahead (and is counted now)."""
        now = self._clock()
        self._last = {who: at for who, at in self._last.items() if now - at < self._seconds}
        if reporter in self._last:
            return max(1, round(self._seconds - (now - self._last[reporter])))
        self._last[reporter] = now
        return 0


class TelegramReviews:
    """Review items to and from the moderators' chats, members' reports and users' appeals."""

    def __init__(
        self,
        *,
        tenant_id: str,
        moderator: Moderator,
        desk: ReviewDesk,
        actions: TelegramActions,
        usernames: RecentUsernames,
        cooldown: ReportCooldown,
    ) -> None:
        self._tenant_id = tenant_id
        self._moderator = moderator
        self._desk = desk
        self._actions = actions
        self._usernames = usernames
        self._cooldown = cooldown

    async def post(self, review_id: str) -> bool:
        """Post an item with its buttons to its chat's review chat; False when none is set or posting failed."""
        item = await self._desk.item(self._tenant_id, review_id)
        if item is None:
            return False
        policy = await self._moderator.policy(self._tenant_id, item["chat_id"])
        if not policy.review_chat_id:
            return False
        sent = await self._actions.say(policy.review_chat_id, review_text(item), keyboard=review_buttons(review_id))
        return sent is not None

    async def after_decision(self, message: IncomingMessage, decision: Decision) -> None:
        """Post the review item the pipeline queued for a decision, if any (not in dry-run)."""
        if decision.incident_id is None or decision.dry_run:
            return
        policy = await self._moderator.policy(self._tenant_id, message.chat_id)
        kind = review_kind(decision, policy)
        if kind is None or not policy.review_chat_id:
            return
        entry = {"tenant_id": self._tenant_id, "chat_id": message.chat_id, "incident_id": decision.incident_id}
        review_id = await self._desk.queue(entry | {"kind": kind, "requested_by": None, "note": decision.explanation})
        await self.post(review_id)

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/report`` (a reply, any member): score the replied-to message if new, queue it and post it."""
        message, reporter = update.effective_message, update.effective_user
        texts = TEXTS[language_of(reporter)]
        reported = reply_target(message) if message else None
        incoming = incoming_message(self._tenant_id, reported, self._usernames) if reported else None
        if message is None or reporter is None or incoming is None:
            if message is not None:
                await self._answer(message, texts["report_usage"])
            return
        wait = self._cooldown.wait(str(reporter.id))
        if wait:
            await self._answer(message, texts["report_wait"].format(seconds=wait))
            return
        [decision] = await self._moderator.process([incoming], sink=self._actions)
        note = " ".join(context.args or [])
        review_id = await self._desk.report(incoming, decision, str(reporter.id), note)
        posted = await self.post(review_id)
        await self._answer(message, texts["reported"] if posted else texts["reported_no_chat"])

    async def appeal(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/appeal <reference> [why]`` in a private chat: open the appeal and post it for review."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        texts = TEXTS[language_of(user)]
        if not context.args:
            await self._answer(message, texts["appeal_usage"])
            return
        reference, why = context.args[0], " ".join(context.args[1:])
        try:
            appeal = await self._desk.appeal(self._tenant_id, reference, str(user.id), why, user.language_code)
        except AppealRefused as refusal:
            await self._answer(message, str(refusal))
            return
        await self.post(appeal["review_id"])
        await self._answer(message, TEXTS[appeal["lang"]]["appealed"].format(ref=appeal["incident_id"]))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A confirm/overturn button: only in the origin group's review chat, only by that group's admins."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        _, code, review_id = query.data.split(":", 2)
        item = await self._desk.item(self._tenant_id, review_id)
        policy = await self._moderator.policy(self._tenant_id, item["chat_id"]) if item else None
        here = str(query.message.chat.id) if query.message else None
        allowed = item is not None and policy is not None and here == policy.review_chat_id
        if not allowed or not await self._actions.is_admin(int(item["chat_id"]), query.from_user.id):
            await query.answer(TEXTS[language_of(query.from_user)]["not_here"], show_alert=True)
            return
        who = f"telegram:{query.from_user.id}"
        outcome = BUTTON_OUTCOMES[code]
        try:
            resolution = await self._desk.resolve(self._tenant_id, review_id, outcome, who, "", reverser=self._actions)
        except ReviewError as error:
            await query.answer(str(error), show_alert=True)
            return
        await self.answer_appellant(resolution)
        if isinstance(query.message, Message):
            done = f"→ {outcome} by {query.from_user.full_name} ({who})"
            await self._actions.edit(
                query.message, "\n\n".join(filter(None, [query.message.text, done, resolution.reversal]))
            )
        await query.answer(outcome)

    async def answer_appellant(self, resolution: Resolution) -> None:
        """Tell the user the answer to their appeal, if the resolution answered one of this bot's incidents.

        Privately when the bot may write to the user (they have started it), else as a reply to the appealed
        message (or, once deleted, into its thread) in the incident's chat.
        """
        incident, appeal, answer = resolution.incident, resolution.appeal, resolution.answer
        if appeal is None or answer is None or incident["platform"] != "telegram":
            return
        if incident["tenant_id"] != self._tenant_id:
            return
        if await self._actions.say(int(appeal["user_id"]), answer.text) is not None:
            return
        thread = int(incident["thread_id"]) if incident["thread_id"] else None
        await self._actions.say(
            int(incident["chat_id"]), answer.text, reply_to=int(incident["message_id"]), thread_id=thread
        )

    async def _answer(self, message: Message, text: str) -> None:
        thread = message.message_thread_id if message.is_topic_message else None
        await self._actions.say(message.chat_id, text, reply_to=message.message_id, thread_id=thread)
