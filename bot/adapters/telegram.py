"""minorguard on Telegram: a python-telegram-bot ``Application`` that moderates every group the bot is in.

Group messages (text and captions, edits rescored) go through the same ``Moderator`` pipeline as the HTTP API;
decisions come back as Bot API calls (``telegram_actions``); admins steer it with commands
(``telegram_commands``); reviews, reports and appeals go through ``telegram_review``. Updates arrive by long
polling, or, when a webhook URL is set, by Telegram's webhook on minorguard's own aiohttp server (``updater(None)``
and the application's update queue), checked against the secret token header.

One bot is one tenant: ``telegram-<bot id>``. These modules are the only ones that import ``telegram``.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import datetime
from json import JSONDecodeError
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.adapters.telegram_actions import TelegramActions, utc_now
from bot.adapters.telegram_commands import GROUP_COMMANDS, PRIVATE_COMMANDS, TelegramCommands, bot_commands
from bot.adapters.telegram_messages import RecentUsernames, incoming_message, tenant_of
from bot.adapters.telegram_review import BUTTON_PATTERN, ReportCooldown, TelegramReviews
from bot.settings import TelegramSettings
from handlers.commands import ChatCommands
from handlers.pipeline import Moderator
from handlers.review import Resolution, ReviewDesk
from storage.appeals import SqlAppealStore

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger("minorguard.telegram")

ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)
"""The update types minorguard asks Telegram for."""

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
"""The header in which Telegram echoes the webhook's secret token."""

DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
"""Where the webhook is served when its URL has no path."""

RATE_LIMIT_RETRIES = 3
"""How often a call that got 429 Too Many Requests is retried (after the retry_after Telegram asks for)."""

SENDING_METHODS = frozenset({"sendMessage", "editMessageText"})
"""Bot API methods that count against Telegram's limits on messages sent (30 per second, 20 per minute per group)."""

SCORED = (
    filters.ChatType.GROUPS
    & (filters.TEXT | filters.CAPTION)
    & ~filters.COMMAND
    & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE)
)
"""Group messages minorguard scores: text and media captions, new or edited, not commands."""

GROUP_COMMAND = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
PRIVATE_COMMAND = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


class SendRateLimiter(AIORateLimiter):
    """python-telegram-bot's ``AIORateLimiter`` with the per-chat flood limits kept for sending messages only.

    Telegram limits the messages a bot sends; deleting, restricting and banning are not sends, and holding them
    to 20 per minute per group would let a raid outrun the moderation. 429 ``retry_after`` is honoured for
    every call.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Rate-limit a call: sends per chat and overall, everything else only by Telegram's retry_after."""
        if endpoint not in SENDING_METHODS:
            data = {key: value for key, value in data.items() if key != "chat_id"}
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def build_application(settings: TelegramSettings, rate_limiter: BaseRateLimiter | None = None) -> Application:
    """The python-telegram-bot application for the settings' bot and Bot API server.

    Calls honour Telegram's 429 ``retry_after`` through the rate limiter (``SendRateLimiter`` by default). In
    webhook mode there is no updater: ``TelegramAdapter.receive`` puts the updates on the application's queue.
    """
    token = settings.token.get_secret_value() if settings.token else ""
    builder = Application.builder().token(token).base_url(settings.base_url)
    builder = builder.rate_limiter(rate_limiter or SendRateLimiter(max_retries=RATE_LIMIT_RETRIES))
    if settings.webhook_url:
        builder = builder.updater(None)
    return builder.build()


