"""The review queue and the incident page: what moderators look at, and their confirm/overturn/escalate forms.

Resolving goes through ``handlers.review.ReviewDesk``, which records who, when and why and, on an overturn,
lifts a mute or ban through the incident's platform where one is wired in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.web.deps import CONSOLE, USER
from bot.web.i18n import Translator
from bot.web.render import render, translator
from bot.web.session import current_tenant, flash, safe_next
from handlers.review import AlreadyResolved, Resolution, ResolutionListener, ReviewError

REVIEW_KINDS = ("detector", "punitive", "report", "appeal")
"""Why an item is in the queue."""

REVIEW_STATUSES = ("open", "confirmed", "overturned", "escalated")
"""An item's standing; the queue shows open items unless asked otherwise."""

QUEUE_LIMIT = 200
"""Most items one queue page lists, oldest first."""

REVIEW_SCAN = 1000
"""Most of a chat's review items read to find one incident's reviews."""

HISTORY_LIMIT = 20
"""Most of the sender's incidents shown on an incident page."""

MAX_NOTE_CHARS = 1000
"""Longest moderator's note kept."""

RESOLVED = web.AppKey("minorguard_console_resolved", list[ResolutionListener])
"""The listeners told about resolutions made in the console."""


def queue_filters(query: Any) -> dict[str, str | None]:
    """The queue's filters from the query string; unknown kinds and statuses are ignored."""
    kind = query.get("kind") or None
    status = query.get("status", "open")
    return {
        "chat": (query.get("chat") or "").strip() or None,
        "kind": kind if kind in REVIEW_KINDS else None,
        "status": status if status in REVIEW_STATUSES else None,
    }


async def queue_page(request: web.Request) -> web.StreamResponse:
    """The tenant's review items, oldest first, filtered by chat, kind and status."""
    tenant = await current_tenant(request)
    filters = queue_filters(request.query)
    items = await request.config_dict[CONSOLE].reviews.list(
        tenant, status=filters["status"], chat_id=filters["chat"], kind=filters["kind"], limit=QUEUE_LIMIT
    )
    values = {"items": items, "filters": filters, "kinds": REVIEW_KINDS, "statuses": REVIEW_STATUSES}
    return await render(request, "queue.html", values)


async def resolve(request: web.Request) -> web.StreamResponse:
    """Confirm, overturn or escalate one item, then go back to where the form was.

    The desk lifts a mute or ban through the incident's platform; a deleted message cannot come back, which
    the moderator is told. An item another moderator resolved first is refused with a message.
    """
    tenant = await current_tenant(request)
    console = request.config_dict[CONSOLE]
    form = await request.post()
    t = await translator(request)
    back = safe_next(str(form.get("next", "")), str(request.app.router["queue"].url_for()))
    note = str(form.get("note", "")).strip()[:MAX_NOTE_CHARS]
    outcome = str(form.get("outcome", ""))
    try:
        resolution = await console.desk.resolve(
            tenant, request.match_info["review_id"], outcome, request[USER].label, note
        )
    except AlreadyResolved as error:
        await flash(request, t("already_resolved", error=str(error)))
        raise web.HTTPSeeOther(back) from None
    except ReviewError as error:
        await flash(request, t("resolve_error", error=str(error)))
        raise web.HTTPSeeOther(back) from None
    for listener in request.config_dict[RESOLVED]:
        await listener(resolution)
    await flash(
        request, t("resolved_flash", outcome=t("status_" + resolution.review["status"]), name=request[USER].name)
    )
    for line in reversal_lines(resolution, t):
        await flash(request, line)
    raise web.HTTPSeeOther(back)


def reversal_lines(resolution: Resolution, t: Translator) -> list[str]:
    """What the moderator is told after resolving: how the action was undone, and the appellant's answer."""
    lines = []
    overturned = resolution.review["status"] == "overturned"
    if overturned and resolution.incident["action"] == "delete" and not resolution.incident["dry_run"]:
        lines.append(t("deleted_not_restorable"))
    elif resolution.reversal:
        lines.append(t("reversal_flash", detail=resolution.reversal))
    if resolution.answer is not None:
        lines.append(t("answer_flash", lang=resolution.answer.lang, text=resolution.answer.text))
    return lines


async def incident_page(request: web.Request) -> web.StreamResponse:
    """One incident's evidence: message, context, stages, reasons, model, hashes, outcomes, reviews, appeal."""
    tenant = await current_tenant(request)
    console = request.config_dict[CONSOLE]
    incident_id = request.match_info["incident_id"]
    incident = await console.incidents.get(tenant, incident_id)
    if incident is None:
        raise web.HTTPNotFound(text=f"no incident {incident_id}")
    chat_items = await console.reviews.list(tenant, status=None, chat_id=incident["chat_id"], limit=REVIEW_SCAN)
    history, _ = await console.incidents.list(
        tenant, chat_id=incident["chat_id"], user_id=incident["sender_id"], limit=HISTORY_LIMIT
    )
    values = {
        "incident": incident,
        "reviews": [item for item in chat_items if item["incident_id"] == incident_id],
        "appeal": await console.appeals.for_incident(tenant, incident_id),
        "history": [other for other in history if other["id"] != incident_id],
    }
    return await render(request, "incident.html", values)


async def incidents_page(request: web.Request) -> web.StreamResponse:
    """The tenant's incidents, newest first, by chat, sender and action, one page at a time."""
    tenant = await current_tenant(request)
    filters = {name: (request.query.get(name) or "").strip() or None for name in ("chat", "user", "action")}
    try:
        page, cursor = await request.config_dict[CONSOLE].incidents.list(
            tenant,
            chat_id=filters["chat"],
            user_id=filters["user"],
            action=filters["action"],
            limit=50,
            cursor=request.query.get("cursor") or None,
        )
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    next_query = {name: value for name, value in filters.items() if value} | ({"cursor": cursor} if cursor else {})
    values = {"incidents": page, "filters": filters, "next_query": next_query if cursor else None}
    return await render(request, "incidents.html", values)


async def appeals_page(request: web.Request) -> web.StreamResponse:
    """Users' appeals with their deadline (from the chat's policy) and, while open, the forms to answer them."""
    tenant = await current_tenant(request)
    console = request.config_dict[CONSOLE]
    status = request.query.get("status", "open")
    appeals = await console.appeals.list(tenant, status=status if status in ("open", "answered") else None, limit=200)
    open_items = await console.reviews.list(tenant, status="open", kind="appeal", limit=REVIEW_SCAN)
    item_of = {item["incident_id"]: item for item in open_items}
    rows = []
    for appeal in appeals:
        incident = await console.incidents.get(tenant, appeal["incident_id"])
        if incident is None:
            continue
        policy = await console.moderator.policy(tenant, incident["chat_id"])
        due = appeal["created_at"] + timedelta(hours=policy.appeal_deadline_hours)
        rows.append({"appeal": appeal, "incident": incident, "item": item_of.get(incident["id"]), "due": due})
    return await render(request, "appeals.html", {"rows": rows, "status": status})
