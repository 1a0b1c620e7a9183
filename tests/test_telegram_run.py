"""``python bot.py run`` with a Telegram token moderates a group end to end against the fake Bot API on loopback.

The same steps work by hand: ``python -m tests.fake_telegram --port 8081``, then ``MINORGUARD_TELEGRAM__TOKEN=123:abc
MINORGUARD_TELEGRAM__BASE_URL=http://127.0.0.1:8081/bot python bot.py run``, then
``curl -X POST http://127.0.0.1:8081/fake/play/grooming_en`` and ``curl http://127.0.0.1:8081/fake/calls``.
"""

import asyncio
import os
import signal
import socket
import sys
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
        await fake.wait_for("setMyCommands", 4, timeout=60)
        await fake.play(conversation(GROOMING_EN))
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)

    assert process.returncode == 0, output.decode()
    banned = fake.calls_to("banChatMember")
    assert banned and {(call["chat_id"], call["user_id"]) for call in banned} == {(GROUP_ID, GROOMER_EN["id"])}
    database = Database(url)
    try:
        incidents, _ = await SqlIncidentStore(database).list("telegram-123", limit=100)
    finally:
        await database.close()
    assert incidents and {incident["sender_id"] for incident in incidents} == {str(GROOMER_EN["id"])}
