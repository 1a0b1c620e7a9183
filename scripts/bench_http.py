"""Throughput of ``POST /api/v1/messages/batch``: the real app on loopback over SQLite or PostgreSQL.

Posts batches of invented messages (ordinary chatter mixed with grooming-like approaches across many
sender→target pairs) one after another and prints messages per second for each batch size. The database is a
temporary SQLite file unless ``--url`` names another (it is migrated first; each run uses a new tenant).

Usage: ``.venv/bin/python scripts/bench_http.py [--sizes 100 500] [--messages 5000] [--use-encoder] [--url URL]``
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

from bot.app import create_web_app, open_services
from bot.settings import ClassifierSettings, HttpSettings, Settings, StorageSettings

BENIGN = (
    "did anyone finish the level 12 boss yet?",
    "lol that clip was hilarious",
    "meeting moved to 3pm, bring the slides",
    "我明天去图书馆，有人一起吗",
    "the new patch broke my build again",
    "有没有人知道这道数学题怎么做",
    "happy birthday!! 🎉",
    "trading my spare sword for a shield, dm offers",
    "这家店的奶茶真的好喝",
    "anyone watching the match tonight?",
)
APPROACHES = (
    "hey how old are you? what school do you go to?",
    "you're so mature for your age, not like the other kids",
    "don't tell your parents we talk ok, it's our secret",
    "add me on snap, it's easier to chat there",
    "i can send you some skins if you want",
    "你几岁了？上几年级？",
    "加我扣扣吧，这里说话不方便",
    "给你发个红包，别告诉你爸妈",
)
MINOR_REPLIES = ("i'm 12, in 7th grade", "我初一，妈妈不让我玩太久手机", "lol ok", "why?")


def invented_messages(chats: int = 40) -> Iterator[dict[str, Any]]:
    """An endless stream of messages: ordinary chatter, with one approaching adult per few chats."""
    for number in itertools.count():
        chat = number % chats
        step = number // chats
        base = {"chat_id": f"bench-chat-{chat}", "message_id": f"m{number}", "thread_id": None}
        if chat % 4 == 0 and step % 2 == 0:
            text = APPROACHES[(step // 2) % len(APPROACHES)]
            yield base | {"sender_id": f"adult-{chat}", "text": text, "reply_to_user_id": f"kid-{chat}"}
        elif chat % 4 == 0:
            text = MINOR_REPLIES[(step // 2) % len(MINOR_REPLIES)]
            yield base | {"sender_id": f"kid-{chat}", "text": text, "reply_to_user_id": f"adult-{chat}"}
        else:
            text = BENIGN[number % len(BENIGN)]
            yield base | {"sender_id": f"user-{chat}-{step % 5}", "text": text, "reply_to_user_id": None}


async def post_batches(
    session: ClientSession, url: str, api_key: str, stream: Iterator[dict[str, Any]], size: int, total: int
) -> float:
    """Post ``total`` messages in batches of ``size``; return messages per second."""
    headers = {"Authorization": f"Bearer {api_key}"}
    started = time.perf_counter()
    for _ in range(max(1, total // size)):
        batch = {"messages": list(itertools.islice(stream, size))}
        async with session.post(url, json=batch, headers=headers) as response:
            body = await response.json()
            if response.status != 200 or len(body["decisions"]) != size:
                raise RuntimeError(f"batch failed: {response.status} {body}")
    return max(1, total // size) * size / (time.perf_counter() - started)


async def bench(sizes: list[int], total: int, use_encoder: bool, model_dir: Path, url: str | None = None) -> None:
    """Start the app on loopback over the database (a fresh SQLite file by default) and time each batch size."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            storage=StorageSettings(url=url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"),
            http=HttpSettings(host="127.0.0.1", port=0, max_batch=max(sizes), max_body_bytes=8 * 1024 * 1024),
            classifier=ClassifierSettings(model_dir=model_dir, use_encoder=use_encoder),
        )
        async with open_services(settings) as services:
            _, api_key = await services.tenants.create("bench")
            runner = web.AppRunner(create_web_app(services), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            url = f"http://127.0.0.1:{port}/api/v1/messages/batch"
            stream = invented_messages()
            try:
                async with ClientSession() as session:
                    await post_batches(session, url, api_key, stream, min(sizes), min(sizes))
                    for size in sizes:
                        rate = await post_batches(session, url, api_key, stream, size, total)
                        print(
                            f"batch {size:>4}: {rate:8.1f} msgs/s  (encoder: {use_encoder}, {total} messages, "
                            f"{services.database.dialect})"
                        )
            finally:
                await runner.cleanup()


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500], help="Batch sizes to time.")
    parser.add_argument("--messages", type=int, default=5000, help="Messages posted per batch size.")
    parser.add_argument("--use-encoder", action="store_true", help="Score with the encoder (needs --model-dir).")
    parser.add_argument("--model-dir", type=Path, default=Path("var/models"), help="The converted encoder's folder.")
    parser.add_argument("--url", help="SQLAlchemy async URL of the database (default: a temporary SQLite file).")
    args = parser.parse_args()
    asyncio.run(bench(args.sizes, args.messages, args.use_encoder, args.model_dir, args.url))


if __name__ == "__main__":
    main()
