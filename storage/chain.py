"""The incident hash chain: canonical JSON, the two hashes, and the walk that verifies a tenant's chain.

Each incident's ``content_hash`` is SHA-256 of the canonical JSON of its evidence plus id, seq and created_at;
its ``row_hash`` is SHA-256 of ``prev_hash + content_hash``, and ``prev_hash`` is the previous incident's
``row_hash`` (``GENESIS_HASH`` for the first). Editing a row breaks its content hash, deleting one breaks the
sequence and the next link, reordering breaks the links. A retention purge blanks a row's evidence and marks it
redacted: its content hash can no longer be recomputed, but its links still can.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.columns import as_utc, json_default, plain_json

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of a tenant's first incident."""

HASHED_FIELDS = (
    "id",
    "tenant_id",
    "seq",
    "platform",
    "chat_id",
    "thread_id",
    "message_id",
    "sender_id",
    "target_id",
    "text",
    "sent_at",
    "action",
    "risk",
    "stages",
    "reasons",
    "explanation",
    "model_version",
    "dry_run",
    "context",
    "created_at",
)
"""The columns ``content_hash`` covers; status, redaction and outcomes change later and are not covered."""

EVIDENCE_BLANKS: dict[str, Any] = {"text": "", "reasons": [], "context": [], "explanation": ""}
"""What a retention purge leaves in a redacted incident's evidence columns."""

Problem = tuple[str, int, str | None, str]
"""One finding of ``verify``: (tenant_id, seq, incident_id or None for a missing row, what is wrong)."""


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, compact separators, UTF-8 kept, datetimes as ISO-8601 UTC."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=json_default)


def content_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the row's hashed fields."""
    payload = {name: row[name] for name in HASHED_FIELDS}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def row_hash(prev_hash: str, content: str) -> str:
    """SHA-256 (hex) of the previous row's hash followed by this row's content hash."""
    return hashlib.sha256((prev_hash + content).encode("ascii")).hexdigest()


def incident_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence of an ``IncidentEntry`` in the exact form it is stored and hashed.

    Optional keys get their empty value; JSON parts are normalised (tuples to lists, datetimes to ISO strings)
    so that hashing what was given and hashing what is read back agree.
    """
    return {
        "tenant_id": str(entry["tenant_id"]),
        "platform": str(entry.get("platform", "")),
        "chat_id": str(entry["chat_id"]),
        "thread_id": entry.get("thread_id"),
        "message_id": str(entry["message_id"]),
        "sender_id": str(entry["sender_id"]),
        "target_id": entry.get("target_id"),
        "text": str(entry["text"]),
        "sent_at": as_utc(entry["sent_at"]),
        "action": str(entry["action"]),
        "risk": float(entry.get("risk", 0.0)),
        "stages": plain_json(list(entry.get("stages", ()))),
        "reasons": plain_json(list(entry.get("reasons", ()))),
        "explanation": str(entry.get("explanation", "")),
        "model_version": str(entry.get("model_version", "")),
        "dry_run": bool(entry.get("dry_run", False)),
        "context": plain_json(list(entry.get("context", ()))),
    }


def seal(fields: Mapping[str, Any], incident_id: str, seq: int, created_at: datetime, prev_hash: str) -> dict[str, Any]:
    """A complete incident row: the evidence, its place in the chain and both hashes."""
    row = dict(fields) | {"id": incident_id, "seq": seq, "created_at": as_utc(created_at)}
    content = content_hash(row)
    return row | {
        "status": "open",
        "redacted": False,
        "content_hash": content,
        "prev_hash": prev_hash,
        "row_hash": row_hash(prev_hash, content),
    }


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying one or all tenants' incident chains.

    Attributes:
        ok: True when no problem was found.
        checked: how many incidents were examined.
        problems: (tenant_id, seq, incident_id, what) for each finding, in chain order.
    """

    ok: bool
    checked: int
    problems: list[Problem] = field(default_factory=list)


class ChainWalk:
    """Checks one tenant's incidents fed in ascending ``seq`` order, then the chain head."""

    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self.checked = 0
        self.problems: list[Problem] = []
        self._next_seq = 1
        self._last_hash = GENESIS_HASH

    def feed(self, row: Mapping[str, Any]) -> None:
        """Check one incident row against its predecessor."""
        seq, incident_id = int(row["seq"]), str(row["id"])
        if seq > self._next_seq:
            self._problem(self._next_seq, None, f"incidents {self._next_seq}..{seq - 1} are missing (deleted)")
        if row["prev_hash"] != self._last_hash:
            self._problem(seq, incident_id, "prev_hash does not match the previous incident (moved or deleted rows)")
        if row["row_hash"] != row_hash(row["prev_hash"], row["content_hash"]):
            self._problem(seq, incident_id, "row_hash does not match prev_hash + content_hash")
        if row["redacted"]:
            if any(row[name] != blank for name, blank in EVIDENCE_BLANKS.items()):
                self._problem(seq, incident_id, "marked redacted but still holds evidence")
        elif content_hash(row) != row["content_hash"]:
            self._problem(seq, incident_id, "content differs from what was recorded (edited)")
        self.checked += 1
        self._next_seq = seq + 1
        self._last_hash = row["row_hash"]

    def finish(self, head_seq: int | None, head_hash: str | None) -> None:
        """Compare the last incident seen with the stored chain head (catches deletions at the end)."""
        last_seq = self._next_seq - 1
        if head_seq is None:
            if last_seq:
                self._problem(last_seq, None, "incidents exist but the chain head is missing")
            return
        if head_seq != last_seq:
            self._problem(head_seq, None, f"the chain head is at {head_seq} but the last incident is {last_seq}")
        elif head_hash != self._last_hash:
            self._problem(head_seq, None, "the chain head's hash differs from the last incident's")

    def _problem(self, seq: int, incident_id: str | None, what: str) -> None:
        self.problems.append((self.tenant_id, seq, incident_id, what))
