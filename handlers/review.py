"""Review, overturn and appeal workflows, platform-free: the same steps for Telegram, the HTTP API and the console.

A moderator confirms, overturns or escalates a review item; who, when and why are kept on the item and the
incident's status follows. An overturn undoes a mute or ban through the platform's ``ActionReverser`` (a deleted
message cannot be restored; the incident keeps its copy). A user appeals an incident once; the appeal waits in
the review queue, and resolving that item answers the appeal in the user's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from handlers.commands import PolicyAccess
from handlers.model import Action, Decision, IncomingMessage, Notice
from handlers.notices import notice_language
from handlers.pipeline import incident_entry
from handlers.policy import ChatPolicy
from handlers.ports import ConversationStore, IncidentEntry, ReviewEntry
from handlers.review_texts import REFUSALS, appeal_answer

REVIEW_OUTCOMES = ("confirmed", "overturned", "escalated")
"""What a moderator can decide about a review item."""

REVERSIBLE_ACTIONS = ("mute", "ban")
"""Actions a platform can undo."""

APPEALABLE_ACTIONS = ("warn", "delete", "mute", "ban")
"""Actions the user was told about (with a reference), and so can appeal."""

MAX_APPEAL_CHARS = 2000
"""Longest appeal text kept; the rest is cut."""


class ReviewError(ValueError):
    """A review, overturn or appeal that cannot be done; the message says why, for the person asking."""


class AlreadyResolved(ReviewError):
    """The review item was resolved already (perhaps a moment ago, by another moderator)."""


class AppealRefused(ReviewError):
    """An appeal that is not accepted (unknown incident, nothing to appeal, or appealed already)."""


class ReviewItems(Protocol):
    """The review queue as the workflows use it (``storage.reviews.SqlReviewQueue`` implements it)."""

    async def enqueue(self, entry: ReviewEntry) -> str:
        """Queue an item and return its id (an open item for the same incident and kind is reused)."""
        ...

    async def get(self, tenant_id: str, review_id: str) -> dict[str, Any] | None:
        """One item, or None."""
        ...

    async def resolve(
        self, tenant_id: str, review_id: str, outcome: str, moderator: str, note: str
    ) -> dict[str, Any] | None:
        """Record the outcome on the item and its incident if the item is still open; the updated item, or None."""
        ...

    async def list(
        self, tenant_id: str, *, status: str | None, chat_id: str | None, limit: int
    ) -> list[dict[str, Any]]:
        """The tenant's items, oldest first."""
        ...


