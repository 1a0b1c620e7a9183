"""Table-driven tests of the pure decision rule."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from classifiers.types import Reason, Score
from handlers.model import Action, IncomingMessage, UserHistory
from handlers.policy import ChatPolicy, decide, threshold_action

MESSAGE = IncomingMessage(
    tenant_id="t1", platform="http", chat_id="c1", message_id="m1", sender_id="adult", text="…",
    sent_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def score(risk: float) -> Score:
    return Score(
        risk=risk, message_risk=risk, stages=("off_platform",),
        reasons=(Reason("off_platform", risk, "asks to move to another app"),), model_version="test",
    )


@pytest.mark.parametrize(
    ("risk", "expected"),
    [(0.0, Action.ALLOW), (0.44, Action.ALLOW), (0.45, Action.REVIEW), (0.6, Action.WARN), (0.8, Action.DELETE),
     (0.92, Action.MUTE), (0.985, Action.BAN), (1.0, Action.BAN)],
)
def test_policy_threshold_action_follows_default_ladder(risk, expected):
    assert threshold_action(risk, ChatPolicy()) is expected


@pytest.mark.parametrize(
    ("risk", "history", "expected"),
    [
        (0.65, UserHistory(warnings=2), Action.WARN),
        (0.65, UserHistory(warnings=3), Action.MUTE),
        (0.65, UserHistory(warnings=3, mutes=2), Action.BAN),
        (0.93, UserHistory(mutes=1), Action.MUTE),
        (0.93, UserHistory(mutes=2), Action.BAN),
        (0.5, UserHistory(warnings=9, mutes=9), Action.REVIEW),
    ],
)
def test_policy_decide_escalates_by_history(risk, history, expected):
    decision = decide(MESSAGE, score(risk), "child", ChatPolicy(), history)
    assert decision.action is expected
    assert decision.target_user_id == "child"
    assert decision.reasons[0].signal == "off_platform"
    if expected is Action.MUTE:
        assert decision.mute_seconds == 1440 * 60


def test_policy_decide_never_acts_on_allow_listed_user():
    decision = decide(MESSAGE, score(0.99), None, ChatPolicy(allowed_users=["adult"]), UserHistory())
    assert decision.action is Action.ALLOW
    assert "allow list" in decision.explanation


def test_policy_decide_marks_dry_run():
    decision = decide(MESSAGE, score(0.9), None, ChatPolicy(dry_run=True), UserHistory())
    assert decision.dry_run and decision.action is Action.DELETE


def test_policy_thresholds_switch_off_above_one():
    policy = ChatPolicy(mute_at=1.01, ban_at=1.01)
    assert threshold_action(1.0, policy) is Action.DELETE


@pytest.mark.parametrize(
    "bad",
    [{"review_at": 0.9, "warn_at": 0.5}, {"mute_minutes": 0}, {"language": "fr"}, {"unknown_key": 1},
     {"review_at": -0.1}],
)
def test_policy_rejects_invalid_values(bad):
    with pytest.raises(ValidationError):
        ChatPolicy(**bad)
