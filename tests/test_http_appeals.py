"""Appeals and reviews through the HTTP API, end to end: real server, real database, real scorer, and the
tenant's signed callback received by a real loopback server that checks the signature.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.adapters.http_appeals import AppealCreated, AppealList, AppealOut, ResolutionOut, ReviewList
from bot.app import Services, create_web_app, open_services
from bot.settings import ClassifierSettings, Settings, StorageSettings
from storage.webhooks import SqlWebhookStore
from tests.test_callbacks import FAST

WARN_EVERYTHING = {"review_at": 0.0, "warn_at": 0.0}
"""A policy under which every message earns a warning, so that each test has an appealable incident."""

REVIEW_ONLY = {"review_at": 0.0} | {name: 1.01 for name in ("warn_at", "delete_at", "mute_at", "ban_at")}
"""A policy under which every message goes to review and nothing is done to its sender."""


@dataclass
class Hook:
    """The tenant's callback endpoint: refuses a bad signature with 401, else answers the scripted statuses."""

    statuses: list[int]
    secret: str = ""
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: int = 0
    accepted: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("X-Minorguard-Signature", ""), expected):
            self.rejected += 1
            return web.json_response({"error": "bad signature"}, status=401)
        payload = json.loads(body)
        assert request.headers["X-Minorguard-Timestamp"] == str(payload["timestamp"])
        self.received.append(payload)
        status = self.statuses.pop(0) if self.statuses else 200
        if status < 300:
            self.accepted.set()
        return web.json_response({}, status=status)


