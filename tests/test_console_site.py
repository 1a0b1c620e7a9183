"""Helpers of the console tests (no tests here): minorguard's real web server with the console on loopback,
a real SQLite file, the real rule-based scorer, console accounts and invented chats pushed through the pipeline.

Every conversation, name and handle below is invented for these tests.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from pydantic import SecretStr

from bot.app import Services, open_services
from bot.settings import ClassifierSettings, Settings, StorageSettings, WebSettings
from bot.web.console import create_console_app
from bot.web.deps import CONSOLE, Console
from bot.web.session import CONSOLE_PATH, CSRF_FIELD
from handlers.model import Decision, IncomingMessage
from handlers.policy import ChatPolicy
from handlers.review import ActionReverser

FAST_HASHER = PasswordHasher.from_parameters(CHEAPEST)
"""argon2id with the cheapest parameters, so that each test sign-in takes milliseconds, not a second."""

ADMIN = ("ada", "ada-long-password", "admin")
MODERATOR = ("moe", "moe-long-password", "moderator")

GROOMING_EN = (
    ("kid_m", None, "finally done with my maths homework, mum says lights out at nine"),
    ("stranger_k", "kid_m", "how old are you? what school do you go to?"),
    ("kid_m", "stranger_k", "i'm 11, year six"),
    ("stranger_k", "kid_m", "you are so grown up for your age, my special friend"),
    ("stranger_k", "kid_m", "don't tell your mum about our chats ok, our little secret"),
    ("stranger_k", "kid_m", "message me on snapchat instead: cool_guy_4521"),
)
GROOMING_ZH = (
    ("xiaoyu", None, "今天作业好多，妈妈说九点前要睡觉"),
    ("laowang", "xiaoyu", "你今年几岁？在哪个学校上学？"),
    ("xiaoyu", "laowang", "我十一岁，五年级"),
    ("laowang", "xiaoyu", "你比同龄人成熟多了，是我特别的朋友"),
    ("laowang", "xiaoyu", "别告诉你妈妈我们聊天的事，这是我们的秘密"),
)
AGE_QUESTION = (("curious_c", "newbie_n", "how old are you? are you home alone right now?"),)

REVIEW_EVERYTHING = ChatPolicy(review_at=0.0, warn_at=1.01, delete_at=1.01, mute_at=1.01, ban_at=1.01)
"""Queues every message for review whatever the detector says, so that a test's queue does not hang on its scores."""

MUTE_EVERYTHING = ChatPolicy(
    review_at=0.0, warn_at=0.0, delete_at=0.0, mute_at=0.0, ban_at=1.01, mute_limit=0, review_punitive=True
)
"""Mutes the sender of every message and queues the mute for a second look, whatever the detector says."""
REPORTED_EN = ("gamer_g", "kid_m", "wanna trade skins? I can give you free ones if you add me on discord")
FOLLOW_UP_EN = ("stranger_k", "kid_m", "you're my special friend, don't tell anyone, add me on snapchat cool_guy_4521")

Line = tuple[str, str | None, str]


@dataclass
class Site:
    """A running minorguard web server with the console, and what the tests need to drive it."""

    services: Services
    console: Console
    base_url: str
    tenant_id: str
    other_tenant_id: str
    reversals: list[Mapping[str, Any]]

    def url(self, path: str) -> str:
        """The absolute URL of a console path such as "/queue"."""
        return f"{self.base_url}{CONSOLE_PATH}{path}"

    async def post(
        self,
        chat_id: str,
        lines: tuple[Line, ...],
        first: int = 0,
        tenant_id: str | None = None,
        policy: ChatPolicy | None = None,
    ) -> list[Decision]:
        """Run the lines through the pipeline as messages ``first``, ``first + 1``, … of the chat, a minute apart.

        With a ``policy``, the chat gets it first.
        """
        if policy is not None:
            await self.services.moderator.set_policy(tenant_id or self.tenant_id, chat_id, policy)
        return await self.services.moderator.process(self.messages(chat_id, lines, first, tenant_id))

    def messages(
        self, chat_id: str, lines: tuple[Line, ...], first: int = 0, tenant_id: str | None = None
    ) -> list[IncomingMessage]:
        """The lines as messages ``first``, ``first + 1``, … of the chat, a minute apart, ending three hours ago."""
        start = datetime.now(UTC) - timedelta(hours=3)
        return [
            IncomingMessage(
                tenant_id=tenant_id or self.tenant_id,
                platform="chatapp",
                chat_id=chat_id,
                message_id=f"{chat_id}-{first + number}",
                sender_id=sender,
                text=text,
                sent_at=start + timedelta(minutes=first + number),
                reply_to_user_id=target,
            )
            for number, (sender, target, text) in enumerate(lines)
        ]


