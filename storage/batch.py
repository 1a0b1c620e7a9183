"""One batch's working state: what it loaded of the stored conversations and incidents, and what it changed.

The pipeline reads and writes a batch through these objects, synchronously and in memory; ``storage.ledger``
fills them with a few queries before the batch and writes their changes in one transaction after it. They
answer as the SQL stores would answer message by message, so that a batch of N decides exactly as N single
calls: a window is the newest lines by (sent_at, row order), a state reads as empty once older than its TTL,
age cues only grow, a thread's author is its first sender, and the same message with the same text is recorded
as an incident once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from storage.chain import incident_fields
from storage.columns import as_utc, plain_json

ROOM = ""
"""The pair-state target of a message addressed to nobody in particular."""

WINDOW_FIELDS = ("message_id", "sender_id", "target_id", "text", "sent_at", "risk")
"""The fields of one line of a snapshot's window."""

MESSAGE_FIELDS = ("message_id", "thread_id", "sender_id", "target_id", "text", "sent_at", "risk", "action", "decision")
"""The fields ``recent_messages`` returns for each message."""

HISTORY_ACTIONS = {"warn": "warnings", "mute": "mutes", "ban": "bans"}
"""Which actions escalation counts, and under which key of a history."""

Order = tuple[int, int]
"""A message's place among lines sent at the same time: (0, row id) when stored, (1, n) for a batch's n-th new one."""

MessageKey = tuple[str, str]
"""(chat_id, message_id) within one tenant."""