@dataclass
class Api:
    """A client of the running API with two tenants."""

    client: TestClient
    services: Services
    key_a: str
    key_b: str
    tenant_a: str

    async def call(self, method: str, path: str, key: str | None, body: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        async with self.client.request(method, f"/api/v1{path}", json=body, headers=headers) as response:
            return response.status, await response.json()

    async def recorded_incident(self, key: str, chat_id: str, sender: str, policy: dict[str, Any]) -> str:
        """Set the chat's policy, send one message from ``sender`` and return the incident it recorded."""
        status, body = await self.call("PUT", f"/chats/{chat_id}/policy", key, policy)
        assert status == 200, body
        message = {
            "chat_id": chat_id,
            "message_id": f"{chat_id}-{sender}",
            "sender_id": sender,
            "text": "that was a close round, well played",
            "reply_to_user_id": "player-2",
            "sender_locale": "zh-CN",
        }
        status, decision = await self.call("POST", "/messages", key, message)
        assert status == 200 and decision["incident_id"], decision
        return decision["incident_id"]


async def finished_delivery(api: Api, appeal_id: str) -> dict[str, Any]:
    """The delivery record of the appeal's callback, once the sender has closed it."""
    webhooks = SqlWebhookStore(api.services.database)
    for _ in range(500):
        records = await webhooks.deliveries(api.tenant_a, appeal_id)
        if records and records[0]["status"] != "pending":
            return records[0]
        await asyncio.sleep(0.01)
    raise AssertionError(f"the callback of appeal {appeal_id} did not finish")


@pytest.fixture
async def api(db_url: str, aiohttp_client: Any) -> AsyncIterator[Api]:
    settings = Settings(
        storage=StorageSettings(url=db_url),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        callbacks=FAST,
    )
    async with open_services(settings) as services:
        client = await aiohttp_client(create_web_app(services))
        tenant_a, key_a = await services.tenants.create("app-a")
        _, key_b = await services.tenants.create("app-b")
        yield Api(client=client, services=services, key_a=key_a, key_b=key_b, tenant_a=tenant_a)


@pytest.fixture
def hook_factory(aiohttp_server: Any) -> Callable[..., Any]:
    async def start(*statuses: int) -> Hook:
        hook = Hook(list(statuses))
        app = web.Application()
        app.router.add_post("/appeal-answers", hook.handle)
        hook.url = str((await aiohttp_server(app)).make_url("/appeal-answers"))
        return hook

    return start


async def test_http_appeals_flow_end_to_end_with_signed_callback_after_two_failures(api: Api, hook_factory):
    hook = await hook_factory(500, 500)
    status, secret = await api.call("GET", "/callback-secret", api.key_a)
    assert status == 200
    hook.secret = secret["secret"]
    incident_id = await api.recorded_incident(
        api.key_a, "room", "sender-1", WARN_EVERYTHING | {"callback_url": hook.url}
    )

    appeal = {"incident_id": incident_id, "user_id": "sender-1", "text": "我们只是在聊游戏", "lang": "zh-CN"}
    status, created = await api.call("POST", "/appeals", api.key_a, appeal)
    assert status == 201, created
    AppealCreated.model_validate(created)
    assert (created["status"], created["lang"], created["incident_id"]) == ("open", "zh", incident_id)
    status, again = await api.call("POST", "/appeals", api.key_a, appeal)
    assert status == 409 and again["error"]["code"] == "already_appealed"
    assert again["error"]["field"] == "incident_id" and "申诉" in again["error"]["message"]

    status, queue = await api.call("GET", "/reviews?kind=appeal", api.key_a)
    assert status == 200
    ReviewList.model_validate(queue)
    [item] = queue["reviews"]
    assert (item["id"], item["incident_id"], item["note"]) == (created["review_id"], incident_id, "我们只是在聊游戏")
    status, listed = await api.call("GET", "/appeals", api.key_a)
    assert status == 200 and [a.id for a in AppealList.model_validate(listed).appeals] == [created["id"]]

    decision = {"outcome": "overturned", "moderator": "mod-7", "note": "聊天内容正常"}
    status, resolved = await api.call("POST", f"/reviews/{created['review_id']}/resolve", api.key_a, decision)
    assert status == 200, resolved
    ResolutionOut.model_validate(resolved)
    assert resolved["review"]["status"] == "overturned" and resolved["review"]["resolved_by"] == "mod-7"
    assert resolved["incident_status"] == "overturned"
    assert (resolved["appeal"]["status"], resolved["appeal"]["outcome"]) == ("answered", "overturned")
    assert resolved["answer"]["lang"] == "zh" and "聊天内容正常" in resolved["answer"]["text"]

    await asyncio.wait_for(hook.accepted.wait(), timeout=10)
    assert hook.rejected == 0 and len(hook.received) == 3
    payload = hook.received[-1]
    assert payload["event"] == "appeal.answered"
    data = payload["data"]
    assert data["appeal"]["id"] == created["id"] and data["appeal"]["outcome"] == "overturned"
    assert data["incident"]["id"] == incident_id and data["undo"] == "warn"
    assert data["message"] == resolved["answer"]
    record = await finished_delivery(api, created["id"])
    assert (record["status"], record["attempts"], record["last_status"]) == ("delivered", 3, 200)

    status, answered = await api.call("GET", f"/appeals/{created['id']}", api.key_a)
    assert status == 200 and AppealOut.model_validate(answered).status == "answered"
    status, twice = await api.call("POST", f"/reviews/{created['review_id']}/resolve", api.key_a, decision)
    assert status == 409 and twice["error"]["code"] == "already_resolved"
    status, incident = await api.call("GET", f"/incidents/{incident_id}", api.key_a)
    assert incident["status"] == "overturned"
    assert any(outcome["detail"].startswith("overturned by mod-7") for outcome in incident["outcomes"])


async def test_http_appeals_escalation_keeps_appeal_open_and_sends_nothing(api: Api, hook_factory):
    hook = await hook_factory()
    incident_id = await api.recorded_incident(
        api.key_a, "room", "sender-2", WARN_EVERYTHING | {"callback_url": hook.url}
    )
    status, created = await api.call(
        "POST", "/appeals", api.key_a, {"incident_id": incident_id, "user_id": "sender-2", "text": "please check"}
    )
    assert status == 201
    decision = {"outcome": "escalated", "moderator": "mod-1"}
    status, resolved = await api.call("POST", f"/reviews/{created['review_id']}/resolve", api.key_a, decision)
    assert status == 200 and resolved["appeal"] is None and resolved["answer"] is None
    await asyncio.sleep(0.1)
    assert hook.received == []
    status, appeal = await api.call("GET", f"/appeals/{created['id']}", api.key_a)
    assert appeal["status"] == "open"
    status, escalated = await api.call("GET", "/reviews?status=escalated", api.key_a)
    assert [item["id"] for item in escalated["reviews"]] == [created["review_id"]]


async def test_http_appeals_tenant_isolation_on_every_endpoint(api: Api):
    incident_id = await api.recorded_incident(api.key_a, "room", "sender-3", WARN_EVERYTHING)
    appeal = {"incident_id": incident_id, "user_id": "sender-3", "text": "not fair"}
    status, created = await api.call("POST", "/appeals", api.key_a, appeal)
    assert status == 201
    review_path = f"/reviews/{created['review_id']}/resolve"
    decision = {"outcome": "overturned", "moderator": "intruder"}

    status, refused = await api.call("POST", "/appeals", api.key_b, appeal)
    assert status == 404 and refused["error"] == {
        "code": "not_found",
        "message": "no such incident",
        "field": "incident_id",
    }
    assert (await api.call("GET", f"/appeals/{created['id']}", api.key_b))[0] == 404
    assert (await api.call("GET", "/appeals?status=all", api.key_b))[1] == {"appeals": []}
    assert (await api.call("GET", "/reviews?status=all", api.key_b))[1] == {"reviews": []}
    assert (await api.call("POST", review_path, api.key_b, decision))[0] == 404
    secret_a = (await api.call("GET", "/callback-secret", api.key_a))[1]["secret"]
    secret_b = (await api.call("GET", "/callback-secret", api.key_b))[1]["secret"]
    assert secret_a != secret_b

    status, queue = await api.call("GET", "/reviews", api.key_a)
    assert [(item["id"], item["status"]) for item in queue["reviews"]] == [(created["review_id"], "open")]
    for method, path, body in (
        ("POST", "/appeals", appeal),
        ("GET", "/appeals", None),
        ("GET", f"/appeals/{created['id']}", None),
        ("GET", "/reviews", None),
        ("POST", review_path, decision),
        ("GET", "/callback-secret", None),
        ("POST", "/callback-secret", None),
    ):
        status, body = await api.call(method, path, None, body)
        assert status == 401 and body["error"]["code"] == "unauthorized", (method, path)


async def test_http_appeals_rotated_secret_signs_from_then_on(api: Api):
    first = (await api.call("GET", "/callback-secret", api.key_a))[1]["secret"]
    status, rotated = await api.call("POST", "/callback-secret", api.key_a)
    assert status == 200 and rotated["secret"] != first
    assert (await api.call("GET", "/callback-secret", api.key_a))[1] == rotated


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"incident_id": "x", "text": "t"}, 422, "validation_error", "user_id"),
        ({"incident_id": "x", "user_id": "u", "text": "t", "extra": 1}, 422, "validation_error", "extra"),
        ({"incident_id": "x", "user_id": "u", "text": "t" * 2001}, 422, "validation_error", "text"),
        ({"incident_id": "no-such-incident", "user_id": "u", "text": "t"}, 404, "not_found", "incident_id"),
    ],
    ids=["missing_user", "unknown_field", "text_too_long", "unknown_incident"],
)
async def test_http_appeals_bad_appeal_bodies_get_json_errors(api: Api, body, status, code, field):
    answer_status, answer = await api.call("POST", "/appeals", api.key_a, body)
    assert (answer_status, answer["error"]["code"], answer["error"]["field"]) == (status, code, field)


