"""The HTTP API's answers to bad input, bad keys and broken internals: always JSON, never a 500 for bad input."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.adapters.http_api import create_api_app, field_path
from bot.adapters.http_models import ErrorOut
from bot.app import Services, create_web_app, open_services
from bot.settings import ClassifierSettings, HttpSettings, Settings, StorageSettings
from handlers.policy import ChatPolicy

MAX_BODY = 4096
MAX_BATCH = 5
GOOD = {"chat_id": "c1", "message_id": "m1", "sender_id": "u1", "text": "hello there"}


@dataclass
class Api:
    """A client of the running API, its tenant and key, and the SQLite file behind it."""

    client: TestClient
    services: Services
    key: str
    tenant_id: str
    database: Path

    async def send(self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
        """Send raw bytes (or a generator) with the key; return the response with its JSON body read."""
        sent = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"} | (headers or {})
        response = await self.client.request(method, f"/api/v1{path}", data=data, headers=sent)
        response.body = await response.json()
        return response

    async def post_json(self, path: str, body: Any) -> Any:
        """POST a JSON body with the key."""
        return await self.send("POST", path, json.dumps(body, ensure_ascii=False).encode())


def error_of(response: Any) -> dict[str, Any]:
    """The error object of an answer, checked against the documented shape."""
    ErrorOut.model_validate(response.body)
    assert response.content_type == "application/json"
    return response.body["error"]


@pytest.fixture
async def api(tmp_path: Path, aiohttp_client: Any) -> AsyncIterator[Api]:
    database = tmp_path / "minorguard.db"
    settings = Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{database}"),
        http=HttpSettings(max_body_bytes=MAX_BODY, max_batch=MAX_BATCH),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
    )
    async with open_services(settings) as services:
        client = await aiohttp_client(create_web_app(services))
        tenant_id, key = await services.tenants.create("app")
        yield Api(client=client, services=services, key=key, tenant_id=tenant_id, database=database)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({k: v for k, v in GOOD.items() if k != "text"}, "text"),
        (GOOD | {"chat_id": 42}, "chat_id"),
        (GOOD | {"text": ["hello"]}, "text"),
        (GOOD | {"sent_at": "yesterday"}, "sent_at"),
        (GOOD | {"sent_at": "2025-03-01T10:00:00"}, "sent_at"),
        (GOOD | {"colour": "blue"}, "colour"),
        (GOOD | {"message_id": ""}, "message_id"),
        (GOOD | {"thread_id": 7}, "thread_id"),
    ],
    ids=["missing", "int_for_str", "list_for_str", "bad_time", "naive_time", "unknown_field", "empty_id", "int_thread"],
)
async def test_http_errors_invalid_message_names_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    response = await api.post_json("/messages", body)
    error = error_of(response)
    assert (response.status, error["code"], error["field"]) == (422, "validation_error", field)
    assert error["message"].startswith(f"{field}: ")


@pytest.mark.parametrize(
    "raw", [b"{", b"", b'{"chat_id": "c1",}', b"\xff\xfe{}", b'{"chat_id": "c1"} trailing'], ids=str
)
async def test_http_errors_malformed_json_is_400(api: Api, raw: bytes) -> None:
    response = await api.send("POST", "/messages", raw)
    assert (response.status, error_of(response)["code"]) == (400, "invalid_json")


async def test_http_errors_json_that_is_not_an_object_is_422(api: Api) -> None:
    response = await api.post_json("/messages", [GOOD])
    assert (response.status, error_of(response)["field"]) == (422, None)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
async def test_http_errors_wrong_content_type_is_415(api: Api, content_type: str) -> None:
    response = await api.send("POST", "/messages", json.dumps(GOOD).encode(), {"Content-Type": content_type})
    assert (response.status, error_of(response)["code"]) == (415, "unsupported_media_type")


async def test_http_errors_json_with_charset_is_accepted(api: Api) -> None:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    response = await api.send("POST", "/messages", json.dumps(GOOD).encode(), headers)
    assert response.status == 200


async def test_http_errors_body_over_limit_is_413(api: Api) -> None:
    big = GOOD | {"text": "x" * MAX_BODY}
    response = await api.post_json("/messages", big)
    assert (response.status, error_of(response)["code"]) == (413, "payload_too_large")


async def test_http_errors_chunked_body_over_limit_is_413(api: Api) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"chat_id": "c1", "message_id": "m1", "sender_id": "u1", "text": "'
        for _ in range(MAX_BODY // 512 + 1):
            yield b"y" * 512
        yield b'"}'

    response = await api.send("POST", "/messages", chunks())
    assert response.request_info.headers.get("Transfer-Encoding") == "chunked"
    assert (response.status, error_of(response)["code"]) == (413, "payload_too_large")


async def test_http_errors_body_limit_is_the_api_setting_not_the_root_default(api: Api, aiohttp_client: Any) -> None:
    root = web.Application()  # aiohttp's default client_max_size: 1 MiB
    limit = 3 * 1024 * 1024
    root.add_subapp(
        "/api/v1",
        create_api_app(
            moderator=api.services.moderator,
            tenants=api.services.tenants,
            incidents=api.services.incidents,
            max_body_bytes=limit,
            max_batch=MAX_BATCH,
        ),
    )
    client = await aiohttp_client(root)
    headers = {"Authorization": f"Bearer {api.key}", "Content-Type": "application/json"}

    under = io.BytesIO(json.dumps(GOOD | {"text": "z" * (limit // 2)}).encode())
    async with client.post("/api/v1/messages", data=under, headers=headers) as response:
        assert (response.status, (await response.json())["error"]["field"]) == (422, "text")
    over = io.BytesIO(json.dumps(GOOD | {"text": "z" * limit}).encode())
    async with client.post("/api/v1/messages", data=over, headers=headers) as response:
        assert (response.status, (await response.json())["error"]["code"]) == (413, "payload_too_large")


async def test_http_errors_batch_over_max_is_413_and_processes_nothing(api: Api) -> None:
    messages = [GOOD | {"message_id": f"m{n}"} for n in range(MAX_BATCH + 1)]
    response = await api.post_json("/messages/batch", {"messages": messages})
    error = error_of(response)
    assert (response.status, error["code"], error["field"]) == (413, "batch_too_large", "messages")
    assert str(MAX_BATCH) in error["message"]
    assert await api.services.conversations.previous(api.tenant_id, "c1", "m0") is None


async def test_http_errors_one_bad_message_rejects_the_whole_batch(api: Api) -> None:
    messages = [GOOD | {"message_id": f"m{n}"} for n in range(MAX_BATCH)]
    messages[3] = messages[3] | {"text": None}
    response = await api.post_json("/messages/batch", {"messages": messages})
    error = error_of(response)
    assert (response.status, error["field"]) == (422, "messages[3].text")
    for number in range(MAX_BATCH):
        assert await api.services.conversations.previous(api.tenant_id, "c1", f"m{number}") is None


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "messages"), ({"messages": "m1"}, "messages"), ({"messages": [], "extra": 1}, "extra")],
    ids=["missing", "not_a_list", "unknown_field"],
)
async def test_http_errors_bad_batch_envelope_names_the_field(api: Api, body: Any, field: str) -> None:
    response = await api.post_json("/messages/batch", body)
    assert (response.status, error_of(response)["field"]) == (422, field)


async def test_http_errors_bad_requests_leave_accepted_messages_alone(api: Api) -> None:
    accepted = await api.post_json("/messages/batch", {"messages": [GOOD, GOOD | {"message_id": "m2"}]})
    assert accepted.status == 200
    stored = await api.services.conversations.previous(api.tenant_id, "c1", "m1")

    for raw in (b"{", json.dumps({"messages": [GOOD | {"text": 1}]}).encode(), b"x" * (MAX_BODY + 1)):
        assert (await api.send("POST", "/messages/batch", raw)).status in (400, 413, 422)
    bad_edit = GOOD | {"text": "changed", "sender_id": 9}
    assert (await api.post_json("/messages", bad_edit)).status == 422

    again = await api.post_json("/messages/batch", {"messages": [GOOD, GOOD | {"message_id": "m2"}]})
    assert (again.status, again.body) == (200, accepted.body)
    assert await api.services.conversations.previous(api.tenant_id, "c1", "m1") == stored


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Bearer"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Bearer"),
        ({"Authorization": "Bearer"}, "Bearer"),
        ({"Authorization": "Bearer not-a-key"}, 'Bearer error="invalid_token"'),
    ],
    ids=["missing", "basic", "empty", "unknown"],
)
async def test_http_errors_bad_key_is_401(api: Api, headers: dict[str, str], detail: str) -> None:
    response = await api.client.get("/api/v1/incidents", headers=headers)
    response.body = await response.json()
    assert (response.status, error_of(response)["code"]) == (401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == detail


async def test_http_errors_revoked_key_is_401(api: Api) -> None:
    assert (await api.send("GET", "/incidents")).status == 200
    assert await api.services.tenants.revoke(api.tenant_id)

    response = await api.send("GET", "/incidents")

    assert (response.status, error_of(response)["code"]) == (401, "unauthorized")


async def test_http_errors_bad_key_is_checked_before_the_body(api: Api) -> None:
    response = await api.client.post("/api/v1/messages", data=b"{", headers={"Content-Type": "text/plain"})
    response.body = await response.json()
    assert response.status == 401


async def test_http_errors_unknown_route_and_method_are_json(api: Api) -> None:
    missing = await api.send("GET", "/nowhere")
    assert (missing.status, error_of(missing)["code"]) == (404, "not_found")
    wrong = await api.send("DELETE", "/messages")
    assert (wrong.status, error_of(wrong)["code"]) == (405, "method_not_allowed")
    assert wrong.headers["Allow"] == "POST"


async def test_http_errors_unknown_incident_is_404(api: Api) -> None:
    response = await api.send("GET", "/incidents/does-not-exist")
    assert (response.status, error_of(response)["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("action=explode", "action"),
        ("since=2025-03-01T10:00:00", "since"),
        ("until=soon", "until"),
        ("colour=blue", "colour"),
        ("chat_id=a&chat_id=b", "chat_id"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
async def test_http_errors_bad_incident_query_names_the_parameter(api: Api, query: str, field: str) -> None:
    response = await api.send("GET", f"/incidents?{query}")
    assert (response.status, error_of(response)["field"]) == (422, field)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"warn_at": 0.99}, "warn_at"),
        ({"review_at": 0.95, "ban_at": 0.5}, "review_at"),
        ({"colour": "blue"}, "colour"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"mute_minutes": 0}, "mute_minutes"),
        ({"language": "fr"}, "language"),
        ({"allowed_users": "u1"}, "allowed_users"),
    ],
    ids=["not_ascending", "not_ascending_both", "unknown", "str_for_bool", "too_small", "bad_language", "not_a_list"],
)
async def test_http_errors_invalid_policy_names_the_field_and_keeps_the_old(
    api: Api, change: dict[str, Any], field: str
) -> None:
    assert (await api.send("PUT", "/chats/c1/policy", json.dumps({"warn_at": 0.55}).encode())).status == 200

    response = await api.send("PUT", "/chats/c1/policy", json.dumps(change).encode())

    error = error_of(response)
    assert (response.status, error["code"], error["field"]) == (422, "validation_error", field)
    current = await api.send("GET", "/chats/c1/policy")
    assert current.body == ChatPolicy(warn_at=0.55).model_dump(mode="json")


async def test_http_errors_policy_body_must_be_an_object(api: Api) -> None:
    response = await api.send("PUT", "/chats/c1/policy", b"[1, 2]")
    assert (response.status, error_of(response)["code"]) == (422, "validation_error")


async def test_http_errors_broken_database_is_a_logged_500_without_internals(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with sqlite3.connect(api.database) as connection:
        connection.execute("DROP TABLE policies")

    with caplog.at_level(logging.ERROR, logger="bot.adapters.http_api"):
        response = await api.send("GET", "/chats/c1/policy")

    error = error_of(response)
    assert (response.status, error["code"]) == (500, "internal_error")
    assert "policies" not in error["message"] and "Traceback" not in error["message"]
    assert any(record.exc_info for record in caplog.records)


@pytest.mark.parametrize(
    ("loc", "path"),
    [(("messages", 3, "text"), "messages[3].text"), (("text",), "text"), ((), None), ((0, "a"), "[0].a")],
)
def test_http_errors_field_path_joins_pydantic_locations(loc: tuple[Any, ...], path: str | None) -> None:
    assert field_path(loc) == path
