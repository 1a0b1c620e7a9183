"""Appeals are answered within their chat's ``appeal_deadline_hours`` or escalated: a scheduled check.

Once at start and then every ``appeals.deadline_check_minutes``, the open appeals not yet escalated are read,
those past their chat policy's deadline are picked (``overdue_appeals``, pure) and each is escalated: marked
with who ("system"), when and why, and its review item is raised to the top of the queue. A failed check is
logged and the schedule goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from bot.schedule import periodic_job
from handlers.commands import PolicyAccess
from storage.columns import utc_now

log = logging.getLogger(__name__)

ESCALATED_BY = "system"
"""Who escalates an appeal whose deadline passed."""

SECONDS_PER_MINUTE = 60.0


class EscalationBook(Protocol):
    """Appeals as the check uses them (``storage.appeals.SqlAppealStore``)."""

    async def unescalated(self, limit: int = 500) -> list[dict[str, Any]]:
        """Open appeals of every tenant not yet escalated, oldest first, each with its incident's chat_id."""
        ...

    async def escalate(self, tenant_id: str, appeal_id: str, by: str, reason: str) -> dict[str, Any] | None:
        """Mark one escalated and raise its review item; None when it is no longer waiting."""
        ...


def deadline_reason(hours: int) -> str:
    """Why an appeal was escalated, as recorded on it."""
    return f"deadline passed: no answer within {hours} hours"


def overdue_appeals(
    appeals: Iterable[Mapping[str, Any]], deadline_hours: Mapping[tuple[str, str], int], now: datetime
) -> list[Mapping[str, Any]]:
    """The open, not yet escalated appeals whose chat's deadline has passed at ``now``. Pure.

    Args:
        appeals: appeals with ``tenant_id``, ``chat_id``, ``status``, ``created_at`` and ``escalated_at``.
        deadline_hours: each (tenant, chat)'s ``appeal_deadline_hours``; an appeal of a chat not in it is
            never overdue.
        now: the time to judge by (aware UTC).
    """
    overdue = []
    for appeal in appeals:
        hours = deadline_hours.get((appeal["tenant_id"], appeal["chat_id"]))
        waiting = appeal["status"] == "open" and appeal["escalated_at"] is None
        if waiting and hours is not None and appeal["created_at"] + timedelta(hours=hours) <= now:
            overdue.append(appeal)
    return overdue


class AppealDeadlines:
    """Escalates appeals left unanswered past their chat policy's deadline.

    Args:
        appeals: where appeals are read and escalated.
        policies: the chats' policies (their ``appeal_deadline_hours``).
        clock: the current time (aware UTC).
    """

    def __init__(
        self, *, appeals: EscalationBook, policies: PolicyAccess, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._appeals = appeals
        self._policies = policies
        self._clock = clock

    async def escalate_overdue(self) -> list[dict[str, Any]]:
        """Escalate every overdue appeal now; returns the escalated appeals."""
        waiting = await self._appeals.unescalated()
        chats = {(appeal["tenant_id"], appeal["chat_id"]) for appeal in waiting}
        hours = {chat: (await self._policies.policy(*chat)).appeal_deadline_hours for chat in chats}
        escalated = []
        for appeal in overdue_appeals(waiting, hours, self._clock()):
            why = deadline_reason(hours[(appeal["tenant_id"], appeal["chat_id"])])
            done = await self._appeals.escalate(appeal["tenant_id"], appeal["id"], ESCALATED_BY, why)
            if done is not None:
                escalated.append(done)
        return escalated


async def check_once(deadlines: AppealDeadlines) -> list[dict[str, Any]] | None:
    """Run one check and log what it escalated; a failure is logged and answered with None."""
    try:
        escalated = await deadlines.escalate_overdue()
    except Exception:
        log.exception("appeal deadline check failed; the next run will try again")
        return None
    for appeal in escalated:
        log.warning(
            "appeal %s (tenant %s, incident %s) escalated: %s",
            appeal["id"],
            appeal["tenant_id"],
            appeal["incident_id"],
            appeal["escalation_reason"],
        )
    return escalated


@asynccontextmanager
async def appeal_deadline_job(
    deadlines: AppealDeadlines, interval_minutes: float
) -> AsyncIterator[asyncio.Task[None] | None]:
    """Run the checks in the background while the block runs; cancel them on the way out.

    Yields the task, or None when ``interval_minutes`` is 0 (no checks).
    """
    seconds = interval_minutes * SECONDS_PER_MINUTE
    step = partial(check_once, deadlines)
    async with periodic_job("appeal-deadlines", step, seconds, "appeals.deadline_check_minutes") as task:
        yield task