def message_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The message columns of a ``MessageEntry``, normalised (UTC time, float risk)."""
    return {
        "tenant_id": entry["tenant_id"],
        "chat_id": entry["chat_id"],
        "message_id": entry["message_id"],
        "thread_id": entry.get("thread_id"),
        "sender_id": entry["sender_id"],
        "target_id": entry.get("target_id"),
        "text": entry["text"],
        "sent_at": as_utc(entry["sent_at"]),
        "risk": float(entry.get("risk", 0.0)),
        "action": str(entry.get("action", "allow")),
        "decision": dict(entry.get("decision", {})),
    }


def check_tenant(expected: str, entry: Mapping[str, Any]) -> None:
    """Reject an entry of another tenant than the batch's.

    Raises:
        ValueError: the entry belongs to another tenant.
    """
    if entry["tenant_id"] != expected:
        raise ValueError(f"an entry of tenant {entry['tenant_id']!r} in a batch of tenant {expected!r}")


@dataclass
class ConversationRows:
    """What a batch loaded of one tenant's conversation memory (all empty for a batch that only writes).

    Attributes:
        decisions: (chat, message) → (row id, decision record) for the batch's messages already stored.
        threads: (chat, thread) → the thread's author.
        pairs: (chat, sender, target or ROOM) → (state, updated_at).
        senders: (chat, sender) → ``state``, ``minor_cue``, ``adult_cue``, ``updated_at``.
        lines: candidates for the windows: the newest messages of each sender and of each sender→target pair
            the batch may read, each a dict of ``WINDOW_FIELDS`` plus ``chat_id`` and the row ``id``.
    """

    decisions: dict[MessageKey, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    threads: dict[tuple[str, str], str] = field(default_factory=dict)
    pairs: dict[tuple[str, str, str], tuple[dict[str, Any], datetime]] = field(default_factory=dict)
    senders: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ConversationChanges:
    """What a batch changed in the conversation memory, as rows to write (each with its ``tenant_id``).

    Attributes:
        messages: message columns plus ``created_at``, one per message, in the order they were first seen.
        pairs: the latest pair state of each pair the batch touched.
        senders: the latest state and the grown cues of each sender the batch touched.
        threads: the threads the batch saw first, with their authors.
    """

    messages: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    senders: list[dict[str, Any]]
    threads: list[dict[str, Any]]


class ConversationWork:
    """One tenant's conversation memory during a batch: the loaded rows plus the batch's own messages.

    Implements ``handlers.ports.ConversationBatch``.

    Args:
        tenant_id: the batch's tenant; entries of another tenant are refused.
        rows: what was loaded.
        window: how many earlier messages a snapshot's window holds.
        ttl: a pair or sender state not updated for this long reads as empty.
        clock: the current time (aware UTC).
        slack: how many of the batch's messages are edits, each of which may move one line out of a window.
    """

    def __init__(
        self,
        tenant_id: str,
        rows: ConversationRows,
        window: int,
        ttl: timedelta,
        clock: Callable[[], datetime],
        slack: int = 0,
    ) -> None:
        self.tenant_id = tenant_id
        self._window, self._ttl, self._clock = window, ttl, clock
        self._kept = 2 * (window + slack)
        self._decisions = {key: decision for key, (_, decision) in rows.decisions.items()}
        self._orders: dict[MessageKey, Order] = {key: (0, row_id) for key, (row_id, _) in rows.decisions.items()}
        self._threads, self._pairs, self._senders = dict(rows.threads), dict(rows.pairs), dict(rows.senders)
        self._lines: dict[MessageKey, dict[str, Any]] = {}
        self._lists: dict[tuple[str, ...], list[str]] = {}
        self._messages: dict[MessageKey, dict[str, Any]] = {}
        self._touched_pairs: dict[tuple[str, str, str], None] = {}
        self._touched_senders: dict[tuple[str, str], None] = {}
        self._new_threads: list[tuple[str, str]] = []
        for line in rows.lines:
            key = (line["chat_id"], line["message_id"])
            self._orders[key] = (0, int(line["id"]))
            self._place(key, {name: line[name] for name in WINDOW_FIELDS})

    def previous(self, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The decision record stored (or remembered in this batch) for the message, if any."""
        decision = self._decisions.get((chat_id, message_id))
        return copy.deepcopy(decision) if decision is not None else None

    def snapshot(self, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None) -> dict[str, Any]:
        """States of sender→target and target→sender, the sender's state, both users' cues and the window."""
        fresh = self._clock() - self._ttl
        sender = self._senders.get((chat_id, sender_id))
        target = self._senders.get((chat_id, target_id)) if target_id else None
        return {
            "pair": self._pair((chat_id, sender_id, target_id or ROOM), fresh),
            "reverse": self._pair((chat_id, target_id, sender_id), fresh) if target_id else {},
            "sender": copy.deepcopy(sender["state"]) if sender and sender["updated_at"] >= fresh else {},
            "sender_minor": sender["minor_cue"] if sender else 0.0,
            "sender_adult": sender["adult_cue"] if sender else 0.0,
            "target_minor": target["minor_cue"] if target else 0.0,
            "target_adult": target["adult_cue"] if target else 0.0,
            "window": self._window_of(chat_id, sender_id, target_id),
            "thread_author": self._threads.get((chat_id, thread_id)) if thread_id else None,
        }

    def remember(self, entry: Mapping[str, Any]) -> None:
        """Keep the message (an edit replaces it), the pair and sender states, cues and thread author."""
        check_tenant(self.tenant_id, entry)
        now = self._clock()
        message = message_values(entry) | {"decision": plain_json(entry.get("decision", {}))}
        chat, sender, target = message["chat_id"], message["sender_id"], message["target_id"]
        key = (chat, message["message_id"])
        if key not in self._orders:
            self._orders[key] = (1, len(self._orders))
        created = self._messages[key]["created_at"] if key in self._messages else now
        self._messages[key] = message | {"created_at": created}
        self._decisions[key] = message["decision"]
        self._place(key, {name: message[name] for name in WINDOW_FIELDS})
        pair = (chat, sender, target or ROOM)
        self._pairs[pair] = (plain_json(entry.get("pair", {})), now)
        self._touched_pairs[pair] = None
        known = self._senders.get((chat, sender), {"minor_cue": 0.0, "adult_cue": 0.0})
        self._senders[(chat, sender)] = {
            "state": plain_json(entry.get("sender", {})),
            "minor_cue": max(known["minor_cue"], float(entry.get("minor_cue", 0.0))),
            "adult_cue": max(known["adult_cue"], float(entry.get("adult_cue", 0.0))),
            "updated_at": now,
        }
        self._touched_senders[(chat, sender)] = None
        thread = (chat, message["thread_id"])
        if message["thread_id"] is not None and thread not in self._threads:
            self._threads[thread] = sender
            self._new_threads.append(thread)

    def changes(self) -> ConversationChanges:
        """The rows the batch changed, ready to write."""
        tenant = {"tenant_id": self.tenant_id}
        return ConversationChanges(
            messages=list(self._messages.values()),
            pairs=[
                tenant | {"chat_id": c, "sender_id": s, "target_id": t, "state": state, "updated_at": at}
                for (c, s, t) in self._touched_pairs
                for state, at in [self._pairs[(c, s, t)]]
            ],
            senders=[tenant | {"chat_id": c, "sender_id": s} | self._senders[(c, s)] for c, s in self._touched_senders],
            threads=[
                tenant | {"chat_id": c, "thread_id": t, "author_id": self._threads[(c, t)]}
                for c, t in self._new_threads
            ],
        )

    def _pair(self, key: tuple[str, str, str], fresh: datetime) -> dict[str, Any]:
        found = self._pairs.get(key)
        return copy.deepcopy(found[0]) if found and found[1] >= fresh else {}

    def _place(self, key: MessageKey, line: dict[str, Any]) -> None:
        chat, message_id = key
        self._lines[key] = line
        self._file((chat, "from", line["sender_id"]), message_id)
        if line["target_id"] is not None:
            self._file((chat, "to", line["sender_id"], line["target_id"]), message_id)

    def _file(self, list_key: tuple[str, ...], message_id: str) -> None:
        listed = self._lists.setdefault(list_key, [])
        listed.append(message_id)
        if len(listed) > 2 * self._kept:
            chat, _, sender, *target = list_key
            current = self._newest(chat, listed, sender, target[0] if target else None, self._kept)
            listed[:] = [line["message_id"] for line in current]

    def _window_of(self, chat_id: str, sender_id: str, target_id: str | None) -> list[dict[str, Any]]:
        if target_id is None:
            listed = self._lists.get((chat_id, "from", sender_id), [])
        else:
            listed = self._lists.get((chat_id, "to", sender_id, target_id), []) + self._lists.get(
                (chat_id, "to", target_id, sender_id), []
            )
        return [dict(line) for line in self._newest(chat_id, listed, sender_id, target_id, self._window)]

    def _newest(
        self, chat_id: str, listed: list[str], sender_id: str, target_id: str | None, count: int
    ) -> list[dict[str, Any]]:
        """The newest ``count`` lines among ``listed`` that still belong to the window, oldest first.

        A line belongs to the sender's own window when the sender wrote it, to a pair's window when it went
        either way between the two; a line an edit moved elsewhere is skipped.
        """
        between = {(sender_id, target_id), (target_id, sender_id)}
        current: dict[str, dict[str, Any]] = {}
        for message_id in listed:
            line = self._lines[(chat_id, message_id)]
            belongs = (
                line["sender_id"] == sender_id
                if target_id is None
                else ((line["sender_id"], line["target_id"]) in between)
            )
            if belongs:
                current[message_id] = line
        ordered = sorted(current, key=lambda mid: (current[mid]["sent_at"], self._orders[(chat_id, mid)]))
        return [current[message_id] for message_id in ordered[-count:]] if count else []


