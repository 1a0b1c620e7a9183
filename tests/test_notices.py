"""The user's notice: language choice, rule names, appeal reference, and never the evidence."""


import pytest

from classifiers.types import Reason
from handlers.model import Action, Decision
from handlers.notices import build_notice, notice_language

EVIDENCE = "send me a picture and keep it secret"


def decision(action: Action, stages=("image_request", "secrecy")) -> Decision:
    return Decision(
        tenant_id="t", chat_id="c", message_id="m", sender_id="u", action=action, risk=0.9, target_user_id="k",
        stages=stages, reasons=(Reason("image_request", 0.9, EVIDENCE),), model_version="v",
        incident_id="0d5c2a1e-1111-4222-8333-444455556666", mute_seconds=3600,
    )


@pytest.mark.parametrize(
    ("locale", "message_lang", "chat_lang", "expected"),
    [("zh-CN", "en", "en", "zh"), ("en_US", "zh", "zh", "en"), (None, "zh", "en", "zh"), (None, "mixed", "zh", "zh"),
     ("fr", "mixed", "en", "en"), (None, "ja", "fr", "en")],
)
def test_notices_language_prefers_locale_then_message_then_chat(locale, message_lang, chat_lang, expected):
    assert notice_language(locale, message_lang, chat_lang) == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("action", [Action.WARN, Action.DELETE, Action.MUTE, Action.BAN])
def test_notices_name_rule_and_appeal_reference_without_evidence(lang, action):
    notice = build_notice(decision(action), lang)
    assert notice is not None and notice.lang == lang
    assert "0d5c2a1e-1111-4222-8333-444455556666" in notice.text
    assert EVIDENCE not in notice.text
    assert ("picture" in notice.text) if lang == "en" else ("照片" in notice.text)
    if action is Action.MUTE:
        assert "60" in notice.text


@pytest.mark.parametrize("action", [Action.ALLOW, Action.REVIEW])
def test_notices_none_for_allow_and_silent_review(action):
    assert build_notice(decision(action), "en") is None


def test_notices_fallback_rule_when_no_stage():
    notice = build_notice(decision(Action.WARN, stages=()), "en")
    assert notice is not None and "solicitation of minors" in notice.text
