"""The moderator console over HTTP without a browser: sign-in, CSRF, roles, tenants, the queue, incidents,
policies and languages, against the real server on loopback with a real SQLite database and the real scorer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from bot.app import create_web_app
from bot.web.session import CONSOLE_PATH, COOKIE_NAME
from bot.web.texts import EN, ZH
from tests.test_console_site import (
    ADMIN,
    AGE_QUESTION,
    GROOMING_EN,
    GROOMING_ZH,
    MODERATOR,
    MUTE_EVERYTHING,
    REVIEW_EVERYTHING,
    Site,
    browser,
    running_site,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    async with running_site(tmp_path_factory.mktemp("console")) as running:
        yield running


async def open_item_ids(site: Site, chat_id: str, kind: str | None = None) -> list[str]:
    items = await site.services.reviews.list(site.tenant_id, status="open", chat_id=chat_id, kind=kind)
    return [item["id"] for item in items]


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


@pytest.mark.parametrize("path", ["/policies/some-chat", "/moderators", "/moderators/ada/state"])
async def test_console_moderator_cannot_change_admin_things(site: Site, path: str) -> None:
    form = {"name": "sneaky", "password": "x" * 12, "password_again": "x" * 12, "disabled": "1", "do": "save"}
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


async def test_console_queue_filters_by_chat_kind_and_status(site: Site) -> None:
    await site.post("filter-a", AGE_QUESTION, policy=REVIEW_EVERYTHING)
    await site.post("filter-b", AGE_QUESTION, policy=REVIEW_EVERYTHING)
    (item_a,) = await open_item_ids(site, "filter-a")
    (item_b,) = await open_item_ids(site, "filter-b")
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        _, only_a = await client.get("/queue?chat=filter-a")
        _, reports = await client.get("/queue?chat=filter-a&kind=report")
        await client.post(f"/reviews/{item_b}", {"outcome": "escalated", "note": "needs a second pair of eyes"})
        _, open_b = await client.get("/queue?chat=filter-b")
        _, escalated_b = await client.get("/queue?chat=filter-b&status=escalated")
    assert f'id="item-{item_a}"' in only_a and f'id="item-{item_b}"' not in only_a
    assert f'id="item-{item_a}"' not in reports and EN["queue_empty"] in reports
    assert f'id="item-{item_b}"' not in open_b
    assert f'id="item-{item_b}"' in escalated_b and "needs a second pair of eyes" in escalated_b


async def test_console_overturn_records_who_why_and_lifts_the_mute(site: Site) -> None:
    decisions = await site.post("punitive-room", GROOMING_EN, policy=MUTE_EVERYTHING)
    punitive = decisions[3]
    (item,) = [
        i
        for i in await site.services.reviews.list(site.tenant_id, chat_id="punitive-room", kind="punitive")
        if i["incident_id"] == punitive.incident_id
    ]
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        status, html = await client.post(f"/reviews/{item['id']}", {"outcome": "overturned", "note": "a parent"})
    incident = await site.services.incidents.get(site.tenant_id, punitive.incident_id)
    review = await site.services.reviews.get(site.tenant_id, item["id"])
    assert status == 200
    assert EN["resolved_flash"].format(outcome="overturned", name=MODERATOR[0]) in html
    assert (review["status"], review["resolved_by"], review["resolution_note"]) == ("overturned", "moe", "a parent")
    assert review["resolved_at"] is not None
    assert incident["status"] == "overturned"
    assert [r["id"] for r in site.reversals] == [punitive.incident_id]
    assert any(o["detail"].startswith("overturned by moe: ") for o in incident["outcomes"])


async def test_console_resolving_twice_is_refused_with_a_note(site: Site) -> None:
    await site.post("twice-room", AGE_QUESTION, policy=REVIEW_EVERYTHING)
    (item_id,) = await open_item_ids(site, "twice-room")
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        await client.get("/queue")
        await client.post(f"/reviews/{item_id}", {"outcome": "confirmed"})
        _, html = await client.post(f"/reviews/{item_id}", {"outcome": "overturned"})
    assert "already confirmed by ada" in html
    assert (await site.services.reviews.get(site.tenant_id, item_id))["status"] == "confirmed"


async def test_console_incident_page_shows_the_evidence(site: Site) -> None:
    decisions = await site.post("detail-room", GROOMING_EN, policy=REVIEW_EVERYTHING)
    incident_id = decisions[4].incident_id
    incident = await site.services.incidents.get(site.tenant_id, incident_id)
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        status, html = await client.get(f"/incidents/{incident_id}")
    assert status == 200
    assert GROOMING_EN[4][2].replace("'", "&#39;") in html
    assert GROOMING_EN[3][2] in html
    assert incident["row_hash"] in html and incident["prev_hash"] in html and incident["content_hash"] in html
    assert incident["model_version"] in html
    assert all(reason["signal"] in html for reason in incident["reasons"])
    assert EN["edit_policy"] not in html


async def test_console_incidents_list_filters_by_sender(site: Site) -> None:
    await site.post("list-room", GROOMING_EN, policy=REVIEW_EVERYTHING)
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        _, groomer = await client.get("/incidents?chat=list-room&user=stranger_k")
        _, child = await client.get("/incidents?chat=list-room&user=kid_m")
        _, nobody = await client.get("/incidents?chat=list-room&user=nobody")
        status, _ = await client.get("/incidents?cursor=not-a-cursor")
    assert groomer.count(f'href="{CONSOLE_PATH}/incidents/') == 4
    assert child.count(f'href="{CONSOLE_PATH}/incidents/') == 2
    assert EN["incidents_empty"] in nobody
    assert status == 400


async def test_console_appeal_is_answered_from_the_appeals_page(site: Site) -> None:
    decisions = await site.post("appeal-room", GROOMING_EN, policy=MUTE_EVERYTHING)
    punitive = decisions[4]
    appeal = await site.console.desk.appeal(
        site.tenant_id, punitive.incident_id, "stranger_k", "I was only asking about homework", "en"
    )
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        _, page = await client.get("/appeals")
        _, html = await client.post(
            f"/reviews/{appeal['review_id']}", {"outcome": "confirmed", "next": "/console/appeals"}
        )
    answered = await site.services.reviews.get(site.tenant_id, appeal["review_id"])
    assert f'id="appeal-{appeal["id"]}"' in page and "I was only asking about homework" in page
    assert answered["status"] == "confirmed"
    assert "The decision stands." in html


async def test_console_policy_errors_are_shown_next_to_their_field(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        _, page = await client.get("/policies/strict-room")
        form = _form_values(page) | {"mute_minutes": "soon", "review_at": "0.9", "do": "save"}
        status, html = await client.post("/policies/strict-room", form)
    assert status == 400
    assert re.search(r'id="error-mute_minutes" role="alert">[^<]*integer', html)
    assert 'id="error-thresholds"' not in html
    assert await site.services.policies.get(site.tenant_id, "strict-room") is None
    assert 'value="soon"' in html


async def test_console_policy_thresholds_must_ascend(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        _, page = await client.get("/policies/order-room")
        status, html = await client.post(
            "/policies/order-room", _form_values(page) | {"review_at": "0.9", "do": "save"}
        )
    assert status == 400
    assert re.search(r'id="error-thresholds" role="alert">thresholds must ascend', html)


async def test_console_policy_preview_changes_nothing_and_save_stores(site: Site) -> None:
    await site.post("preview-room", GROOMING_EN)
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        _, page = await client.get("/policies/preview-room")
        relaxed = _form_values(page) | {"warn_at": "1.01", "delete_at": "1.01", "mute_at": "1.01", "ban_at": "1.01"}
        status, preview = await client.post("/policies/preview-room", relaxed | {"do": "preview"})
        assert await site.services.policies.get(site.tenant_id, "preview-room") is None
        status_saved, saved = await client.post("/policies/preview-room", relaxed | {"do": "save"})
    stored = await site.services.policies.get(site.tenant_id, "preview-room")
    assert status == 200 and 'id="preview-summary"' in preview
    changed = re.search(r'id="preview-summary"><strong>(\d+) of (\d+)', preview)
    assert changed and int(changed.group(1)) >= 1 and int(changed.group(2)) == len(GROOMING_EN)
    assert status_saved == 200 and EN["saved"] in saved
    assert stored is not None and stored["ban_at"] == 1.01 and stored["review_at"] == 0.45


async def test_console_language_follows_the_browser_then_the_choice(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        _, chinese = await client.get("/queue", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
        await client.post("/language", {"lang": "en", "next": "/console/queue"})
        _, english = await client.get("/queue", headers={"Accept-Language": "zh-CN"})
    assert ZH["queue_title"] in chinese and '<html lang="zh-Hans">' in chinese
    assert EN["queue_title"] in english and ZH["queue_title"] not in english


async def test_console_chinese_conversation_reaches_the_queue(site: Site) -> None:
    await site.post("zh-room", GROOMING_ZH, policy=REVIEW_EVERYTHING)
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        await client.post("/language", {"lang": "zh-Hans", "next": ""})
        _, html = await client.get("/queue?chat=zh-room&status=all")
    assert GROOMING_ZH[1][2] in html
    assert ZH["confirm"] in html and ZH["stages"] in html


async def test_console_admin_adds_and_disables_a_moderator(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        await client.get("/moderators")
        _, mismatch = await client.post(
            "/moderators", {"name": "newbie", "role": "moderator", "password": "p" * 12, "password_again": "q" * 12}
        )
        _, added = await client.post(
            "/moderators", {"name": "newbie", "role": "moderator", "password": "p" * 12, "password_again": "p" * 12}
        )
        _, disabled = await client.post("/moderators/newbie/state", {"disabled": "1"})
        _, self_disable = await client.post(f"/moderators/{ADMIN[0]}/state", {"disabled": "1"})
    assert "the two passwords differ" in mismatch
    assert EN["moderator_added"].format(name="newbie") in added
    assert EN["moderator_changed"].format(name="newbie", state="disabled") in disabled
    assert await site.console.accounts.active("newbie") is None
    assert EN["cannot_disable_self"] in self_disable
    assert await site.console.accounts.active(ADMIN[0]) is not None


async def test_console_pages_send_security_headers(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        async with client.session.get(site.url("/queue")) as response:
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


async def test_console_is_mounted_by_the_composition_root(site: Site) -> None:
    app = create_web_app(site.services)
    paths = {resource.canonical for resource in app.router.resources()}
    assert CONSOLE_PATH in paths


def _form_values(page: str) -> dict[str, str]:
    """The policy form's current values as the browser would submit them (checked boxes only)."""
    values = dict(re.findall(r'<input id="[^"]+" name="([a-z_]+)" value="([^"]*)"', page))
    values |= {name: "on" for name in re.findall(r'name="([a-z_]+)" value="on" checked', page)}
    for name, text in re.findall(r'<textarea id="[^"]+" name="([a-z_]+)"[^>]*>([^<]*)</textarea>', page):
        values[name] = text
    for name, selected in re.findall(
        r'<select id="[^"]+" name="([a-z_]+)">.*?<option value="([^"]+)" selected', page, re.S
    ):
        values[name] = selected
    return values
