"""Rendering a console page: the template's own values plus what every page shows (user, tenant, language, notes)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.web.deps import CONSOLE, TEMPLATES, USER
from bot.web.i18n import LANGUAGES, Translator, pick_language
from bot.web.session import CSRF_FIELD, ensure_csrf_token, get_session, take_flashes


async def translator(request: web.Request) -> Translator:
    """The words of the request's language (the user's choice, else the browser's)."""
    session = await get_session(request)
    return Translator(pick_language(session.get("lang"), request.headers.get("Accept-Language")))


async def render(request: web.Request, template: str, values: Mapping[str, Any], status: int = 200) -> web.Response:
    """The page built from ``template`` with ``values`` and the shared context."""
    session = await get_session(request)
    user = request.get(USER)
    tenants = await request.config_dict[CONSOLE].tenants.list() if user else []
    shared = {
        "t": await translator(request),
        "languages": LANGUAGES,
        "user": user,
        "csrf_field": CSRF_FIELD,
        "csrf_token": ensure_csrf_token(session),
        "flashes": await take_flashes(request),
        "tenants": tenants,
        "tenant_id": session.get("tenant"),
        "here": request.path_qs,
        "now": datetime.now(UTC),
    }
    response = aiohttp_jinja2.render_template(template, request, shared | dict(values), app_key=TEMPLATES)
    response.set_status(status)
    return response


def format_time(value: datetime | str | None) -> str:
    """A UTC time as "2025-03-01 12:00:05" (ISO strings from JSON columns too); "" for None."""
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def format_age(seconds: float) -> str:
    """A duration as the largest two units: "3 d 4 h", "2 h 5 min", "40 s"."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


TEMPLATE_FILTERS = {"utc": format_time, "age": format_age}
"""Jinja filters the templates use."""