async def test_http_appeals_refuses_other_users_and_unpunished_incidents(api: Api):
    warned = await api.recorded_incident(api.key_a, "room", "sender-4", WARN_EVERYTHING)
    status, body = await api.call(
        "POST", "/appeals", api.key_a, {"incident_id": warned, "user_id": "else", "text": "x"}
    )
    assert (status, body["error"]["code"], body["error"]["field"]) == (422, "appeal_refused", "user_id")
    reviewed = await api.recorded_incident(api.key_a, "quiet", "sender-5", REVIEW_ONLY)
    status, body = await api.call(
        "POST", "/appeals", api.key_a, {"incident_id": reviewed, "user_id": "sender-5", "text": "x"}
    )
    assert (status, body["error"]["code"], body["error"]["field"]) == (422, "appeal_refused", "incident_id")


async def test_http_appeals_bad_review_requests_get_json_errors(api: Api):
    assert (await api.call("GET", "/reviews?status=bogus", api.key_a))[1]["error"]["field"] == "status"
    assert (await api.call("GET", "/reviews?limit=0", api.key_a))[1]["error"]["field"] == "limit"
    assert (await api.call("GET", "/appeals?limit=1&limit=2", api.key_a))[1]["error"]["field"] == "limit"
    status, body = await api.call("POST", "/reviews/x/resolve", api.key_a, {"outcome": "maybe", "moderator": "m"})
    assert (status, body["error"]["field"]) == (422, "outcome")
    status, body = await api.call(
        "POST", "/reviews/unknown/resolve", api.key_a, {"outcome": "confirmed", "moderator": "m"}
    )
    assert (status, body["error"]["code"]) == (404, "not_found")
    async with api.client.post(
        "/api/v1/appeals",
        data="incident",
        headers={"Authorization": f"Bearer {api.key_a}", "Content-Type": "text/plain"},
    ) as response:
        assert response.status == 415 and (await response.json())["error"]["code"] == "unsupported_media_type"


async def test_http_appeals_routes_are_in_the_openapi_document(api: Api):
    status, spec = await api.call("GET", "/openapi.json", None)
    assert status == 200
    for path, methods in {
        "/appeals": {"get", "post"},
        "/appeals/{appeal_id}": {"get"},
        "/reviews": {"get"},
        "/reviews/{review_id}/resolve": {"post"},
        "/callback-secret": {"get", "post"},
    }.items():
        assert set(spec["paths"][path]) == methods
    assert "201" in spec["paths"]["/appeals"]["post"]["responses"]
    assert "409" in spec["paths"]["/reviews/{review_id}/resolve"]["post"]["responses"]
    assert {"AppealIn", "ResolveIn", "ResolutionOut", "ReviewList"} <= set(spec["components"]["schemas"])
