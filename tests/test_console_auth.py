"""Who may use the console, over HTTP without a browser: sign-in, throttling, sessions and their cookie, CSRF,
roles and tenants, against the real server on loopback with a real SQLite database and the real scorer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from bot.web.session import CONSOLE_PATH, COOKIE_NAME
from bot.web.texts import EN
from tests.test_console_site import (
    ADMIN,
    AGE_QUESTION,
    GROOMING_EN,
    MODERATOR,
    REVIEW_EVERYTHING,
    Site,
    browser,
    open_item_ids,
    running_site,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    async with running_site(tmp_path_factory.mktemp("console")) as running:
        yield running


@pytest.mark.parametrize("path", ["/queue", "/incidents", "/appeals", "/dashboard", "/policies", "/moderators", "/"])
async def test_console_pages_redirect_to_login_when_signed_out(site: Site, path: str) -> None:
    async with browser(site) as client:
        status, html = await client.get(path)
    assert status == 200
    assert 'id="password"' in html
    assert EN["evidence_note"] in html


async def test_console_incident_evidence_needs_sign_in(site: Site) -> None:
    decisions = await site.post("evidence-room", GROOMING_EN, policy=REVIEW_EVERYTHING)
    incident_id = decisions[4].incident_id
    async with browser(site) as client:
        async with client.session.get(site.url(f"/incidents/{incident_id}"), allow_redirects=False) as response:
            body = await response.text()
            assert response.status == 303
            assert response.headers["Location"].startswith(f"{CONSOLE_PATH}/login?next=")
    assert GROOMING_EN[4][2] not in body


async def test_console_static_assets_are_public(site: Site) -> None:
    async with browser(site) as client:
        async with client.session.get(site.url("/static/console.css")) as response:
            assert response.status == 200
        async with client.session.get(site.url("/static/vendor/chart.umd.min.js")) as response:
            assert response.status == 200
            assert "Chart.js" in (await response.text())[:200]


async def test_console_login_rejects_wrong_password(site: Site) -> None:
    async with browser(site) as client:
        await client.get("/login")
        status, html = await client.post("/login", {"name": ADMIN[0], "password": "not the password", "next": ""})
        assert status == 401
        assert EN["login_failed"] in html
        status, html = await client.get("/queue")
    assert 'id="password"' in html


@pytest.mark.parametrize("name", ["nobody-by-this-name", ""])
async def test_console_login_rejects_unknown_name(site: Site, name: str) -> None:
    async with browser(site) as client:
        await client.get("/login")
        status, html = await client.post("/login", {"name": name, "password": ADMIN[1], "next": ""})
    assert status == 401
    assert EN["login_failed"] in html


async def test_console_login_throttles_repeated_failures(site: Site) -> None:
    await site.console.accounts.add("target", "target-password", "target-password", "moderator")
    async with browser(site) as client:
        await client.get("/login")
        statuses = [
            (await client.post("/login", {"name": "target", "password": f"guess {n}", "next": ""}))[0] for n in range(5)
        ]
        status, html = await client.post("/login", {"name": "target", "password": "target-password", "next": ""})
    assert statuses == [401] * 5
    assert status == 429
    assert EN["login_throttled"] in html


async def test_console_login_and_logout(site: Site) -> None:
    async with browser(site) as client:
        status, html = await client.sign_in(MODERATOR)
        assert status == 200
        assert EN["signed_in_as"].format(name=MODERATOR[0], role=EN["role_moderator"]) in html
        status, html = await client.post("/logout", {})
        assert 'id="password"' in html
        status, html = await client.get("/queue")
    assert 'id="password"' in html


async def test_console_login_returns_to_the_page_asked_for(site: Site) -> None:
    async with browser(site) as client:
        await client.get("/dashboard")
        next_page = re.search(
            r'id="login-next" name="next" value="([^"]+)"', (await client.get("/dashboard?days=7"))[1]
        )
        assert next_page and next_page.group(1) == f"{CONSOLE_PATH}/dashboard?days=7"
        await client.post("/login", {"name": ADMIN[0], "password": ADMIN[1], "next": "https://elsewhere.example/"})
        async with client.session.get(site.url("/tenants")) as response:
            assert response.status == 200
        await client.post("/tenants", {"tenant": site.tenant_id, "next": next_page.group(1)})
        async with client.session.get(site.url("/dashboard?days=7")) as response:
            assert str(response.url).endswith("/dashboard?days=7")


@pytest.mark.parametrize("token", [None, "forged-token"], ids=["missing", "wrong"])
async def test_console_post_without_the_session_csrf_token_is_forbidden(site: Site, token: str | None) -> None:
    chat_id = f"csrf-room-{token}"
    await site.post(chat_id, AGE_QUESTION, policy=REVIEW_EVERYTHING)
    (review_id,) = await open_item_ids(site, chat_id)
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        status, body = await client.post(f"/reviews/{review_id}", {"outcome": "confirmed", "next": ""}, token=token)
        assert status == 403
        assert "CSRF" in body
        assert (await site.services.reviews.get(site.tenant_id, review_id))["status"] == "open"
        status, _ = await client.post(f"/reviews/{review_id}", {"outcome": "confirmed", "next": ""})
    assert status == 200
    assert (await site.services.reviews.get(site.tenant_id, review_id))["status"] == "confirmed"


async def test_console_login_form_needs_its_csrf_token(site: Site) -> None:
    async with browser(site) as client:
        await client.get("/login")
        status, _ = await client.post("/login", {"name": ADMIN[0], "password": ADMIN[1], "next": ""}, token=None)
    assert status == 403


async def test_console_csrf_token_of_another_session_is_refused(site: Site) -> None:
    async with browser(site) as first, browser(site) as second:
        await first.sign_in(ADMIN)
        await second.sign_in(ADMIN)
        status, _ = await second.post("/language", {"lang": "zh-Hans", "next": ""}, token=first.token)
    assert status == 403


@pytest.mark.parametrize("path", ["/policies", "/policies/some-chat", "/moderators"])
async def test_console_moderator_cannot_open_admin_pages(site: Site, path: str) -> None:
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        status, html = await client.get(path)
    assert status == 403
    assert EN["forbidden"] in html


@pytest.mark.parametrize("path", ["/policies/some-chat", "/moderators", "/moderators/state"])
async def test_console_moderator_cannot_change_admin_things(site: Site, path: str) -> None:
    form = {"name": "sneaky", "password": "x" * 12, "password_again": "x" * 12, "disabled": "1", "do": "save"}
    form |= {"name": "ada"} if path.endswith("/state") else {}
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        status, _ = await client.post(path, form)
    assert status == 403
    assert await site.console.accounts.active("sneaky") is None
    assert await site.console.accounts.active("ada") is not None
    assert await site.services.policies.get(site.tenant_id, "some-chat") is None


async def test_console_moderator_nav_hides_admin_pages(site: Site) -> None:
    async with browser(site) as client:
        _, moderator_page = await client.sign_in(MODERATOR)
    async with browser(site) as client:
        _, admin_page = await client.sign_in(ADMIN)
    assert f'href="{CONSOLE_PATH}/policies"' not in moderator_page
    assert f'href="{CONSOLE_PATH}/policies"' in admin_page


async def test_console_disabled_account_loses_its_session(site: Site) -> None:
    await site.console.accounts.add("leaver", "leaver-password", "leaver-password", "moderator")
    async with browser(site) as client:
        status, _ = await client.sign_in(("leaver", "leaver-password", "moderator"))
        assert status == 200
        assert await site.console.accounts.set_disabled("leaver", True)
        _, html = await client.get("/queue")
        assert 'id="password"' in html
        status, html = await client.post("/login", {"name": "leaver", "password": "leaver-password", "next": ""})
    assert status == 401


async def test_console_tenant_picker_says_accounts_are_global(site: Site) -> None:
    async with browser(site) as client:
        await client.get("/login")
        await client.post("/login", {"name": ADMIN[0], "password": ADMIN[1], "next": ""})
        status, html = await client.get("/queue")
    assert status == 200
    assert EN["tenants_global_note"] in html
    assert "Homework Club" in html and "Other App" in html


async def test_console_incident_of_another_tenant_is_not_found(site: Site) -> None:
    decisions = await site.post("other-room", GROOMING_EN, tenant_id=site.other_tenant_id, policy=REVIEW_EVERYTHING)
    incident_id = decisions[1].incident_id
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        status, html = await client.get(f"/incidents/{incident_id}")
        assert status == 404
        assert GROOMING_EN[1][2] not in html
        await client.post("/tenants", {"tenant": site.other_tenant_id, "next": ""})
        status, html = await client.get(f"/incidents/{incident_id}")
    assert status == 200
    assert GROOMING_EN[1][2] in html


async def test_console_unknown_tenant_cannot_be_chosen(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        await client.post("/tenants", {"tenant": "not-a-tenant", "next": ""})
        _, html = await client.get("/queue")
    assert "Homework Club" in html
    assert re.search(rf'<option value="{site.tenant_id}" selected>', html)


@pytest.mark.parametrize(("path", "status"), [("/queue", 200), ("/moderators", 403), ("/incidents/no-such", 404)])
async def test_console_pages_send_security_headers(site: Site, path: str, status: int) -> None:
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        async with client.session.get(site.url(path)) as response:
            assert response.status == status
            headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
async def test_console_session_cookie_is_httponly_lax_scoped_and_secure_when_asked(
    tmp_path: Path, secure: bool
) -> None:
    async with running_site(tmp_path, secure_cookies=secure) as site:
        async with aiohttp.ClientSession() as session:
            async with session.get(site.url("/login")) as response:
                cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == CONSOLE_PATH
    assert bool(cookie["secure"]) is secure
