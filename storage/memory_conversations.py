"""In-memory conversation memory with the same behaviour as ``SqlConversationStore``, for replays and tests.

Nothing here awaits while it changes state, so each call is atomic on the event loop. Windows are bounded
deques, so replaying a long chat costs memory per message only for the decision records ``previous`` needs.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from storage.batch import MESSAGE_FIELDS, ROOM, WINDOW_FIELDS, MessageKey, check_tenant, message_values
from storage.columns import json_default, utc_now


class TenantConversations:
    """One tenant's conversation memory in dicts and bounded deques; see ``SqlConversationStore`` for the behaviour.

    Implements ``handlers.ports.ConversationBatch``; each change applies at once. States and decisions are kept
    as JSON text, as the database keeps them: callers get fresh copies.
    """

    def __init__(self, tenant_id: str, window: int, ttl: timedelta, clock: Callable[[], datetime]) -> None:
        self.tenant_id = tenant_id
        self._window, self._ttl, self._clock = window, ttl, clock
        self._encode = json.JSONEncoder(ensure_ascii=False, default=json_default).encode
        self._messages: dict[str, dict[str, dict[str, Any]]] = {}
        self._windows: dict[tuple[str, ...], deque[str]] = {}
        self._pairs: dict[tuple[str, ...], tuple[str, datetime]] = {}
        self._senders: dict[tuple[str, str], dict[str, Any]] = {}
        self._threads: dict[tuple[str, str], str] = {}

    def previous(self, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The decision record stored for this message, if it was processed before."""
        message = self._messages.get(chat_id, {}).get(message_id)
        return json.loads(message["decision"]) if message else None

    def snapshot(self, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None) -> dict[str, Any]:
        """States of sender→target and target→sender, the sender's state, both users' cues and the window."""
        fresh = self._clock() - self._ttl
        sender = self._senders.get((chat_id, sender_id))
        target = self._senders.get((chat_id, target_id)) if target_id else None
        chat = self._messages.get(chat_id, {})
        ids = self._windows.get(self._window_key(chat_id, sender_id, target_id), ())
        lines = sorted((chat[mid] for mid in ids if mid in chat), key=lambda message: message["sent_at"])
        return {
            "pair": self._pair((chat_id, sender_id, target_id or ROOM), fresh),
            "reverse": self._pair((chat_id, target_id, sender_id), fresh) if target_id else {},
            "sender": json.loads(sender["state"]) if sender and sender["updated_at"] >= fresh else {},
            "sender_minor": sender["minor_cue"] if sender else 0.0,
            "sender_adult": sender["adult_cue"] if sender else 0.0,
            "target_minor": target["minor_cue"] if target else 0.0,
            "target_adult": target["adult_cue"] if target else 0.0,
            "window": [{name: line[name] for name in WINDOW_FIELDS} for line in lines],
            "thread_author": self._threads.get((chat_id, thread_id)) if thread_id else None,
        }

    def _pair(self, key: tuple[str | None, ...], fresh: datetime) -> dict[str, Any]:
        found = self._pairs.get(key)
        return json.loads(found[0]) if found and found[1] >= fresh else {}

    @staticmethod
    def _window_key(chat_id: str, sender_id: str, target_id: str | None) -> tuple[str, ...]:
        if target_id is None:
            return (chat_id, "from", sender_id)
        return (chat_id, "between", *sorted((sender_id, target_id)))

    def remember(self, entry: Mapping[str, Any]) -> None:
        """Store the message (an edit replaces it), the pair and sender states, cues and thread author."""
        check_tenant(self.tenant_id, entry)
        now = self._clock()
        message = message_values(entry)
        message["decision"] = self._encode(message["decision"])
        chat_id, sender_id = message["chat_id"], message["sender_id"]
        chat = self._messages.setdefault(chat_id, {})
        if message["message_id"] not in chat:
            keys = {self._window_key(chat_id, sender_id, None)}
            if message["target_id"] is not None:
                keys.add(self._window_key(chat_id, sender_id, message["target_id"]))
            for key in keys:
                self._windows.setdefault(key, deque(maxlen=self._window)).append(message["message_id"])
        chat[message["message_id"]] = message
        self._pairs[(chat_id, sender_id, message["target_id"] or ROOM)] = (self._encode(entry.get("pair", {})), now)
        known = self._senders.get((chat_id, sender_id), {"minor_cue": 0.0, "adult_cue": 0.0})
        self._senders[(chat_id, sender_id)] = {
            "state": self._encode(entry.get("sender", {})),
            "minor_cue": max(known["minor_cue"], float(entry.get("minor_cue", 0.0))),
            "adult_cue": max(known["adult_cue"], float(entry.get("adult_cue", 0.0))),
            "updated_at": now,
        }
        if message["thread_id"] is not None:
            self._threads.setdefault((chat_id, message["thread_id"]), sender_id)

    def recent_messages(self, chat_id: str, limit: int) -> list[dict[str, Any]]:
        """The chat's last ``limit`` messages, oldest first, with their stored decisions."""
        chat = sorted(self._messages.get(chat_id, {}).values(), key=lambda message: message["sent_at"])
        return [
            {name: message[name] for name in MESSAGE_FIELDS} | {"decision": json.loads(message["decision"])}
            for message in chat[-limit:]
        ]

    def purge_older_than(self, before: datetime) -> int:
        """Delete the messages sent before ``before`` and states untouched since; returns the items deleted."""
        deleted = 0
        for chat in self._messages.values():
            gone = [message_id for message_id, message in chat.items() if message["sent_at"] < before]
            for message_id in gone:
                del chat[message_id]
            deleted += len(gone)
        pairs = [key for key, (_, updated_at) in self._pairs.items() if updated_at < before]
        senders = [key for key, state in self._senders.items() if state["updated_at"] < before]
        for table, keys in ((self._pairs, pairs), (self._senders, senders)):
            for key in keys:
                del table[key]
        return deleted + len(pairs) + len(senders)

    def forget_user(self, user_id: str) -> int:
        """Delete what is held about a user (as ``SqlConversationStore.forget_user``); returns the items deleted."""
        deleted = 0
        for chat in self._messages.values():
            gone = [mid for mid, m in chat.items() if user_id in (m["sender_id"], m["target_id"])]
            for message_id in gone:
                del chat[message_id]
            deleted += len(gone)
        pairs = [key for key in self._pairs if user_id in key[1:]]
        senders = [key for key in self._senders if key[1] == user_id]
        threads = [key for key, author in self._threads.items() if author == user_id]
        for table, keys in ((self._pairs, pairs), (self._senders, senders), (self._threads, threads)):
            for key in keys:
                del table[key]
        return deleted + len(pairs) + len(senders) + len(threads)


