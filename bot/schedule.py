"""Background jobs that run one step now and then every interval, for as long as the bot runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[object]]


async def run_every(step: Step, interval_seconds: float) -> None:
    """Run ``step`` now and then every ``interval_seconds``, forever (until the task is cancelled)."""
    while True:
        await step()
        await asyncio.sleep(interval_seconds)


@asynccontextmanager
async def periodic_job(
    name: str, step: Step, interval_seconds: float, off_setting: str
) -> AsyncIterator[asyncio.Task[None] | None]:
    """Run ``step`` on a schedule in the background while the block runs; cancel it on the way out.

    Args:
        name: the task's name, also used in the log.
        step: one run of the job; it handles and logs its own failures, so the schedule goes on.
        interval_seconds: time between runs; 0 or less turns the job off.
        off_setting: the setting that turned the job off, named in the log line that says so.

    Yields:
        The task, or None when the job is off.
    """
    if interval_seconds <= 0:
        log.info("%s is off (%s = 0)", name, off_setting)
        yield None
        return
    task = asyncio.create_task(run_every(step, interval_seconds), name=name)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
