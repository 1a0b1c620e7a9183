"""Signed callbacks to tenants: an answered appeal is POSTed to the chat policy's ``callback_url``.

The body is compact UTF-8 JSON. ``X-Minorguard-Signature: sha256=<hex>`` is the HMAC-SHA256 of the raw body
with the tenant's secret (``GET /api/v1/callback-secret``); ``X-Minorguard-Timestamp`` repeats the body's
``timestamp`` (Unix seconds), which the signature covers, so that a receiver can refuse stale replays. A try
that gets a 5xx or 429 answer, a connection error or a timeout is retried after an exponentially growing,
fully jittered wait, up to a number of tries and a total time; every delivery is recorded as delivered or
failed with its attempts. Deliveries run in the background, so the moderator's request does not wait on the
tenant's server. Each URL is checked again before a delivery and while connecting (``bot.callback_urls``): a
URL that now points at a private or local address is not called, and the delivery is recorded failed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from aiohttp.resolver import ThreadedResolver

from bot.callback_urls import CallbackUrlRefused, GuardedResolver, check_callback_url
from bot.settings import CallbackSettings
from handlers.commands import PolicyAccess
from handlers.evidence import plain
from handlers.model import Notice
from handlers.review import Resolution

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Minorguard-Signature"
TIMESTAMP_HEADER = "X-Minorguard-Timestamp"
EVENT_HEADER = "X-Minorguard-Event"
APPEAL_ANSWERED = "appeal.answered"
"""The event of an answered appeal."""

CLOSE_GRACE_SECONDS = 5.0
"""How long closing waits, by default, for deliveries in flight before cancelling them (they stay pending)."""

APPEAL_FIELDS = ("id", "incident_id", "user_id", "lang", "outcome", "note", "created_at", "answered_at")
INCIDENT_FIELDS = ("id", "chat_id", "thread_id", "message_id", "sender_id", "action", "status", "dry_run")


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for a body: ``sha256=`` and the hex HMAC-SHA256 under the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def retryable(status: int) -> bool:
    """Whether an HTTP answer is worth another try (server errors and rate limiting)."""
    return status >= 500 or status == 429


class WebhookBook(Protocol):
    """Secrets and delivery records (``storage.webhooks.SqlWebhookStore``)."""

    async def secret(self, tenant_id: str) -> str:
        """The tenant's signing secret, created on first use."""
        ...

    async def start(self, tenant_id: str, event: str, subject_id: str, url: str) -> str:
        """Record a delivery about to be tried; returns its id."""
        ...

    async def attempt(self, delivery_id: str, status_code: int | None, error: str) -> None:
        """Count one try and what it got."""
        ...

    async def finish(self, delivery_id: str, delivered: bool) -> None:
        """Close the delivery as delivered or failed."""
        ...


@dataclass(frozen=True)
class Delivery:
    """How one callback ended: its id, whether it was delivered, after how many tries, and the last answer."""

    delivery_id: str
    delivered: bool
    attempts: int
    last_status: int | None
    last_error: str


