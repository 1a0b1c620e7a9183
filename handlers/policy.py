"""Per-chat policy and the pure decision rule: ``decide(score, policy, history) -> Decision``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from classifiers.types import Score
from handlers.model import Action, Decision, IncomingMessage, UserHistory


class ChatPolicy(BaseModel):
    """How one chat wants minorguard to act. Defaults are safe for a chat with minors in it.

    Thresholds are risks in 0–1; each action applies from its threshold up. A threshold of 1.01 or more
    switches that action off.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    review_at: float = Field(default=0.45, ge=0.0, le=1.01, description="Risk from which a message goes to review.")
    warn_at: float = Field(default=0.6, ge=0.0, le=1.01, description="Risk from which the sender is warned.")
    delete_at: float = Field(default=0.8, ge=0.0, le=1.01, description="Risk from which the message is deleted.")
    mute_at: float = Field(default=0.92, ge=0.0, le=1.01, description="Risk from which the sender is muted.")
    ban_at: float = Field(default=0.985, ge=0.0, le=1.01, description="Risk from which the sender is banned.")
    mute_minutes: int = Field(default=1440, ge=1, le=525600, description="Length of a mute, minutes.")
    warn_limit: int = Field(default=3, ge=0, le=100, description="Warnings before the next becomes a mute; 0 = off.")
    mute_limit: int = Field(default=2, ge=0, le=100, description="Mutes before the next one becomes a ban; 0 = off.")
    escalation_days: int = Field(default=30, ge=1, le=3650, description="Days over which warnings and mutes count.")
    dry_run: bool = Field(default=False, description="Decide and log, but act on nothing.")
    allowed_users: list[str] = Field(default_factory=list, description="User ids never acted upon.")
    language: str = Field(default="en", pattern=r"^(en|zh)$", description="Notice language when the user's is unknown.")
    retention_days: int = Field(default=365, ge=1, le=3650, description="Days incidents are kept before purge.")
    review_punitive: bool = Field(default=False, description="Also queue delete/mute/ban for human review.")
    appeal_deadline_hours: int = Field(default=72, ge=1, le=8760, description="Hours to answer an appeal.")
    review_chat_id: str | None = Field(default=None, description="Platform chat where reviews are posted.")
    callback_url: str | None = Field(default=None, description="Tenant URL for signed appeal results.")

    @model_validator(mode="after")
    def _thresholds_ascend(self) -> ChatPolicy:
        ladder = [self.review_at, self.warn_at, self.delete_at, self.mute_at, self.ban_at]
        if ladder != sorted(ladder):
            raise ValueError("thresholds must ascend: review_at <= warn_at <= delete_at <= mute_at <= ban_at")
        return self


def threshold_action(risk: float, policy: ChatPolicy) -> Action:
    """The action the risk alone earns under the policy's thresholds."""
    ladder = (
        (policy.ban_at, Action.BAN),
        (policy.mute_at, Action.MUTE),
        (policy.delete_at, Action.DELETE),
        (policy.warn_at, Action.WARN),
        (policy.review_at, Action.REVIEW),
    )
    for threshold, action in ladder:
        if risk >= threshold:
            return action
    return Action.ALLOW


def escalate(action: Action, policy: ChatPolicy, history: UserHistory) -> tuple[Action, str]:
    """Raise a warning or a mute to the next step when the user has used up the policy's allowance."""
    if action is Action.WARN and policy.warn_limit and history.warnings >= policy.warn_limit:
        action = Action.MUTE
        why = f"{history.warnings} earlier warnings reach the warn limit of {policy.warn_limit}"
    else:
        why = ""
    if action is Action.MUTE and policy.mute_limit and history.mutes >= policy.mute_limit:
        return Action.BAN, f"{history.mutes} earlier mutes reach the mute limit of {policy.mute_limit}"
    return action, why


def decide(
    message: IncomingMessage,
    score: Score,
    target_user_id: str | None,
    policy: ChatPolicy,
    history: UserHistory,
) -> Decision:
    """Map a score, the chat's policy and the user's history to a decision. Pure."""
    if message.sender_id in policy.allowed_users:
        action, explanation = Action.ALLOW, "the sender is on the chat's allow list"
    else:
        action = threshold_action(score.risk, policy)
        action, why = escalate(action, policy, history)
        explanation = _explain(action, score, why)
    return Decision(
        tenant_id=message.tenant_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        sender_id=message.sender_id,
        action=action,
        risk=score.risk,
        target_user_id=target_user_id,
        stages=score.stages,
        reasons=score.reasons,
        model_version=score.model_version,
        explanation=explanation,
        dry_run=policy.dry_run,
        mute_seconds=policy.mute_minutes * 60 if action is Action.MUTE else 0,
        lang=score.lang,
    )


def _explain(action: Action, score: Score, escalation: str) -> str:
    if action is Action.ALLOW:
        return f"risk {score.risk:.2f} is below the review threshold"
    stages = ", ".join(score.stages) or "no single stage"
    text = f"risk {score.risk:.2f} from stages: {stages}"
    return f"{text}; escalated because {escalation}" if escalation else text
