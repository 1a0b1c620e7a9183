"""Platform-free admin commands: show and change a chat's policy, allow users, explain a decision.

Adapters only parse the platform's command syntax, check that the caller is an admin, and send the reply text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import ValidationError

from handlers.model import Decision
from handlers.policy import ChatPolicy

SETTABLE = (
    "review_at",
    "warn_at",
    "delete_at",
    "mute_at",
    "ban_at",
    "mute_minutes",
    "warn_limit",
    "mute_limit",
    "escalation_days",
    "dry_run",
    "language",
    "retention_days",
    "review_punitive",
    "appeal_deadline_hours",
)
TRUE_WORDS = {"on", "true", "yes", "1", "开", "是"}
FALSE_WORDS = {"off", "false", "no", "0", "关", "否"}


class PolicyAccess(Protocol):
    """Reading and writing a chat's policy (the ``Moderator`` provides it)."""

    async def policy(self, tenant_id: str, chat_id: str) -> ChatPolicy:
        """The chat's policy."""
        ...

    async def set_policy(self, tenant_id: str, chat_id: str, policy: ChatPolicy) -> None:
        """Store the chat's policy."""
        ...


class DecisionLookup(Protocol):
    """Finding the decision stored for a message (the ``ConversationStore`` provides it)."""

    async def previous(self, tenant_id: str, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The stored decision record, if the message was processed."""
        ...


class CommandError(ValueError):
    """A command's arguments were wrong; the message says how, for the user."""


def parse_setting(key: str, raw: str) -> dict[str, Any]:
    """Turn ``/set key value`` into a policy update, with a clear error for an unknown key or a bad value."""
    if key not in SETTABLE:
        raise CommandError(f"unknown setting {key!r}; settable: {', '.join(SETTABLE)}")
    field = ChatPolicy.model_fields[key]
    if field.annotation is bool:
        word = raw.strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise CommandError(f"{key} takes on or off, not {raw!r}")
        return {key: word in TRUE_WORDS}
    return {key: raw.strip()}


def format_policy(policy: ChatPolicy) -> str:
    """A compact, readable listing of the settable fields and the allow list."""
    values = policy.model_dump()
    lines = [f"{key} = {values[key]}" for key in SETTABLE]
    allowed = ", ".join(policy.allowed_users) or "-"
    lines.append(f"allowed_users = {allowed}")
    return "\n".join(lines)


def format_decision(decision: Decision) -> str:
    """The /why answer: action, risk, stages and each reason with its score."""
    lines = [
        f"action: {decision.action.value} (risk {decision.risk:.2f})",
        f"stages: {', '.join(decision.stages) or '-'}",
    ]
    if decision.explanation:
        lines.append(f"why: {decision.explanation}")
    lines += [f"- {r.signal} {r.score:.2f}: {r.detail}" for r in decision.reasons if r.score > 0][:8]
    return "\n".join(lines)


class ChatCommands:
    """The admin commands of one installation, shared by every platform adapter."""

    def __init__(self, policies: PolicyAccess, decisions: DecisionLookup) -> None:
        self._policies = policies
        self._decisions = decisions

    async def show_policy(self, tenant_id: str, chat_id: str) -> str:
        """The chat's policy as text."""
        return format_policy(await self._policies.policy(tenant_id, chat_id))

    async def set_value(self, tenant_id: str, chat_id: str, key: str, raw: str) -> ChatPolicy:
        """Change one setting; raises CommandError with the reason when the new policy would be invalid."""
        return await self._update(tenant_id, chat_id, parse_setting(key, raw))

    async def allow(self, tenant_id: str, chat_id: str, user_id: str) -> ChatPolicy:
        """Put a user on the chat's allow list (never acted upon)."""
        policy = await self._policies.policy(tenant_id, chat_id)
        users = sorted(set(policy.allowed_users) | {user_id})
        return await self._update(tenant_id, chat_id, {"allowed_users": users})

    async def disallow(self, tenant_id: str, chat_id: str, user_id: str) -> ChatPolicy:
        """Take a user off the chat's allow list."""
        policy = await self._policies.policy(tenant_id, chat_id)
        users = [user for user in policy.allowed_users if user != user_id]
        return await self._update(tenant_id, chat_id, {"allowed_users": users})

    async def why(self, tenant_id: str, chat_id: str, message_id: str) -> str:
        """Explain the decision made for a message, or say that it was not seen."""
        stored = await self._decisions.previous(tenant_id, chat_id, message_id)
        if stored is None:
            return "minorguard has not scored that message."
        return format_decision(Decision.from_record(stored))

    async def _update(self, tenant_id: str, chat_id: str, changes: Mapping[str, Any]) -> ChatPolicy:
        current = await self._policies.policy(tenant_id, chat_id)
        try:
            policy = ChatPolicy.model_validate(current.model_dump() | dict(changes))
        except ValidationError as error:
            problem = error.errors()[0]
            raise CommandError(f"{'.'.join(map(str, problem['loc'])) or 'policy'}: {problem['msg']}") from error
        await self._policies.set_policy(tenant_id, chat_id, policy)
        return policy
