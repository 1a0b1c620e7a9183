"""Who may see what: the console's guard, sign-in and sign-out, and the user's language and tenant choices.

The guard checks the CSRF token of every POST and the sign-in of every page but the login page, and adds the
security headers to every answer.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.accounts import LoginThrottled
from bot.web.deps import CONSOLE, USER
from bot.web.i18n import LANGUAGES
from bot.web.render import render, translator
from bot.web.session import (
    check_csrf,
    flash,
    get_session,
    new_session,
    safe_next,
    signed_in_name,
    start_sign_in,
)

PUBLIC_ROUTES = frozenset({"login", "language", "static"})
"""Routes reachable without signing in; every other console page redirects to the login page."""

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
"""Sent with every console answer: no outside scripts, styles or framing."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Check the CSRF token of every POST and the sign-in of every non-public page; add the security headers."""
    try:
        response = await admitted(request, handler)
    except web.HTTPException as refusal:
        protect(request, refusal)
        raise
    protect(request, response)
    return response


async def admitted(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The handler's answer once the request has passed the CSRF and sign-in checks.

    Raises:
        web.HTTPForbidden: a POST without the session's CSRF token.
        web.HTTPSeeOther: nobody is signed in (or the account was disabled); to the login page.
    """
    if request.method not in ("GET", "HEAD"):
        await check_csrf(request)
    if request.match_info.route.name not in PUBLIC_ROUTES:
        session = await get_session(request)
        name = signed_in_name(session)
        user = await request.config_dict[CONSOLE].accounts.active(name) if name else None
        if user is None:
            session.invalidate()
            login = request.app.router["login"].url_for().with_query(next=request.path_qs)
            raise web.HTTPSeeOther(login)
        request[USER] = user
    return await handler(request)


def protect(request: web.Request, response: web.StreamResponse) -> None:
    """Add the security headers; pages (not static files) are never cached, as they may show evidence."""
    response.headers.update(SECURITY_HEADERS)
    if request.match_info.route.name != "static":
        response.headers["Cache-Control"] = "no-store"


def admin_only(handler: Handler) -> Handler:
    """Let only admins through to ``handler``; moderators get 403."""

    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        if not request[USER].is_admin:
            raise web.HTTPForbidden(text=(await translator(request))("forbidden"))
        return await handler(request)

    return checked


async def login_page(request: web.Request) -> web.StreamResponse:
    """The sign-in form."""
    return await render(request, "login.html", {"next": request.query.get("next", ""), "name": "", "error": None})


async def login(request: web.Request) -> web.StreamResponse:
    """Check the name and password; on success start a fresh session and go where the user was heading."""
    form = await request.post()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    next_page = str(form.get("next", ""))
    accounts = request.config_dict[CONSOLE].accounts
    try:
        user = await accounts.sign_in(name, password, request.remote or "")
    except LoginThrottled:
        return await render(request, "login.html", {"next": next_page, "name": name, "error": "login_throttled"}, 429)
    if user is None:
        return await render(request, "login.html", {"next": next_page, "name": name, "error": "login_failed"}, 401)
    old = await get_session(request)
    lang, tenant = old.get("lang"), old.get("tenant")
    session = await new_session(request)
    session.update({"lang": lang, "tenant": tenant})
    start_sign_in(session, user.name)
    raise web.HTTPSeeOther(safe_next(next_page, str(request.app.router["queue"].url_for())))


async def logout(request: web.Request) -> web.StreamResponse:
    """End the session."""
    (await get_session(request)).invalidate()
    raise web.HTTPSeeOther(request.app.router["login"].url_for())


async def choose_language(request: web.Request) -> web.StreamResponse:
    """Remember the chosen language (en or zh-Hans) and go back."""
    form = await request.post()
    lang = str(form.get("lang", ""))
    if lang in LANGUAGES:
        (await get_session(request))["lang"] = lang
    raise web.HTTPSeeOther(safe_next(str(form.get("next", "")), str(request.app.router["queue"].url_for())))


async def tenants_page(request: web.Request) -> web.StreamResponse:
    """The tenant picker, with the note that moderator accounts are global to the installation."""
    return await render(request, "tenants.html", {"next": request.query.get("next", "")})


async def choose_tenant(request: web.Request) -> web.StreamResponse:
    """Work on another tenant from now on."""
    form = await request.post()
    tenant = str(form.get("tenant", ""))
    known = {item["id"] for item in await request.config_dict[CONSOLE].tenants.list()}
    if tenant not in known:
        await flash(request, f"unknown tenant {tenant!r}")
        raise web.HTTPSeeOther(request.app.router["tenants"].url_for())
    (await get_session(request))["tenant"] = tenant
    raise web.HTTPSeeOther(safe_next(str(form.get("next", "")), str(request.app.router["queue"].url_for())))
