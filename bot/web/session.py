"""The console's session: an encrypted cookie holding the user's name, CSRF token, language, tenant and notes.

The cookie is aiohttp-session's ``EncryptedCookieStorage`` (Fernet: encrypted and authenticated), HttpOnly,
SameSite=Lax, limited to the console's path and Secure when the settings say so. A sign-in ends
``SESSION_SECONDS`` after it began.

The session is kept on the request under a typed ``web.RequestKey`` by this module's own small middleware
(aiohttp-session's ``setup`` stores it under string keys, which aiohttp now warns about).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp_session import Session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot.settings import WebSettings
from bot.web.deps import CONSOLE

CONSOLE_PATH = "/console"
"""Where the console is mounted on minorguard's web server; its cookie is sent to this path only."""

COOKIE_NAME = "minorguard_console"
SESSION_SECONDS = 8 * 3600
"""A sign-in lasts one working day at most."""

CSRF_FIELD = "csrf_token"
"""The hidden field every POST form carries."""


def session_key(settings: WebSettings) -> bytes:
    """The 32-byte cookie key: SHA-256 of the configured secret, or a random key (sessions end at restart)."""
    if settings.session_secret is None or not settings.session_secret.get_secret_value():
        return secrets.token_bytes(32)
    return hashlib.sha256(settings.session_secret.get_secret_value().encode("utf-8")).digest()


def session_storage(settings: WebSettings) -> EncryptedCookieStorage:
    """The cookie storage of the console's sessions."""
    return EncryptedCookieStorage(
        session_key(settings),
        cookie_name=COOKIE_NAME,
        max_age=SESSION_SECONDS,
        path=CONSOLE_PATH,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="Lax",
    )


SESSION = web.RequestKey("minorguard_console_session", Session)
"""The request's session, once loaded."""

STORAGE = web.AppKey("minorguard_console_sessions", EncryptedCookieStorage)
"""Where the console keeps its cookie storage."""


async def get_session(request: web.Request) -> Session:
    """The request's session, loaded from its cookie on first use (a new, empty one when there is none)."""
    session = request.get(SESSION)
    if session is None:
        session = await request.config_dict[STORAGE].load_session(request)
        request[SESSION] = session
    return session


async def new_session(request: web.Request) -> Session:
    """Replace the request's session with a new, empty one (at sign-in, so no earlier state carries over)."""
    session = await request.config_dict[STORAGE].new_session()
    request[SESSION] = session
    return session


@web.middleware
async def session_saver(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Write the session back into its cookie after the handler, on redirects and errors too."""
    try:
        response = await handler(request)
    except web.HTTPException as error:
        await _save(request, error)
        raise
    await _save(request, response)
    return response


async def _save(request: web.Request, response: web.StreamResponse) -> None:
    session = request.get(SESSION)
    if session is not None and isinstance(response, web.Response) and not response.prepared:
        await request.config_dict[STORAGE].save_session(request, response, session)


def ensure_csrf_token(session: Session) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


async def check_csrf(request: web.Request) -> None:
    """Refuse a form whose CSRF token is missing or is not the session's.

    Raises:
        web.HTTPForbidden: the token is missing or wrong.
    """
    form = await request.post()
    sent = form.get(CSRF_FIELD)
    expected = (await get_session(request)).get("csrf")
    if not isinstance(sent, str) or not isinstance(expected, str) or not expected:
        raise web.HTTPForbidden(text="missing CSRF token: reload the page and try again")
    if not hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8")):
        raise web.HTTPForbidden(text="wrong CSRF token: reload the page and try again")


async def flash(request: web.Request, text: str) -> None:
    """Keep a note for the next page the user sees."""
    session = await get_session(request)
    session["flash"] = [*session.get("flash", []), text]


async def take_flashes(request: web.Request) -> list[str]:
    """The notes kept for this page; they are shown once."""
    session = await get_session(request)
    return list(session.pop("flash", []))


async def current_tenant(request: web.Request) -> str:
    """The tenant the user works on; the only tenant is chosen by itself.

    Raises:
        web.HTTPSeeOther: none is chosen yet and there is a choice to make; to the tenant picker.
    """
    session = await get_session(request)
    tenant = session.get("tenant")
    if isinstance(tenant, str) and tenant:
        return tenant
    tenants = await request.config_dict[CONSOLE].tenants.list()
    if len(tenants) == 1:
        session["tenant"] = tenants[0]["id"]
        return tenants[0]["id"]
    raise web.HTTPSeeOther(request.app.router["tenants"].url_for().with_query(next=request.path_qs))


def start_sign_in(session: Session, user_name: str) -> None:
    """Record who signed in and when, with a fresh CSRF token."""
    session["user"] = user_name
    session["since"] = int(time.time())
    session["csrf"] = secrets.token_urlsafe(32)


def signed_in_name(session: Session) -> str | None:
    """The signed-in user's name, or None when nobody is signed in or the sign-in is older than a working day."""
    name, since = session.get("user"), session.get("since")
    if not isinstance(name, str) or not isinstance(since, int) or time.time() - since > SESSION_SECONDS:
        return None
    return name


def safe_next(target: str | None, fallback: str) -> str:
    """A redirect target inside the console (never another site), or the fallback."""
    if target and target.startswith(CONSOLE_PATH + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback
