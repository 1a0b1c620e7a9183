"""The console's pages over HTTP without a browser: the queue, incidents, appeals, policies, moderators and
languages, against the real server on loopback with a real SQLite database and the real scorer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from bot.app import create_web_app
from bot.appeal_deadlines import AppealDeadlines
from bot.web.session import CONSOLE_PATH
from bot.web.texts import EN, ZH
from storage.appeals import SqlAppealStore
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
    open_item_ids,
    running_site,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    async with running_site(tmp_path_factory.mktemp("console")) as running:
        yield running


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
    assert (review["status"], review["resolved_by"], review["resolution_note"]) == (
        "overturned",
        "moe (console)",
        "a parent",
    )
    assert review["resolved_at"] is not None
    assert incident["status"] == "overturned"
    assert [r["id"] for r in site.reversals] == [punitive.incident_id]
    assert any(o["detail"].startswith("overturned by moe (console): ") for o in incident["outcomes"])


async def test_console_resolving_twice_is_refused_with_a_note(site: Site) -> None:
    await site.post("twice-room", AGE_QUESTION, policy=REVIEW_EVERYTHING)
    (item_id,) = await open_item_ids(site, "twice-room")
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        await client.get("/queue")
        await client.post(f"/reviews/{item_id}", {"outcome": "confirmed"})
        _, html = await client.post(f"/reviews/{item_id}", {"outcome": "overturned"})
    assert "already confirmed by ada (console)" in html
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


async def test_console_escalated_appeal_is_marked_and_first_in_the_queue(site: Site) -> None:
    decisions = await site.post("late-room", GROOMING_EN, policy=MUTE_EVERYTHING)
    appeal = await site.console.desk.appeal(site.tenant_id, decisions[4].incident_id, "stranger_k", "please", "en")
    later = datetime.now(UTC) + timedelta(hours=73)
    deadlines = AppealDeadlines(
        appeals=SqlAppealStore(site.services.database), policies=site.services.moderator, clock=lambda: later
    )
    await deadlines.escalate_overdue()
    async with browser(site) as client:
        await client.sign_in(MODERATOR)
        _, appeals = await client.get("/appeals")
        _, queue = await client.get("/queue")
    row = appeals[appeals.index(f'id="appeal-{appeal["id"]}"') :]
    assert "escalated by system at" in row[: row.index("</tr>")] and "deadline passed" in row[: row.index("</tr>")]
    first_item = re.search(r'<tr id="item-([0-9a-f-]+)"', queue)
    assert first_item and first_item.group(1) == appeal["review_id"]
    assert EN["escalated_badge"] in queue[: queue.index("</tr>", first_item.end())]


async def test_console_policy_refuses_a_private_callback_url(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        _, page = await client.get("/policies/hooked-room")
        form = _form_values(page) | {"callback_url": "https://10.0.0.8/answers", "do": "save"}
        status, html = await client.post("/policies/hooked-room", form)
    assert status == 400
    assert re.search(r'id="error-callback_url" role="alert">[^<]*private address', html)
    assert await site.services.policies.get(site.tenant_id, "hooked-room") is None


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


async def test_console_policy_of_a_chat_id_with_slashes_and_spaces(site: Site) -> None:
    async with browser(site) as client:
        await client.sign_in(ADMIN)
        status, page = await client.get("/policies?chat=video/42 comments")
        assert status == 200 and EN["policy_title"].format(chat="video/42 comments") in page
        assert f'action="{CONSOLE_PATH}/policies/video/42%20comments"' in page
        status, _ = await client.post("/policies/video/42%20comments", _form_values(page) | {"dry_run": "on"})
    assert status == 200
    assert (await site.services.policies.get(site.tenant_id, "video/42 comments"))["dry_run"] is True


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
        _, disabled = await client.post("/moderators/state", {"name": "newbie", "disabled": "1"})
        _, self_disable = await client.post("/moderators/state", {"name": ADMIN[0], "disabled": "1"})
    assert "the two passwords differ" in mismatch
    assert EN["moderator_added"].format(name="newbie") in added
    assert EN["moderator_changed"].format(name="newbie", state="disabled") in disabled
    assert await site.console.accounts.active("newbie") is None
    assert EN["cannot_disable_self"] in self_disable
    assert await site.console.accounts.active(ADMIN[0]) is not None


async def test_console_is_mounted_by_the_composition_root(site: Site) -> None:
    runner = web.AppRunner(create_web_app(site.services), access_log=None)
    await runner.setup()
    try:
        server = web.TCPSite(runner, "127.0.0.1", 0)
        await server.start()
        host, port = runner.addresses[0][:2]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://{host}:{port}{CONSOLE_PATH}/queue") as response:
                html = await response.text()
                assert response.status == 200 and response.url.path == f"{CONSOLE_PATH}/login"
    finally:
        await runner.cleanup()
    assert EN["login_title"] in html


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
