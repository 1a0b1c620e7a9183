"""An app user's appeal answered in the console goes to the tenant's callback URL as the signed webhook, as one
answered through the API does: minorguard's real web app and a real loopback receiver, a real SQLite file."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import create_web_app, open_services
from bot.settings import CallbackSettings, ClassifierSettings, Settings, StorageSettings, WebSettings
from bot.web.accounts import Accounts
from storage.moderators import SqlModeratorStore
from storage.webhooks import SqlWebhookStore
from tests.test_console_site import FAST_HASHER, MODERATOR
from tests.test_telegram_console import Console

WARN_EVERYTHING = {"review_at": 0.0, "warn_at": 0.0}


async def test_console_callbacks_answer_in_console_reaches_the_tenant_webhook(tmp_path: Path, aiohttp_server: Any):
    received: list[tuple[str, bytes]] = []
    arrived = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers["X-Minorguard-Signature"], await request.read()))
        arrived.set()
        return web.json_response({})

    receiver = web.Application()
    receiver.router.add_post("/answers", hook)
    hook_url = str((await aiohttp_server(receiver)).make_url("/answers"))
    settings = Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        web=WebSettings(session_secret="a test secret that is long enough"),
        callbacks=CallbackSettings(allow_local_urls=True),
    )
    async with open_services(settings) as services:
        server = await aiohttp_server(create_web_app(services))
        base = str(server.make_url("")).rstrip("/")
        tenant_id, key = await services.tenants.create("chat app")
        await Accounts(SqlModeratorStore(services.database), FAST_HASHER).add(*MODERATOR[:2], MODERATOR[1], "moderator")
        headers = {"Authorization": f"Bearer {key}"}
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            policy = WARN_EVERYTHING | {"callback_url": hook_url}
            async with http.put(f"{base}/api/v1/chats/room/policy", json=policy, headers=headers) as response:
                assert response.status == 200, await response.text()
            message = {"chat_id": "room", "message_id": "m-1", "sender_id": "player-7", "text": "gg, well played"}
            async with http.post(f"{base}/api/v1/messages", json=message, headers=headers) as response:
                incident_id = (await response.json())["incident_id"]
            appeal_in = {"incident_id": incident_id, "user_id": "player-7", "text": "I was joking", "lang": "zh-CN"}
            async with http.post(f"{base}/api/v1/appeals", json=appeal_in, headers=headers) as response:
                appeal = await response.json()
                assert response.status == 201, appeal

            console = Console(http, base)
            await console.get("/login")
            await console.post("/login", {"name": MODERATOR[0], "password": MODERATOR[1], "next": ""})
            await console.get("/tenants")
            await console.post("/tenants", {"tenant": tenant_id, "next": ""})
            await console.resolve(appeal["review_id"], "overturned", "误判，抱歉")
            await asyncio.wait_for(arrived.wait(), timeout=10)
        secret = await SqlWebhookStore(services.database).secret(tenant_id)

    [(signature, body)] = received
    assert hmac.compare_digest(signature, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest())
    payload = json.loads(body)
    assert payload["event"] == "appeal.answered"
    data = payload["data"]
    assert data["appeal"]["id"] == appeal["id"] and data["appeal"]["outcome"] == "overturned"
    assert data["undo"] == "warn" and data["message"]["lang"] == "zh" and "误判，抱歉" in data["message"]["text"]
