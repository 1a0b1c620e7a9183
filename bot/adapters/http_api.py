"""The HTTP API (``/api/v1``): apps send their chats' messages and get back what to do with each one.

``create_api_app`` builds an aiohttp sub-application; the composition root mounts it with
``app.add_subapp("/api/v1", api_app)``. Each bearer API key is a tenant, and every route works inside the
key's tenant only. Every error answer is JSON ``{"error": {"code", "message", "field"}}``.

The sub-application enforces ``max_body_bytes`` itself while reading: aiohttp builds each request with the
*root* application's ``client_max_size``, so a limit set on a sub-application would never apply.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from aiohttp import hdrs, web
from pydantic import BaseModel, TypeAdapter, ValidationError

from bot.adapters.http_models import (
    BATCH_TOO_LARGE,
    MAX_ID_LENGTH,
    BatchIn,
    IncidentDetail,
    IncidentOut,
    IncidentQuery,
    MessageIn,
)
from bot.adapters.openapi import build_openapi
from bot.callback_urls import CallbackUrlRefused, check_callback_url
from handlers.model import Decision, IncomingMessage
from handlers.policy import ChatPolicy

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

PUBLIC_ROUTES = frozenset({"openapi", "health"})
THRESHOLDS = ("review_at", "warn_at", "delete_at", "mute_at", "ban_at")
JSON_OBJECT = TypeAdapter(dict[str, Any])


class ModeratorPort(Protocol):
    """The part of the pipeline the API drives (``handlers.pipeline.Moderator``)."""

    async def process(self, messages: Sequence[IncomingMessage], sink: Any = None) -> list[Decision]:
        """Decide each message, in order; a message already processed gets its stored decision."""
        ...

    async def policy(self, tenant_id: str, chat_id: str) -> ChatPolicy:
        """The chat's policy, or the defaults when none is stored."""
        ...

    async def set_policy(self, tenant_id: str, chat_id: str, policy: ChatPolicy) -> None:
        """Store the chat's policy."""
        ...


class TenantAuthenticator(Protocol):
    """Turns an API key into its tenant."""

    async def authenticate(self, api_key: str) -> str | None:
        """The key's tenant id, or None for an unknown or revoked key."""
        ...


