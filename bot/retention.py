"""The scheduled retention purge: once at start, then every ``retention.interval_hours``, until cancelled.

Each run redacts the incidents and deletes the messages older than their chat's ``retention_days``
(``handlers.evidence.Retention``) and logs what it purged. A failed run is logged and the schedule goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, Protocol

from bot.schedule import periodic_job, run_every
from handlers.evidence import PurgeReport, Retention
from storage.evidence import SqlEvidenceStore

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

SECONDS_PER_HOUR = 3600.0


class Purger(Protocol):
    """Something that runs one retention purge (``handlers.evidence.Retention``)."""

    async def purge(self, dry_run: bool = False) -> PurgeReport:
        """Purge what has expired and report it."""
        ...


def retention_of(services: Services) -> Retention:
    """The retention rules over the installation's stores."""
    return Retention(
        store=SqlEvidenceStore(services.database),
        conversations=services.conversations,
        policies=services.moderator,
    )


async def run_once(purger: Purger) -> PurgeReport | None:
    """Run one purge and log it; a failure is logged and answered with None."""
    try:
        report = await purger.purge()
    except Exception:
        log.exception("retention purge failed; the next run will try again")
        return None
    for line in report.lines():
        log.info("%s", line)
    return report


async def run_schedule(purger: Purger, interval_seconds: float) -> None:
    """Purge now and then every ``interval_seconds``, forever (until the task is cancelled)."""
    await run_every(partial(run_once, purger), interval_seconds)


@asynccontextmanager
async def retention_job(purger: Purger, interval_hours: float) -> AsyncIterator[asyncio.Task[None] | None]:
    """Run the purge schedule in the background while the block runs; cancel it on the way out.

    Yields the task, or None when ``interval_hours`` is 0 (no scheduled purge).
    """
    seconds = interval_hours * SECONDS_PER_HOUR
    async with periodic_job("retention", partial(run_once, purger), seconds, "retention.interval_hours") as task:
        yield task
