"""The moderator console's aiohttp application, mounted at ``/console`` on minorguard's own web server.

Server-rendered pages (jinja2) that work without JavaScript; the dashboard's charts use Chart.js, served from
the console's static folder (no CDN).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from argon2 import PasswordHasher

from bot.web import auth, dashboard, moderators, policies, reviews
from bot.web.accounts import Accounts
from bot.web.deps import CONSOLE, TEMPLATES, Console, KnownTenants
from bot.web.render import TEMPLATE_FILTERS
from bot.web.reviews import RESOLVED, ResolutionListener
from bot.web.session import STORAGE, session_saver, session_storage
from handlers.review import ActionReverser, ReviewDesk
from storage.appeals import SqlAppealStore
from storage.moderators import SqlModeratorStore

if TYPE_CHECKING:
    from bot.app import Services

WEB_DIR = Path(__file__).resolve().parent


def create_console_app(
    services: Services,
    *,
    reversers: Mapping[str, ActionReverser] | None = None,
    on_resolved: Sequence[ResolutionListener] = (),
    platform_tenants: Sequence[Mapping[str, Any]] = (),
    hasher: PasswordHasher | None = None,
) -> web.Application:
    """Build the console over the installation's services.

    Args:
        services: the composition root's opened services.
        reversers: per platform name ("telegram", …) the way to lift a mute or ban when a moderator overturns.
        on_resolved: told about every review item resolved in the console (e.g. to deliver an appeal's answer).
        platform_tenants: tenants that are no API key but a running platform (a Telegram bot), each with its
            ``id`` and ``name``, offered beside the API's tenants.
        hasher: argon2 parameters for new and re-hashed passwords (None = argon2-cffi's RFC 9106 defaults).
    """
    app = web.Application()
    app[CONSOLE] = console_of(services, reversers or {}, platform_tenants, hasher)
    app[RESOLVED] = list(on_resolved)
    app[STORAGE] = session_storage(services.settings.web)
    app.middlewares.extend([session_saver, auth.guard])
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        app_key=TEMPLATES,
        filters=TEMPLATE_FILTERS,
        undefined=jinja2.StrictUndefined,
    )
    add_routes(app.router)
    return app


def console_of(
    services: Services,
    reversers: Mapping[str, ActionReverser],
    platform_tenants: Sequence[Mapping[str, Any]],
    hasher: PasswordHasher | None,
) -> Console:
    """What the console's pages use, taken from the services (plus its own appeal and account stores)."""
    appeals = SqlAppealStore(services.database)
    return Console(
        tenants=KnownTenants(services.tenants, platform_tenants),
        incidents=services.incidents,
        reviews=services.reviews,
        appeals=appeals,
        conversations=services.conversations,
        policies=services.policies,
        moderator=services.moderator,
        scorer=services.scorer,
        executor=services.executor,
        desk=ReviewDesk(
            reviews=services.reviews,
            incidents=services.incidents,
            appeals=appeals,
            conversations=services.conversations,
            policies=services.moderator,
            reversers=reversers,
        ),
        accounts=Accounts(SqlModeratorStore(services.database), hasher),
        replay_window=services.settings.pipeline.context_messages,
        allow_local_callback_urls=services.settings.callbacks.allow_local_urls,
    )


async def home(request: web.Request) -> web.StreamResponse:
    """The console's front door is the review queue."""
    raise web.HTTPSeeOther(request.app.router["queue"].url_for())


def add_routes(router: web.UrlDispatcher) -> None:
    """Every console page and form, by name (templates link to them with ``url(name)``)."""
    pages = (
        ("/", "home", home, None),
        ("/login", "login", auth.login_page, auth.login),
        ("/logout", "logout", None, auth.logout),
        ("/language", "language", None, auth.choose_language),
        ("/tenants", "tenants", auth.tenants_page, auth.choose_tenant),
        ("/queue", "queue", reviews.queue_page, None),
        ("/reviews/{review_id}", "review", None, reviews.resolve),
        ("/incidents", "incidents", reviews.incidents_page, None),
        ("/incidents/{incident_id}", "incident", reviews.incident_page, None),
        ("/appeals", "appeals", reviews.appeals_page, None),
        ("/dashboard", "dashboard", dashboard.dashboard_page, None),
        ("/policies", "policies", policies.policies_page, None),
        ("/policies/{chat_id:.+}", "policy", policies.policy_page, policies.policy_submit),
        ("/moderators", "moderators", moderators.moderators_page, moderators.add_moderator),
        ("/moderators/state", "moderator_state", None, moderators.set_moderator_state),
    )
    for path, name, on_get, on_post in pages:
        resource = router.add_resource(path, name=name)
        if on_get is not None:
            resource.add_route("GET", on_get)
        if on_post is not None:
            resource.add_route("POST", on_post)
    router.add_static("/static", WEB_DIR / "static", name="static", append_version=True)
