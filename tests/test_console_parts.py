"""The console's pure parts, table-driven: words and languages, the policy form, the dashboard's numbers,
sign-in throttling, redirects and time formats."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.settings import WebSettings
from bot.web.accounts import LoginThrottle
from bot.web.dashboard import AGE_BUCKETS, dashboard_values, overturn_rates, per_day, queue_ages
from bot.web.i18n import ACTION_NAMES, STAGE_NAMES, Translator, pick_language
from bot.web.policies import FIELD_GROUPS, WHOLE_POLICY, form_values, preview_size, validate_policy
from bot.web.render import format_age, format_time
from bot.web.session import safe_next, session_key
from bot.web.texts import EN, ZH
from classifiers.types import STAGES
from handlers.model import Action
from handlers.policy import ChatPolicy
from storage.tables import MODERATOR_ROLES

TEMPLATES = Path(__file__).resolve().parent.parent / "bot" / "web" / "templates"
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_console_texts_have_the_same_keys_and_placeholders_in_both_languages() -> None:
    assert EN.keys() == ZH.keys()
    assert {key: placeholders(EN[key]) for key in EN} == {key: placeholders(ZH[key]) for key in ZH}


def test_console_texts_name_every_stage_and_action() -> None:
    for lang in ("en", "zh-Hans"):
        assert set(STAGE_NAMES[lang]) == {stage.value for stage in STAGES}
        assert set(ACTION_NAMES[lang]) == {action.value for action in Action}


def test_console_templates_use_only_known_texts() -> None:
    used = {
        key
        for path in TEMPLATES.glob("*.html")
        for key in re.findall(r"""\bt\(["']([a-z_]+)["']\s*[,)]""", path.read_text())
    }
    assert used and used <= EN.keys(), used - EN.keys()


def test_console_texts_name_every_policy_field_and_role() -> None:
    assert {f"field_{name}" for name in ChatPolicy.model_fields} <= EN.keys()
    assert {f"role_{role}" for role in MODERATOR_ROLES} <= EN.keys()


@pytest.mark.parametrize(
    ("choice", "header", "expected"),
    [
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        (None, "zh-TW", "zh-Hans"),
        (None, "en-US,zh;q=0.5", "en"),
        (None, "fr-FR, zh;q=0.1", "zh-Hans"),
        (None, "zh;q=0, en", "en"),
        (None, "en;q=0.2, zh-Hant;q=0.7", "zh-Hans"),
        (None, "de-DE", "en"),
        (None, None, "en"),
        (None, "zh;q=abc, en", "en"),
        ("en", "zh-CN", "en"),
        ("zh-Hans", "en", "zh-Hans"),
        ("klingon", "zh-CN", "zh-Hans"),
    ],
)
def test_console_language_pick(choice: str | None, header: str | None, expected: str) -> None:
    assert pick_language(choice, header) == expected


def test_console_translator_fills_placeholders_and_names_terms() -> None:
    zh = Translator("zh-Hans")
    assert zh("days", n=7) == "7 天"
    assert zh.term("kind", "appeal") == ZH["kind_appeal"]
    assert zh.term("kind", "something-new") == "something-new"
    assert zh.action("ban") == "封禁" and Translator("en").stage("meeting") == "meeting"
    with pytest.raises(KeyError):
        zh("no_such_text")


def test_console_policy_form_covers_every_policy_field_once() -> None:
    names = [name for _, group in FIELD_GROUPS for name in group]
    assert sorted(names) == sorted(ChatPolicy.model_fields)


def test_console_policy_form_reads_checkboxes_lists_and_optionals() -> None:
    form = ChatPolicy().model_dump() | {"allowed_users": "teacher_t, parent_p\nmod_m ", "review_chat_id": " "}
    form = {key: str(value) for key, value in form.items() if key not in ("dry_run", "review_punitive")}
    form["dry_run"] = "on"
    policy, errors = validate_policy(form_values(form))
    assert errors == {}
    assert policy is not None
    assert policy.allowed_users == ["teacher_t", "parent_p", "mod_m"]
    assert (policy.dry_run, policy.review_punitive, policy.review_chat_id) == (True, False, None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mute_minutes": "soon"}, "mute_minutes"),
        ({"ban_at": "2"}, "ban_at"),
        ({"language": "fr"}, "language"),
        ({"warn_at": ""}, "warn_at"),
        ({"review_at": "0.9"}, WHOLE_POLICY),
    ],
)
def test_console_policy_form_errors_belong_to_their_field(changes: dict[str, str], field: str) -> None:
    form = {key: str(value) for key, value in ChatPolicy().model_dump().items() if not isinstance(value, bool)}
    policy, errors = validate_policy(form_values(form | {"allowed_users": ""} | changes))
    assert policy is None
    assert list(errors) == [field]


@pytest.mark.parametrize(("raw", "size"), [("50", 50), ("1", 1), ("500", 500), ("0", None), ("501", None), ("x", None)])
def test_console_preview_size(raw: str, size: int | None) -> None:
    assert preview_size({"preview_messages": raw}) == size


def test_console_preview_size_defaults_when_absent() -> None:
    assert preview_size({}) == 50


def incident(day: int, stages: tuple[str, ...], action: str, status: str = "open", reasons=()) -> dict:
    return {
        "created_at": datetime(2025, 6, day, 8, 30, tzinfo=UTC),
        "stages": list(stages),
        "action": action,
        "status": status,
        "reasons": [{"signal": signal, "score": score} for signal, score in reasons],
    }


