"""The HTTP API end to end: a real aiohttp server on loopback, SQLite and PostgreSQL, the real rule-based scorer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.adapters.http_models import BatchOut, DecisionOut, HealthOut, IncidentDetail, IncidentPage
from bot.app import Services, create_web_app, open_services
from bot.settings import ClassifierSettings, Settings, StorageSettings
from handlers.model import Action
from handlers.policy import ChatPolicy

# Conversations written for these tests; every name and handle is invented.
GROOMING_EN = (
    ("kid_en", None, "gg everyone, that last round was so close"),
    ("man_en", "kid_en", "nice play! how old are you btw?"),
    ("kid_en", "man_en", "12, why"),
    ("man_en", "kid_en", "just curious, you play like someone way older. you're really cool"),
    ("man_en", "kid_en", "the others in here are annoying, we should chat somewhere quieter"),
    ("man_en", "kid_en", "do you have snap?"),
    ("man_en", "kid_en", "i can gift you the battle pass if you want"),
    ("man_en", "kid_en", "what do you look like? send a selfie"),
    ("man_en", "kid_en", "keep this between us ok?"),
)
GROOMING_ZH = (
    ("kid_zh", None, "这把好险啊，差一点就赢了"),
    ("man_zh", "kid_zh", "打得不错！你多大了？"),
    ("kid_zh", "man_zh", "12岁，怎么了"),
    ("man_zh", "kid_zh", "随便问问，你比同龄人厉害多了，真棒"),
    ("man_zh", "kid_zh", "群里的人太吵了，我们换个地方聊吧"),
    ("man_zh", "kid_zh", "你有扣扣吗？"),
    ("man_zh", "kid_zh", "我可以送你一个皮肤"),
    ("man_zh", "kid_zh", "有你的照片吗"),
    ("man_zh", "kid_zh", "这事就我们俩知道哦"),
)
ADULT_FLIRT = (
    ("ana", None, "long shift at the hospital today, finally off"),
    ("ben", "ana", "you're a nurse? what ward?"),
    ("ana", "ben", "cardiology, eight years now. I'm 34, getting too old for night shifts"),
    ("ben", "ana", "ha, 36 here, my back agrees. you looked lovely in the photo from the team dinner"),
    ("ana", "ben", "thank you! that's sweet"),
    ("ben", "ana", "would you like to grab a drink after work on friday?"),
    ("ana", "ben", "I'd like that. the wine bar near the station?"),
    ("ben", "ana", "perfect. add me on whatsapp so we can sort out the time"),
    ("ana", "ben", "done, see you friday"),
)
SEX_EDUCATION = (
    ("student", None, "is it normal to get periods that are really irregular at first?"),
    ("nurse_li", "student", "yes, very common in the first couple of years; a school nurse or doctor can help"),
    ("student", "nurse_li", "what does consent actually mean?"),
    ("nurse_li", "student", "it means everyone freely agrees, and anyone can say no or change their mind at any time"),
    ("student", "nurse_li", "青春期身体变化很正常吗？"),
    ("nurse_li", "student", "很正常，有问题可以问父母、老师或校医"),
)
SHOP_CONTACT = (
    ("case_shop", None, "new phone cases in stock! add our WeChat caseshop88 for the catalogue, 10% off this week"),
    ("case_shop", None, "新品手机壳到货啦，加我们微信 caseshop88 看目录，本周九折"),
)


@dataclass
class Api:
    """A client of the running API with two tenants' keys."""

    client: TestClient
    services: Services
    key_a: str
    key_b: str

    async def call(self, method: str, path: str, key: str | None, body: Any = None) -> tuple[int, Any]:
        """Send a request (JSON body when given) and return the status and the decoded JSON answer."""
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        async with self.client.request(method, f"/api/v1{path}", json=body, headers=headers) as response:
            return response.status, await response.json()

    async def batch(self, key: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Post a batch that must succeed and return its decisions."""
        status, body = await self.call("POST", "/messages/batch", key, {"messages": messages})
        assert status == 200, body
        BatchOut.model_validate(body)
        return body["decisions"]

    async def incidents(self, key: str, query: str = "") -> list[dict[str, Any]]:
        """All incidents of the key's tenant matching the query, following the cursor."""
        found: list[dict[str, Any]] = []
        cursor = ""
        while True:
            status, page = await self.call("GET", f"/incidents?limit=200{query}{cursor}", key)
            assert status == 200, page
            IncidentPage.model_validate(page)
            found += page["incidents"]
            if page["next_cursor"] is None:
                return found
            cursor = f"&cursor={page['next_cursor']}"


def conversation(chat_id: str, lines: tuple[tuple[str, str | None, str], ...]) -> list[dict[str, Any]]:
    """Messages of a conversation, one minute apart, each reply addressed to its target."""
    return [
        {
            "chat_id": chat_id,
            "message_id": f"{chat_id}-{number}",
            "sender_id": sender,
            "text": text,
            "reply_to_user_id": target,
            "sent_at": f"2025-03-01T10:{number:02d}:00+00:00",
        }
        for number, (sender, target, text) in enumerate(lines)
    ]


@pytest.fixture
async def api(db_url: str, aiohttp_client: Any) -> AsyncIterator[Api]:
    settings = Settings(
        storage=StorageSettings(url=db_url),
        classifier=ClassifierSettings(model_dir=Path("var/models"), use_encoder=False),
    )
    async with open_services(settings) as services:
        client = await aiohttp_client(create_web_app(services))
        _, key_a = await services.tenants.create("app-a")
        _, key_b = await services.tenants.create("app-b")
        yield Api(client=client, services=services, key_a=key_a, key_b=key_b)


@pytest.mark.parametrize("lines", [GROOMING_EN, GROOMING_ZH], ids=["en", "zh"])
async def test_http_api_grooming_conversation_escalates_to_punitive(api: Api, lines: Any) -> None:
    groomer, child = lines[1][0], lines[1][1]
    messages = conversation("room", lines)
    decisions = await api.batch(api.key_a, messages)

    by_sender = {
        sender: [d for d, (s, _, _) in zip(decisions, lines, strict=True) if s == sender] for sender, _, _ in lines
    }
    assert all(d["action"] == "allow" for d in by_sender[child])
    punitive = [d for d in by_sender[groomer] if Action(d["action"]).punitive]
    assert punitive, [(d["action"], d["risk"]) for d in by_sender[groomer]]
    assert not Action(by_sender[groomer][0]["action"]).punitive
    first = punitive[0]
    assert first["target_user_id"] == child
    assert "age_probe" in first["stages"] and len(first["stages"]) >= 2
    assert {f"stage:{stage}" for stage in first["stages"]} <= {reason["signal"] for reason in first["reasons"]}
    assert first["incident_id"] and first["notice"]["text"]
    assert len(by_sender[groomer][-1]["stages"]) >= 4


@pytest.mark.parametrize("lines", [GROOMING_EN, GROOMING_ZH], ids=["en", "zh"])
async def test_http_api_grooming_message_alone_is_not_decisive(api: Api, lines: Any) -> None:
    groomer = lines[1][0]
    alone = [
        {"chat_id": f"alone-{number}", "message_id": "1", "sender_id": groomer, "text": text, "reply_to_user_id": "x"}
        for number, (sender, _, text) in enumerate(lines)
        if sender == groomer
    ]
    for message in alone:
        status, decision = await api.call("POST", "/messages", api.key_a, message)
        assert status == 200, decision
        assert not Action(decision["action"]).punitive, (message["text"], decision)


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(ADULT_FLIRT, id="adult_flirt"),
        pytest.param(SEX_EDUCATION, id="sex_education"),
        pytest.param(SHOP_CONTACT, id="shop_contact"),
    ],
)
async def test_http_api_benign_conversations_are_allowed(api: Api, lines: Any) -> None:
    decisions = await api.batch(api.key_a, conversation("benign", lines))
    assert [d["action"] for d in decisions] == ["allow"] * len(lines), [(d["action"], d["risk"]) for d in decisions]
    assert all(d["incident_id"] is None and d["notice"] is None for d in decisions)