class MemoryConversationStore:
    """Conversation memory in memory, one ``TenantConversations`` per tenant; see ``SqlConversationStore``.

    Windows are bounded deques, so replaying a long chat costs memory per message only for the decision
    records ``previous`` needs.
    """

    def __init__(self, window: int = 12, state_ttl_days: int = 30, clock: Callable[[], datetime] = utc_now) -> None:
        self._window = window
        self._ttl = timedelta(days=state_ttl_days)
        self._clock = clock
        self._tenants: dict[str, TenantConversations] = {}

    def tenant(self, tenant_id: str) -> TenantConversations:
        """The tenant's conversation memory (empty at first)."""
        if tenant_id not in self._tenants:
            self._tenants[tenant_id] = TenantConversations(tenant_id, self._window, self._ttl, self._clock)
        return self._tenants[tenant_id]

    async def previous(self, tenant_id: str, chat_id: str, message_id: str) -> dict[str, Any] | None:
        """The decision record stored for this message, if it was processed before."""
        return self.tenant(tenant_id).previous(chat_id, message_id)

    async def decided(self, tenant_id: str, keys: Collection[MessageKey]) -> dict[MessageKey, dict[str, Any]]:
        """The decision records stored for those of the (chat_id, message_id) keys that were processed."""
        memory = self.tenant(tenant_id)
        found = {key: memory.previous(*key) for key in keys}
        return {key: decision for key, decision in found.items() if decision is not None}

    async def snapshot(
        self, tenant_id: str, chat_id: str, sender_id: str, target_id: str | None, thread_id: str | None
    ) -> dict[str, Any]:
        """States of sender→target and target→sender, the sender's state, both users' cues and the window."""
        return self.tenant(tenant_id).snapshot(chat_id, sender_id, target_id, thread_id)

    async def remember(self, entry: Mapping[str, Any]) -> None:
        """Store the message (an edit replaces it), the pair and sender states, cues and thread author."""
        self.tenant(str(entry["tenant_id"])).remember(entry)

    async def recent_messages(self, tenant_id: str, chat_id: str, limit: int) -> list[dict[str, Any]]:
        """The chat's last ``limit`` messages, oldest first, with their stored decisions."""
        return self.tenant(tenant_id).recent_messages(chat_id, limit)

    async def purge_older_than(self, tenant_id: str, before: datetime) -> int:
        """Delete the tenant's messages sent before ``before`` and states untouched since; returns the items deleted."""
        return self.tenant(tenant_id).purge_older_than(before)

    async def forget_user(self, tenant_id: str, user_id: str) -> int:
        """Delete what is held about a user (as ``SqlConversationStore.forget_user``); returns the items deleted."""
        return self.tenant(tenant_id).forget_user(user_id)
