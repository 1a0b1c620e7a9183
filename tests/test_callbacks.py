"""Signed tenant callbacks against a real loopback aiohttp server: signature, retries, limits and records."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web

from bot.callbacks import APPEAL_ANSWERED, AppealCallbacks, CallbackSender
from bot.cli.evidence import PolicyBook
from bot.settings import CallbackSettings
from handlers.model import Notice
from handlers.policy import ChatPolicy
from storage.policies import SqlPolicyStore
from storage.webhooks import SqlWebhookStore

FAST = CallbackSettings(
    max_attempts=4,
    first_delay_seconds=0.01,
    max_delay_seconds=0.05,
    timeout_seconds=5,
    total_seconds=10,
    allow_local_urls=True,
)
"""Quick retries, and the loopback hook servers of these tests allowed explicitly."""


@dataclass
class Hook:
    """A tenant's callback endpoint: answers each POST with the next scripted status (then 200)."""

    statuses: list[int]
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.read()))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({"ok": status < 300}, status=status)


@pytest.fixture
def hook_factory(aiohttp_server: Any) -> Callable[..., Any]:
    async def start(*statuses: int) -> Hook:
        hook = Hook(list(statuses))
        app = web.Application()
        app.router.add_post("/hook", hook.handle)
        server = await aiohttp_server(app)
        hook.url = str(server.make_url("/hook"))
        return hook

    return start


