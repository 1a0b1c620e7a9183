"""The console and Telegram together, as the composition root wires them: an overturn in the console lifts the
Telegram mute or ban, and an appeal answered in the console reaches the Telegram user in their language.

python-telegram-bot's real client talks to the fake Bot API on loopback; the console is minorguard's real web
app on loopback, signed into over HTTP; a real SQLite file and the real rule-based scorer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.telegram import TelegramAdapter, telegram_adapter
from bot.app import Services, create_web_app, open_services, platforms_of
from bot.settings import ClassifierSettings, Settings, StorageSettings, TelegramSettings, WebSettings
from bot.web.accounts import Accounts
from bot.web.session import CONSOLE_PATH, CSRF_FIELD
from bot.web.texts import EN
from handlers.policy import ChatPolicy
from storage.moderators import SqlModeratorStore
from tests.fake_telegram import (
    GROOMER_EN,
    GROOMER_ZH,
    GROOMING_EN,
    GROOMING_ZH,
    GROUP_ID,
    TOKEN,
    FakeBotApi,
    conversation,
    message,
    private,
)
from tests.test_console_site import FAST_HASHER, MODERATOR, csrf_token_in


def punishing(action: str) -> ChatPolicy:
    """Every threshold up to ``action`` at 0.3, stronger ones off, no escalation; punitive actions queued."""
    names = ["review_at", "warn_at", "delete_at", "mute_at", "ban_at"]
    last = names.index(f"{action}_at")
    thresholds = {name: 0.3 if index <= last else 1.01 for index, name in enumerate(names)}
    return ChatPolicy(**thresholds, warn_limit=0, mute_limit=0, review_punitive=True)


@dataclass
class Console:
    """A signed-in console user of the running web app (cookies and the last page's CSRF token)."""

    http: aiohttp.ClientSession
    base_url: str
    token: str = ""

    async def get(self, path: str) -> str:
        async with self.http.get(f"{self.base_url}{CONSOLE_PATH}{path}") as response:
            html = await response.text()
        self.token = csrf_token_in(html) if f'name="{CSRF_FIELD}"' in html else self.token
        return html

    async def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        async with self.http.post(
            f"{self.base_url}{CONSOLE_PATH}{path}", data=form | {CSRF_FIELD: self.token}
        ) as response:
            html = await response.text()
        self.token = csrf_token_in(html) if f'name="{CSRF_FIELD}"' in html else self.token
        return response.status, html

    async def resolve(self, review_id: str, outcome: str, note: str = "") -> str:
        await self.get("/queue?status=all")
        status, html = await self.post(f"/reviews/{review_id}", {"outcome": outcome, "note": note, "next": ""})
        assert status == 200
        return html


@pytest.fixture
async def fake(aiohttp_server: Any) -> FakeBotApi:
    api = FakeBotApi()
    server = await aiohttp_server(api.app())
    api.base_url = str(server.make_url("/bot"))
    return api


@pytest.fixture
async def services(tmp_path: Path, fake: FakeBotApi) -> AsyncIterator[Services]:
    settings = Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        telegram=TelegramSettings(token=TOKEN, base_url=fake.base_url),
        web=WebSettings(session_secret="a test secret that is long enough"),
    )
    async with open_services(settings) as opened:
        yield opened


@pytest.fixture
async def adapter(services: Services) -> AsyncIterator[TelegramAdapter]:
    async with telegram_adapter(services, polling_timeout=1).running() as running:
        yield running


@pytest.fixture
async def console(services: Services, adapter: TelegramAdapter, aiohttp_server: Any) -> AsyncIterator[Console]:
    """The composition root's web app with the running bot's platform parts, and a moderator signed in."""
    server = await aiohttp_server(create_web_app(services, platforms_of(adapter)))
    await Accounts(SqlModeratorStore(services.database), FAST_HASHER).add(
        MODERATOR[0], MODERATOR[1], MODERATOR[1], "moderator"
    )
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        client = Console(http, str(server.make_url("")).rstrip("/"))
        await client.get("/login")
        status, _ = await client.post("/login", {"name": MODERATOR[0], "password": MODERATOR[1], "next": ""})
        assert status == 200
        tenants = await client.get("/tenants")
        assert adapter.tenant_id in tenants
        await client.post("/tenants", {"tenant": adapter.tenant_id, "next": ""})
        yield client


async def punitive_item(services: Services, tenant_id: str, action: str) -> dict[str, Any]:
    """The first open second-look item of an incident with this action."""
    items = await services.reviews.list(tenant_id, kind="punitive")
    return next(item for item in items if item["action"] == action)


