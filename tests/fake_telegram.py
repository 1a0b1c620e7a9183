"""A fake Telegram Bot API server for the tests: an aiohttp app on loopback that python-telegram-bot's real
client talks to, recording every call.

It serves ``getMe``, ``getUpdates`` (long polling), ``setWebhook``/``deleteWebhook``, ``setMyCommands``,
``sendMessage``, ``editMessageText``, ``deleteMessage``, ``restrictChatMember``, ``banChatMember``,
``unbanChatMember``, ``getChatMember``, ``getChat`` and ``answerCallbackQuery``; any call can be made to fail
(including 429 with ``retry_after``). Updates are queued for ``getUpdates`` or delivered to the webhook the bot
set, with the secret token it gave.

Run it by hand with ``python -m tests.fake_telegram --port PORT``; then ``POST /fake/play/<conversation>``
queues one of the conversations below as group messages and ``GET /fake/calls`` lists what the bot did.
Every conversation, name and handle here is invented for the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123:abc"
GROUP_ID = -1001234567890
ADMIN = {"id": 900, "is_bot": False, "first_name": "Grace", "username": "grace_admin", "language_code": "en"}

JSON_PARAMS = {"permissions", "reply_parameters", "reply_markup", "commands", "scope", "allowed_updates", "entities"}
INT_PARAMS = {"chat_id", "user_id", "message_id", "until_date", "offset", "timeout", "limit", "message_thread_id"}
BOOL_PARAMS = {"only_if_banned", "revoke_messages", "drop_pending_updates", "show_alert"}
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def user(user_id: int, name: str, lang: str | None = "en", username: str | None = None) -> dict[str, Any]:
    """A Telegram User object."""
    found = {"id": user_id, "is_bot": False, "first_name": name}
    return found | ({"language_code": lang} if lang else {}) | ({"username": username} if username else {})


def group(chat_id: int = GROUP_ID, title: str = "Homework help", forum: bool = False) -> dict[str, Any]:
    """A supergroup Chat object."""
    return {"id": chat_id, "type": "supergroup", "title": title} | ({"is_forum": True} if forum else {})


def private(person: dict[str, Any]) -> dict[str, Any]:
    """The private Chat object of a user with the bot."""
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def message(
    message_id: int,
    chat: dict[str, Any],
    sender: dict[str, Any],
    text: str,
    *,
    reply_to: dict[str, Any] | None = None,
    date: float | None = None,
    thread_id: int | None = None,
    caption: bool = False,
) -> dict[str, Any]:
    """A Message object; a text starting with "/" gets its bot_command entity, ``caption`` makes it a photo's."""
    found: dict[str, Any] = {"message_id": message_id, "date": int(date or time.time()), "chat": chat, "from": sender}
    if caption:
        found |= {"photo": [{"file_id": "ph", "file_unique_id": "ph1", "width": 90, "height": 90}], "caption": text}
    else:
        found["text"] = text
    if text.startswith("/"):
        found["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if reply_to is not None:
        found["reply_to_message"] = reply_to
    if thread_id is not None:
        found |= {"message_thread_id": thread_id, "is_topic_message": True}
    return found


def conversation(
    lines: list[tuple[dict[str, Any], dict[str, Any] | None, str]],
    chat: dict[str, Any] | None = None,
    first_id: int = 1,
    start: float | None = None,
) -> list[dict[str, Any]]:
    """Messages of (sender, addressee, text) lines, a minute apart, each replying to the addressee's last message."""
    chat = chat or group()
    start = start if start is not None else time.time() - 60 * len(lines)
    last_by: dict[int, dict[str, Any]] = {}
    found = []
    for number, (sender, addressee, text) in enumerate(lines):
        reply = last_by.get(addressee["id"]) if addressee else None
        reply_to = {key: value for key, value in reply.items() if key != "reply_to_message"} if reply else None
        sent = message(first_id + number, chat, sender, text, reply_to=reply_to, date=start + 60 * number)
        last_by[sender["id"]] = sent
        found.append(sent)
    return found


CHILD_EN = user(501, "Mia", "en", "mia_draws")
GROOMER_EN = user(601, "Rick", "en", "rick_b")
CHILD_ZH = user(502, "小雨", "zh-hans")
GROOMER_ZH = user(602, "老王", "zh-hans")
PARENT = user(701, "Dana", "en")
TEACHER = user(702, "Mr Osei", "en")

GROOMING_EN = [
    (CHILD_EN, None, "finally finished my science homework, mum says lights out at 9 on school nights"),
    (GROOMER_EN, CHILD_EN, "what year are you in at school? how old are you?"),
    (CHILD_EN, GROOMER_EN, "year 7, I turned 12 last month"),
    (GROOMER_EN, CHILD_EN, "you're so mature for your age, way cooler than the other kids in here"),
    (GROOMER_EN, CHILD_EN, "keep this between us ok? don't tell your mum about me, it's our secret"),
    (GROOMER_EN, CHILD_EN, "add me on snapchat so we can talk privately: rick.b.2011"),
    (GROOMER_EN, CHILD_EN, "i'll buy you a robux gift card, just for being my friend"),
    (GROOMER_EN, CHILD_EN, "send me a selfie first, just for me"),
    (GROOMER_EN, CHILD_EN, "are you home alone after school? i could pick you up and we hang out"),
]
GROOMING_ZH = [
    (CHILD_ZH, None, "今天数学作业好多，我才上六年级"),
    (GROOMER_ZH, CHILD_ZH, "小妹妹你今年几岁了？在哪个学校上学？"),
    (CHILD_ZH, GROOMER_ZH, "我11岁，在实验小学"),
    (GROOMER_ZH, CHILD_ZH, "你真漂亮，比同龄人成熟懂事多了"),
    (GROOMER_ZH, CHILD_ZH, "我们聊天的事别告诉你爸妈，这是我们俩的秘密"),
    (GROOMER_ZH, CHILD_ZH, "加我微信私聊吧，号是 w x 1 3 9 0 0 1 2 3 4 5 6"),
    (GROOMER_ZH, CHILD_ZH, "我送你游戏皮肤，再给你发个大红包"),
    (GROOMER_ZH, CHILD_ZH, "拍一张你自己的照片发给我看看"),
    (GROOMER_ZH, CHILD_ZH, "放学后你一个人在家吗？我开车去接你出来玩"),
]
BENIGN = [
    (PARENT, None, "does anyone know when the school trip forms are due?"),
    (TEACHER, PARENT, "this friday please; parents sign the form and the kids bring it to class"),
    (PARENT, TEACHER, "thanks! my daughter is so excited about the museum"),
    (TEACHER, PARENT, "the dinosaur hall is the favourite every year"),
    (PARENT, None, "anyone watching the match tonight? kick-off is at eight"),
]
CONVERSATIONS = {"grooming_en": GROOMING_EN, "grooming_zh": GROOMING_ZH, "benign": BENIGN}


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call the bot made: method, decoded parameters, the fake's answer, when (``time.monotonic``)."""

    method: str
    params: dict[str, Any]
    result: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    """How a call is made to fail: HTTP status, Telegram's description, and retry_after for 429."""

    status: int
    description: str
    retry_after: int | None = None


def decode_params(form: Any) -> dict[str, Any]:
    """Bot API parameters as sent by python-telegram-bot (form fields, JSON for nested values) as Python values."""
    decoded: dict[str, Any] = {}
    for key, value in form.items():
        if key in JSON_PARAMS:
            decoded[key] = json.loads(value)
        elif key in INT_PARAMS and str(value).lstrip("-").isdigit():
            decoded[key] = int(value)
        elif key in BOOL_PARAMS:
            decoded[key] = str(value).lower() == "true"
        else:
            decoded[key] = value
    return decoded


@dataclass
class FakeBotApi:
    """The fake server's state: the bot, chats' admins, queued updates, planned failures and recorded calls."""

    token: str = TOKEN
    base_url: str = ""
    can_read_all_group_messages: bool = True
    bot_is_admin: bool = True
    bot_rights: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(ADMIN_RIGHTS, True))
    admins: dict[int, set[int]] = field(default_factory=lambda: {GROUP_ID: {ADMIN["id"]}})
    calls: list[ApiCall] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    next_message_id: int = 50_000

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot's own User object, as getMe returns it."""
        return {
            "id": int(self.token.split(":")[0]),
            "is_bot": True,
            "first_name": "minorguard",
            "username": "minorguard_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
        }

    def app(self) -> web.Application:
        """The aiohttp application: the Bot API under /bot<token>/<method> and test controls under /fake."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_post("/fake/updates", self._queue_posted)
        app.router.add_post("/fake/play/{name}", self._play_named)
        app.router.add_get("/fake/calls", self._list_calls)
        return app

    def update(
        self,
        *,
        message: dict[str, Any] | None = None,
        edited: dict[str, Any] | None = None,
        callback: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A new Update object with the next update id (not queued)."""
        found: dict[str, Any] = {"update_id": self.next_update_id}
        self.next_update_id += 1
        if message is not None:
            found["message"] = message
        if edited is not None:
            found["edited_message"] = edited | {"edit_date": int(time.time())}
        if callback is not None:
            found["callback_query"] = callback
        return found

    def queue(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates."""
        self.updates.append(update)

    def callback(self, presser: dict[str, Any], posted: dict[str, Any], data: str) -> dict[str, Any]:
        """A CallbackQuery of a button on a message the bot posted."""
        return {
            "id": f"cb{self.next_update_id}",
            "from": presser,
            "message": posted,
            "chat_instance": "ci",
            "data": data,
        }

    def fail(self, method: str, description: str, status: int = 400, times: int = 1, retry_after: int | None = None):
        """Make the next ``times`` calls of ``method`` fail."""
        self.failures.setdefault(method, []).extend([Failure(status, description, retry_after)] * times)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every recorded call of a method, in order."""
        return [call.params for call in self.calls if call.method == method]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """The messages the bot sent to a chat (as the fake answered them), in order."""
        return [
            call.result
            for call in self.calls
            if call.method == "sendMessage" and call.result and call.params["chat_id"] == chat_id
        ]

    async def play(self, messages: list[dict[str, Any]]) -> None:
        """Queue messages, then an admin's /start in the group, and wait for its answer.

        Updates are handled one at a time, in order, so every message before the sentinel has been handled then.
        """
        self.next_message_id += 1
        sentinel_id = self.next_message_id
        for sent in messages:
            self.queue(self.update(message=sent))
        self.queue(self.update(message=message(sentinel_id, group(), ADMIN, "/start")))
        await self.wait_for(
            "sendMessage", where=lambda call: call.get("reply_parameters", {}).get("message_id") == sentinel_id
        )

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 10.0, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[dict[str, Any]]:
        """Wait until the bot has made ``count`` calls of ``method`` (that match ``where``); return those calls."""
        deadline = time.monotonic() + timeout
        while len(found := [call for call in self.calls_to(method) if where is None or where(call)]) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} called {len(found)} times (matching), expected {count}")
            await asyncio.sleep(0.02)
        return found

    async def deliver(self, update: dict[str, Any], secret: str | None = None) -> int:
        """POST an update to the webhook the bot set, with its secret (or the one given); the HTTP status."""
        assert self.webhook is not None, "the bot has not set a webhook"
        token = self.webhook.get("secret_token", "") if secret is None else secret
        async with aiohttp.ClientSession() as session:
            headers = {"X-Telegram-Bot-Api-Secret-Token": token}
            async with session.post(self.webhook["url"], json=update, headers=headers) as response:
                return response.status

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = decode_params(await request.post())
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        planned = self.failures.get(method)
        if planned:
            self.calls.append(ApiCall(method, params))
            failure = planned.pop(0)
            body = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.status)
        result = self._result(method, params)
        self.calls.append(ApiCall(method, params, result))
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset", 0)
        self.updates = [update for update in self.updates if update["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout", 0))
        while not self.updates and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.updates[: int(params.get("limit", 100))]

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return self.bot_user
        if method == "setWebhook":
            self.webhook = params
        if method == "deleteWebhook":
            self.webhook = None
        if method in ("sendMessage", "editMessageText"):
            return self._sent(params)
        if method == "getChatMember":
            return self._member(params["chat_id"], params["user_id"])
        if method == "getChat":
            return self._chat_info(params["chat_id"])
        return True

    def _sent(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params["chat_id"]
        chat = group(chat_id) if chat_id < 0 else {"id": chat_id, "type": "private", "first_name": "someone"}
        message_id = params.get("message_id")
        if message_id is None:
            self.next_message_id += 1
            message_id = self.next_message_id
        return message(message_id, chat, self.bot_user, params["text"]) | {"text": params["text"]}

    def _member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_user["id"]:
            if not self.bot_is_admin:
                return {"status": "member", "user": self.bot_user}
            rights = {"can_be_edited": False, "is_anonymous": False} | self.bot_rights
            return {"status": "administrator", "user": self.bot_user} | rights
        person = {"id": user_id, "is_bot": False, "first_name": f"user {user_id}"}
        if user_id in self.admins.get(chat_id, set()):
            return {"status": "creator", "user": person, "is_anonymous": False}
        return {"status": "member", "user": person}

    @staticmethod
    def _chat_info(chat_id: int) -> dict[str, Any]:
        gifts = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"), False
        )
        permissions = dict.fromkeys(
            ("can_send_messages", "can_send_photos", "can_send_polls", "can_invite_users"), True
        )
        return group(chat_id) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
            "permissions": permissions,
        }

    async def _queue_posted(self, request: web.Request) -> web.Response:
        self.queue(self.update(message=await request.json()))
        return web.json_response({"ok": True})

    async def _play_named(self, request: web.Request) -> web.Response:
        lines = CONVERSATIONS.get(request.match_info["name"])
        if lines is None:
            return web.json_response({"ok": False, "known": sorted(CONVERSATIONS)}, status=404)
        first = self.next_message_id + 1
        self.next_message_id += len(lines)
        for sent in conversation(lines, first_id=first):
            self.queue(self.update(message=sent))
        return web.json_response({"ok": True, "queued": len(lines)})

    async def _list_calls(self, request: web.Request) -> web.Response:
        return web.json_response([{"method": call.method, "params": call.params} for call in self.calls])


def main() -> None:
    """Serve the fake Bot API on loopback until interrupted."""
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API for trying minorguard by hand.")
    parser.add_argument("--port", type=int, default=8081, help="TCP port on 127.0.0.1")
    port = parser.parse_args().port
    print(f"fake Bot API: MINORGUARD_TELEGRAM__BASE_URL=http://127.0.0.1:{port}/bot (token {TOKEN})", flush=True)
    print(f"queue a conversation: curl -X POST http://127.0.0.1:{port}/fake/play/grooming_en", flush=True)
    print(f"see the bot's calls:  curl http://127.0.0.1:{port}/fake/calls", flush=True)
    web.run_app(FakeBotApi().app(), host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