class IncidentReader(Protocol):
    """Read access to a tenant's incident log."""

    async def get(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """One incident with its evidence and outcomes, or None when this tenant has no such incident."""
        ...

    async def list(
        self,
        tenant_id: str,
        *,
        chat_id: str | None = None,
        user_id: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of matching incidents, newest first, and the cursor of the next page (None at the end).

        Raises:
            ValueError: ``cursor`` was not made by this store.
        """
        ...


@dataclass(frozen=True)
class ApiLimits:
    """Request limits: body size in bytes and messages per batch."""

    max_body_bytes: int
    max_batch: int


class ApiError(Exception):
    """An error answer: HTTP status, stable code, human message and the offending field's path."""

    def __init__(
        self, status: int, code: str, message: str, field: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})

    def response(self) -> web.Response:
        """The JSON answer for this error."""
        body = {"error": {"code": self.code, "message": self.message, "field": self.field}}
        return json_response(body, status=self.status, headers=self.headers)


MODERATOR = web.AppKey("moderator", ModeratorPort)
TENANTS = web.AppKey("tenants", TenantAuthenticator)
INCIDENTS = web.AppKey("incidents", IncidentReader)
LIMITS = web.AppKey("limits", ApiLimits)
OPENAPI = web.AppKey("openapi", dict)
TENANT_ID = web.RequestKey("tenant_id", str)
LOCAL_CALLBACK_URLS = web.AppKey("allow_local_callback_urls", bool)


def create_api_app(
    *,
    moderator: ModeratorPort,
    tenants: TenantAuthenticator,
    incidents: IncidentReader,
    max_body_bytes: int,
    max_batch: int,
    allow_local_callback_urls: bool = False,
) -> web.Application:
    """Build the ``/api/v1`` sub-application around its collaborators and limits.

    ``allow_local_callback_urls`` lets a policy's ``callback_url`` be http or point at a non-public address.
    """
    app = web.Application(middlewares=[_errors_as_json, _authenticate])
    app[LOCAL_CALLBACK_URLS] = allow_local_callback_urls
    app[MODERATOR] = moderator
    app[TENANTS] = tenants
    app[INCIDENTS] = incidents
    app[LIMITS] = ApiLimits(max_body_bytes=max_body_bytes, max_batch=max_batch)
    app[OPENAPI] = build_openapi(max_batch=max_batch, max_body_bytes=max_body_bytes)
    app.add_routes(
        [
            web.post("/messages", post_message),
            web.post("/messages/batch", post_batch),
            web.get("/incidents", list_incidents, allow_head=False),
            web.get("/incidents/{incident_id}", get_incident, allow_head=False),
            web.get("/chats/{chat_id}/policy", get_policy, allow_head=False),
            web.put("/chats/{chat_id}/policy", put_policy),
            web.get("/openapi.json", get_openapi, name="openapi", allow_head=False),
            web.get("/health", get_health, name="health", allow_head=False),
        ]
    )
    return app


async def post_message(request: web.Request) -> web.Response:
    """Decide one message."""
    message = await read_model(request, MessageIn)
    incoming = message.to_incoming(request[TENANT_ID], datetime.now(UTC))
    [decision] = await request.app[MODERATOR].process([incoming])
    return json_response(decision.to_api())


async def post_batch(request: web.Request) -> web.Response:
    """Decide a batch of messages in order, after validating all of them."""
    batch = await read_model(request, BatchIn, context={"max_batch": request.app[LIMITS].max_batch})
    received_at = datetime.now(UTC)
    incoming = [message.to_incoming(request[TENANT_ID], received_at) for message in batch.messages]
    decisions = await request.app[MODERATOR].process(incoming)
    return json_response({"decisions": [decision.to_api() for decision in decisions]})


async def list_incidents(request: web.Request) -> web.Response:
    """One page of the tenant's incidents, filtered by the query string."""
    query = _validate_query(request)
    try:
        incidents, next_cursor = await request.app[INCIDENTS].list(
            request[TENANT_ID],
            chat_id=query.chat_id,
            user_id=query.user_id,
            action=query.action.value if query.action else None,
            since=query.since,
            until=query.until,
            limit=query.limit,
            cursor=query.cursor,
        )
    except ValueError as exc:
        if query.cursor is None:
            raise
        raise ApiError(422, "validation_error", f"cursor: {exc}", "cursor") from None
    page = [IncidentOut.model_validate(incident).model_dump(mode="json") for incident in incidents]
    return json_response({"incidents": page, "next_cursor": next_cursor})


async def get_incident(request: web.Request) -> web.Response:
    """One incident with its evidence; another tenant's incident is answered as if it did not exist."""
    incident_id = request.match_info["incident_id"]
    incident = await request.app[INCIDENTS].get(request[TENANT_ID], incident_id)
    if incident is None:
        raise ApiError(404, "not_found", "no such incident", "incident_id")
    return json_response(IncidentDetail.model_validate(incident).model_dump(mode="json"))


async def get_policy(request: web.Request) -> web.Response:
    """The chat's policy (the defaults when none is set)."""
    policy = await request.app[MODERATOR].policy(request[TENANT_ID], _chat_id(request))
    return json_response(policy.model_dump(mode="json"))


async def put_policy(request: web.Request) -> web.Response:
    """Merge the given fields onto the chat's current policy, validate the result and store it.

    A new ``callback_url`` must be a public https URL (``bot.callback_urls``) unless local ones are allowed.
    """
    chat_id = _chat_id(request)
    changes = _validate_json(JSON_OBJECT, await _read_body(request))
    moderator = request.app[MODERATOR]
    current = await moderator.policy(request[TENANT_ID], chat_id)
    merged = current.model_dump() | changes
    try:
        policy = ChatPolicy.model_validate(merged, strict=True)
    except ValidationError as exc:
        error = validation_error(exc)
        if error.field is None:
            error.field = _misordered_threshold(merged, changes)
        raise error from None
    if policy.callback_url and "callback_url" in changes:
        try:
            await check_callback_url(policy.callback_url, request.app[LOCAL_CALLBACK_URLS])
        except CallbackUrlRefused as refusal:
            raise ApiError(422, "validation_error", str(refusal), refusal.field) from None
    await moderator.set_policy(request[TENANT_ID], chat_id, policy)
    stored = await moderator.policy(request[TENANT_ID], chat_id)
    return json_response(stored.model_dump(mode="json"))


async def get_openapi(request: web.Request) -> web.Response:
    """The OpenAPI 3.1 description of this API."""
    return json_response(request.app[OPENAPI])


async def get_health(request: web.Request) -> web.Response:
    """Liveness: the API answers."""
    return json_response({"status": "ok"})


def json_response(body: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    """A compact UTF-8 JSON answer (Chinese text stays readable)."""
    return web.json_response(body, status=status, headers=headers, dumps=_dumps)


@web.middleware
async def _errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer every failure as a JSON error; an unexpected one is logged and told without internals."""
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = exc.reason.lower().replace(" ", "_")
        allow = {hdrs.ALLOW: exc.headers[hdrs.ALLOW]} if hdrs.ALLOW in exc.headers else None
        return ApiError(exc.status, code, f"{exc.reason}: {request.method} {request.path}", headers=allow).response()
    except Exception:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return ApiError(500, "internal_error", "internal server error; it has been logged").response()


@web.middleware
async def _authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Resolve the bearer key to its tenant; public routes and unknown paths need no key."""
    match_info = request.match_info
    if match_info.http_exception is not None or match_info.route.name in PUBLIC_ROUTES:
        return await handler(request)
    scheme, _, api_key = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
    api_key = api_key.strip()
    if scheme.lower() != "bearer" or not api_key:
        raise ApiError(
            401,
            "unauthorized",
            "send the header Authorization: Bearer <API key>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    tenant_id = await request.app[TENANTS].authenticate(api_key)
    if tenant_id is None:
        raise ApiError(
            401,
            "unauthorized",
            "the API key is unknown or revoked",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request[TENANT_ID] = tenant_id
    return await handler(request)


async def _read_body(request: web.Request) -> bytes:
    """The request body, after checking its content type and, while reading, its size."""
    if request.content_type != "application/json":
        raise ApiError(
            415, "unsupported_media_type", f"send Content-Type: application/json, not {request.content_type}"
        )
    limit = request.app[LIMITS].max_body_bytes
    too_large = ApiError(413, "payload_too_large", f"the body is larger than {limit} bytes")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    body = bytearray()
    while chunk := await request.content.readany():
        body.extend(chunk)
        if len(body) > limit:
            raise too_large
    return bytes(body)


async def read_model(request: web.Request, model: type[ModelT], context: dict[str, Any] | None = None) -> ModelT:
    """The body validated as ``model``, every error turned into an ``ApiError``."""
    body = await _read_body(request)
    try:
        return model.model_validate_json(body, context=context)
    except ValidationError as exc:
        raise validation_error(exc) from None


def _validate_json(adapter: TypeAdapter[Any], body: bytes) -> Any:
    """The body parsed by ``adapter``, every error turned into an ``ApiError``."""
    try:
        return adapter.validate_json(body)
    except ValidationError as exc:
        raise validation_error(exc) from None


def _validate_query(request: web.Request) -> IncidentQuery:
    """The query string as an ``IncidentQuery``; a parameter given twice is an error."""
    for name in request.query:
        if len(request.query.getall(name)) > 1:
            raise ApiError(422, "validation_error", f"{name}: give this parameter at most once", name)
    try:
        return IncidentQuery.model_validate(dict(request.query))
    except ValidationError as exc:
        raise validation_error(exc) from None


def _chat_id(request: web.Request) -> str:
    """The chat id from the path, checked like a message's ``chat_id``."""
    chat_id = request.match_info["chat_id"]
    if len(chat_id) > MAX_ID_LENGTH:
        raise ApiError(422, "validation_error", f"chat_id: at most {MAX_ID_LENGTH} characters", "chat_id")
    return chat_id


def validation_error(exc: ValidationError) -> ApiError:
    """The first of pydantic's errors as an API error naming its field; the count of the others follows."""
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]
    field = field_path(first["loc"])
    more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
    message = f"{field}: {first['msg']}{more}" if field else f"{first['msg']}{more}"
    if first["type"] == "json_invalid":
        detail = first["msg"].removeprefix("Invalid JSON: ")
        return ApiError(400, "invalid_json", f"the body is not valid JSON: {detail}")
    if first["type"] == BATCH_TOO_LARGE:
        return ApiError(413, "batch_too_large", message, field)
    return ApiError(422, "validation_error", message, field)


def field_path(loc: Sequence[int | str]) -> str | None:
    """Pydantic's error location as a path: ``("messages", 3, "text")`` becomes ``messages[3].text``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _misordered_threshold(merged: Mapping[str, Any], changes: Mapping[str, Any]) -> str | None:
    """The threshold that breaks the ascending order, preferring one the caller just sent."""
    for lower, higher in zip(THRESHOLDS, THRESHOLDS[1:], strict=False):
        if merged[lower] > merged[higher]:
            return lower if lower in changes else higher
    return None


def _dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