async def test_telegram_console_overturn_of_a_mute_restores_the_chat_permissions(fake, services, adapter, console):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), punishing("mute"))
    await fake.play(conversation(GROOMING_EN))
    muted = fake.calls_to("restrictChatMember")
    assert muted and all(call["permissions"]["can_send_messages"] is False for call in muted)
    item = await punitive_item(services, adapter.tenant_id, "mute")

    html = await console.resolve(item["id"], "overturned", "a parent explained the chat")

    lifted = fake.calls_to("restrictChatMember")[len(muted) :]
    assert [(call["chat_id"], call["user_id"]) for call in lifted] == [(GROUP_ID, GROOMER_EN["id"])]
    assert lifted[0]["permissions"]["can_send_messages"] is True and "until_date" not in lifted[0]
    assert fake.calls_to("getChat")
    assert EN["reversal_flash"].format(detail="mute lifted") in html
    incident = await services.incidents.get(adapter.tenant_id, item["incident_id"])
    assert incident["status"] == "overturned"
    assert (incident["outcomes"][-1]["ok"], incident["outcomes"][-1]["detail"]) == (
        True,
        "overturned by moe (console): mute lifted",
    )


async def test_telegram_console_overturn_of_a_ban_unbans(fake, services, adapter, console):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), punishing("ban"))
    await fake.play(conversation(GROOMING_EN))
    assert fake.calls_to("banChatMember")
    item = await punitive_item(services, adapter.tenant_id, "ban")

    html = await console.resolve(item["id"], "overturned")

    [unban] = fake.calls_to("unbanChatMember")
    assert (unban["chat_id"], unban["user_id"], unban["only_if_banned"]) == (GROUP_ID, GROOMER_EN["id"], True)
    assert EN["reversal_flash"].format(detail="ban lifted; the user may rejoin") in html


async def test_telegram_console_overturn_of_a_delete_says_the_message_cannot_come_back(
    fake, services, adapter, console
):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), punishing("delete"))
    await fake.play(conversation(GROOMING_EN))
    item = await punitive_item(services, adapter.tenant_id, "delete")
    calls_before = len(fake.calls)

    html = await console.resolve(item["id"], "overturned")

    assert EN["deleted_not_restorable"] in html
    assert [call.method for call in fake.calls[calls_before:] if call.method != "getUpdates"] == []
    incident = await services.incidents.get(adapter.tenant_id, item["incident_id"])
    assert incident["text"] and incident["status"] == "overturned"


async def appealed(fake: FakeBotApi, services: Services, adapter: TelegramAdapter, groomer: dict[str, Any]) -> str:
    """Play the chat's grooming (muted), have the groomer /appeal the first mute privately; the appeal's item id."""
    [incident] = (await services.incidents.list(adapter.tenant_id, action="mute", limit=1))[0]
    fake.next_message_id += 1
    appeal = message(fake.next_message_id, private(groomer), groomer, f"/appeal {incident['id']} it was a joke")
    fake.queue(fake.update(message=appeal))
    await fake.wait_for("sendMessage", where=lambda call: call["chat_id"] == groomer["id"])
    [item] = await services.reviews.list(adapter.tenant_id, kind="appeal")
    return item["id"]


async def test_telegram_console_answer_reaches_the_user_privately_in_their_language(fake, services, adapter, console):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), punishing("mute"))
    await fake.play(conversation(GROOMING_ZH))
    item_id = await appealed(fake, services, adapter, GROOMER_ZH)
    private_before = len(fake.sent_to(GROOMER_ZH["id"]))

    await console.resolve(item_id, "confirmed", "证据充分")

    answers = fake.sent_to(GROOMER_ZH["id"])[private_before:]
    item = await services.reviews.get(adapter.tenant_id, item_id)
    assert [answer["text"] for answer in answers] == [
        f"minorguard：管理员已审核你对记录 {item['incident_id']} 的申诉，维持原处理决定。 管理员备注：证据充分"
    ]


async def test_telegram_console_answer_falls_back_to_the_chat_when_the_bot_may_not_write(
    fake, services, adapter, console
):
    await services.moderator.set_policy(adapter.tenant_id, str(GROUP_ID), punishing("mute"))
    await fake.play(conversation(GROOMING_EN))
    item_id = await appealed(fake, services, adapter, GROOMER_EN)
    fake.fail("sendMessage", "Forbidden: bot can't initiate conversation with a user", status=403)
    sent_before = len(fake.calls_to("sendMessage"))

    await console.resolve(item_id, "overturned", "sorry")

    refused, in_chat = fake.calls_to("sendMessage")[sent_before:]
    item = await services.reviews.get(adapter.tenant_id, item_id)
    incident = await services.incidents.get(adapter.tenant_id, item["incident_id"])
    assert refused["chat_id"] == GROOMER_EN["id"]
    assert in_chat["chat_id"] == GROUP_ID
    assert in_chat["reply_parameters"]["message_id"] == int(incident["message_id"])
    assert re.search(rf"accepted your appeal about {incident['id']}.*Moderator's note: sorry", in_chat["text"])
    assert fake.calls_to("restrictChatMember")[-1]["permissions"]["can_send_messages"] is True