class TelegramAdapter:
    """One Telegram bot moderating its groups through the pipeline.

    Attributes:
        tenant_id: "telegram-<bot id>", the tenant of everything this bot records.
        application: the python-telegram-bot application (its ``bot`` makes the Bot API calls).
        webhook_path: the path the webhook is served at, or None in long-polling mode.
        actions: the Bot API calls; also the ``ActionReverser`` that lifts this bot's mutes and bans when a
            moderator overturns them in the console or through the API.
    """

    def __init__(
        self,
        settings: TelegramSettings,
        *,
        moderator: Moderator,
        commands: ChatCommands,
        desk: ReviewDesk,
        rate_limiter: BaseRateLimiter | None = None,
        polling_timeout: int = 10,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if settings.token is None or not settings.token.get_secret_value():
            raise ValueError("the Telegram adapter needs a bot token (MINORGUARD_TELEGRAM__TOKEN)")
        self.tenant_id = tenant_of(settings.token.get_secret_value())
        self._settings = settings
        self._moderator = moderator
        self._polling_timeout = polling_timeout
        self.application = build_application(settings, rate_limiter)
        self.webhook_path = (
            (urlsplit(settings.webhook_url).path or DEFAULT_WEBHOOK_PATH) if settings.webhook_url else None
        )
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
        self._webhook_secret = secret or secrets.token_urlsafe(32)
        self._usernames = RecentUsernames()
        self.actions = TelegramActions(self.application.bot, clock)
        self._reviews = TelegramReviews(
            tenant_id=self.tenant_id,
            moderator=moderator,
            desk=desk,
            actions=self.actions,
            usernames=self._usernames,
            cooldown=ReportCooldown(settings.report_cooldown_seconds),
        )
        self._commands = TelegramCommands(
            tenant_id=self.tenant_id, commands=commands, desk=desk, actions=self.actions, bot=self.application.bot
        )
        self._register()

    def _register(self) -> None:
        app = self.application
        app.add_handler(MessageHandler(SCORED, self.moderate))
        for name, callback in self._commands.admin_callbacks().items():
            app.add_handler(CommandHandler(name, callback, filters=GROUP_COMMAND))
        app.add_handler(CommandHandler("report", self._reviews.report, filters=GROUP_COMMAND))
        app.add_handler(CommandHandler("review_here", self._commands.review_here, filters=filters.UpdateType.MESSAGE))
        app.add_handler(CommandHandler("start", self._commands.start, filters=filters.UpdateType.MESSAGE))
        app.add_handler(CommandHandler("appeal", self._reviews.appeal, filters=PRIVATE_COMMAND))
        app.add_handler(CallbackQueryHandler(self._reviews.press, pattern=BUTTON_PATTERN))
        app.add_error_handler(self._log_error)

    async def moderate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Score a group message (or its new version), act on the decision and post any review item."""
        message = update.effective_message
        if message is None:
            return
        incoming = incoming_message(self.tenant_id, message, self._usernames, edited=update.edited_message is not None)
        if incoming is None:
            return
        [decision] = await self._moderator.process([incoming], sink=self.actions)
        await self._reviews.after_decision(incoming, decision)

    async def appeal_resolved(self, resolution: Resolution) -> None:
        """Listen to other channels' resolutions (console, API): tell this bot's users their appeal's answer."""
        await self._reviews.answer_appellant(resolution)

    async def start(self) -> None:
        """Connect (getMe), register the commands, and start receiving updates by polling or webhook."""
        await self.application.initialize()
        await self._register_commands()
        await self.application.start()
        if self.application.updater is not None:
            await self.application.updater.start_polling(timeout=self._polling_timeout, allowed_updates=ALLOWED_UPDATES)
            log.info("Telegram bot %s is polling for updates", self.tenant_id)
        else:
            await self.application.bot.set_webhook(
                self._settings.webhook_url, secret_token=self._webhook_secret, allowed_updates=ALLOWED_UPDATES
            )
            log.info("Telegram bot %s receives updates at %s", self.tenant_id, self.webhook_path)

    async def stop(self) -> None:
        """Stop receiving updates, finish the ones in hand, and close the Bot API connection."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[TelegramAdapter]:
        """The adapter started for the duration of the block (and stopped again when starting fails)."""
        try:
            await self.start()
            yield self
        finally:
            await self.stop()

    async def receive(self, request: web.Request) -> web.Response:
        """The webhook endpoint: check Telegram's secret token header, then queue the update."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._webhook_secret.encode()):
            return web.json_response({"ok": False, "error": "wrong secret token"}, status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.application.bot) if isinstance(data, dict) else None
        except (JSONDecodeError, UnicodeDecodeError, TypeError, KeyError, ValueError, AttributeError):
            update = None
        if update is None:
            return web.json_response({"ok": False, "error": "not a Telegram update"}, status=400)
        await self.application.update_queue.put(update)
        return web.json_response({"ok": True})

    async def _register_commands(self) -> None:
        bot = self.application.bot
        scopes = (
            (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
            (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        )
        try:
            for scope, table in scopes:
                await bot.set_my_commands(bot_commands(table, "en"), scope=scope)
                await bot.set_my_commands(bot_commands(table, "zh"), scope=scope, language_code="zh")
        except TelegramError as error:
            log.warning("setMyCommands failed; the command menu may be missing: %s", error.message)

    @staticmethod
    async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %r", update_id, context.error, exc_info=context.error)


def telegram_adapter(
    services: Services,
    *,
    rate_limiter: BaseRateLimiter | None = None,
    polling_timeout: int = 10,
    clock: Callable[[], datetime] = utc_now,
) -> TelegramAdapter:
    """The Telegram adapter over the opened services, as the settings describe it."""
    desk = ReviewDesk(
        reviews=services.reviews,
        incidents=services.incidents,
        appeals=SqlAppealStore(services.database),
        conversations=services.conversations,
        policies=services.moderator,
    )
    return TelegramAdapter(
        services.settings.telegram,
        moderator=services.moderator,
        commands=ChatCommands(services.moderator, services.conversations),
        desk=desk,
        rate_limiter=rate_limiter,
        polling_timeout=polling_timeout,
        clock=clock,
    )


def configured_adapter(services: Services) -> TelegramAdapter | None:
    """The Telegram adapter when the settings give a bot token, else None (Telegram is off)."""
    token = services.settings.telegram.token
    if token is None or not token.get_secret_value():
        return None
    return telegram_adapter(services)


@asynccontextmanager
async def start_telegram(adapter: TelegramAdapter | None, app: web.Application) -> AsyncIterator[None]:
    """Run the adapter (when there is one) for the block.

    In webhook mode its endpoint is added to ``app``, which must not be started yet.
    """
    if adapter is None:
        yield
        return
    if adapter.webhook_path is not None:
        app.router.add_post(adapter.webhook_path, adapter.receive)
    async with adapter.running():
        yield