class RecordingPlatform:
    """A chat platform's undo button: lifts mutes and bans by writing them down (stands in for Telegram)."""

    def __init__(self, reversals: list[Mapping[str, Any]]) -> None:
        self._reversals = reversals

    async def reverse(self, incident: Mapping[str, Any]) -> tuple[bool, str]:
        """Record the incident and report the lift."""
        self._reversals.append(incident)
        return True, f"{incident['action']} of {incident['sender_id']} lifted"


def site_settings(tmp_path: Path, secure_cookies: bool = False) -> Settings:
    """Settings over a SQLite file in ``tmp_path`` and the rule-based scorer."""
    return Settings(
        storage=StorageSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
        web=WebSettings(session_secret=SecretStr("a test secret that is long enough"), secure_cookies=secure_cookies),
    )


async def open_item_ids(site: Site, chat_id: str, kind: str | None = None) -> list[str]:
    """The ids of the open review items of one chat (of one kind, when given), oldest first."""
    items = await site.services.reviews.list(site.tenant_id, status="open", chat_id=chat_id, kind=kind)
    return [item["id"] for item in items]


@asynccontextmanager
async def running_site(tmp_path: Path, secure_cookies: bool = False) -> AsyncIterator[Site]:
    """Open the services, mount the console at /console, listen on 127.0.0.1 (a free port), add two tenants
    and the two accounts ``ADMIN`` and ``MODERATOR``."""
    async with open_services(site_settings(tmp_path, secure_cookies)) as services:
        reversals: list[Mapping[str, Any]] = []
        reversers: dict[str, ActionReverser] = {"chatapp": RecordingPlatform(reversals)}
        console_app = create_console_app(services, reversers=reversers, hasher=FAST_HASHER)
        app = web.Application()
        app.add_subapp(CONSOLE_PATH, console_app)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        try:
            tenant_id, _ = await services.tenants.create("Homework Club")
            other_tenant_id, _ = await services.tenants.create("Other App")
            console = console_app[CONSOLE]
            for name, password, role in (ADMIN, MODERATOR):
                await console.accounts.add(name, password, password, role)
            yield Site(services, console, f"http://{host}:{port}", tenant_id, other_tenant_id, reversals)
        finally:
            await runner.cleanup()


def csrf_token_in(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class Browser:
    """A plain HTTP client of the console with its own cookies (a "browser" without JavaScript)."""

    def __init__(self, site: Site, session: aiohttp.ClientSession) -> None:
        self.site = site
        self.session = session
        self.token = ""

    async def get(self, path: str, **kwargs: Any) -> tuple[int, str]:
        """GET a console path, following redirects; remembers the page's CSRF token."""
        async with self.session.get(self.site.url(path), **kwargs) as response:
            html = await response.text()
        if f'name="{CSRF_FIELD}"' in html:
            self.token = csrf_token_in(html)
        return response.status, html

    async def post(self, path: str, data: Mapping[str, Any], token: str | None = "page") -> tuple[int, str]:
        """POST a form with the last page's CSRF token (``token=None`` sends none; a string sends that one)."""
        form = dict(data)
        if token is not None:
            form[CSRF_FIELD] = self.token if token == "page" else token
        async with self.session.post(self.site.url(path), data=form) as response:
            html = await response.text()
        if f'name="{CSRF_FIELD}"' in html:
            self.token = csrf_token_in(html)
        return response.status, html

    async def sign_in(self, account: tuple[str, str, str]) -> tuple[int, str]:
        """Sign in with an account from this module and choose the site's first tenant."""
        await self.get("/login")
        status, html = await self.post("/login", {"name": account[0], "password": account[1], "next": ""})
        if status == 200:
            await self.get("/tenants")
            status, html = await self.post("/tenants", {"tenant": self.site.tenant_id, "next": ""})
        return status, html


@asynccontextmanager
async def browser(site: Site) -> AsyncIterator[Browser]:
    """A cookie-keeping HTTP client of the site (cookies for 127.0.0.1 allowed)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield Browser(site, session)