async def test_http_api_single_message_answers_the_decision_shape(api: Api) -> None:
    message = {"chat_id": "c1", "message_id": "1", "sender_id": "u1", "text": "hi all", "sent_at": None}
    status, body = await api.call("POST", "/messages", api.key_a, message)
    assert status == 200
    decision = DecisionOut.model_validate(body)
    assert (decision.message_id, decision.action, decision.target_user_id) == ("1", Action.ALLOW, None)
    assert set(body) == set(DecisionOut.model_fields)


async def test_http_api_sent_at_is_kept_in_utc_and_defaults_to_arrival(api: Api) -> None:
    status, _ = await api.call("PUT", "/chats/c1/policy", api.key_a, {"review_at": 0.0})
    assert status == 200
    offset = {
        "chat_id": "c1",
        "message_id": "1",
        "sender_id": "u1",
        "text": "hi",
        "sent_at": "2025-03-01T18:05:00+08:00",
    }
    untimed = {"chat_id": "c1", "message_id": "2", "sender_id": "u1", "text": "hi again"}
    before = datetime.now(UTC).replace(microsecond=0)
    decisions = await api.batch(api.key_a, [offset, untimed])
    after = datetime.now(UTC)

    assert [d["action"] for d in decisions] == ["review", "review"]
    _, first = await api.call("GET", f"/incidents/{decisions[0]['incident_id']}", api.key_a)
    _, second = await api.call("GET", f"/incidents/{decisions[1]['incident_id']}", api.key_a)
    assert datetime.fromisoformat(first["sent_at"]) == datetime(2025, 3, 1, 10, 5, tzinfo=UTC)
    assert before <= datetime.fromisoformat(second["sent_at"]) <= after
    assert (first["platform"], second["platform"]) == ("http", "http")