class CallbackSender:
    """POSTs signed JSON to tenants' URLs with bounded, jittered exponential retries, recording each delivery.

    Args:
        webhooks: where secrets and delivery records are kept.
        settings: attempts, waits and time limits.
        sleep: how to wait between tries (tests may pass a recording one).
        jitter: a random number in [0, 1) for each wait.
    """

    def __init__(
        self,
        *,
        webhooks: WebhookBook,
        settings: CallbackSettings,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._webhooks = webhooks
        self._settings = settings
        self._sleep = sleep
        self._jitter = jitter
        self._session: aiohttp.ClientSession | None = None

    def backoff(self, attempt: int) -> float:
        """The wait after the given failed try: a random part of ``first * 2**(attempt-1)``, capped."""
        ceiling = min(self._settings.max_delay_seconds, self._settings.first_delay_seconds * 2 ** (attempt - 1))
        return self._jitter() * ceiling

    async def send(self, tenant_id: str, url: str, event: str, subject_id: str, data: Mapping[str, Any]) -> Delivery:
        """Deliver ``data`` as the event to the URL, retrying as the settings allow; never raises for HTTP trouble."""
        secret = await self._webhooks.secret(tenant_id)
        delivery_id = await self._webhooks.start(tenant_id, event, subject_id, url)
        try:
            await check_callback_url(url, self._settings.allow_local_urls)
        except CallbackUrlRefused as refusal:
            return await self._refused(delivery_id, event, url, str(refusal))
        deadline = time.monotonic() + self._settings.total_seconds
        attempts, status, error = 0, None, ""
        while True:
            attempts += 1
            status, error = await self._try(url, secret, event, delivery_id, data)
            await self._webhooks.attempt(delivery_id, status, error)
            delivered = status is not None and 200 <= status < 300
            worth_retrying = status is None or retryable(status)
            if delivered or not worth_retrying or attempts >= self._settings.max_attempts:
                break
            wait = self.backoff(attempts)
            if time.monotonic() + wait >= deadline:
                break
            await self._sleep(wait)
        await self._webhooks.finish(delivery_id, delivered)
        outcome = "delivered" if delivered else "FAILED"
        log.info("callback %s %s to %s: %s after %d tries (%s)", event, delivery_id, url, outcome, attempts, status)
        return Delivery(delivery_id, delivered, attempts, status, error)

    async def _try(
        self, url: str, secret: str, event: str, delivery_id: str, data: Mapping[str, Any]
    ) -> tuple[int | None, str]:
        """One signed POST; returns the HTTP status (None when none came) and an error text."""
        timestamp = int(time.time())
        payload = {"event": event, "delivery_id": delivery_id, "timestamp": timestamp, "data": dict(data)}
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, body),
            TIMESTAMP_HEADER: str(timestamp),
            EVENT_HEADER: event,
        }
        timeout = aiohttp.ClientTimeout(total=self._settings.timeout_seconds)
        try:
            async with self._client().post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                await response.read()
                return response.status, "" if response.status < 400 else f"HTTP {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return None, f"{type(exc).__name__}: {exc}"

    async def _refused(self, delivery_id: str, event: str, url: str, why: str) -> Delivery:
        """Record a delivery whose URL may not be called as failed, without calling it."""
        await self._webhooks.attempt(delivery_id, None, why)
        await self._webhooks.finish(delivery_id, False)
        log.warning("callback %s %s to %s: REFUSED (%s)", event, delivery_id, url, why)
        return Delivery(delivery_id, False, 1, None, why)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            guarded = None if self._settings.allow_local_urls else GuardedResolver(ThreadedResolver())
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=guarded))
        return self._session

    async def close(self) -> None:
        """Close the HTTP client."""
        if self._session is not None:
            await self._session.close()


def appeal_answer_data(incident: Mapping[str, Any], appeal: Mapping[str, Any], answer: Notice) -> dict[str, Any]:
    """The ``data`` of an ``appeal.answered`` callback: ids, the outcome, what to undo and the user's message.

    It quotes no evidence: the app knows its own messages by their ids.
    """
    overturned = appeal["outcome"] == "overturned" and not incident["dry_run"]
    return {
        "tenant_id": incident["tenant_id"],
        "appeal": plain({name: appeal[name] for name in APPEAL_FIELDS}),
        "incident": plain({name: incident[name] for name in INCIDENT_FIELDS}),
        "undo": incident["action"] if overturned else None,
        "message": answer.to_dict(),
    }


class AppealCallbacks:
    """Sends answered appeals to the callback URL of their chat's policy, in the background.

    Args:
        policies: the chats' policies, where the callback URL is set.
        sender: what signs, sends, retries and records.
        close_grace_seconds: how long ``close`` waits for deliveries in flight before cancelling them.
    """

    def __init__(
        self, *, policies: PolicyAccess, sender: CallbackSender, close_grace_seconds: float = CLOSE_GRACE_SECONDS
    ) -> None:
        self._policies = policies
        self._sender = sender
        self._grace = close_grace_seconds
        self._tasks: set[asyncio.Task[Delivery | None]] = set()

    async def deliver(self, incident: Mapping[str, Any], appeal: Mapping[str, Any], answer: Notice) -> Delivery | None:
        """Send one answered appeal now; None when the chat's policy has no callback URL."""
        tenant_id = incident["tenant_id"]
        url = (await self._policies.policy(tenant_id, incident["chat_id"])).callback_url
        if not url:
            return None
        data = appeal_answer_data(incident, appeal, answer)
        return await self._sender.send(tenant_id, url, APPEAL_ANSWERED, appeal["id"], data)

    def appeal_answered(
        self, incident: Mapping[str, Any], appeal: Mapping[str, Any], answer: Notice
    ) -> asyncio.Task[Delivery | None]:
        """Start delivering an answered appeal in the background and return the task."""
        task = asyncio.create_task(self.deliver(incident, appeal, answer), name=f"callback-{appeal['id']}")
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    async def resolved(self, resolution: Resolution) -> None:
        """Listen to any channel's resolved review items (the API, the console): deliver each answered appeal."""
        if resolution.appeal is not None and resolution.answer is not None:
            self.appeal_answered(resolution.incident, resolution.appeal, resolution.answer)

    def _finished(self, task: asyncio.Task[Delivery | None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("callback delivery crashed", exc_info=task.exception())

    async def close(self) -> None:
        """Give deliveries in flight a short grace, cancel the rest, and close the HTTP client."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=self._grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self._sender.close()
