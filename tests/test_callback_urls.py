"""Callback URLs against SSRF: https and public addresses only, unless ``callbacks.allow_local_urls`` says
otherwise; checked when a policy sets one (HTTP API, console) and again at delivery. Real loopback servers,
real SQLite, the system resolver (IP literals and ``localhost`` only, so that no test needs the network)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.resolver import ThreadedResolver

from bot.app import Services, create_web_app, open_services
from bot.callback_urls import CallbackUrlRefused, GuardedResolver, check_callback_url
from bot.callbacks import APPEAL_ANSWERED, CallbackSender
from bot.settings import CallbackSettings, ClassifierSettings, Settings, StorageSettings, WebSettings
from bot.web.policies import callback_url_errors
from handlers.policy import ChatPolicy
from storage.webhooks import SqlWebhookStore

PUBLIC_V4 = "https://93.184.216.34/minorguard/answers"
PUBLIC_V6 = "https://[2606:4700:4700::1111]:8443/answers"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://10.1.2.3/hook", "private address"),
        ("https://192.168.0.10/hook", "private address"),
        ("https://[fd00::1]/hook", "private address"),
        ("https://127.0.0.1:8443/hook", "loopback address"),
        ("https://[::1]/hook", "loopback address"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback address"),
        ("https://localhost/hook", "loopback address"),
        ("https://169.254.169.254/latest/meta-data", "link-local address"),
        ("https://[fe80::1]/hook", "link-local address"),
        ("https://224.0.0.251/hook", "multicast address"),
        ("https://[ff02::1]/hook", "multicast address"),
        ("https://240.0.0.1/hook", "reserved address"),
        ("https://0.0.0.0/hook", "unspecified address"),
        ("https://100.64.0.1/hook", "non-public address"),
        ("http://93.184.216.34/hook", "must be an https:// URL"),
        ("ftp://93.184.216.34/hook", "must be an https:// URL"),
        ("/relative/hook", "must be an https:// URL"),
        ("https:///no-host", "has no host"),
        ("https://user:pass@93.184.216.34/hook", "credentials"),
        ("https://93.184.216.34:99999/hook", "not a valid URL"),
        ("https://no-such-host.invalid/hook", "resolves to no address"),
    ],
)
async def test_callback_urls_refuses_each_class(url, why):
    with pytest.raises(CallbackUrlRefused, match=why) as refused:
        await check_callback_url(url, allow_local=False)
    assert str(refused.value).startswith("callback_url: ") and refused.value.field == "callback_url"


@pytest.mark.parametrize("url", [PUBLIC_V4, PUBLIC_V6])
async def test_callback_urls_accepts_public_https(url):
    await check_callback_url(url, allow_local=False)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "https://10.1.2.3/hook", "http://localhost/hook"])
async def test_callback_urls_local_ones_only_when_the_setting_allows(url):
    with pytest.raises(CallbackUrlRefused):
        await check_callback_url(url, allow_local=False)
    await check_callback_url(url, allow_local=True)


async def test_callback_urls_allowed_setting_still_wants_a_web_url():
    with pytest.raises(CallbackUrlRefused, match="https:// URL"):
        await check_callback_url("file:///etc/passwd", allow_local=True)


async def test_callback_urls_resolver_refuses_local_names_at_connect_time():
    guarded = GuardedResolver(ThreadedResolver())
    try:
        with pytest.raises(OSError, match="loopback address"):
            await guarded.resolve("localhost", 443, socket.AF_INET)
    finally:
        await guarded.close()


def settings_for(tmp_path: Path, allow_local: bool) -> Settings:
    return Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        web=WebSettings(session_secret="a test secret that is long enough"),
        callbacks=CallbackSettings(max_attempts=2, first_delay_seconds=0.01, allow_local_urls=allow_local),
    )


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(settings_for(tmp_path, allow_local=False)) as opened:
        yield opened


async def put_policy(client: Any, key: str, body: dict[str, Any]) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    async with client.put("/api/v1/chats/room/policy", json=body, headers=headers) as response:
        return response.status, await response.json()


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.216.34/hook", "https"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://169.254.169.254/", "link-local"),
        ("https://10.0.0.7/hook", "private"),
    ],
)
async def test_callback_urls_api_refuses_with_422_naming_the_field(services, aiohttp_client, url, why):
    client = await aiohttp_client(create_web_app(services))
    tenant_id, key = await services.tenants.create("app")
    status, body = await put_policy(client, key, {"callback_url": url, "warn_at": 0.5})
    assert status == 422, body
    assert body["error"]["field"] == "callback_url" and why in body["error"]["message"]
    assert (await services.moderator.policy(tenant_id, "room")).warn_at != 0.5


async def test_callback_urls_api_accepts_a_public_https_url(services, aiohttp_client):
    client = await aiohttp_client(create_web_app(services))
    tenant_id, key = await services.tenants.create("app")
    status, body = await put_policy(client, key, {"callback_url": PUBLIC_V4})
    assert status == 200 and body["callback_url"] == PUBLIC_V4
    assert (await services.moderator.policy(tenant_id, "room")).callback_url == PUBLIC_V4


async def test_callback_urls_console_form_error_names_the_field():
    current = ChatPolicy(callback_url="https://127.0.0.1/already-stored")
    refused = await callback_url_errors(ChatPolicy(callback_url="https://192.168.1.1/x"), current, allow_local=False)
    unchanged = await callback_url_errors(current, current, allow_local=False)
    public = await callback_url_errors(ChatPolicy(callback_url=PUBLIC_V4), current, allow_local=False)
    assert list(refused) == ["callback_url"] and "private address" in refused["callback_url"]
    assert unchanged == {} and public == {}


async def test_callback_urls_checked_again_at_delivery(tmp_path, database, tenant, aiohttp_server):
    received: list[bytes] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", hook)
    url = str((await aiohttp_server(app)).make_url("/hook"))
    webhooks = SqlWebhookStore(database)
    strict = CallbackSender(webhooks=webhooks, settings=settings_for(tmp_path, allow_local=False).callbacks)
    lenient = CallbackSender(webhooks=webhooks, settings=settings_for(tmp_path, allow_local=True).callbacks)

    refused = await strict.send(tenant, url, APPEAL_ANSWERED, "appeal-local", {"outcome": "confirmed"})
    moved = url.replace("http://127.0.0.1", "https://localhost")
    rebound = await strict.send(tenant, moved, APPEAL_ANSWERED, "appeal-rebound", {"outcome": "confirmed"})
    delivered = await lenient.send(tenant, url, APPEAL_ANSWERED, "appeal-allowed", {"outcome": "confirmed"})
    await strict.close()
    await lenient.close()

    assert not refused.delivered and "must be an https:// URL" in refused.last_error
    assert not rebound.delivered and "resolves to a loopback address" in rebound.last_error
    assert delivered.delivered and len(received) == 1
    [record] = await webhooks.deliveries(tenant, "appeal-local")
    assert record["status"] == "failed" and "https" in record["last_error"]
