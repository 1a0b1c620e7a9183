"""Webhook mode: minorguard's own aiohttp server receives Telegram's updates, checked against the secret token,
and hands them to python-telegram-bot's update queue; the fake Bot API delivers them like Telegram does."""

import socket
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.adapters.telegram import configured_adapter, start_telegram
from bot.app import create_web_app, open_services
from bot.settings import ClassifierSettings, Settings, StorageSettings, TelegramSettings
from tests.fake_telegram import ADMIN, GROOMER_EN, GROOMING_EN, TOKEN, FakeBotApi, conversation, group, message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def fake(aiohttp_server):
    api = FakeBotApi()
    server = await aiohttp_server(api.app())
    api.base_url = str(server.make_url("/bot"))
    return api


def webhook_settings(tmp_path, fake, secret):
    port = free_port()
    telegram = TelegramSettings(
        token=TOKEN,
        base_url=fake.base_url,
        webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
        webhook_secret=SecretStr(secret) if secret else None,
    )
    settings = Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        telegram=telegram,
    )
    return settings, port


async def post_update(url, update, headers):
    async with aiohttp.ClientSession() as session, session.post(url, json=update, headers=headers) as response:
        return response.status


async def test_telegram_webhook_rejects_a_wrong_secret_and_processes_the_right_one(tmp_path, fake, aiohttp_server):
    settings, port = webhook_settings(tmp_path, fake, "s3cret-token_1")
    async with open_services(settings) as services:
        adapter = configured_adapter(services)
        app = create_web_app(services)
        async with start_telegram(adapter, app):
            await aiohttp_server(app, port=port)
            assert adapter.application.updater is None
            assert fake.webhook["url"] == f"http://127.0.0.1:{port}/telegram/hook"
            assert fake.webhook["secret_token"] == "s3cret-token_1"
            assert set(fake.webhook["allowed_updates"]) == {"message", "edited_message", "callback_query"}
            start = fake.update(message=message(77, group(), ADMIN, "/start"))

            assert await fake.deliver(start, secret="wrong") == 403
            assert await post_update(fake.webhook["url"], start, {}) == 403
            assert (
                await post_update(fake.webhook["url"], [1, 2], {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"})
                == 400
            )
            assert await fake.deliver(start) == 200
            for sent in conversation(GROOMING_EN):
                assert await fake.deliver(fake.update(message=sent)) == 200
            banned = await fake.wait_for("banChatMember")

    answers = [c for c in fake.calls_to("sendMessage") if c.get("reply_parameters", {}).get("message_id") == 77]
    assert len(answers) == 1
    assert banned[0]["user_id"] == GROOMER_EN["id"]
    assert "getUpdates" not in {call.method for call in fake.calls}


async def test_telegram_webhook_without_a_configured_secret_uses_a_random_one(tmp_path, fake, aiohttp_server):
    settings, port = webhook_settings(tmp_path, fake, None)
    async with open_services(settings) as services:
        app = create_web_app(services)
        async with start_telegram(configured_adapter(services), app):
            await aiohttp_server(app, port=port)
            secret = fake.webhook["secret_token"]
            update = fake.update(message=message(78, group(), ADMIN, "/start"))

            assert len(secret) >= 32
            assert await fake.deliver(update, secret="") == 403
            assert await fake.deliver(update) == 200
            await fake.wait_for("sendMessage")


async def test_telegram_not_started_without_a_token(tmp_path):
    settings = Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
    )
    async with open_services(settings) as services:
        adapter = configured_adapter(services)
        app = create_web_app(services)
        routes = len(app.router.routes())
        async with start_telegram(adapter, app):
            assert adapter is None
        assert len(app.router.routes()) == routes
