"""The command line as a user runs it: a real subprocess of bot.py against a real SQLite file."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import Database
from storage.tenants import TenantStore

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, env_extra=None, stdin=None):
    env = os.environ | {"MINORGUARD_CLASSIFIER__USE_ENCODER": "false"} | (env_extra or {})
    return subprocess.run(
        [sys.executable, "bot.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def sqlite_env(tmp_path):
    return {"MINORGUARD_STORAGE__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


def test_cli_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("run", "migrate", "score", "apikey", "train", "evaluate", "incidents", "setup-model"):
        assert command in result.stdout


def test_cli_apikey_create_prints_key_last_and_stores_only_hash(sqlite_env, tmp_path):
    result = run_cli("apikey", "create", "--name", "my-app", env_extra=sqlite_env)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("mg_") and len(key) > 30

    async def check():
        database = Database(sqlite_env["MINORGUARD_STORAGE__URL"])
        try:
            return await TenantStore(database).authenticate(key)
        finally:
            await database.close()

    assert asyncio.run(check()) is not None
    assert key.encode() not in (tmp_path / "cli.db").read_bytes()


def test_cli_apikey_create_rejects_empty_name(sqlite_env):
    result = run_cli("apikey", "create", "--name", " ", env_extra=sqlite_env)
    assert result.returncode != 0 and "name" in result.stderr


def line(index, sender, text, to=None):
    return json.dumps({"chat_id": "c", "message_id": str(index), "sender_id": sender, "text": text,
                       "reply_to_user_id": to}, ensure_ascii=False)


def test_cli_score_replays_conversation_and_reports_bad_lines():
    lines = [
        line(1, "u1", "hi, how old are you? which school?", "u2"),
        line(2, "u2", "13, 我初一", "u1"),
        '{"chat_id": "c", "message_id": "3", "sender_id": "u1"}',
        line(4, "u1", "加我微信吧，别告诉你爸妈，给你发红包，发张自拍给我看看", "u2"),
    ]
    result = run_cli("score", stdin="\n".join(lines) + "\n")
    assert result.returncode == 1
    out = [json.loads(row) for row in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[2]["error"]["field"] == "text" and out[2]["line"] == 3
    assert out[1]["action"] == "allow"
    assert out[3]["action"] in {"warn", "delete", "mute", "ban"} and out[3]["target_user_id"] == "u2"
    assert "line 3: text" in result.stderr


def test_cli_score_rejects_invalid_policy_file(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text('{"review_at": 0.9, "warn_at": 0.1}', encoding="utf-8")
    result = run_cli("score", "--policy", str(policy), stdin="")
    assert result.returncode == 2 and "ascend" in result.stderr


def test_cli_migrate_then_verify_empty_chain(sqlite_env):
    assert run_cli("migrate", env_extra=sqlite_env).returncode == 0
    result = run_cli("incidents", "verify", env_extra=sqlite_env)
    assert result.returncode == 0 and "intact" in result.stdout