async def test_http_api_resend_returns_same_decisions_and_records_nothing_twice(api: Api) -> None:
    messages = conversation("room", GROOMING_EN)
    first = await api.batch(api.key_a, messages)
    incidents = await api.incidents(api.key_a)
    assert incidents

    again = await api.batch(api.key_a, messages)
    status, single = await api.call("POST", "/messages", api.key_a, messages[-1])

    assert again == first
    assert status == 200 and single == first[-1]
    assert await api.incidents(api.key_a) == incidents


async def test_http_api_repeated_message_in_one_batch_gets_its_first_decision(api: Api) -> None:
    messages = conversation("room", GROOMING_EN)
    decisions = await api.batch(api.key_a, [*messages, messages[-1]])
    assert decisions[-1] == decisions[-2]
    assert len({i["message_id"] for i in await api.incidents(api.key_a)}) == len(await api.incidents(api.key_a))


async def test_http_api_tenants_are_isolated(api: Api) -> None:
    await api.batch(api.key_a, conversation("room", GROOMING_EN))
    status, _ = await api.call("PUT", "/chats/room/policy", api.key_a, {"dry_run": True, "allowed_users": ["mod"]})
    assert status == 200
    incidents_a = await api.incidents(api.key_a)
    assert incidents_a

    assert await api.incidents(api.key_b) == []
    for incident in incidents_a:
        status, body = await api.call("GET", f"/incidents/{incident['id']}", api.key_b)
        assert (status, body["error"]["code"]) == (404, "not_found")
    status, policy_b = await api.call("GET", "/chats/room/policy", api.key_b)
    assert (status, policy_b) == (200, ChatPolicy().model_dump(mode="json"))

    status, _ = await api.call("PUT", "/chats/room/policy", api.key_b, {"language": "zh"})
    assert status == 200
    status, policy_a = await api.call("GET", "/chats/room/policy", api.key_a)
    assert policy_a["language"] == "en" and policy_a["dry_run"] is True

    decisions_b = await api.batch(api.key_b, conversation("room", GROOMING_EN))
    assert all(d["incident_id"] not in {i["id"] for i in incidents_a} for d in decisions_b)


async def test_http_api_incident_detail_carries_its_evidence(api: Api) -> None:
    decisions = await api.batch(api.key_a, conversation("room", GROOMING_EN))
    punitive = [d for d in decisions if Action(d["action"]).punitive][-1]

    status, incident = await api.call("GET", f"/incidents/{punitive['incident_id']}", api.key_a)

    assert status == 200, incident
    IncidentDetail.model_validate(incident)
    assert set(incident) == set(IncidentDetail.model_fields)
    assert incident["id"] == punitive["incident_id"]
    assert (incident["sender_id"], incident["target_id"]) == ("man_en", "kid_en")
    assert incident["action"] == punitive["action"]
    assert incident["reasons"] == punitive["reasons"]
    assert [line["message_id"] for line in incident["context"]]
    assert incident["text"] == GROOMING_EN[int(punitive["message_id"].rsplit("-", 1)[1])][2]
    assert all(len(incident[name]) == 64 for name in ("content_hash", "prev_hash", "row_hash"))
    assert incident["outcomes"] == []


