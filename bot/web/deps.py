"""What the console's handlers share: the stores and workflows they use, the keys they live under."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import jinja2
from aiohttp import web

from bot.web.accounts import Accounts, ConsoleUser
from classifiers.scorer import Scorer
from handlers.pipeline import Moderator
from handlers.review import ReviewDesk
from storage.appeals import SqlAppealStore
from storage.conversations import SqlConversationStore
from storage.incidents import SqlIncidentStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue
from storage.tenants import TenantStore


class KnownTenants:
    """The tenants the console offers: the platforms' own (a Telegram bot is one) and the API's.

    Args:
        store: the API's tenants.
        platform_tenants: the running platforms' tenants, each with ``id`` and ``name``.
    """

    def __init__(self, store: TenantStore, platform_tenants: Sequence[Mapping[str, Any]] = ()) -> None:
        self._store = store
        self._platform_tenants = [
            {"id": tenant["id"], "name": tenant["name"], "created_at": None, "revoked_at": None}
            for tenant in platform_tenants
        ]

    async def list(self) -> list[dict[str, Any]]:
        """Every tenant (id, name, created_at, revoked_at): the platforms' first, then the API's oldest first."""
        return [dict(tenant) for tenant in self._platform_tenants] + await self._store.list()


@dataclass(frozen=True)
class Console:
    """The parts of the installation the console's pages read and change.

    Attributes:
        tenants: the installation's tenants (the console works on one at a time).
        incidents: the hash-chained incident log.
        reviews: the review queue.
        appeals: users' appeals.
        conversations: stored messages (the policy preview replays them).
        policies: stored per-chat policies.
        moderator: the pipeline (reads and writes a chat's effective policy).
        scorer: the detector, for the policy preview.
        executor: where the detector runs, off the event loop (the pipeline's own).
        desk: the review, overturn and appeal workflows (it lifts mutes and bans through their platform).
        accounts: console sign-in and moderator accounts.
        replay_window: messages of conversation context the preview keeps, as the pipeline does.
        allow_local_callback_urls: whether a policy's callback URL may be http or point at a non-public address.
    """

    tenants: KnownTenants
    incidents: SqlIncidentStore
    reviews: SqlReviewQueue
    appeals: SqlAppealStore
    conversations: SqlConversationStore
    policies: SqlPolicyStore
    moderator: Moderator
    scorer: Scorer
    executor: Executor
    desk: ReviewDesk
    accounts: Accounts
    replay_window: int
    allow_local_callback_urls: bool


CONSOLE = web.AppKey("minorguard_console", Console)
"""Where the console application keeps its ``Console``."""

TEMPLATES = web.AppKey("minorguard_console_templates", jinja2.Environment)
"""The console's own jinja2 environment (so that it never collides with another app's)."""

USER = web.RequestKey("minorguard_console_user", ConsoleUser)
"""The signed-in user of a request, set by the console's guard."""