class RecordedWaits:
    """An injected ``sleep`` that records each wait and does not wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def expected_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sender(database: Any, settings: CallbackSettings = FAST, jitter: float = 0.5) -> tuple[CallbackSender, Any]:
    waits = RecordedWaits()
    return CallbackSender(
        webhooks=SqlWebhookStore(database), settings=settings, sleep=waits, jitter=lambda: jitter
    ), waits


async def test_callbacks_body_is_signed_with_the_tenant_secret(database, tenant, hook_factory):
    hook = await hook_factory()
    callbacks, _ = sender(database)
    delivery = await callbacks.send(tenant, hook.url, APPEAL_ANSWERED, "appeal-1", {"outcome": "confirmed", "名": "值"})
    await callbacks.close()

    assert delivery.delivered and delivery.attempts == 1 and delivery.last_status == 200
    [(headers, body)] = hook.received
    secret = await SqlWebhookStore(database).secret(tenant)
    assert secret.startswith("whsec_")
    assert headers["X-Minorguard-Signature"] == expected_signature(secret, body)
    assert not hmac.compare_digest(headers["X-Minorguard-Signature"], expected_signature(secret + "x", body))
    payload = json.loads(body)
    assert headers["X-Minorguard-Timestamp"] == str(payload["timestamp"])
    assert headers["X-Minorguard-Event"] == APPEAL_ANSWERED == payload["event"]
    assert payload["delivery_id"] == delivery.delivery_id
    assert payload["data"] == {"outcome": "confirmed", "名": "值"}
    assert "名" in body.decode("utf-8")
    [record] = await SqlWebhookStore(database).deliveries(tenant, "appeal-1")
    assert (record["status"], record["attempts"], record["last_status"], record["url"]) == (
        "delivered",
        1,
        200,
        hook.url,
    )


async def test_callbacks_two_server_errors_then_delivered_on_third_try(database, tenant, hook_factory):
    hook = await hook_factory(500, 500)
    callbacks, waits = sender(database)
    delivery = await callbacks.send(tenant, hook.url, APPEAL_ANSWERED, "appeal-2", {"outcome": "overturned"})
    await callbacks.close()

    assert delivery.delivered and delivery.attempts == 3
    assert len(hook.received) == 3
    secret = await SqlWebhookStore(database).secret(tenant)
    for headers, body in hook.received:
        assert headers["X-Minorguard-Signature"] == expected_signature(secret, body)
    assert len({json.loads(body)["delivery_id"] for _, body in hook.received}) == 1
    assert waits.waits == pytest.approx([0.005, 0.01])
    [record] = await SqlWebhookStore(database).deliveries(tenant, "appeal-2")
    assert (record["status"], record["attempts"], record["last_status"]) == ("delivered", 3, 200)
    assert record["finished_at"] is not None


async def test_callbacks_give_up_after_max_attempts_and_record_failure(database, tenant, hook_factory):
    hook = await hook_factory(*([503] * 10))
    callbacks, waits = sender(database)
    delivery = await callbacks.send(tenant, hook.url, APPEAL_ANSWERED, "appeal-3", {})
    await callbacks.close()

    assert not delivery.delivered and delivery.attempts == FAST.max_attempts == len(hook.received)
    assert len(waits.waits) == FAST.max_attempts - 1
    [record] = await SqlWebhookStore(database).deliveries(tenant, "appeal-3")
    assert (record["status"], record["attempts"], record["last_status"]) == ("failed", 4, 503)
    assert record["last_error"].startswith("HTTP 503")


async def test_callbacks_client_errors_are_not_retried(database, tenant, hook_factory):
    hook = await hook_factory(410)
    callbacks, waits = sender(database)
    delivery = await callbacks.send(tenant, hook.url, APPEAL_ANSWERED, "appeal-4", {})
    await callbacks.close()
    assert (delivery.delivered, delivery.attempts, delivery.last_status) == (False, 1, 410)
    assert waits.waits == [] and len(hook.received) == 1


async def test_callbacks_rate_limited_answers_are_retried(database, tenant, hook_factory):
    hook = await hook_factory(429)
    callbacks, _ = sender(database)
    delivery = await callbacks.send(tenant, hook.url, APPEAL_ANSWERED, "appeal-5", {})
    await callbacks.close()
    assert delivery.delivered and delivery.attempts == 2


async def test_callbacks_connection_errors_are_retried_and_recorded(database, tenant):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    callbacks, waits = sender(database)
    delivery = await callbacks.send(tenant, f"http://127.0.0.1:{port}/hook", APPEAL_ANSWERED, "appeal-6", {})
    await callbacks.close()
    assert not delivery.delivered and delivery.attempts == FAST.max_attempts and delivery.last_status is None
    assert "Connect" in delivery.last_error
    [record] = await SqlWebhookStore(database).deliveries(tenant, "appeal-6")
    assert (record["status"], record["last_status"]) == ("failed", None) and "Connect" in record["last_error"]


async def test_callbacks_total_time_bounds_the_retries(database, tenant, hook_factory):
    hook = await hook_factory(500, 500, 500)
    slow = CallbackSettings(
        max_attempts=10,
        first_delay_seconds=30,
        max_delay_seconds=60,
        timeout_seconds=5,
        total_seconds=5,
        allow_local_urls=True,
    )
    callbacks, waits = sender(database, slow, jitter=1.0)
    delivery = await callbacks.send(tenant, hook.url, APPEAL_ANSWERED, "appeal-7", {})
    await callbacks.close()
    assert not delivery.delivered and delivery.attempts == 1 and waits.waits == []


def test_callbacks_backoff_doubles_and_is_capped():
    capped = CallbackSettings(first_delay_seconds=1, max_delay_seconds=5)
    full = CallbackSender(webhooks=None, settings=capped, jitter=lambda: 1.0)  # type: ignore[arg-type]
    assert [full.backoff(attempt) for attempt in range(1, 6)] == [1, 2, 4, 5, 5]
    jittered = CallbackSender(webhooks=None, settings=capped, jitter=lambda: 0.25)  # type: ignore[arg-type]
    assert jittered.backoff(3) == 1.0


async def test_callbacks_secret_is_stable_until_rotated(database, tenant):
    webhooks = SqlWebhookStore(database)
    first = await webhooks.secret(tenant)
    assert await webhooks.secret(tenant) == first
    rotated = await webhooks.rotate(tenant)
    assert rotated != first and await webhooks.secret(tenant) == rotated
    assert await webhooks.secret(f"{tenant}-other") not in (first, rotated)


def answered(tenant: str, chat_id: str) -> tuple[dict[str, Any], dict[str, Any], Notice]:
    now = datetime.now(UTC)
    incident = {
        "id": "incident-1",
        "tenant_id": tenant,
        "chat_id": chat_id,
        "thread_id": None,
        "message_id": "m-1",
        "sender_id": "user-a",
        "action": "mute",
        "status": "overturned",
        "dry_run": False,
        "text": "evidence that must not leave",
    }
    appeal = {
        "id": "appeal-9",
        "incident_id": "incident-1",
        "user_id": "user-a",
        "lang": "zh",
        "outcome": "overturned",
        "note": "误判",
        "created_at": now,
        "answered_at": now,
        "text": "the appeal's own words",
    }
    return incident, appeal, Notice(lang="zh", text="管理员已接受你的申诉")


async def test_callbacks_appeal_answer_goes_to_the_chat_policy_url(database, tenant, hook_factory):
    hook = await hook_factory()
    policies = SqlPolicyStore(database)
    await policies.put(tenant, "chat-hooked", ChatPolicy(callback_url=hook.url).model_dump(mode="json"))
    sending, _ = sender(database)
    callbacks = AppealCallbacks(policies=PolicyBook(policies), sender=sending)

    task = callbacks.appeal_answered(*answered(tenant, "chat-hooked"))
    delivery = await asyncio.wait_for(task, timeout=10)
    without_url = await callbacks.deliver(*answered(tenant, "chat-without-url"))
    await callbacks.close()

    assert delivery is not None and delivery.delivered and without_url is None
    [(_, body)] = hook.received
    data = json.loads(body)["data"]
    assert data["tenant_id"] == tenant and data["undo"] == "mute"
    assert data["appeal"]["outcome"] == "overturned" and data["appeal"]["answered_at"].endswith("+00:00")
    assert data["incident"]["id"] == "incident-1" and data["message"] == {"lang": "zh", "text": "管理员已接受你的申诉"}
    assert "evidence that must not leave" not in body.decode() and "the appeal's own words" not in body.decode()


async def test_callbacks_close_cancels_deliveries_still_waiting(database, tenant, hook_factory):
    hook = await hook_factory(*([500] * 10))
    policies = SqlPolicyStore(database)
    await policies.put(tenant, "chat-hooked", ChatPolicy(callback_url=hook.url).model_dump(mode="json"))
    patient = CallbackSettings(
        max_attempts=5, first_delay_seconds=60, max_delay_seconds=60, total_seconds=600, allow_local_urls=True
    )
    sending = CallbackSender(webhooks=SqlWebhookStore(database), settings=patient, jitter=lambda: 1.0)
    callbacks = AppealCallbacks(policies=PolicyBook(policies), sender=sending, close_grace_seconds=0.2)

    task = callbacks.appeal_answered(*answered(tenant, "chat-hooked"))
    while not hook.received:
        await asyncio.sleep(0.01)
    await callbacks.close()

    assert task.cancelled()
    [record] = await SqlWebhookStore(database).deliveries(tenant, "appeal-9")
    assert (record["status"], record["attempts"]) == ("pending", 1)
