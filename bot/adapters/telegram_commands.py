"""Telegram's admin commands: parse them, check the caller is a group admin (``getChatMember``), and reply.

The commands are ``/policy``, ``/set``, ``/allow``, ``/disallow``, ``/why``, ``/status``, ``/review_here``,
``/unban`` and ``/unmute``. The work is done by ``handlers.commands.ChatCommands`` and
``handlers.review.ReviewDesk``; ``/start`` tells the admins what would stop minorguard from seeing or
acting in their group.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, BotCommand, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.adapters.telegram_actions import TelegramActions, utc_now
from bot.adapters.telegram_messages import reply_target
from bot.adapters.telegram_review import language_of
from handlers.commands import ChatCommands, CommandError
from handlers.review import ReviewDesk, ReviewError
from handlers.review_texts import format_counts

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]

STATUS_DAYS = 30
"""Days of incidents ``/status`` counts."""

GROUP_COMMANDS = {
    "en": [
        ("policy", "show this chat's moderation policy (admins)"),
        ("set", "change a setting: /set key value (admins)"),
        ("allow", "never act on the replied-to user (admins)"),
        ("disallow", "take a user off the allow list (admins)"),
        ("why", "explain the decision on the replied-to message (admins)"),
        ("status", "counts of recent actions (admins)"),
        ("review_here", "send a group's review items to this chat: /review_here group_id (admins)"),
        ("unban", "lift minorguard's ban of a user (admins)"),
        ("unmute", "lift minorguard's mute of a user (admins)"),
        ("report", "report the replied-to message to the moderators"),
        ("start", "check that minorguard can see and act here"),
    ],
    "zh": [
        ("policy", "查看本群的审核策略（管理员）"),
        ("set", "修改设置：/set 键 值（管理员）"),
        ("allow", "不处理被回复的用户（管理员）"),
        ("disallow", "把用户移出白名单（管理员）"),
        ("why", "解释对被回复消息的判定（管理员）"),
        ("status", "近期处理统计（管理员）"),
        ("review_here", "把某群的待审核项发到这里：/review_here 群ID（管理员）"),
        ("unban", "解除 minorguard 的封禁（管理员）"),
        ("unmute", "解除 minorguard 的禁言（管理员）"),
        ("report", "向管理员举报被回复的消息"),
        ("start", "检查 minorguard 能否在本群看到消息并执行操作"),
    ],
}
PRIVATE_COMMANDS = {
    "en": [("appeal", "appeal an action: /appeal reference [why]"), ("start", "what minorguard is")],
    "zh": [("appeal", "申诉：/appeal 编号 [理由]"), ("start", "minorguard 简介")],
}

REFUSAL = {
    "en": "Sorry, only this group's admins can use that command.",
    "zh": "抱歉，只有本群管理员可以使用这个命令。",
}
PRIVATE_HELP = {
    "en": "minorguard protects minors in group chats. If minorguard acted on your message and you think it was "
    "a mistake, send /appeal followed by the reference in the notice.",
    "zh": "minorguard 在群聊中保护未成年人。如果你认为 minorguard 对你的消息处理有误，"
    "请发送 /appeal 加上通知里的编号。",
}


def bot_commands(table: dict[str, list[tuple[str, str]]], lang: str) -> list[BotCommand]:
    """One language's command list for ``setMyCommands``."""
    return [BotCommand(command, description) for command, description in table[lang]]


def named_user(message: Message, args: list[str]) -> str | None:
    """The user a command is about: the author of the replied-to message, else a numeric id argument."""
    reply = reply_target(message)
    if reply is not None and reply.from_user is not None:
        return str(reply.from_user.id)
    return args[0] if args and args[0].lstrip("-").isdigit() else None


async def setup_problems(bot: Bot, chat_id: int) -> list[str]:
    """What would stop minorguard from seeing or acting in a group: privacy mode, missing admin rights."""
    try:
        me = await bot.get_me()
        member = await bot.get_chat_member(chat_id, me.id)
    except TelegramError as error:
        return [f"could not check minorguard's rights here: {error.message}"]
    problems = []
    is_admin = member.status == ChatMemberStatus.ADMINISTRATOR
    if not is_admin:
        problems.append("minorguard is not an admin here: make it one with “Delete messages” and “Ban users”")
        if not me.can_read_all_group_messages:
            problems.append(
                "privacy mode is on, so minorguard sees only commands: make it an admin, or turn privacy off"
            )
    else:
        if not getattr(member, "can_delete_messages", False):
            problems.append("minorguard lacks the admin right “Delete messages”: it cannot remove messages")
        if not getattr(member, "can_restrict_members", False):
            problems.append("minorguard lacks the admin right “Ban users”: it cannot mute or ban")
    return problems