def test_console_dashboard_counts_per_day_and_skips_days_outside() -> None:
    incidents = [
        incident(8, ("age_probe", "secrecy"), "warn"),
        incident(8, ("age_probe",), "ban"),
        incident(10, ("meeting",), "mute"),
        incident(1, ("age_probe",), "ban"),
    ]
    stages = per_day(
        incidents, lambda i: i["stages"], ["age_probe", "secrecy", "meeting", "gifts"], date(2025, 6, 8), 3
    )
    assert stages == {"age_probe": [2, 0, 0], "secrecy": [1, 0, 0], "meeting": [0, 0, 1]}


def test_console_dashboard_overturn_rate_counts_fired_signals_of_reviewed_incidents() -> None:
    incidents = [
        incident(8, (), "ban", "overturned", [("stage:gifts", 0.9), ("stage:secrecy", 0.2)]),
        incident(8, (), "ban", "confirmed", [("stage:gifts", 0.7), ("stage:meeting", 0.95)]),
        incident(8, (), "mute", "confirmed", [("stage:meeting", 0.8)]),
        incident(8, (), "mute", "open", [("stage:gifts", 0.99)]),
        incident(8, (), "mute", "escalated", [("stage:gifts", 0.99)]),
    ]
    assert overturn_rates(incidents) == [
        {"signal": "stage:gifts", "reviewed": 2, "overturned": 1, "rate": 0.5},
        {"signal": "stage:meeting", "reviewed": 2, "overturned": 0, "rate": 0.0},
    ]


def test_console_dashboard_queue_age_buckets() -> None:
    ages = [timedelta(minutes=5), timedelta(hours=1), timedelta(hours=5), timedelta(hours=30), timedelta(days=9)]
    counts = queue_ages([{"created_at": NOW - age} for age in ages], NOW)
    assert counts == [1, 2, 0, 1, 1] and len(counts) == len(AGE_BUCKETS)


def test_console_dashboard_values_are_labelled_in_the_page_language() -> None:
    incidents = [incident(10, ("gifts",), "delete", "overturned", [("stage:gifts", 0.9)])]
    items = [{"created_at": NOW - timedelta(hours=2)}]
    values = dashboard_values(Translator("zh-Hans"), incidents, items, date(2025, 6, 4), 7, NOW)
    charts = values["charts"]
    assert charts["days"][0] == "2025-06-04" and len(charts["days"]) == 7
    assert charts["by_stage"] == [{"label": STAGE_NAMES["zh-Hans"]["gifts"], "data": [0, 0, 0, 0, 0, 0, 1]}]
    assert charts["by_action"] == [{"label": "删除", "data": [0, 0, 0, 0, 0, 0, 1]}]
    assert charts["queue_age"]["data"] == [0, 1, 0, 0, 0] and charts["queue_age"]["labels"][0] == ZH["age_bucket_1h"]
    assert charts["overturn"] == {"labels": ["stage:gifts"], "data": [1.0]}
    assert (values["total"], values["open_count"], values["oldest_age"]) == (1, 1, 7200.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_console_login_throttle_blocks_then_forgets() -> None:
    clock = Clock()
    throttle = LoginThrottle(attempts=3, window_seconds=60, clock=clock)
    for _ in range(3):
        assert not throttle.blocked("1.2.3.4|ada")
        throttle.failed("1.2.3.4|ada")
    assert throttle.blocked("1.2.3.4|ada") and not throttle.blocked("1.2.3.4|bob")
    clock.now += 61
    assert not throttle.blocked("1.2.3.4|ada")
    throttle.failed("1.2.3.4|ada")
    throttle.cleared("1.2.3.4|ada")
    assert not throttle.blocked("1.2.3.4|ada")


def test_console_login_throttle_remembers_a_bounded_number_of_keys() -> None:
    throttle = LoginThrottle(attempts=1, window_seconds=60, clock=Clock(), max_keys=3)
    for name in ("a", "b", "c", "d"):
        throttle.failed(name)
    assert [throttle.blocked(name) for name in ("a", "b", "c", "d")] == [False, True, True, True]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/console/queue?chat=x", "/console/queue?chat=x"),
        ("/console/incidents/abc", "/console/incidents/abc"),
        ("https://elsewhere.example/", "/console/queue"),
        ("//elsewhere.example/console/", "/console/queue"),
        ("/api/v1/incidents", "/console/queue"),
        ("/console\\..\\evil", "/console/queue"),
        ("", "/console/queue"),
        (None, "/console/queue"),
    ],
)
def test_console_redirects_stay_inside_the_console(target: str | None, expected: str) -> None:
    assert safe_next(target, "/console/queue") == expected


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0 s"), (59, "59 s"), (61, "1 min"), (3725, "1 h 2 min"), (90061, "1 d 1 h"), (-5, "0 s")]
)
def test_console_age_format(seconds: float, text: str) -> None:
    assert format_age(seconds) == text


def test_console_time_format_is_utc() -> None:
    assert format_time(datetime(2025, 6, 10, 20, 0, 5, tzinfo=UTC)) == "2025-06-10 20:00:05"
    assert format_time("2025-06-10T12:00:05+08:00") == "2025-06-10 04:00:05"
    assert format_time(None) == ""


def test_console_session_key_comes_from_the_secret_or_is_random() -> None:
    secret = WebSettings(session_secret=SecretStr("x" * 40))
    assert session_key(secret) == session_key(WebSettings(session_secret=SecretStr("x" * 40)))
    assert len(session_key(secret)) == 32
    assert session_key(WebSettings()) != session_key(WebSettings())
