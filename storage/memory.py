"""In-memory incident, policy and review stores with the same behaviour as the SQL ones, for replays and tests.

Nothing here awaits while it changes state, so each call is atomic on the event loop. The conversation memory is in
``storage.memory_conversations``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any
from uuid import uuid4

from storage.batch import HISTORY_ACTIONS
from storage.chain import EVIDENCE_BLANKS, GENESIS_HASH, ChainReport, ChainWalk, incident_fields, seal
from storage.columns import plain_json, utc_now
from storage.incidents import check_status, decode_cursor, encode_cursor
from storage.reviews import INCIDENT_FIELDS, check_outcome

Chat = tuple[str, str]


class MemoryIncidentStore:
    """Hash-chained incidents in memory, chained exactly like ``SqlIncidentStore``."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._rows: dict[str, dict[str, Any]] = {}
        self._chains: dict[str, list[str]] = {}
        self._by_message: dict[tuple[str, ...], str] = {}
        self._by_sender: dict[tuple[str, ...], list[str]] = {}
        self._outcomes: dict[str, list[dict[str, Any]]] = {}

    async def record(self, entry: Mapping[str, Any]) -> str:
        """Append an incident and return its id; the same message with the same text returns the existing id."""
        return self.append(entry)

    def append(self, entry: Mapping[str, Any]) -> str:
        """``record`` without awaiting, for a batch working on this store."""
        fields = incident_fields(entry)
        tenant_id, chat_id = fields["tenant_id"], fields["chat_id"]
        same = (tenant_id, chat_id, fields["message_id"], fields["text"])
        if same in self._by_message:
            return self._by_message[same]
        chain = self._chains.setdefault(tenant_id, [])
        prev_hash = self._rows[chain[-1]]["row_hash"] if chain else GENESIS_HASH
        row = seal(fields, str(uuid4()), len(chain) + 1, self._clock(), prev_hash)
        self._rows[row["id"]] = row
        chain.append(row["id"])
        self._by_message[same] = row["id"]
        self._by_sender.setdefault((tenant_id, chat_id, fields["sender_id"]), []).append(row["id"])
        return row["id"]

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what happened when the decision was carried out.

        Raises:
            KeyError: there is no incident with this id.
        """
        self.add_outcome(incident_id, ok, detail)

    def add_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """``record_outcome`` without awaiting, for a batch working on this store.

        Raises:
            KeyError: there is no incident with this id.
        """
        if incident_id not in self._rows:
            raise KeyError(incident_id)
        self._outcomes.setdefault(incident_id, []).append({"ok": bool(ok), "detail": detail, "at": self._clock()})

    async def history(self, tenant_id: str, chat_id: str, user_id: str, since: datetime) -> dict[str, int]:
        """Warnings, mutes and bans of the user in the chat sent since ``since``; dry runs and overturned excluded."""
        return self.counts(tenant_id, chat_id, user_id, since)

    def counts(self, tenant_id: str, chat_id: str, user_id: str, since: datetime) -> dict[str, int]:
        """``history`` without awaiting, for a batch working on this store."""
        counts = dict.fromkeys(HISTORY_ACTIONS.values(), 0)
        for incident_id in self._by_sender.get((tenant_id, chat_id, user_id), ()):
            row = self._rows[incident_id]
            counted = row["action"] in HISTORY_ACTIONS and not row["dry_run"] and row["status"] != "overturned"
            if counted and row["sent_at"] >= since:
                counts[HISTORY_ACTIONS[row["action"]]] += 1
        return counts

    async def get(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The full evidence of one incident with its outcomes and hashes; None if absent or another tenant's."""
        row = self._rows.get(incident_id)
        if row is None or row["tenant_id"] != tenant_id:
            return None
        return copy.deepcopy(row) | {"outcomes": copy.deepcopy(self._outcomes.get(incident_id, []))}

    async def list(
        self,
        tenant_id: str,
        *,
        chat_id: str | None = None,
        user_id: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a tenant's incidents, newest first, and the next page's cursor (as ``SqlIncidentStore``)."""
        chain = self._chains.get(tenant_id, [])
        below = decode_cursor(cursor) - 1 if cursor is not None else len(chain)
        wanted = {"chat_id": chat_id, "sender_id": user_id, "action": action}
        page: list[dict[str, Any]] = []
        for incident_id in reversed(chain[:below]):
            row = self._rows[incident_id]
            if any(value is not None and row[name] != value for name, value in wanted.items()):
                continue
            if (since is not None and row["created_at"] < since) or (until is not None and row["created_at"] >= until):
                continue
            if len(page) == limit:
                return page, encode_cursor(page[-1]["seq"])
            page.append(copy.deepcopy(row))
        return page, None

    async def set_status(self, tenant_id: str, incident_id: str, status: str) -> bool:
        """Set an incident's review status; False when the tenant has no such incident."""
        check_status(status)
        row = self._rows.get(incident_id)
        if row is None or row["tenant_id"] != tenant_id:
            return False
        row["status"] = status
        return True

    async def purge_older_than(self, tenant_id: str, before: datetime) -> int:
        """Blank the evidence of the tenant's incidents recorded before ``before``; returns how many."""
        purged = 0
        for incident_id in self._chains.get(tenant_id, []):
            row = self._rows[incident_id]
            if row["created_at"] < before and not row["redacted"]:
                row.update(copy.deepcopy(EVIDENCE_BLANKS), redacted=True)
                purged += 1
        return purged

    async def verify(self, tenant_id: str | None = None) -> ChainReport:
        """Walk one tenant's chain (or every tenant's) and report any incident that no longer fits it."""
        walks = []
        for tenant in [tenant_id] if tenant_id is not None else sorted(self._chains):
            walk = ChainWalk(tenant)
            chain = self._chains.get(tenant, [])
            for incident_id in chain:
                walk.feed(self._rows[incident_id])
            walk.finish(len(chain) if chain else None, self._rows[chain[-1]]["row_hash"] if chain else None)
            walks.append(walk)
        problems = [problem for walk in walks for problem in walk.problems]
        return ChainReport(ok=not problems, checked=sum(walk.checked for walk in walks), problems=problems)


class MemoryPolicyStore:
    """Chat policies in a dict."""

    def __init__(self) -> None:
        self._policies: dict[Chat, dict[str, Any]] = {}

    async def get(self, tenant_id: str, chat_id: str) -> dict[str, Any] | None:
        """The chat's stored policy, or None."""
        policy = self._policies.get((tenant_id, chat_id))
        return copy.deepcopy(policy) if policy is not None else None

    async def get_many(self, tenant_id: str, chat_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The stored policies of those of the chats that have one, by chat id."""
        found = {chat_id: self._policies.get((tenant_id, chat_id)) for chat_id in chat_ids}
        return {chat_id: copy.deepcopy(policy) for chat_id, policy in found.items() if policy is not None}

    async def put(self, tenant_id: str, chat_id: str, policy: Mapping[str, Any]) -> None:
        """Replace the chat's policy."""
        self._policies[(tenant_id, chat_id)] = plain_json(dict(policy))

    async def chats(self, tenant_id: str) -> list[str]:
        """The ids of the tenant's chats that have a policy, sorted."""
        return sorted(chat for tenant, chat in self._policies if tenant == tenant_id)


class MemoryReviewQueue:
    """Review items in memory, tied to the incidents of a ``MemoryIncidentStore`` (as ``SqlReviewQueue``).

    Without an incident store (a bare replay) items are taken as given and list no incident fields.
    """

    def __init__(self, incidents: MemoryIncidentStore | None = None, clock: Callable[[], datetime] = utc_now) -> None:
        self._incidents = incidents
        self._clock = clock
        self._items: dict[str, dict[str, Any]] = {}
        self._open: dict[tuple[str, str], str] = {}

    async def enqueue(self, entry: Mapping[str, Any]) -> str:
        """Queue an item and return its id; an open item for the same incident and kind is reused.

        Raises:
            KeyError: the tenant has no such incident.
        """
        tenant_id, incident_id, kind = entry["tenant_id"], entry["incident_id"], entry["kind"]
        if self._incidents is not None and await self._incidents.get(tenant_id, incident_id) is None:
            raise KeyError(incident_id)
        if (incident_id, kind) in self._open:
            return self._open[(incident_id, kind)]
        review_id = str(uuid4())
        self._open[(incident_id, kind)] = review_id
        self._items[review_id] = {
            "id": review_id,
            "tenant_id": tenant_id,
            "chat_id": entry["chat_id"],
            "incident_id": incident_id,
            "kind": kind,
            "status": "open",
            "requested_by": entry.get("requested_by"),
            "note": entry.get("note", ""),
            "created_at": self._clock(),
            "resolved_by": None,
            "resolved_at": None,
            "resolution_note": "",
        }
        return review_id

    async def list(
        self,
        tenant_id: str,
        *,
        status: str | None = "open",
        chat_id: str | None = None,
        kind: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """The tenant's items, oldest first, each with its incident's text, stages, risk and action."""
        if status is not None:
            check_status(status)
        wanted = {"tenant_id": tenant_id, "status": status, "chat_id": chat_id, "kind": kind}
        items = [
            item
            for item in self._items.values()
            if all(value is None or item[name] == value for name, value in wanted.items())
        ]
        items.sort(key=lambda item: (item["created_at"], item["id"]))
        return [await self._joined(item) for item in items[:limit]]

    async def get(self, tenant_id: str, review_id: str) -> dict[str, Any] | None:
        """One item with its incident's text, stages, risk and action; None if absent or another tenant's."""
        item = self._items.get(review_id)
        return await self._joined(item) if item and item["tenant_id"] == tenant_id else None

    async def resolve(
        self, tenant_id: str, review_id: str, outcome: str, moderator: str, note: str
    ) -> dict[str, Any] | None:
        """Record a moderator's outcome on an open item and on its incident.

        Returns None when the tenant has no such open item: it is absent, another tenant's, or resolved already.
        """
        check_outcome(outcome)
        item = self._items.get(review_id)
        if item is None or item["tenant_id"] != tenant_id or item["status"] != "open":
            return None
        item.update(status=outcome, resolved_by=moderator, resolution_note=note, resolved_at=self._clock())
        if self._open.get((item["incident_id"], item["kind"])) == review_id:
            del self._open[(item["incident_id"], item["kind"])]
        if self._incidents is not None:
            await self._incidents.set_status(tenant_id, item["incident_id"], outcome)
        return await self._joined(item)

    async def _joined(self, item: dict[str, Any]) -> dict[str, Any]:
        incident = {}
        if self._incidents is not None:
            incident = await self._incidents.get(item["tenant_id"], item["incident_id"]) or {}
        return dict(item) | {name: incident.get(name) for name in INCIDENT_FIELDS}
