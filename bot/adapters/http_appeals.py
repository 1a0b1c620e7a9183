"""Appeals, the review queue and the callback secret on the HTTP API (``/api/v1``).

An app appeals on behalf of its user (``POST /appeals``, once per incident), lists its appeals and its open
review items, and resolves items as its own moderators decide (``POST /reviews/{id}/resolve``). Resolving an
appeal's item answers the appeal, and the answer goes to the chat policy's ``callback_url`` as a signed
callback (``bot.callbacks``); ``/callback-secret`` hands out and rotates the secret that signs it. The
workflows are ``handlers.review.ReviewDesk``'s; this module only reads requests and writes answers. Every route
works inside the API key's tenant and answers errors in the API's JSON error shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from bot.adapters.http_api import (
    INCIDENTS,
    OPENAPI,
    TENANT_ID,
    ApiError,
    json_response,
    read_model,
    validation_error,
)
from bot.adapters.http_appeal_models import (
    AppealCreated,
    AppealIn,
    AppealList,
    AppealOut,
    AppealQuery,
    CallbackSecretOut,
    ResolutionOut,
    ResolveIn,
    ReviewList,
    ReviewQuery,
)
from bot.adapters.openapi import ERRORS, path_operation
from bot.callbacks import AppealCallbacks, CallbackSender
from handlers.review import (
    ActionReverser,
    AlreadyResolved,
    AppealRefused,
    ResolutionListener,
    ReviewDesk,
    ReviewError,
)
from storage.appeals import SqlAppealStore
from storage.webhooks import SqlWebhookStore

if TYPE_CHECKING:
    from bot.app import Services

CONFLICT = "409"
QueryT = TypeVar("QueryT", bound=BaseModel)


class AppealReader(Protocol):
    """The tenant's appeals (``storage.appeals.SqlAppealStore``)."""

    async def get(self, tenant_id: str, appeal_id: str) -> dict[str, Any] | None:
        """One appeal, or None."""
        ...

    async def for_incident(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The appeal against an incident, if any."""
        ...

    async def list(self, tenant_id: str, *, status: str | None, limit: int) -> list[dict[str, Any]]:
        """The tenant's appeals, oldest first."""
        ...


class ReviewReader(Protocol):
    """The tenant's review items (``storage.reviews.SqlReviewQueue``)."""

    async def get(self, tenant_id: str, review_id: str) -> dict[str, Any] | None:
        """One item, or None."""
        ...

    async def list(
        self, tenant_id: str, *, status: str | None, chat_id: str | None, kind: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """The tenant's items, oldest first."""
        ...


class SecretKeeper(Protocol):
    """Tenants' signing secrets (``storage.webhooks.SqlWebhookStore``)."""

    async def secret(self, tenant_id: str) -> str:
        """The current secret, created on first use."""
        ...

    async def rotate(self, tenant_id: str) -> str:
        """A new secret, replacing the old one."""
        ...


DESK = web.AppKey("review_desk", ReviewDesk)
APPEALS = web.AppKey("appeals", AppealReader)
REVIEWS = web.AppKey("reviews", ReviewReader)
SECRETS = web.AppKey("callback_secrets", SecretKeeper)
CALLBACKS = web.AppKey("appeal_callbacks", AppealCallbacks)
RESOLVED = web.AppKey("resolution_listeners", list[ResolutionListener])


def install_appeal_api(
    api: web.Application,
    services: Services,
    *,
    reversers: Mapping[str, ActionReverser] | None = None,
    on_resolved: Sequence[ResolutionListener] = (),
) -> AppealCallbacks:
    """Add the appeal and review routes to the ``/api/v1`` sub-application over the installation's stores.

    ``reversers`` (per platform name) lift mutes and bans on an overturn; ``on_resolved`` are told about every
    item resolved through the API, after the tenant's callback. Returns the callbacks, which the API app closes
    on cleanup; other channels that answer appeals hand their resolutions to its ``resolved``.
    """
    database = services.database
    appeals = SqlAppealStore(database)
    desk = ReviewDesk(
        reviews=services.reviews,
        incidents=services.incidents,
        appeals=appeals,
        conversations=services.conversations,
        policies=services.moderator,
        reversers=reversers,
    )
    webhooks = SqlWebhookStore(database)
    sender = CallbackSender(webhooks=webhooks, settings=services.settings.callbacks)
    callbacks = AppealCallbacks(policies=services.moderator, sender=sender)
    add_appeal_routes(
        api,
        desk=desk,
        appeals=appeals,
        reviews=services.reviews,
        secrets=webhooks,
        callbacks=callbacks,
        on_resolved=on_resolved,
    )
    return callbacks


def add_appeal_routes(
    api: web.Application,
    *,
    desk: ReviewDesk,
    appeals: AppealReader,
    reviews: ReviewReader,
    secrets: SecretKeeper,
    callbacks: AppealCallbacks,
    on_resolved: Sequence[ResolutionListener] = (),
) -> None:
    """Register the routes and their OpenAPI description on the API sub-application (before it is mounted).

    Every resolution made through the API goes to ``callbacks.resolved`` and then to each of ``on_resolved``.
    """
    api[DESK] = desk
    api[APPEALS] = appeals
    api[REVIEWS] = reviews
    api[SECRETS] = secrets
    api[CALLBACKS] = callbacks
    api[RESOLVED] = [callbacks.resolved, *on_resolved]
    api.add_routes(
        [
            web.post("/appeals", post_appeal),
            web.get("/appeals", list_appeals, allow_head=False),
            web.get("/appeals/{appeal_id}", get_appeal, allow_head=False),
            web.get("/reviews", list_reviews, allow_head=False),
            web.post("/reviews/{review_id}/resolve", resolve_review),
            web.get("/callback-secret", get_callback_secret, allow_head=False),
            web.post("/callback-secret", rotate_callback_secret),
        ]
    )
    api.on_cleanup.append(_close_callbacks)
    describe_routes(api[OPENAPI])


async def post_appeal(request: web.Request) -> web.Response:
    """Open the user's appeal against an incident (once per incident) and queue it for a moderator."""
    appeal_in = await read_model(request, AppealIn)
    tenant_id = request[TENANT_ID]
    try:
        appeal = await request.app[DESK].appeal(
            tenant_id, appeal_in.incident_id, appeal_in.user_id, appeal_in.text, appeal_in.lang
        )
    except AppealRefused as refusal:
        raise await _refusal_error(request, appeal_in, refusal) from None
    return json_response(AppealCreated.model_validate(appeal).model_dump(mode="json"), status=201)


async def _refusal_error(request: web.Request, appeal_in: AppealIn, refusal: AppealRefused) -> ApiError:
    """The API error for a refused appeal: unknown incident 404, appealed already 409, otherwise 422."""
    tenant_id, incident_id = request[TENANT_ID], appeal_in.incident_id.strip()
    incident = await request.app[INCIDENTS].get(tenant_id, incident_id)
    if incident is None:
        return ApiError(404, "not_found", "no such incident", "incident_id")
    if await request.app[APPEALS].for_incident(tenant_id, incident_id) is not None:
        return ApiError(409, "already_appealed", str(refusal), "incident_id")
    field = "user_id" if incident["sender_id"] != appeal_in.user_id else "incident_id"
    return ApiError(422, "appeal_refused", str(refusal), field)


async def list_appeals(request: web.Request) -> web.Response:
    """The tenant's appeals, oldest first."""
    query = _query(request, AppealQuery)
    status = None if query.status == "all" else query.status
    found = await request.app[APPEALS].list(request[TENANT_ID], status=status, limit=query.limit)
    return json_response(AppealList.model_validate({"appeals": found}).model_dump(mode="json"))


async def get_appeal(request: web.Request) -> web.Response:
    """One appeal; another tenant's is answered as if it did not exist."""
    appeal = await request.app[APPEALS].get(request[TENANT_ID], request.match_info["appeal_id"])
    if appeal is None:
        raise ApiError(404, "not_found", "no such appeal", "appeal_id")
    return json_response(AppealOut.model_validate(appeal).model_dump(mode="json"))


async def list_reviews(request: web.Request) -> web.Response:
    """The tenant's review items (the open queue by default), oldest first."""
    query = _query(request, ReviewQuery)
    found = await request.app[REVIEWS].list(
        request[TENANT_ID],
        status=None if query.status == "all" else query.status,
        chat_id=query.chat_id,
        kind=query.kind,
        limit=query.limit,
    )
    return json_response(ReviewList.model_validate({"reviews": found}).model_dump(mode="json"))


async def resolve_review(request: web.Request) -> web.Response:
    """Confirm, overturn or escalate an open item; an answered appeal is sent to the tenant's callback URL."""
    decision = await read_model(request, ResolveIn)
    tenant_id, review_id = request[TENANT_ID], request.match_info["review_id"]
    item = await request.app[REVIEWS].get(tenant_id, review_id)
    if item is None:
        raise ApiError(404, "not_found", "no such review item", "review_id")
    if item["status"] != "open":
        message = f"this item was already {item['status']} by {item['resolved_by']}"
        raise ApiError(409, "already_resolved", message, "review_id")
    try:
        resolution = await request.app[DESK].resolve(
            tenant_id, review_id, decision.outcome, decision.moderator, decision.note
        )
    except AlreadyResolved as exc:
        raise ApiError(409, "already_resolved", str(exc), "review_id") from None
    except ReviewError as exc:
        raise ApiError(422, "review_refused", str(exc), "review_id") from None
    for listener in request.app[RESOLVED]:
        await listener(resolution)
    body = {
        "review": resolution.review,
        "incident_status": resolution.incident["status"],
        "reversal": resolution.reversal,
        "appeal": resolution.appeal,
        "answer": resolution.answer.to_dict() if resolution.answer else None,
    }
    return json_response(ResolutionOut.model_validate(body).model_dump(mode="json"))


async def get_callback_secret(request: web.Request) -> web.Response:
    """The secret that signs the tenant's callbacks (made on first request)."""
    secret = await request.app[SECRETS].secret(request[TENANT_ID])
    return json_response(CallbackSecretOut(secret=secret).model_dump(mode="json"))


async def rotate_callback_secret(request: web.Request) -> web.Response:
    """Replace the tenant's signing secret; callbacks from now on are signed with the new one."""
    secret = await request.app[SECRETS].rotate(request[TENANT_ID])
    return json_response(CallbackSecretOut(secret=secret).model_dump(mode="json"))


async def _close_callbacks(api: web.Application) -> None:
    await api[CALLBACKS].close()


def _query(request: web.Request, model: type[QueryT]) -> QueryT:
    """The query string validated as ``model``; a parameter given twice is an error."""
    for name in request.query:
        if len(request.query.getall(name)) > 1:
            raise ApiError(422, "validation_error", f"{name}: give this parameter at most once", name)
    try:
        return model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise validation_error(exc) from None


SCHEMA_MODELS: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
    (AppealIn, "validation"),
    (AppealCreated, "serialization"),
    (AppealOut, "serialization"),
    (AppealList, "serialization"),
    (ReviewList, "serialization"),
    (ResolveIn, "validation"),
    (ResolutionOut, "serialization"),
    (CallbackSecretOut, "serialization"),
)
ERRORS_WITH_CONFLICT = ERRORS | {CONFLICT: "The incident was appealed already, or the item was resolved already."}


def describe_routes(spec: dict[str, Any]) -> None:
    """Add these routes and their schemas to the API's OpenAPI document."""
    refs, top = models_json_schema(SCHEMA_MODELS, ref_template="#/components/schemas/{model}")
    for name, schema in top["$defs"].items():
        spec["components"]["schemas"].setdefault(name, schema)

    def ref(model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        return dict(refs[(model, mode)])

    post_appeal_op = path_operation(
        "post",
        "Appeal an incident for a user (once per incident)",
        ref(AppealIn, "validation"),
        ref(AppealCreated),
        errors=ERRORS_WITH_CONFLICT,
    )
    responses = post_appeal_op["post"]["responses"]
    responses["201"] = responses.pop("200") | {"description": "Created"}
    secret_get = path_operation("get", "The callback signing secret", None, ref(CallbackSecretOut), errors=ERRORS)
    secret_post = path_operation(
        "post", "Rotate the callback signing secret", None, ref(CallbackSecretOut), errors=ERRORS
    )
    spec["paths"] |= {
        "/appeals": post_appeal_op
        | path_operation("get", "List appeals, oldest first", None, ref(AppealList), errors=ERRORS, query=AppealQuery),
        "/appeals/{appeal_id}": path_operation(
            "get", "One appeal", None, ref(AppealOut), errors=ERRORS, path=("appeal_id",)
        ),
        "/reviews": path_operation(
            "get", "List review items, oldest first", None, ref(ReviewList), errors=ERRORS, query=ReviewQuery
        ),
        "/reviews/{review_id}/resolve": path_operation(
            "post",
            "Confirm, overturn or escalate a review item",
            ref(ResolveIn, "validation"),
            ref(ResolutionOut),
            errors=ERRORS_WITH_CONFLICT,
            path=("review_id",),
        ),
        "/callback-secret": secret_get | secret_post,
    }
