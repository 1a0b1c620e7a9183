"""Evidence for the authorities, retention and a user's deletion, platform-free.

``EvidenceExporter.package`` builds the evidence package documented in ``docs/EVIDENCE_FORMAT.md``: the
incident as it was hash-chained (message, context, identifiers, scores, reasons, model version, UTC times),
what was done about it, its reviews and appeal, and the proof that links it into the tenant's chain.
``Retention`` purges each chat's evidence after that chat's ``retention_days`` and forgets a user except for
the incidents still under retention, saying which and why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from handlers.commands import PolicyAccess

FORMAT = "minorguard-evidence"
"""The ``format`` field of every package."""

FORMAT_VERSION = 1
"""Bumped when a field changes meaning or disappears; added fields keep the version."""

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of a tenant's first incident."""

CONTENT_HASH_RULE = "sha256 of the canonical JSON of the record's hashed_fields (sorted keys, no spaces, UTF-8)"
ROW_HASH_RULE = "sha256 of the ASCII text prev_hash + content_hash"

Problem = tuple[str, int, str | None, str]
"""One chain problem: (tenant_id, seq, incident_id or None, what is wrong)."""


class ChainCheck(Protocol):
    """The result of walking a tenant's chain (``storage.chain.ChainReport`` has this shape)."""

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        ...

    @property
    def checked(self) -> int:
        """How many incidents were examined."""
        ...

    @property
    def problems(self) -> Sequence[Problem]:
        """Every problem found, in chain order."""
        ...


