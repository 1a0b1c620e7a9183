"""The per-chat policy editor (admins only): a validated form, errors next to their fields, and a dry-run preview.

The preview replays the chat's last messages under the current and the edited policy
(``handlers.preview``) and shows which decisions would change; nothing is saved until "Save".
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from bot.callback_urls import CallbackUrlRefused, check_callback_url
from bot.web.auth import admin_only
from bot.web.deps import CONSOLE
from bot.web.render import render, translator
from bot.web.session import current_tenant, flash
from handlers.policy import ChatPolicy
from handlers.preview import preview_policy
from storage.memory_conversations import MemoryConversationStore

FIELD_GROUPS = (
    ("group_thresholds", ("review_at", "warn_at", "delete_at", "mute_at", "ban_at")),
    (
        "group_escalation",
        ("mute_minutes", "warn_limit", "mute_limit", "escalation_days", "dry_run", "allowed_users", "language"),
    ),
    (
        "group_review",
        ("review_punitive", "appeal_deadline_hours", "retention_days", "review_chat_id", "callback_url"),
    ),
)
"""The form's sections and, in order, the ``ChatPolicy`` fields each one edits (every field, once)."""

WHOLE_POLICY = "__policy__"
"""The error key of a rule about several fields (the thresholds must ascend)."""

PREVIEW_FIELD = "preview_messages"
DEFAULT_PREVIEW_MESSAGES = 50
MAX_PREVIEW_MESSAGES = 500


def field_kind(name: str) -> str:
    """How a policy field is edited: "bool", "list", "optional" (empty = none), "choice", "float" or "int"."""
    annotation = ChatPolicy.model_fields[name].annotation
    if annotation is bool:
        return "bool"
    if name == "allowed_users":
        return "list"
    if name == "language":
        return "choice"
    if type(None) in typing.get_args(annotation):
        return "optional"
    return "float" if annotation is float else "int"


def form_values(form: Mapping[str, Any]) -> dict[str, Any]:
    """The policy fields as submitted: checkboxes as booleans, the allow list split, empty optionals as None."""
    values: dict[str, Any] = {}
    for name in ChatPolicy.model_fields:
        raw = str(form.get(name, "")).strip()
        kind = field_kind(name)
        if kind == "bool":
            values[name] = name in form
        elif kind == "list":
            values[name] = [user for user in re.split(r"[\s,]+", raw) if user]
        elif kind == "optional":
            values[name] = raw or None
        else:
            values[name] = raw
    return values


def validate_policy(values: Mapping[str, Any]) -> tuple[ChatPolicy | None, dict[str, str]]:
    """The policy, or None and the first error per field (``WHOLE_POLICY`` for rules across fields)."""
    try:
        return ChatPolicy.model_validate(dict(values)), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else WHOLE_POLICY
            errors.setdefault(field, problem["msg"].removeprefix("Value error, "))
        return None, errors


async def callback_url_errors(candidate: ChatPolicy, current: ChatPolicy, allow_local: bool) -> dict[str, str]:
    """The error of a new callback URL that may not be called (``bot.callback_urls``); {} when it is fine."""
    if not candidate.callback_url or candidate.callback_url == current.callback_url:
        return {}
    try:
        await check_callback_url(candidate.callback_url, allow_local)
    except CallbackUrlRefused as refusal:
        return {refusal.field: str(refusal).removeprefix(f"{refusal.field}: ")}
    return {}


def preview_size(form: Mapping[str, Any]) -> int | None:
    """How many messages to replay (1–500), or None when the field is not a number in range."""
    raw = str(form.get(PREVIEW_FIELD, DEFAULT_PREVIEW_MESSAGES)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PREVIEW_MESSAGES:
        return None
    return int(raw)


@admin_only
async def policies_page(request: web.Request) -> web.StreamResponse:
    """The chats with a policy of their own, and a way to open any chat's policy."""
    tenant = await current_tenant(request)
    chat = (request.query.get("chat") or "").strip()
    if chat:
        raise web.HTTPSeeOther(request.app.router["policy"].url_for(chat_id=chat))
    chats = await request.config_dict[CONSOLE].policies.chats(tenant)
    return await render(request, "policies.html", {"chats": chats})


@admin_only
async def policy_page(request: web.Request) -> web.StreamResponse:
    """One chat's policy in the editor (the defaults when it has none of its own)."""
    tenant = await current_tenant(request)
    console = request.config_dict[CONSOLE]
    chat_id = request.match_info["chat_id"]
    policy = await console.moderator.policy(tenant, chat_id)
    stored = await console.policies.get(tenant, chat_id)
    return await render_editor(request, chat_id, policy.model_dump(), {}, DEFAULT_PREVIEW_MESSAGES, stored is None)


@admin_only
async def policy_submit(request: web.Request) -> web.StreamResponse:
    """Validate the edited policy; then preview it (nothing saved) or save it."""
    tenant = await current_tenant(request)
    console = request.config_dict[CONSOLE]
    chat_id = request.match_info["chat_id"]
    form = await request.post()
    values = form_values(form)
    candidate, errors = validate_policy(values)
    if candidate is not None:
        current = await console.moderator.policy(tenant, chat_id)
        errors |= await callback_url_errors(candidate, current, console.allow_local_callback_urls)
        candidate = None if errors else candidate
    size = preview_size(form)
    if size is None:
        errors[PREVIEW_FIELD] = f"a whole number from 1 to {MAX_PREVIEW_MESSAGES}"
    if candidate is None or size is None:
        return await render_editor(request, chat_id, values, errors, form.get(PREVIEW_FIELD), False, status=400)
    if form.get("do") != "preview":
        await console.moderator.set_policy(tenant, chat_id, candidate)
        await flash(request, (await translator(request))("saved"))
        raise web.HTTPSeeOther(request.app.router["policy"].url_for(chat_id=chat_id))
    preview = await preview_policy(
        messages=console.conversations,
        scorer=console.scorer,
        replay_state=MemoryConversationStore(window=console.replay_window),
        tenant_id=tenant,
        chat_id=chat_id,
        current=await console.moderator.policy(tenant, chat_id),
        candidate=candidate,
        limit=size,
        executor=console.executor,
    )
    return await render_editor(request, chat_id, values, {}, size, False, preview=preview)


async def render_editor(
    request: web.Request,
    chat_id: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    preview_messages: Any,
    is_default: bool,
    *,
    preview: Any = None,
    status: int = 200,
) -> web.Response:
    """The editor page with the given values, errors and (after a preview) the replay's result."""
    fields = {name: field_kind(name) for name in ChatPolicy.model_fields}
    page = {
        "chat_id": chat_id,
        "values": values,
        "errors": errors,
        "whole_policy": WHOLE_POLICY,
        "groups": FIELD_GROUPS,
        "fields": fields,
        "preview_field": PREVIEW_FIELD,
        "preview_messages": preview_messages,
        "max_preview": MAX_PREVIEW_MESSAGES,
        "is_default": is_default,
        "preview": preview,
    }
    return await render(request, "policy.html", page, status=status)
