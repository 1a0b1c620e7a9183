"""The dashboard: incidents per day by stage and by action, overturn rate per signal, and the queue's age.

The numbers are computed here and drawn by Chart.js (served from the console's own static folder); every chart
also has a plain table, so the page reads without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.web.deps import CONSOLE
from bot.web.i18n import Translator
from bot.web.render import render, translator
from bot.web.session import current_tenant
from classifiers.types import STAGES
from handlers.model import Action

PERIODS = (7, 30, 90)
"""The periods the dashboard offers, days."""

DEFAULT_PERIOD = 30

FIRED_AT = 0.5
"""A reason counts as a signal that fired from this strength on."""

MAX_INCIDENTS = 20000
"""Most incidents read for one dashboard (the newest); a larger period is cut."""

PAGE = 500

AGE_BUCKETS = (
    (3600.0, "age_bucket_1h"),
    (6 * 3600.0, "age_bucket_6h"),
    (24 * 3600.0, "age_bucket_24h"),
    (3 * 24 * 3600.0, "age_bucket_3d"),
    (float("inf"), "age_bucket_more"),
)
"""Upper bounds (seconds, exclusive) of the queue-age buckets and their labels."""

REVIEWED_STATUSES = ("confirmed", "overturned")
"""Incidents a moderator decided about; escalated ones are still undecided."""


def day_labels(first_day: date, days: int) -> list[str]:
    """ISO dates from ``first_day``, one per day."""
    return [(first_day + timedelta(days=offset)).isoformat() for offset in range(days)]


def per_day(
    incidents: Iterable[Mapping[str, Any]],
    keys_of: Callable[[Mapping[str, Any]], Iterable[str]],
    keys: Sequence[str],
    first_day: date,
    days: int,
) -> dict[str, list[int]]:
    """Per key, how many incidents were recorded each day (an incident counts once for each of its keys)."""
    series = {key: [0] * days for key in keys}
    for incident in incidents:
        offset = (incident["created_at"].astimezone(UTC).date() - first_day).days
        if 0 <= offset < days:
            for key in keys_of(incident):
                if key in series:
                    series[key][offset] += 1
    return {key: counts for key, counts in series.items() if any(counts)}


def overturn_rates(incidents: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per signal that fired in a reviewed incident: reviewed, overturned and the overturn rate, worst first."""
    reviewed: Counter[str] = Counter()
    overturned: Counter[str] = Counter()
    for incident in incidents:
        if incident["status"] not in REVIEWED_STATUSES:
            continue
        signals = {reason["signal"] for reason in incident["reasons"] if float(reason["score"]) >= FIRED_AT}
        reviewed.update(signals)
        if incident["status"] == "overturned":
            overturned.update(signals)
    rows = [
        {"signal": signal, "reviewed": count, "overturned": overturned[signal], "rate": overturned[signal] / count}
        for signal, count in reviewed.items()
    ]
    return sorted(rows, key=lambda row: (-row["rate"], -row["reviewed"], row["signal"]))


def queue_ages(items: Iterable[Mapping[str, Any]], now: datetime) -> list[int]:
    """How many open items fall in each age bucket."""
    counts = [0] * len(AGE_BUCKETS)
    for item in items:
        age = (now - item["created_at"]).total_seconds()
        counts[next(index for index, (bound, _) in enumerate(AGE_BUCKETS) if age < bound)] += 1
    return counts


async def recent_incidents(request: web.Request, tenant: str, since: datetime) -> list[dict[str, Any]]:
    """The tenant's incidents recorded since ``since``, newest first, at most ``MAX_INCIDENTS``."""
    incidents: list[dict[str, Any]] = []
    cursor: str | None = None
    while len(incidents) < MAX_INCIDENTS:
        page, cursor = await request.config_dict[CONSOLE].incidents.list(tenant, since=since, limit=PAGE, cursor=cursor)
        incidents += page
        if cursor is None:
            break
    return incidents


def dashboard_values(
    t: Translator,
    incidents: Sequence[Mapping[str, Any]],
    open_items: Sequence[Mapping[str, Any]],
    first_day: date,
    days: int,
    now: datetime,
) -> dict[str, Any]:
    """The dashboard's tables and the charts' data (labels in the page's language)."""
    labels = day_labels(first_day, days)
    stages = [stage.value for stage in STAGES]
    by_stage = per_day(incidents, lambda incident: incident["stages"], stages, first_day, days)
    actions = [action.value for action in Action if action is not Action.ALLOW]
    by_action = per_day(incidents, lambda incident: [incident["action"]], actions, first_day, days)
    rates = overturn_rates(incidents)
    ages = queue_ages(open_items, now)
    oldest = min((item["created_at"] for item in open_items), default=None)
    return {
        "total": len(incidents),
        "open_count": len(open_items),
        "oldest_age": (now - oldest).total_seconds() if oldest else None,
        "labels": labels,
        "by_stage": by_stage,
        "by_action": by_action,
        "rates": rates,
        "age_rows": [(t(label), count) for (_, label), count in zip(AGE_BUCKETS, ages, strict=True)],
        "charts": {
            "days": labels,
            "by_stage": [{"label": t.stage(key), "data": counts} for key, counts in by_stage.items()],
            "by_action": [{"label": t.action(key), "data": counts} for key, counts in by_action.items()],
            "overturn": {"labels": [row["signal"] for row in rates], "data": [round(row["rate"], 4) for row in rates]},
            "queue_age": {"labels": [t(label) for _, label in AGE_BUCKETS], "data": ages},
            "titles": {"rate": t("rate"), "count": t("count")},
        },
    }


async def dashboard_page(request: web.Request) -> web.StreamResponse:
    """The tenant's dashboard over the chosen period (7, 30 or 90 days up to today, UTC)."""
    tenant = await current_tenant(request)
    days = int(request.query["days"]) if request.query.get("days") in {str(p) for p in PERIODS} else DEFAULT_PERIOD
    now = datetime.now(UTC)
    first_day = now.date() - timedelta(days=days - 1)
    incidents = await recent_incidents(request, tenant, datetime.combine(first_day, datetime.min.time(), tzinfo=UTC))
    open_items = await request.config_dict[CONSOLE].reviews.list(tenant, status="open", limit=PAGE * 10)
    values = dashboard_values(await translator(request), incidents, open_items, first_day, days, now)
    return await render(request, "dashboard.html", values | {"days": days, "periods": PERIODS})
