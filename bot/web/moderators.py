"""Moderator accounts in the console (admins only): list, add, disable and re-enable."""

from __future__ import annotations

from aiohttp import web

from bot.web.auth import admin_only
from bot.web.deps import CONSOLE, USER
from bot.web.render import render, translator
from bot.web.session import flash
from storage.tables import MODERATOR_ROLES


@admin_only
async def moderators_page(request: web.Request) -> web.StreamResponse:
    """Every account with its role and state, and the form to add one."""
    accounts = await request.config_dict[CONSOLE].accounts.list()
    return await render(request, "moderators.html", {"accounts": accounts, "roles": MODERATOR_ROLES})


@admin_only
async def add_moderator(request: web.Request) -> web.StreamResponse:
    """Create an account from the form (the password typed twice)."""
    form = await request.post()
    t = await translator(request)
    name = str(form.get("name", ""))
    try:
        await request.config_dict[CONSOLE].accounts.add(
            name, str(form.get("password", "")), str(form.get("password_again", "")), str(form.get("role", ""))
        )
    except ValueError as error:
        await flash(request, t("moderator_error", error=str(error)))
    else:
        await flash(request, t("moderator_added", name=name))
    raise web.HTTPSeeOther(request.app.router["moderators"].url_for())


@admin_only
async def set_moderator_state(request: web.Request) -> web.StreamResponse:
    """Disable or re-enable an account; nobody can disable their own."""
    form = await request.post()
    t = await translator(request)
    name = str(form.get("name", ""))
    disabled = form.get("disabled") == "1"
    if disabled and name == request[USER].name:
        await flash(request, t("moderator_error", error=t("cannot_disable_self")))
    elif await request.config_dict[CONSOLE].accounts.set_disabled(name, disabled):
        await flash(request, t("moderator_changed", name=name, state=t("disabled" if disabled else "active")))
    else:
        await flash(request, t("moderator_error", error=f"no moderator named {name!r}"))
    raise web.HTTPSeeOther(request.app.router["moderators"].url_for())