async def test_http_api_incidents_filter_and_paginate(api: Api) -> None:
    await api.batch(api.key_a, conversation("room-en", GROOMING_EN))
    await api.batch(api.key_a, conversation("room-zh", GROOMING_ZH))
    everything = await api.incidents(api.key_a)

    by_chat = await api.incidents(api.key_a, "&chat_id=room-zh")
    by_user = await api.incidents(api.key_a, "&user_id=man_en")
    assert by_chat and {i["chat_id"] for i in by_chat} == {"room-zh"}
    assert by_user and {i["sender_id"] for i in by_user} == {"man_en"}
    assert len(by_chat) + len(by_user) == len(everything)

    action = everything[0]["action"]
    assert {i["action"] for i in await api.incidents(api.key_a, f"&action={action}")} == {action}
    assert await api.incidents(api.key_a, "&since=2999-01-01T00:00:00Z") == []
    assert await api.incidents(api.key_a, "&since=2999-01-01T00:00:00%2B08:00") == []
    assert await api.incidents(api.key_a, "&until=2000-01-01T00:00:00Z") == []

    pages: list[dict[str, Any]] = []
    query = "/incidents?limit=2"
    while query:
        status, page = await api.call("GET", query, api.key_a)
        assert status == 200 and len(page["incidents"]) <= 2
        pages += page["incidents"]
        query = f"/incidents?limit=2&cursor={page['next_cursor']}" if page["next_cursor"] else ""
    assert [i["id"] for i in pages] == [i["id"] for i in everything]


async def test_http_api_policy_defaults_then_partial_then_full_update(api: Api) -> None:
    status, policy = await api.call("GET", "/chats/video:42/policy", api.key_a)
    assert (status, policy) == (200, ChatPolicy().model_dump(mode="json"))

    status, partial = await api.call("PUT", "/chats/video:42/policy", api.key_a, {"warn_at": 0.5, "language": "zh"})
    assert status == 200
    assert partial == ChatPolicy(warn_at=0.5, language="zh").model_dump(mode="json")

    full = ChatPolicy(review_at=0.3, warn_at=0.4, delete_at=0.5, mute_at=0.6, ban_at=0.7, dry_run=True)
    status, stored = await api.call("PUT", "/chats/video:42/policy", api.key_a, full.model_dump(mode="json"))
    assert (status, stored) == (200, full.model_dump(mode="json"))
    assert (await api.call("GET", "/chats/video:42/policy", api.key_a)) == (200, stored)


async def test_http_api_policy_allow_list_spares_the_listed_sender(api: Api) -> None:
    status, _ = await api.call("PUT", "/chats/room/policy", api.key_a, {"allowed_users": ["man_en"]})
    assert status == 200
    decisions = await api.batch(api.key_a, conversation("room", GROOMING_EN))
    assert {d["action"] for d in decisions} == {"allow"}


async def test_http_api_health_and_openapi_need_no_key(api: Api) -> None:
    status, health = await api.call("GET", "/health", None)
    assert status == 200
    HealthOut.model_validate(health)

    status, spec = await api.call("GET", "/openapi.json", None)
    assert status == 200
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The API key of one tenant.",
    }
    assert spec["paths"]["/health"]["get"]["security"] == []
    assert spec["components"]["schemas"]["BatchIn"]["properties"]["messages"]["maxItems"] == 500


async def test_http_api_openapi_covers_every_route(api: Api) -> None:
    status, spec = await api.call("GET", "/openapi.json", None)
    assert status == 200
    prefix = spec["servers"][0]["url"]
    served = {
        (route.resource.canonical, route.method.lower())
        for route in api.client.app.router.routes()
        if route.resource is not None and route.resource.canonical.startswith(f"{prefix}/") and route.method != "HEAD"
    }
    documented = {(f"{prefix}{path}", method) for path, item in spec["paths"].items() for method in item}
    assert served == documented
    assert {("/api/v1/messages/batch", "post"), ("/api/v1/chats/{chat_id}/policy", "put")} <= served
    refs = {value for value in _walk(spec) if isinstance(value, str) and value.startswith("#/components/schemas/")}
    assert {ref.rsplit("/", 1)[1] for ref in refs} <= set(spec["components"]["schemas"])


def _walk(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [value for item in node.values() for value in _walk(item)]
    if isinstance(node, list):
        return [value for item in node for value in _walk(item)]
    return [node]
