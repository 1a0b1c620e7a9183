"""The policy preview: replaying a chat's stored messages under the current and a candidate policy.

Messages go through the real pipeline into a real SQLite file first; the preview replays them with the real
rule-based scorer and a fresh in-memory conversation memory. Every conversation here is invented.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Services, open_services
from handlers.model import IncomingMessage
from handlers.policy import ChatPolicy
from handlers.preview import PolicyPreview, preview_policy
from storage.memory_conversations import MemoryConversationStore
from tests.test_console_site import GROOMING_EN, REVIEW_EVERYTHING, Line, site_settings

TENANT = "tenant-preview"

WARN_EVERYONE = ChatPolicy(review_at=0.0, warn_at=0.0, delete_at=1.01, mute_at=1.01, ban_at=1.01, warn_limit=1)
"""Warns every message; from the second warning on a sender is muted instead, and after two mutes banned."""


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(site_settings(tmp_path)) as opened:
        yield opened


async def post(services: Services, chat_id: str, lines: tuple[Line, ...]) -> list[str]:
    """Run the lines through the pipeline, a minute apart; returns the recorded actions."""
    start = datetime(2025, 6, 1, 16, 0, tzinfo=UTC)
    messages = [
        IncomingMessage(
            tenant_id=TENANT,
            platform="chatapp",
            chat_id=chat_id,
            message_id=f"{chat_id}-{number}",
            sender_id=sender,
            text=text,
            sent_at=start + timedelta(minutes=number),
            reply_to_user_id=target,
        )
        for number, (sender, target, text) in enumerate(lines)
    ]
    return [decision.action.value for decision in await services.moderator.process(messages)]


async def preview(
    services: Services, chat_id: str, candidate: ChatPolicy, limit: int = 50, current: ChatPolicy | None = None
) -> PolicyPreview:
    return await preview_policy(
        messages=services.conversations,
        scorer=services.scorer,
        replay_state=MemoryConversationStore(window=services.settings.pipeline.context_messages),
        tenant_id=TENANT,
        chat_id=chat_id,
        current=current or await services.moderator.policy(TENANT, chat_id),
        candidate=candidate,
        limit=limit,
        executor=services.executor,
    )


async def test_preview_same_policy_changes_nothing(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    result = await preview(services, "room", ChatPolicy())
    assert len(result.lines) == len(GROOMING_EN)
    assert result.changes == ()


async def test_preview_of_the_whole_chat_reproduces_the_recorded_decisions(services: Services) -> None:
    recorded = await post(services, "room", GROOMING_EN)
    result = await preview(services, "room", ChatPolicy())
    assert [line.recorded for line in result.lines] == recorded
    assert [line.current for line in result.lines] == recorded
    assert [line.message_id for line in result.lines] == [f"room-{n}" for n in range(len(GROOMING_EN))]


async def test_preview_relaxed_thresholds_turn_punishment_into_review(services: Services) -> None:
    recorded = await post(services, "room", GROOMING_EN)
    relaxed = ChatPolicy(warn_at=1.01, delete_at=1.01, mute_at=1.01, ban_at=1.01)
    result = await preview(services, "room", relaxed)
    punished = [line for line in result.lines if line.current in ("delete", "mute", "ban")]
    assert punished, recorded
    assert all(line.changed and line.candidate == "review" for line in punished)
    assert {line.message_id for line in result.changes} == {line.message_id for line in punished}


async def test_preview_allow_list_spares_only_that_sender(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    result = await preview(services, "room", REVIEW_EVERYTHING.model_copy(update={"allowed_users": ["stranger_k"]}))
    by_sender = {(line.sender_id, line.candidate) for line in result.lines}
    assert by_sender == {("stranger_k", "allow"), ("kid_m", "review")}


async def test_preview_replays_only_the_last_messages(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    result = await preview(services, "room", ChatPolicy(), limit=3)
    assert [line.message_id for line in result.lines] == ["room-3", "room-4", "room-5"]


async def test_preview_escalates_each_sender_under_each_policy(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    result = await preview(services, "room", WARN_EVERYONE, current=REVIEW_EVERYTHING)
    assert [(line.sender_id, line.candidate) for line in result.lines] == [
        ("kid_m", "warn"),
        ("stranger_k", "warn"),
        ("kid_m", "mute"),
        ("stranger_k", "mute"),
        ("stranger_k", "mute"),
        ("stranger_k", "ban"),
    ]
    assert {line.current for line in result.lines} == {"review"}


async def test_preview_candidate_is_what_the_pipeline_does_under_that_policy(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    await services.moderator.set_policy(TENANT, "twin-room", WARN_EVERYONE)
    twin = await post(services, "twin-room", GROOMING_EN)
    result = await preview(services, "room", WARN_EVERYONE)
    assert [line.candidate for line in result.lines] == twin


async def test_preview_dry_run_warnings_do_not_escalate(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    result = await preview(services, "room", WARN_EVERYONE.model_copy(update={"dry_run": True}))
    assert {line.candidate for line in result.lines} == {"warn"}


async def test_preview_of_an_empty_chat_has_no_lines(services: Services) -> None:
    result = await preview(services, "silent-room", ChatPolicy(ban_at=1.01))
    assert result.lines == () and result.changes == ()


async def test_preview_records_and_changes_nothing(services: Services) -> None:
    await post(services, "room", GROOMING_EN)
    before_messages = await services.conversations.recent_messages(TENANT, "room", 50)
    before_incidents, _ = await services.incidents.list(TENANT, limit=500)
    before_reviews = await services.reviews.list(TENANT, status=None, limit=500)
    await preview(services, "room", REVIEW_EVERYTHING)
    assert await services.conversations.recent_messages(TENANT, "room", 50) == before_messages
    assert (await services.incidents.list(TENANT, limit=500))[0] == before_incidents
    assert await services.reviews.list(TENANT, status=None, limit=500) == before_reviews
    assert await services.policies.get(TENANT, "room") is None
