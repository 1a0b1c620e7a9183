"""Two moderators resolving the same review item at once: exactly one wins, the other is told it was resolved
already — in the store, the desk, the HTTP API (409) and the console (a message) — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Services, create_web_app, open_services
from bot.cli.evidence import PolicyBook
from bot.settings import ClassifierSettings, Settings, StorageSettings
from bot.web.texts import EN
from handlers.review import AlreadyResolved, ReviewDesk
from storage.appeals import SqlAppealStore
from storage.conversations import SqlConversationStore
from storage.incidents import SqlIncidentStore
from storage.policies import SqlPolicyStore
from storage.reviews import SqlReviewQueue
from tests.test_console_site import AGE_QUESTION, MODERATOR, REVIEW_EVERYTHING, browser, running_site

ROUNDS = 5
"""Races run per test, each on a fresh item, so that an interleaving that slips through once is caught."""


async def open_item(incidents: SqlIncidentStore, reviews: SqlReviewQueue, tenant: str, make_incident, n: int) -> str:
    incident_id = await incidents.record(make_incident(tenant, n, action="review"))
    entry = {"tenant_id": tenant, "chat_id": "chat-1", "incident_id": incident_id, "kind": "detector"}
    return await reviews.enqueue(entry | {"requested_by": None, "note": ""})


async def test_review_race_store_resolves_an_item_once(database, tenant, make_incident):
    incidents, reviews = SqlIncidentStore(database), SqlReviewQueue(database)
    for n in range(ROUNDS):
        review_id = await open_item(incidents, reviews, tenant, make_incident, n)

        first, second = await asyncio.gather(
            reviews.resolve(tenant, review_id, "confirmed", "mod-ana", "grooming"),
            reviews.resolve(tenant, review_id, "overturned", "mod-bo", "harmless"),
        )

        winners = [result for result in (first, second) if result is not None]
        assert len(winners) == 1, (first, second)
        stored = await reviews.get(tenant, review_id)
        assert (stored["status"], stored["resolved_by"]) == (winners[0]["status"], winners[0]["resolved_by"])
        incident = await incidents.get(tenant, stored["incident_id"])
        assert incident["status"] == stored["status"]


async def test_review_race_store_refuses_a_resolved_item_and_another_tenants(database, tenant, make_incident):
    incidents, reviews = SqlIncidentStore(database), SqlReviewQueue(database)
    review_id = await open_item(incidents, reviews, tenant, make_incident, 1)
    assert await reviews.resolve(f"{tenant}-other", review_id, "confirmed", "mod-x", "") is None
    assert await reviews.resolve(tenant, review_id, "escalated", "mod-ana", "") is not None
    assert await reviews.resolve(tenant, review_id, "overturned", "mod-bo", "") is None
    assert (await reviews.get(tenant, review_id))["resolved_by"] == "mod-ana"


async def test_review_race_desk_tells_the_loser_it_was_already_resolved(database, tenant, make_incident):
    incidents, reviews = SqlIncidentStore(database), SqlReviewQueue(database)
    desk = ReviewDesk(
        reviews=reviews,
        incidents=incidents,
        appeals=SqlAppealStore(database),
        conversations=SqlConversationStore(database),
        policies=PolicyBook(SqlPolicyStore(database)),
    )
    for n in range(ROUNDS):
        review_id = await open_item(incidents, reviews, tenant, make_incident, n)

        results = await asyncio.gather(
            desk.resolve(tenant, review_id, "confirmed", "mod-ana", ""),
            desk.resolve(tenant, review_id, "overturned", "mod-bo", ""),
            return_exceptions=True,
        )

        refused = [result for result in results if isinstance(result, Exception)]
        assert len(refused) == 1 and isinstance(refused[0], AlreadyResolved), results
        assert "was already" in str(refused[0])
        incident = await incidents.get(tenant, (await reviews.get(tenant, review_id))["incident_id"])
        assert len([o for o in incident["outcomes"] if o["detail"].startswith("overturned by")]) <= 1


@pytest.fixture
async def api_services(db_url: str) -> AsyncIterator[Services]:
    settings = Settings(
        storage=StorageSettings(url=db_url),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
    )
    async with open_services(settings) as services:
        yield services


async def test_review_race_api_answers_409_to_the_second_resolver(api_services, aiohttp_client):
    client = await aiohttp_client(create_web_app(api_services))
    tenant_id, key = await api_services.tenants.create("race-app")
    headers = {"Authorization": f"Bearer {key}"}
    review = {"review_at": 0.0} | {name: 1.01 for name in ("warn_at", "delete_at", "mute_at", "ban_at")}
    async with client.put("/api/v1/chats/room/policy", json=review, headers=headers) as response:
        assert response.status == 200
    for n in range(ROUNDS):
        body = {"chat_id": "room", "message_id": f"m-{n}", "sender_id": "u-1", "text": "how old are you?"}
        async with client.post("/api/v1/messages", json=body, headers=headers) as response:
            incident_id = (await response.json())["incident_id"]
        [item] = [i for i in await api_services.reviews.list(tenant_id) if i["incident_id"] == incident_id]

        async def resolve(moderator: str, outcome: str, item_id: str = item["id"]) -> tuple[int, Any]:
            decision = {"outcome": outcome, "moderator": moderator}
            async with client.post(f"/api/v1/reviews/{item_id}/resolve", json=decision, headers=headers) as answer:
                return answer.status, await answer.json()

        results = await asyncio.gather(resolve("mod-ana", "confirmed"), resolve("mod-bo", "overturned"))

        assert sorted(status for status, _ in results) == [200, 409]
        [conflict] = [body for status, body in results if status == 409]
        assert conflict["error"]["code"] == "already_resolved" and conflict["error"]["field"] == "review_id"
        assert "was already" in conflict["error"]["message"]


async def test_review_race_console_tells_the_second_moderator(tmp_path):
    async with running_site(tmp_path) as site:
        await site.post("race-room", AGE_QUESTION, policy=REVIEW_EVERYTHING)
        [item] = await site.services.reviews.list(site.tenant_id, chat_id="race-room")
        async with browser(site) as first, browser(site) as second:
            await first.sign_in(MODERATOR)
            await second.sign_in(MODERATOR)
            await first.get("/queue")
            await second.get("/queue")
            _, won = await first.post(f"/reviews/{item['id']}", {"outcome": "confirmed", "note": ""})
            _, lost = await second.post(f"/reviews/{item['id']}", {"outcome": "overturned", "note": ""})
        stored = await site.services.reviews.get(site.tenant_id, item["id"])
    assert EN["resolved_flash"].format(outcome="confirmed", name=MODERATOR[0]) in won
    prefix = EN["already_resolved"].split("{error}")[0]
    assert prefix in lost and "this item was already confirmed by moe (console)" in lost
    assert stored["status"] == "confirmed"