class IncidentLedger(Protocol):
    """The incident log as an export reads it (``storage.incidents.SqlIncidentStore``)."""

    async def get(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The incident with its evidence, hashes and ``outcomes``; None if absent or another tenant's."""
        ...

    async def verify(self, tenant_id: str | None = None) -> ChainCheck:
        """Walk the tenant's whole chain."""
        ...


class ChainLinks(Protocol):
    """What an export needs besides the incident (``storage.evidence.SqlEvidenceStore``)."""

    def hashed_fields(self) -> tuple[str, ...]:
        """The incident fields ``content_hash`` covers."""
        ...

    async def tenant_of(self, incident_id: str) -> str | None:
        """Whose incident this is, or None when there is none."""
        ...

    async def neighbours(self, tenant_id: str, seq: int) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The incidents at ``seq - 1`` and ``seq + 1`` (id, seq, prev_hash, row_hash), None where absent."""
        ...

    async def reviews_of(self, tenant_id: str, incident_id: str) -> list[dict[str, Any]]:
        """Every review item of the incident, oldest first."""
        ...


class AppealLookup(Protocol):
    """Finding an incident's appeal (``storage.appeals.SqlAppealStore``)."""

    async def for_incident(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The appeal made against the incident, if any."""
        ...


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def iso_utc(value: datetime) -> str:
    """ISO-8601 in UTC; a naive value is taken to be UTC already (as the stores keep it)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


def plain(value: Any) -> Any:
    """The value as plain JSON: datetimes become ISO-8601 UTC strings, tuples lists."""

    def default(item: Any) -> Any:
        if isinstance(item, datetime):
            return iso_utc(item)
        raise TypeError(f"{type(item).__name__} is not JSON serialisable")

    return json.loads(json.dumps(value, ensure_ascii=False, default=default))


def canonical_json(value: Any) -> str:
    """The canonical JSON the chain hashes: sorted keys, compact separators, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 text, as lowercase hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_checks(
    record: Mapping[str, Any],
    hashes: Mapping[str, Any],
    neighbours: tuple[Mapping[str, Any] | None, Mapping[str, Any] | None],
    hashed_fields: Sequence[str],
) -> dict[str, Any]:
    """The checks of one link: content recomputed, row hash, and the links to its neighbours.

    ``record`` is the incident in plain JSON, ``hashes`` holds its id, seq, the three hashes and whether it was
    redacted. A redacted incident's evidence was blanked on purpose, so its content is not compared (None);
    its links still are. A check that cannot apply (no next incident yet) is None.
    """
    previous, following = neighbours
    recomputed = sha256_hex(canonical_json({name: record[name] for name in hashed_fields}))
    if previous is None:
        previous_ok = int(hashes["seq"]) == 1 and hashes["prev_hash"] == GENESIS_HASH
    else:
        previous_ok = previous["row_hash"] == hashes["prev_hash"]
    return {
        "content_matches": None if hashes["redacted"] else recomputed == hashes["content_hash"],
        "recomputed_content_hash": None if hashes["redacted"] else recomputed,
        "row_hash_matches": sha256_hex(hashes["prev_hash"] + hashes["content_hash"]) == hashes["row_hash"],
        "linked_to_previous": previous_ok,
        "linked_to_next": None if following is None else following["prev_hash"] == hashes["row_hash"],
    }


def chain_proof(
    record: Mapping[str, Any],
    hashes: Mapping[str, Any],
    neighbours: tuple[Mapping[str, Any] | None, Mapping[str, Any] | None],
    report: ChainCheck,
    hashed_fields: Sequence[str],
) -> dict[str, Any]:
    """The incident's place in its chain, every check a reader can redo from the package, and the chain walk."""
    seq, incident_id = int(hashes["seq"]), str(hashes["id"])
    checks = link_checks(record, hashes, neighbours, hashed_fields)
    problems = [{"seq": p_seq, "incident_id": p_id, "what": what} for _, p_seq, p_id, what in report.problems]
    own = [problem for problem in problems if problem["seq"] == seq or problem["incident_id"] == incident_id]
    previous, following = neighbours
    return {
        "seq": seq,
        "content_hash": hashes["content_hash"],
        "prev_hash": hashes["prev_hash"],
        "row_hash": hashes["row_hash"],
        "hashed_fields": sorted(hashed_fields),
        "content_hash_rule": CONTENT_HASH_RULE,
        "row_hash_rule": ROW_HASH_RULE,
        "genesis_hash": GENESIS_HASH,
        "previous": plain(dict(previous)) if previous else None,
        "next": plain(dict(following)) if following else None,
        "verification": checks
        | {
            "incident_ok": all(value is not False for value in checks.values()) and not own,
            "incident_problems": own,
            "chain_ok": report.ok,
            "chain_checked": report.checked,
            "chain_problems": problems,
        },
    }


class EvidenceExporter:
    """Builds evidence packages from the incident log, its chain, the review queue and the appeals."""

    def __init__(
        self,
        *,
        incidents: IncidentLedger,
        links: ChainLinks,
        appeals: AppealLookup,
        clock: Callable[[], datetime] = utc_now,
        generator: str = "minorguard",
    ) -> None:
        self._incidents = incidents
        self._links = links
        self._appeals = appeals
        self._clock = clock
        self._generator = generator

    async def locate(self, incident_id: str) -> str | None:
        """The tenant an incident belongs to, or None when there is none."""
        return await self._links.tenant_of(incident_id)

    async def package(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The evidence package of one of the tenant's incidents, as plain JSON; None when it has no such one."""
        incident = await self._incidents.get(tenant_id, incident_id)
        if incident is None:
            return None
        fields = self._links.hashed_fields()
        record = plain({name: incident[name] for name in fields})
        neighbours = await self._links.neighbours(tenant_id, int(incident["seq"]))
        report = await self._incidents.verify(tenant_id)
        appeal = await self._appeals.for_incident(tenant_id, incident_id)
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "generated_at": iso_utc(self._clock()),
            "generator": self._generator,
            "incident": record | {"status": incident["status"], "redacted": bool(incident["redacted"])},
            "outcomes": plain(incident.get("outcomes", [])),
            "reviews": plain(await self._links.reviews_of(tenant_id, incident_id)),
            "appeal": plain(appeal) if appeal else None,
            "chain": chain_proof(record, incident, neighbours, report, fields),
        }


class RetentionStore(Protocol):
    """Per-chat retention and per-incident redaction (``storage.evidence.SqlEvidenceStore``)."""

    async def chats(self) -> list[tuple[str, str]]:
        """Every (tenant, chat) holding evidence a purge could remove."""
        ...

    async def expired(self, tenant_id: str, chat_id: str, before: datetime) -> dict[str, int]:
        """How many incidents, messages and states of the chat a purge at ``before`` would remove."""
        ...

    async def purge_chat(self, tenant_id: str, chat_id: str, before: datetime) -> dict[str, int]:
        """Redact the chat's incidents and delete its messages and states from before ``before``."""
        ...

    async def user_incidents(self, tenant_id: str, user_id: str) -> list[dict[str, Any]]:
        """The incidents in which the user is the sender or the target."""
        ...

    async def redact(self, tenant_id: str, incident_ids: list[str]) -> int:
        """Redact these incidents now."""
        ...


class ConversationEraser(Protocol):
    """Deleting a user's conversation memory (``storage.conversations.SqlConversationStore``)."""

    async def forget_user(self, tenant_id: str, user_id: str) -> int:
        """Delete the user's messages, pair and sender states and thread authorships; returns rows deleted."""
        ...


@dataclass(frozen=True)
class ChatPurge:
    """What a purge did (or, in a dry run, would do) in one chat."""

    tenant_id: str
    chat_id: str
    retention_days: int
    before: datetime
    incidents: int
    messages: int
    states: int

    def line(self, dry_run: bool) -> str:
        """One human-readable line for logs and the command line."""
        verb = "would purge" if dry_run else "purged"
        return (
            f"{self.tenant_id}/{self.chat_id}: {verb} {self.incidents} incidents, {self.messages} messages and "
            f"{self.states} conversation states from before {iso_utc(self.before)} "
            f"(retention {self.retention_days} days)"
        )


@dataclass(frozen=True)
class PurgeReport:
    """A retention run over every chat; chats with nothing expired are left out."""

    at: datetime
    dry_run: bool
    chats: tuple[ChatPurge, ...]

    @property
    def incidents(self) -> int:
        """Incidents redacted (or that would be) in all chats."""
        return sum(chat.incidents for chat in self.chats)

    @property
    def messages(self) -> int:
        """Messages deleted (or that would be) in all chats."""
        return sum(chat.messages for chat in self.chats)

    @property
    def states(self) -> int:
        """Conversation states deleted (or that would be) in all chats."""
        return sum(chat.states for chat in self.chats)

    def lines(self) -> list[str]:
        """The report as lines: one per chat that had something expired, then the totals."""
        verb = "would purge" if self.dry_run else "purged"
        total = (
            f"retention {verb} {self.incidents} incidents, {self.messages} messages and {self.states} "
            f"conversation states in {len(self.chats)} chats"
        )
        return [chat.line(self.dry_run) for chat in self.chats] + [total]


@dataclass(frozen=True)
class KeptIncident:
    """An incident about a forgotten user that stays, because its chat's retention has not run out."""

    incident_id: str
    chat_id: str
    role: str
    recorded_at: datetime
    keep_until: datetime
    retention_days: int


@dataclass(frozen=True)
class ForgetReport:
    """What forgetting a user removed and what it kept, with the reason for each kept incident."""

    tenant_id: str
    user_id: str
    conversation_rows: int
    redacted: int
    kept: tuple[KeptIncident, ...]

    def lines(self) -> list[str]:
        """The report as lines for the person who asked."""
        lines = [
            f"user {self.user_id} of tenant {self.tenant_id}: deleted {self.conversation_rows} rows of messages, "
            "conversation state and thread authorship",
            f"redacted {self.redacted} incidents past their chat's retention (text, context, reasons, notes, appeals)",
            f"kept {len(self.kept)} incidents under retention:",
        ]
        lines += [
            f"  {kept.incident_id} (chat {kept.chat_id}, the user is its {kept.role}) until "
            f"{iso_utc(kept.keep_until)}: child-safety evidence is preserved for the chat's retention of "
            f"{kept.retention_days} days and redacted automatically after it"
            for kept in self.kept
        ]
        return lines


class Retention:
    """Applies each chat's ``retention_days`` to the evidence, and forgets users within that rule."""

    def __init__(
        self,
        *,
        store: RetentionStore,
        conversations: ConversationEraser,
        policies: PolicyAccess,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store = store
        self._conversations = conversations
        self._policies = policies
        self._clock = clock

    async def purge(self, dry_run: bool = False) -> PurgeReport:
        """Redact incidents and delete messages older than their chat's retention (only count them in a dry run)."""
        now = self._clock()
        done: list[ChatPurge] = []
        for tenant_id, chat_id in await self._store.chats():
            days = (await self._policies.policy(tenant_id, chat_id)).retention_days
            before = now - timedelta(days=days)
            act = self._store.expired if dry_run else self._store.purge_chat
            counts = await act(tenant_id, chat_id, before)
            if any(counts.values()):
                done.append(
                    ChatPurge(
                        tenant_id, chat_id, days, before, counts["incidents"], counts["messages"], counts["states"]
                    )
                )
        return PurgeReport(at=now, dry_run=dry_run, chats=tuple(done))

    async def forget_user(self, tenant_id: str, user_id: str) -> ForgetReport:
        """Delete the user's conversation memory, redact their expired incidents and list the ones kept."""
        now = self._clock()
        rows = await self._conversations.forget_user(tenant_id, user_id)
        expired: list[str] = []
        kept: list[KeptIncident] = []
        for incident in await self._store.user_incidents(tenant_id, user_id):
            if incident["redacted"]:
                continue
            days = (await self._policies.policy(tenant_id, incident["chat_id"])).retention_days
            keep_until = incident["created_at"] + timedelta(days=days)
            if keep_until <= now:
                expired.append(incident["id"])
                continue
            role = "sender" if incident["sender_id"] == user_id else "target"
            kept.append(
                KeptIncident(incident["id"], incident["chat_id"], role, incident["created_at"], keep_until, days)
            )
        redacted = await self._store.redact(tenant_id, expired)
        return ForgetReport(tenant_id, user_id, rows, redacted, tuple(kept))