class TelegramCommands:
    """The command callbacks of one bot; admin-only ones check ``getChatMember`` first."""

    def __init__(
        self, *, tenant_id: str, commands: ChatCommands, desk: ReviewDesk, actions: TelegramActions, bot: Bot
    ) -> None:
        self._tenant_id = tenant_id
        self._commands = commands
        self._desk = desk
        self._actions = actions
        self._bot = bot

    def admin_callbacks(self) -> dict[str, Callback]:
        """The group commands only a group's admins may use, by command name, each wrapped in the admin check."""
        callbacks: dict[str, Callback] = {
            "policy": self.policy,
            "set": self.set,
            "allow": self.allow,
            "disallow": self.disallow,
            "why": self.why,
            "status": self.status,
            "unban": self.unban,
            "unmute": self.unmute,
        }
        return {name: self._admins_only(callback) for name, callback in callbacks.items()}

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start``: in a group, a check of privacy mode and rights; in a private chat, what minorguard is."""
        message = update.effective_message
        if message is None:
            return
        if message.chat.type == message.chat.PRIVATE:
            await self._reply(message, PRIVATE_HELP[language_of(update.effective_user)])
            return
        problems = await setup_problems(self._bot, message.chat_id)
        status = "\n".join(f"⚠️ {problem}" for problem in problems) or "✅ minorguard can see and act in this group."
        await self._reply(message, f"{status}\nThis group's id: {message.chat_id} (for /review_here).")

    async def policy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/policy``: the chat's policy."""
        message = update.effective_message
        await self._reply(message, await self._commands.show_policy(self._tenant_id, str(message.chat_id)))

    async def set(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/set <key> <value>``: change one setting of the chat's policy."""
        message, args = update.effective_message, context.args or []
        if len(args) != 2:
            await self._reply(message, "Usage: /set key value, e.g. /set warn_at 0.7 — see /policy for the keys.")
            return
        try:
            policy = await self._commands.set_value(self._tenant_id, str(message.chat_id), args[0], args[1])
        except CommandError as error:
            await self._reply(message, f"Not changed: {error}")
            return
        await self._reply(message, f"{args[0]} = {getattr(policy, args[0])}")

    async def allow(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/allow`` (reply, or a user id): never act on that user in this chat."""
        await self._allow_list(update, context, allow=True)

    async def disallow(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/disallow`` (reply, or a user id): take the user off the chat's allow list."""
        await self._allow_list(update, context, allow=False)

    async def why(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/why`` (reply): the detector's stages and reasons for the replied-to message."""
        message = update.effective_message
        reply = reply_target(message)
        if reply is None:
            await self._reply(message, "Reply to a message with /why to see why minorguard decided as it did.")
            return
        await self._reply(
            message, await self._commands.why(self._tenant_id, str(message.chat_id), str(reply.message_id))
        )

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/status``: incidents per action, overturns and open review items of the chat."""
        message = update.effective_message
        since = utc_now() - timedelta(days=STATUS_DAYS)
        counts = await self._desk.chat_counts(self._tenant_id, str(message.chat_id), since)
        await self._reply(message, format_counts(counts, STATUS_DAYS))

    async def review_here(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/review_here <group id>`` in the moderators' chat, by an admin of that group."""
        message, user, args = update.effective_message, update.effective_user, context.args or []
        if message is None or user is None:
            return
        if len(args) != 1 or not args[0].lstrip("-").isdigit():
            await self._reply(message, "Usage: /review_here group_id — /start in the group shows its id.")
            return
        if not await self._actions.is_admin(int(args[0]), user.id):
            await self._reply(message, REFUSAL[language_of(user)])
            return
        try:
            await self._desk.designate_review_chat(self._tenant_id, args[0], str(message.chat_id))
        except ReviewError as error:
            await self._reply(message, str(error))
            return
        await self._reply(message, f"Review items of group {args[0]} will be posted here.")

    async def unban(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/unban`` (reply, or a user id): lift minorguard's latest ban of the user and record the overturn."""
        await self._overturn(update, context, "ban")

    async def unmute(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/unmute`` (reply, or a user id): lift minorguard's latest mute of the user and record the overturn."""
        await self._overturn(update, context, "mute")

    async def _allow_list(self, update: Update, context: ContextTypes.DEFAULT_TYPE, allow: bool) -> None:
        message = update.effective_message
        user_id = named_user(message, context.args or [])
        if user_id is None:
            await self._reply(message, "Reply to one of the user's messages, or give their numeric id.")
            return
        change = self._commands.allow if allow else self._commands.disallow
        await change(self._tenant_id, str(message.chat_id), user_id)
        await self._reply(message, f"user {user_id} is {'now' if allow else 'no longer'} on this chat's allow list")

    async def _overturn(self, update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
        message, admin = update.effective_message, update.effective_user
        user_id = named_user(message, context.args or [])
        if user_id is None:
            await self._reply(message, "Reply to one of the user's messages, or give their numeric id.")
            return
        who = f"telegram:{admin.id}" if admin else "telegram:anonymous admin"
        try:
            done = await self._desk.overturn_latest(
                self._tenant_id, str(message.chat_id), user_id, action, who, self._actions
            )
        except ReviewError as error:
            await self._reply(message, str(error))
            return
        verdict = "done" if done.ok else "failed"
        await self._reply(message, f"{verdict}: {done.detail} (incident {done.incident['id']})")

    def _admins_only(self, callback: Callback) -> Callback:
        async def checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message, user = update.effective_message, update.effective_user
            if message is None:
                return
            anonymous_admin = message.sender_chat is not None and message.sender_chat.id == message.chat_id
            if anonymous_admin or (user is not None and await self._actions.is_admin(message.chat_id, user.id)):
                await callback(update, context)
            else:
                await self._reply(message, REFUSAL[language_of(user)])

        return checked

    async def _reply(self, message: Message, text: str) -> None:
        thread = message.message_thread_id if message.is_topic_message else None
        await self._actions.say(message.chat_id, text, reply_to=message.message_id, thread_id=thread)
