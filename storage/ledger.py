"""The pipeline's store (``handlers.ports.ModerationStore``): a few round trips per batch, over SQL or memory.

On SQL a batch is one write transaction: it takes the tenant's incident-chain lock, loads what its messages
may read (``SqlConversationStore.load``, ``SqlIncidentStore.load``), lets the pipeline work in memory, and
writes messages, states, incidents (chained in order), review items and outcomes before it commits. Holding
the lock for the whole batch makes two batches of the same tenant run one after the other, so the second sees
the first's messages, decisions and incidents exactly as if they had come one by one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from storage.batch import ConversationWork, IncidentWork, MessageKey, check_tenant
from storage.conversations import SqlConversationStore
from storage.db import Database
from storage.incidents import SqlIncidentStore
from storage.memory import MemoryIncidentStore, MemoryReviewQueue
from storage.memory_conversations import MemoryConversationStore, TenantConversations


class SqlModerationStore:
    """Batches over the SQL conversation memory and incident log of one database.

    Args:
        db: the database both stores use.
        conversations: the conversation memory (its window and state TTL apply).
        incidents: the incident log.
    """

    def __init__(self, db: Database, conversations: SqlConversationStore, incidents: SqlIncidentStore) -> None:
        self._db = db
        self._conversations = conversations
        self._incidents = incidents

    async def decided(self, tenant_id: str, keys: Collection[MessageKey]) -> dict[MessageKey, dict[str, Any]]:
        """The decision records stored for those of the (chat_id, message_id) keys that were processed."""
        return await self._conversations.decided(tenant_id, keys)

    @asynccontextmanager
    async def batch(
        self, tenant_id: str, messages: Sequence[Mapping[str, Any]], history_since: datetime
    ) -> AsyncIterator[tuple[ConversationWork, IncidentWork]]:
        """Lock the tenant's chain, load what the messages may read, and write the batch's changes on exit."""
        async with self._db.transaction() as session:
            head = await self._incidents.lock_chain(session, tenant_id)
            conversations = await self._conversations.load(session, tenant_id, messages)
            keys = {(message["chat_id"], message["message_id"]) for message in messages}
            senders = {(message["chat_id"], message["sender_id"]) for message in messages}
            incidents = await self._incidents.load(session, tenant_id, keys, senders, history_since)
            yield conversations, incidents
            await self._conversations.write(session, conversations.changes())
            await self._incidents.write(session, head, incidents.changes())

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what happened when an adapter carried an incident's decision out."""
        await self._incidents.record_outcome(incident_id, ok, detail)


class MemoryIncidentBatch:
    """One tenant's part of a ``MemoryIncidentStore`` during a batch (``handlers.ports.IncidentBatch``).

    Incidents and outcomes are added at once; review items wait in ``reviews`` until the batch ends.
    """

    def __init__(self, incidents: MemoryIncidentStore, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self.reviews: list[dict[str, Any]] = []
        self._incidents = incidents

    def history(self, chat_id: str, user_id: str, since: datetime) -> dict[str, int]:
        """Warnings, mutes and bans the user received in the chat since ``since``."""
        return self._incidents.counts(self.tenant_id, chat_id, user_id, since)

    def record(self, entry: Mapping[str, Any]) -> str:
        """Append an incident and return its id (the same message with the same text keeps its incident)."""
        check_tenant(self.tenant_id, entry)
        return self._incidents.append(entry)

    def queue_review(self, entry: Mapping[str, Any]) -> None:
        """Keep a review item for the end of the batch."""
        check_tenant(self.tenant_id, entry)
        self.reviews.append(dict(entry))

    def note_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what was done about an incident."""
        self._incidents.add_outcome(incident_id, ok, detail)


class MemoryModerationStore:
    """Batches over in-memory stores, for ``bot.py score`` replays and tests.

    A batch changes the stores as it goes (a replay has nothing to roll back); its review items are queued
    when it ends.
    """

    def __init__(
        self, conversations: MemoryConversationStore, incidents: MemoryIncidentStore, reviews: MemoryReviewQueue
    ) -> None:
        self._conversations = conversations
        self._incidents = incidents
        self._reviews = reviews

    async def decided(self, tenant_id: str, keys: Collection[MessageKey]) -> dict[MessageKey, dict[str, Any]]:
        """The decision records stored for those of the (chat_id, message_id) keys that were processed."""
        return await self._conversations.decided(tenant_id, keys)

    @asynccontextmanager
    async def batch(
        self, tenant_id: str, messages: Sequence[Mapping[str, Any]], history_since: datetime
    ) -> AsyncIterator[tuple[TenantConversations, MemoryIncidentBatch]]:
        """The tenant's memory for the batch; its review items are queued on exit."""
        incidents = MemoryIncidentBatch(self._incidents, tenant_id)
        yield self._conversations.tenant(tenant_id), incidents
        for entry in incidents.reviews:
            await self._reviews.enqueue(entry)

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what happened when an adapter carried an incident's decision out."""
        await self._incidents.record_outcome(incident_id, ok, detail)