@dataclass
class IncidentRows:
    """What a batch loaded of one tenant's incident log.

    Attributes:
        recorded: (chat, message, text) → id of the incidents already recorded for the batch's messages.
        counted: (chat, user) → (sent_at, action) of the user's warnings, mutes and bans that count for
            escalation (not dry runs, not overturned) since the earliest time the batch asks about.
    """

    recorded: dict[tuple[str, str, str], str] = field(default_factory=dict)
    counted: dict[tuple[str, str], list[tuple[datetime, str]]] = field(default_factory=dict)


@dataclass
class IncidentChanges:
    """What a batch adds to the incident log, in order.

    Attributes:
        incidents: (id, evidence fields) of each new incident, in the order they were recorded (chain order).
        reviews: the review items to queue (``ReviewEntry`` dicts).
        outcomes: (incident id, ok, detail) of each outcome noted.
    """

    incidents: list[tuple[str, dict[str, Any]]]
    reviews: list[dict[str, Any]]
    outcomes: list[tuple[str, bool, str]]


class IncidentWork:
    """One tenant's incident log during a batch: loaded ids and counts plus the batch's own incidents.

    Implements ``handlers.ports.IncidentBatch``. New incidents get their ids here; their place in the hash chain
    is sealed when the batch is written, under the tenant's chain lock.
    """

    def __init__(self, tenant_id: str, rows: IncidentRows) -> None:
        self.tenant_id = tenant_id
        self._recorded = dict(rows.recorded)
        self._ids = set(self._recorded.values())
        self._counted = {key: list(found) for key, found in rows.counted.items()}
        self._changes = IncidentChanges(incidents=[], reviews=[], outcomes=[])

    def history(self, chat_id: str, user_id: str, since: datetime) -> dict[str, int]:
        """Warnings, mutes and bans the user received in the chat for messages sent since ``since``."""
        counts = dict.fromkeys(HISTORY_ACTIONS.values(), 0)
        for sent_at, action in self._counted.get((chat_id, user_id), ()):
            if sent_at >= since:
                counts[HISTORY_ACTIONS[action]] += 1
        return counts

    def record(self, entry: Mapping[str, Any]) -> str:
        """Add an incident and return its id; the same message with the same text returns the existing id."""
        check_tenant(self.tenant_id, entry)
        fields = incident_fields(entry)
        same = (fields["chat_id"], fields["message_id"], fields["text"])
        if same in self._recorded:
            return self._recorded[same]
        incident_id = str(uuid4())
        self._recorded[same] = incident_id
        self._ids.add(incident_id)
        self._changes.incidents.append((incident_id, fields))
        if fields["action"] in HISTORY_ACTIONS and not fields["dry_run"]:
            self._counted.setdefault((fields["chat_id"], fields["sender_id"]), []).append(
                (fields["sent_at"], fields["action"])
            )
        return incident_id

    def queue_review(self, entry: Mapping[str, Any]) -> None:
        """Queue a review item for one of the batch's incidents (an open item of the same kind is kept).

        Raises:
            KeyError: the incident is not one the batch recorded or found.
        """
        check_tenant(self.tenant_id, entry)
        if entry["incident_id"] not in self._ids:
            raise KeyError(entry["incident_id"])
        self._changes.reviews.append(dict(entry))

    def note_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what was done about one of the batch's incidents.

        Raises:
            KeyError: the incident is not one the batch recorded or found.
        """
        if incident_id not in self._ids:
            raise KeyError(incident_id)
        self._changes.outcomes.append((incident_id, bool(ok), detail))

    def changes(self) -> IncidentChanges:
        """The incidents, review items and outcomes to write, in order."""
        return self._changes
