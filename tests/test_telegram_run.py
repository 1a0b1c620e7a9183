"""``python bot.py run`` with a Telegram token moderates a group end to end against the fake Bot API on loopback.

The same steps work by hand: ``python -m tests.fake_telegram --port 8081``, then ``MINORGUARD_TELEGRAM__TOKEN=123:abc
MINORGUARD_TELEGRAM__BASE_URL=http://127.0.0.1:8081/bot python bot.py run``, then
``curl -X POST http://127.0.0.1:8081/fake/play/grooming_en`` and ``curl http://127.0.0.1:8081/fake/calls``.
"""

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from storage.db import Database
from storage.incidents import SqlIncidentStore
from tests.fake_telegram import GROOMER_EN, GROOMING_EN, GROUP_ID, TOKEN, FakeBotApi, conversation

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def started(process, fake, timeout=120.0):
    """Whether the bot registered its commands before it exited or the time ran out."""
    deadline = time.monotonic() + timeout
    while len(fake.calls_to("setMyCommands")) < 4:
        if process.returncode is not None or time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


@pytest.fixture
async def fake(aiohttp_server):
    api = FakeBotApi()
    server = await aiohttp_server(api.app())
    api.base_url = str(server.make_url("/bot"))
    return api


@pytest.mark.slow
async def test_telegram_bot_py_run_moderates_a_group(tmp_path, fake):
    url = f"sqlite+aiosqlite:///{tmp_path / 'run.db'}"
    env = os.environ | {
        "MINORGUARD_TELEGRAM__TOKEN": TOKEN,
        "MINORGUARD_TELEGRAM__BASE_URL": fake.base_url,
        "MINORGUARD_STORAGE__URL": url,
        "MINORGUARD_CLASSIFIER__USE_ENCODER": "false",
        "MINORGUARD_HTTP__PORT": str(free_port()),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "bot.py",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        ready = await started(process, fake)
        if ready:
            await fake.play(conversation(GROOMING_EN))
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)

    assert ready, f"bot.py run did not start:\n{output.decode()[-3000:]}"
    assert process.returncode == 0, output.decode()[-3000:]
    banned = fake.calls_to("banChatMember")
    assert banned and {(call["chat_id"], call["user_id"]) for call in banned} == {(GROUP_ID, GROOMER_EN["id"])}
    database = Database(url)
    try:
        incidents, _ = await SqlIncidentStore(database).list("telegram-123", limit=100)
    finally:
        await database.close()
    assert incidents and {incident["sender_id"] for incident in incidents} == {str(GROOMER_EN["id"])}
