"""The console in a real headless Chromium (Debian's ``chromium``, driven by Playwright) against the real server.

One browser for the module; each test gets a fresh browser context (its own cookies). A screenshot of each page
lands in ``test-artifacts/``. Skipped when /usr/bin/chromium is missing, unless MINORGUARD_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright, expect

from bot.web.texts import EN, ZH
from handlers.model import Action
from handlers.policy import ChatPolicy
from tests.test_console_site import (
    ADMIN,
    FOLLOW_UP_EN,
    GROOMING_EN,
    GROOMING_ZH,
    MODERATOR,
    REPORTED_EN,
    REVIEW_EVERYTHING,
    Site,
    running_site,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium, or unset MINORGUARD_REQUIRE_BROWSER"
        if os.environ.get("MINORGUARD_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        await browser.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    async with running_site(tmp_path_factory.mktemp("browser")) as running:
        punitive_review = ChatPolicy(review_punitive=True)
        decisions = await running.post("homework-help", GROOMING_EN, policy=punitive_review)
        await running.post("作业群", GROOMING_ZH, policy=punitive_review)
        (reported,) = running.messages("homework-help", (REPORTED_EN,), first=len(GROOMING_EN))
        (decision,) = await running.services.moderator.process([reported])
        await running.console.desk.report(reported, decision, "kid_m", "he keeps asking me to chat privately")
        punished = next(d for d in reversed(decisions) if d.action.punitive)
        await running.console.desk.appeal(
            running.tenant_id,
            punished.incident_id,
            punished.sender_id,
            "I'm her uncle, we were planning a surprise",
            "en",
        )
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def page(chromium: Browser) -> AsyncIterator[Page]:
    context = await chromium.new_context(viewport={"width": 1440, "height": 960}, locale="en-GB")
    page = await context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if is_script_problem(message) else None)
    yield page
    await context.close()
    assert problems == [], problems


def is_script_problem(message: ConsoleMessage) -> bool:
    """A console error from a script or the content security policy (not an HTTP status such as the 401 of a
    rejected sign-in, which Chromium also logs)."""
    return message.type == "error" and not message.text.startswith("Failed to load resource")


async def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)


async def sign_in(page: Page, site: Site, account: tuple[str, str, str]) -> None:
    await page.goto(site.url("/queue"))
    await page.fill("#name", account[0])
    await page.fill("#password", account[1])
    await page.click(".login button[type=submit]")
    await page.get_by_role("button", name="Homework Club").click()
    await expect(page.get_by_role("heading", name=EN["queue_title"])).to_be_visible()


async def test_console_browser_rejects_a_wrong_password_then_signs_in(page: Page, site: Site) -> None:
    await page.goto(site.url("/dashboard"))
    await page.fill("#name", ADMIN[0])
    await page.fill("#password", "not my password")
    await page.click(".login button[type=submit]")
    await expect(page.locator("#login-error")).to_have_text(EN["login_failed"])
    await screenshot(page, "login-rejected")
    await page.fill("#password", ADMIN[1])
    await page.click(".login button[type=submit]")
    await expect(page.get_by_text(EN["tenants_global_note"])).to_be_visible()
    await page.get_by_role("button", name="Homework Club").click()
    await expect(page.get_by_role("heading", name=EN["dashboard_title"])).to_be_visible()


async def test_console_browser_confirms_one_item_and_overturns_another(page: Page, site: Site) -> None:
    items = await site.services.reviews.list(site.tenant_id, status="open", chat_id="homework-help")
    assert len(items) >= 2, items
    first, second = items[0], items[1]
    await sign_in(page, site, MODERATOR)
    await screenshot(page, "queue")
    row = page.locator(f"#item-{first['id']}")
    await row.get_by_label(EN["note"]).fill("clear age probing of a child")
    await row.get_by_role("button", name=EN["confirm"]).click()
    await expect(page.get_by_role("status").first).to_have_text(
        EN["resolved_flash"].format(outcome="confirmed", name=MODERATOR[0])
    )
    await expect(page.locator(f"#item-{first['id']}")).to_have_count(0)

    await page.goto(site.url(f"/incidents/{second['incident_id']}"))
    await screenshot(page, "incident")
    await expect(page.locator("#incident-text")).to_have_text(second["text"])
    await page.locator(f"#item-{second['id']}").get_by_label(EN["note"]).fill("the sender is the child's parent")
    await page.locator(f"#item-{second['id']}").get_by_role("button", name=EN["overturn"]).click()
    await expect(page.get_by_role("heading", name=EN["queue_title"])).to_be_visible()

    confirmed = await site.services.reviews.get(site.tenant_id, first["id"])
    overturned = await site.services.reviews.get(site.tenant_id, second["id"])
    assert (confirmed["status"], confirmed["resolved_by"]) == ("confirmed", f"{MODERATOR[0]} (console)")
    assert (overturned["status"], overturned["resolution_note"]) == ("overturned", "the sender is the child's parent")
    assert (await site.services.incidents.get(site.tenant_id, second["incident_id"]))["status"] == "overturned"


async def test_console_browser_keyboard_resolves_an_item(page: Page, site: Site) -> None:
    await site.post("keyboard-room", (GROOMING_EN[1],), policy=REVIEW_EVERYTHING)
    (item,) = await site.services.reviews.list(site.tenant_id, status="open", chat_id="keyboard-room")
    await sign_in(page, site, MODERATOR)
    await page.goto(site.url(f"/incidents/{item['incident_id']}"))
    note = page.locator(f"#note-{item['id']}")
    await expect(note).to_be_focused()
    assert [
        await page.locator(f"#item-{item['id']} [accesskey]").nth(n).get_attribute("accesskey") for n in range(4)
    ] == [
        "n",
        "c",
        "o",
        "e",
    ]
    await page.keyboard.type("escalating to the trust and safety lead")
    for _ in range(3):
        await page.keyboard.press("Tab")
    await expect(page.locator(f"#item-{item['id']} button.escalate")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name=EN["queue_title"])).to_be_visible()
    resolved = await site.services.reviews.get(site.tenant_id, item["id"])
    assert (resolved["status"], resolved["resolution_note"]) == ("escalated", "escalating to the trust and safety lead")


async def test_console_browser_policy_edit_changes_the_next_decision(page: Page, site: Site) -> None:
    before = await site.post("policy-room", GROOMING_EN)
    assert before[-1].action.punitive, [d.action for d in before]
    await sign_in(page, site, ADMIN)
    await page.goto(site.url("/policies/policy-room"))
    await page.fill("#review_at", "0.99")
    await page.get_by_role("button", name=EN["save"]).click()
    await expect(page.locator("#error-thresholds")).to_contain_text("thresholds must ascend")
    await expect(page.locator("#field-review_at input")).to_have_value("0.99")

    await page.fill("#review_at", "0.45")
    for field in ("warn_at", "delete_at", "mute_at", "ban_at"):
        await page.fill(f"#{field}", "1.01")
    await page.get_by_role("button", name=EN["preview"]).click()
    await expect(page.locator("#preview-summary")).to_contain_text(f"of {len(GROOMING_EN)} decisions would change")
    await expect(page.locator("#preview tr.changed").first).to_be_visible()
    await screenshot(page, "policy-preview")
    assert await site.services.policies.get(site.tenant_id, "policy-room") is None

    await page.get_by_role("button", name=EN["save"]).click()
    await expect(page.get_by_role("status").first).to_have_text(EN["saved"])
    after = await site.post("policy-room", (FOLLOW_UP_EN,), first=len(GROOMING_EN))
    assert after[0].action is Action.REVIEW, after[0]


async def test_console_browser_dashboard_draws_its_charts_in_both_languages(page: Page, site: Site) -> None:
    await sign_in(page, site, MODERATOR)
    await page.get_by_role("link", name=EN["nav_dashboard"]).click()
    await expect(page.locator("html")).to_have_attribute("data-charts", "drawn")
    for chart in ("chart-by-stage", "chart-by-action", "chart-overturn", "chart-queue-age"):
        box = await page.locator(f"#{chart}").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, chart
    assert int(await page.locator("#figure-total").text_content() or "0") > 0
    await screenshot(page, "dashboard")
    await page.get_by_role("button", name="中文").click()
    await expect(page.get_by_role("heading", name=ZH["dashboard_title"])).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    await screenshot(page, "dashboard-zh")


@pytest.mark.parametrize("token", [None, "forged-token"], ids=["missing", "wrong"])
async def test_console_browser_post_without_the_right_csrf_token_is_refused(
    page: Page, site: Site, token: str | None
) -> None:
    chat = f"csrf-{token}"
    await site.post(chat, (GROOMING_EN[1],), policy=REVIEW_EVERYTHING)
    (item,) = await site.services.reviews.list(site.tenant_id, status="open", chat_id=chat)
    await sign_in(page, site, MODERATOR)
    form = {"outcome": "overturned", "next": ""} | ({"csrf_token": token} if token else {})
    response = await page.request.post(site.url(f"/reviews/{item['id']}"), form=form, max_redirects=0)
    assert response.status == 403
    assert (await site.services.reviews.get(site.tenant_id, item["id"]))["status"] == "open"