class IncidentBook(Protocol):
    """The incident log as the workflows use it (``storage.incidents.SqlIncidentStore`` implements it)."""

    async def record(self, entry: IncidentEntry) -> str:
        """Append an incident and return its id."""
        ...

    async def get(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """One incident, or None."""
        ...

    async def record_outcome(self, incident_id: str, ok: bool, detail: str) -> None:
        """Note what was done about an incident."""
        ...

    async def set_status(self, tenant_id: str, incident_id: str, status: str) -> bool:
        """Set the incident's review status."""
        ...

    async def list(
        self,
        tenant_id: str,
        *,
        chat_id: str | None,
        user_id: str | None,
        action: str | None,
        since: datetime | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of incidents, newest first, and the next page's cursor."""
        ...


class AppealBook(Protocol):
    """Appeals as the workflows use them (``storage.appeals.SqlAppealStore`` implements it)."""

    async def open(self, tenant_id: str, incident_id: str, user_id: str, text: str, lang: str) -> dict[str, Any]:
        """Open an appeal; ``created`` is False when the incident had one already."""
        ...

    async def for_incident(self, tenant_id: str, incident_id: str) -> dict[str, Any] | None:
        """The appeal made against an incident, if any."""
        ...

    async def answer(self, tenant_id: str, appeal_id: str, outcome: str, note: str) -> dict[str, Any] | None:
        """Answer an open appeal; None when there is no open one."""
        ...


class ActionReverser(Protocol):
    """A platform's way of undoing what it did (lift a mute, unban)."""

    async def reverse(self, incident: Mapping[str, Any]) -> tuple[bool, str]:
        """Undo the incident's mute or ban; return (ok, detail). Never raises for platform errors."""
        ...


@dataclass(frozen=True)
class Resolution:
    """What resolving a review item did.

    Attributes:
        review: the resolved item.
        incident: its incident, with the new status.
        reversal: what was done to undo the action on an overturn ("" otherwise).
        appeal: the answered appeal, when the item was one.
        answer: the message for the appellant, in their language, when an appeal was answered.
    """

    review: dict[str, Any]
    incident: dict[str, Any]
    reversal: str = ""
    appeal: dict[str, Any] | None = None
    answer: Notice | None = None


ResolutionListener = Callable[[Resolution], Awaitable[None]]
"""Told about a review item resolved in one channel (the console, the API), e.g. to send an appeal's answer."""


@dataclass(frozen=True)
class Overturn:
    """An undone mute or ban: the incident, whether the platform lifted it, and how it went."""

    incident: dict[str, Any]
    ok: bool
    detail: str


def nothing_to_undo(incident: Mapping[str, Any]) -> str:
    """Why overturning this incident needs no platform call."""
    if incident["dry_run"]:
        return "it was a dry run, so nothing had been done"
    if incident["action"] == "delete":
        return "a deleted message cannot be restored; the incident keeps its copy"
    if incident["action"] == "warn":
        return "the warning no longer counts towards escalation"
    if incident["action"] in REVERSIBLE_ACTIONS:
        return f"the {incident['action']} is to be lifted by the platform's own tools"
    return "nothing had been done to the user"


class ReviewDesk:
    """The review, overturn and appeal workflows of one installation, shared by every platform and the console.

    ``reversers`` maps a platform's name ("telegram", …) to the way it lifts mutes and bans; an overturn of an
    incident from that platform goes through it unless the caller names another.
    """

    def __init__(
        self,
        *,
        reviews: ReviewItems,
        incidents: IncidentBook,
        appeals: AppealBook,
        conversations: ConversationStore,
        policies: PolicyAccess,
        reversers: Mapping[str, ActionReverser] | None = None,
    ) -> None:
        self._reviews = reviews
        self._incidents = incidents
        self._appeals = appeals
        self._conversations = conversations
        self._policies = policies
        self._reversers = dict(reversers or {})

    async def item(self, tenant_id: str, review_id: str) -> dict[str, Any] | None:
        """A review item with its whole incident under ``incident``; None when the tenant has no such item."""
        item = await self._reviews.get(tenant_id, review_id)
        incident = await self._incidents.get(tenant_id, item["incident_id"]) if item else None
        return item | {"incident": incident} if item and incident else None

    async def queue(self, entry: ReviewEntry) -> str:
        """Queue an item for review (an open item for the same incident and kind is reused) and return its id."""
        return await self._reviews.enqueue(entry)

    async def designate_review_chat(self, tenant_id: str, chat_id: str, review_chat_id: str) -> ChatPolicy:
        """Send the chat's review items to another chat (the moderators').

        Raises:
            ReviewError: the review chat is the chat itself, which would show the evidence to everyone in it.
        """
        if review_chat_id == chat_id:
            raise ReviewError("a chat cannot review itself: the evidence would be shown to all its members")
        policy = await self._policies.policy(tenant_id, chat_id)
        updated = ChatPolicy.model_validate(policy.model_dump() | {"review_chat_id": review_chat_id})
        await self._policies.set_policy(tenant_id, chat_id, updated)
        return updated

    async def report(self, message: IncomingMessage, decision: Decision, reporter_id: str, note: str) -> str:
        """Queue a member's report of a message for review and return the item's id.

        ``decision`` is the pipeline's decision for the message; when it made no incident (the message was
        allowed), one is recorded now with the conversation's context, as a review.
        """
        incident_id = decision.incident_id
        if incident_id is None:
            snapshot = await self._conversations.snapshot(
                message.tenant_id, message.chat_id, message.sender_id, decision.target_user_id, message.thread_id
            )
            flagged = replace(decision, action=Action.REVIEW)
            incident_id = await self._incidents.record(incident_entry(message, flagged, snapshot))
        return await self._reviews.enqueue(
            {
                "tenant_id": message.tenant_id,
                "chat_id": message.chat_id,
                "incident_id": incident_id,
                "kind": "report",
                "requested_by": reporter_id,
                "note": note,
            }
        )

    async def resolve(
        self,
        tenant_id: str,
        review_id: str,
        outcome: str,
        moderator: str,
        note: str,
        reverser: ActionReverser | None = None,
    ) -> Resolution:
        """Confirm, overturn or escalate an open review item; an overturn undoes the action where it can.

        Resolving an appeal's item (confirmed or overturned) answers the appeal. ``reverser`` defaults to the
        one of the incident's platform.

        Raises:
            AlreadyResolved: the item was resolved already, also by someone else a moment ago.
            ReviewError: unknown outcome, or no such item.
        """
        if outcome not in REVIEW_OUTCOMES:
            raise ReviewError(f"unknown outcome {outcome!r}; expected one of {', '.join(REVIEW_OUTCOMES)}")
        review = await self._reviews.resolve(tenant_id, review_id, outcome, moderator, note)
        if review is None:
            item = await self._reviews.get(tenant_id, review_id)
            if item is None:
                raise ReviewError(f"there is no review item {review_id}")
            raise AlreadyResolved(f"this item was already {item['status']} by {item['resolved_by']}")
        incident = await self._incidents.get(tenant_id, review["incident_id"])
        if incident is None:
            raise ReviewError(f"the incident of review item {review_id} is gone")
        reversal = await self._undo(incident, moderator, reverser) if outcome == "overturned" else ""
        if review["kind"] != "appeal" or outcome == "escalated":
            return Resolution(review=review, incident=incident, reversal=reversal)
        appeal = await self._appeals.for_incident(tenant_id, incident["id"])
        answered = await self._appeals.answer(tenant_id, appeal["id"], outcome, note) if appeal else None
        answer = appeal_answer(answered) if answered else None
        return Resolution(review=review, incident=incident, reversal=reversal, appeal=answered, answer=answer)

    async def overturn_latest(
        self, tenant_id: str, chat_id: str, user_id: str, action: str, moderator: str, reverser: ActionReverser
    ) -> Overturn:
        """Undo minorguard's latest standing mute or ban of a user in a chat and record the overturn.

        Raises:
            ReviewError: minorguard has no such standing action against the user in the chat.
        """
        if action not in REVERSIBLE_ACTIONS:
            raise ReviewError(f"only {' and '.join(REVERSIBLE_ACTIONS)} can be undone, not {action!r}")
        page, _ = await self._incidents.list(
            tenant_id, chat_id=chat_id, user_id=user_id, action=action, since=None, limit=20, cursor=None
        )
        standing = [item for item in page if item["status"] != "overturned" and not item["dry_run"]]
        if not standing:
            raise ReviewError(f"minorguard has no standing {action} of user {user_id} in this chat")
        incident = standing[0]
        ok, detail = await reverser.reverse(incident)
        if ok:
            await self._incidents.set_status(tenant_id, incident["id"], "overturned")
            incident = incident | {"status": "overturned"}
        verb = "overturned" if ok else "overturn failed"
        await self._incidents.record_outcome(incident["id"], ok, f"{verb} by {moderator}: {detail}")
        return Overturn(incident=incident, ok=ok, detail=detail)

    async def appeal(
        self, tenant_id: str, incident_id: str, user_id: str, text: str, locale: str | None
    ) -> dict[str, Any]:
        """Open the user's appeal against an incident and queue it for review.

        Returns:
            The appeal, with the review item's id (``review_id``) and the incident's chat (``chat_id``).

        Raises:
            AppealRefused: the incident is unknown or not about this user, nothing was done to the user,
                or the incident was appealed already; the message is in the user's language.
        """
        lang = notice_language(locale, "", "en")
        ref = incident_id.strip()
        incident = await self._incidents.get(tenant_id, ref)
        if incident is None or incident["sender_id"] != user_id:
            raise AppealRefused(REFUSALS[lang]["unknown"].format(ref=ref))
        if incident["action"] not in APPEALABLE_ACTIONS or incident["dry_run"]:
            raise AppealRefused(REFUSALS[lang]["nothing"].format(ref=ref))
        policy = await self._policies.policy(tenant_id, incident["chat_id"])
        lang = notice_language(locale, "", policy.language)
        appeal = await self._appeals.open(tenant_id, ref, user_id, text.strip()[:MAX_APPEAL_CHARS], lang)
        if not appeal["created"]:
            date = appeal["created_at"].date().isoformat()
            raise AppealRefused(REFUSALS[lang]["twice"].format(ref=ref, date=date))
        review_id = await self._reviews.enqueue(
            {
                "tenant_id": tenant_id,
                "chat_id": incident["chat_id"],
                "incident_id": ref,
                "kind": "appeal",
                "requested_by": user_id,
                "note": appeal["text"],
            }
        )
        return appeal | {"review_id": review_id, "chat_id": incident["chat_id"]}

    async def chat_counts(self, tenant_id: str, chat_id: str, since: datetime) -> dict[str, int]:
        """Incidents per action in the chat since ``since``, overturned ones, dry runs and open review items."""
        counts: Counter[str] = Counter()
        cursor: str | None = None
        while True:
            page, cursor = await self._incidents.list(
                tenant_id, chat_id=chat_id, user_id=None, action=None, since=since, limit=500, cursor=cursor
            )
            counts.update(incident["action"] for incident in page)
            counts["overturned"] += sum(incident["status"] == "overturned" for incident in page)
            counts["dry_run"] += sum(bool(incident["dry_run"]) for incident in page)
            if cursor is None:
                break
        open_items = await self._reviews.list(tenant_id, status="open", chat_id=chat_id, limit=1000)
        counts["open_reviews"] = len(open_items)
        return dict(counts)

    async def _undo(self, incident: Mapping[str, Any], moderator: str, reverser: ActionReverser | None) -> str:
        reverser = reverser or self._reversers.get(incident["platform"])
        if incident["action"] in REVERSIBLE_ACTIONS and not incident["dry_run"] and reverser is not None:
            ok, detail = await reverser.reverse(incident)
        else:
            ok, detail = True, nothing_to_undo(incident)
        await self._incidents.record_outcome(incident["id"], ok, f"overturned by {moderator}: {detail}")
        return detail
