"""The composition root: settings → database → stores → scorer → pipeline → adapters → web app.

Built in that order and torn down in reverse. Nothing here runs at import time.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from bot.adapters.http_api import create_api_app
from bot.adapters.http_appeals import install_appeal_api
from bot.adapters.telegram import TelegramAdapter, configured_adapter, start_telegram
from bot.appeal_deadlines import AppealDeadlines, appeal_deadline_job
from bot.retention import retention_job, retention_of
from bot.settings import ClassifierSettings, Settings
from bot.web.console import create_console_app
from bot.web.session import CONSOLE_PATH
from classifiers.scorer import Scorer, load_scorer
from handlers.pipeline import Moderator
from handlers.policy import ChatPolicy
from handlers.review import ActionReverser, ResolutionListener
from storage.appeals import SqlAppealStore
from storage.conversations import SqlConversationStore
from storage.db import Database, migrate
from storage.incidents import SqlIncidentStore
from storage.ledger import MemoryModerationStore, SqlModerationStore
from storage.memory import MemoryIncidentStore, MemoryPolicyStore, MemoryReviewQueue
from storage.memory_conversations import MemoryConversationStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue
from storage.tenants import TenantStore

log = logging.getLogger("minorguard")


@dataclass
class Services:
    """Everything the adapters need, opened together and closed together."""

    settings: Settings
    database: Database
    tenants: TenantStore
    conversations: SqlConversationStore
    incidents: SqlIncidentStore
    policies: SqlPolicyStore
    reviews: SqlReviewQueue
    scorer: Scorer
    moderator: Moderator
    executor: ThreadPoolExecutor


@dataclass(frozen=True)
class Platforms:
    """What the running chat platforms lend the console and the API.

    Attributes:
        reversers: per platform name ("telegram") how to lift a mute or ban when a moderator overturns it.
        on_resolved: told about items resolved in the console or the API (to tell a platform's user the answer).
        tenants: the platforms' own tenants (a Telegram bot is one), with ``id`` and ``name``, for the console.
    """

    reversers: Mapping[str, ActionReverser] = field(default_factory=dict)
    on_resolved: tuple[ResolutionListener, ...] = ()
    tenants: tuple[dict[str, str], ...] = ()


def platforms_of(telegram: TelegramAdapter | None) -> Platforms:
    """What the Telegram adapter (when it runs) lends the console and the API."""
    if telegram is None:
        return Platforms()
    return Platforms(
        reversers={"telegram": telegram.actions},
        on_resolved=(telegram.appeal_resolved,),
        tenants=({"id": telegram.tenant_id, "name": f"Telegram bot ({telegram.tenant_id})"},),
    )


def appeal_deadlines_of(services: Services) -> AppealDeadlines:
    """The appeal deadline check over the installation's stores."""
    return AppealDeadlines(appeals=SqlAppealStore(services.database), policies=services.moderator)


def build_scorer(classifier: ClassifierSettings) -> Scorer:
    """Load the detector as the settings describe and warm it with one tiny batch."""
    scorer = load_scorer(
        model_dir=Path(classifier.model_dir),
        weights_dir=Path(classifier.weights_dir) if classifier.weights_dir else None,
        runtime=classifier.runtime,
        threads=classifier.threads,
        batch_size=classifier.batch_size,
        use_encoder=classifier.use_encoder,
    )
    scorer.analyze(["hello", "你好"])
    return scorer


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Migrate the database, open the stores, load the scorer and build the pipeline; close them on exit."""
    await migrate(settings.storage.url)
    database = Database(settings.storage.url, echo=settings.storage.echo_sql)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scorer")
    try:
        scorer = await asyncio.get_running_loop().run_in_executor(executor, build_scorer, settings.classifier)
        conversations = SqlConversationStore(
            database, window=settings.pipeline.context_messages, state_ttl_days=settings.pipeline.state_ttl_days
        )
        incidents = SqlIncidentStore(database)
        policies = SqlPolicyStore(database)
        reviews = SqlReviewQueue(database)
        moderator = Moderator(
            scorer=scorer,
            store=SqlModerationStore(database, conversations, incidents),
            policies=policies,
            executor=executor,
        )
        yield Services(
            settings=settings,
            database=database,
            tenants=TenantStore(database),
            conversations=conversations,
            incidents=incidents,
            policies=policies,
            reviews=reviews,
            scorer=scorer,
            moderator=moderator,
            executor=executor,
        )
    finally:
        await database.close()
        executor.shutdown(wait=True)


def replay_moderator(scorer: Scorer, window: int, policy: ChatPolicy | None = None) -> Moderator:
    """A pipeline over fresh in-memory stores, for replaying a chat export (``bot.py score``)."""
    store = MemoryModerationStore(MemoryConversationStore(window=window), MemoryIncidentStore(), MemoryReviewQueue())
    return Moderator(scorer=scorer, store=store, policies=MemoryPolicyStore(), default_policy=policy)


def create_web_app(services: Services, platforms: Platforms | None = None) -> web.Application:
    """The aiohttp application: the HTTP API under /api/v1 and the moderator console under /console.

    ``platforms`` are the running chat platforms: overturns in the console and the API lift their mutes and
    bans, and appeals answered there are told to their users.
    """
    settings = services.settings
    platforms = platforms or Platforms()
    app = web.Application(client_max_size=settings.http.max_body_bytes)
    api = create_api_app(
        moderator=services.moderator,
        tenants=services.tenants,
        incidents=services.incidents,
        max_body_bytes=settings.http.max_body_bytes,
        max_batch=settings.http.max_batch,
        allow_local_callback_urls=settings.callbacks.allow_local_urls,
    )
    callbacks = install_appeal_api(api, services, reversers=platforms.reversers, on_resolved=platforms.on_resolved)
    console = create_console_app(
        services,
        reversers=platforms.reversers,
        on_resolved=[callbacks.resolved, *platforms.on_resolved],
        platform_tenants=platforms.tenants,
    )
    app.add_subapp("/api/v1", api)
    app.add_subapp(CONSOLE_PATH, console)
    return app


async def serve(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: the HTTP API, the console, the scheduled jobs and the configured platforms."""
    async with (
        open_services(settings) as services,
        retention_job(retention_of(services), settings.retention.interval_hours),
        appeal_deadline_job(appeal_deadlines_of(services), settings.appeals.deadline_check_minutes),
    ):
        telegram = configured_adapter(services)
        app = create_web_app(services, platforms_of(telegram))
        async with start_telegram(telegram, app):
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, settings.http.host, settings.http.port)
            await site.start()
            log.info("minorguard HTTP API listening on http://%s:%s/api/v1", settings.http.host, settings.http.port)
            try:
                await wait_for_stop_signal()
            finally:
                await runner.cleanup()


async def wait_for_stop_signal() -> None:
    """Return when the process receives SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
