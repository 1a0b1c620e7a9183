"""``python bot.py moderator add|list|disable`` on a real SQLite file; accounts made here sign in to the console."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import create_cli
from bot.web.accounts import Accounts
from storage.db import Database
from storage.moderators import SqlModeratorStore


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"MINORGUARD_STORAGE__URL": f"sqlite+aiosqlite:///{tmp_path / 'minorguard.db'}"}


def run(env: dict[str, str], *args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(create_cli(), ["moderator", *args], input=stdin, env=env)
    return result.exit_code, result.output


def listed(env: dict[str, str]) -> list[dict]:
    code, output = run(env, "list")
    assert code == 0, output
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def sign_in(env: dict[str, str], name: str, password: str) -> str | None:
    async def attempt() -> str | None:
        database = Database(env["MINORGUARD_STORAGE__URL"])
        try:
            user = await Accounts(SqlModeratorStore(database)).sign_in(name, password, "cli-test")
        finally:
            await database.close()
        return user.role if user else None

    return asyncio.run(attempt())


def test_console_cli_adds_an_admin_from_stdin_who_can_sign_in(env: dict[str, str]) -> None:
    code, output = run(env, "add", "root-admin", "--role", "admin", "--password-stdin", stdin="a strong passphrase\n")
    assert code == 0, output
    assert "admin root-admin added" in output
    (account,) = listed(env)
    assert (account["name"], account["role"], account["disabled"]) == ("root-admin", "admin", False)
    assert "password_hash" not in account
    assert sign_in(env, "root-admin", "a strong passphrase") == "admin"
    assert sign_in(env, "root-admin", "a wrong passphrase") is None


def test_console_cli_asks_for_the_password_twice(env: dict[str, str]) -> None:
    code, output = run(env, "add", "helper", stdin="helper-password\nhelper-password\n")
    assert code == 0, output
    assert output.count("Password") == 2 and "helper-password" not in output
    assert [account["role"] for account in listed(env)] == ["moderator"]


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [("one-password-here\nanother-password\n", "the two passwords differ"), ("short\nshort\n", "at least 10")],
    ids=["mismatch", "short"],
)
def test_console_cli_refuses_a_bad_password(env: dict[str, str], stdin: str, reason: str) -> None:
    code, output = run(env, "add", "helper", stdin=stdin)
    assert code == 1
    assert reason in output
    assert listed(env) == []


def test_console_cli_refuses_a_taken_name_and_an_unknown_role(env: dict[str, str]) -> None:
    assert run(env, "add", "helper", "--password-stdin", stdin="helper-password\n")[0] == 0
    code, output = run(env, "add", "helper", "--password-stdin", stdin="other-password\n")
    assert code == 1 and "exists already" in output
    code, output = run(env, "add", "boss", "--role", "owner", "--password-stdin", stdin="boss-password\n")
    assert code == 2 and "--role" in output
    assert [account["name"] for account in listed(env)] == ["helper"]


def test_console_cli_disables_an_account(env: dict[str, str]) -> None:
    assert run(env, "add", "helper", "--password-stdin", stdin="helper-password\n")[0] == 0
    code, output = run(env, "disable", "helper")
    assert code == 0 and "helper disabled" in output
    assert listed(env)[0]["disabled"] is True
    assert sign_in(env, "helper", "helper-password") is None
    code, output = run(env, "disable", "nobody")
    assert code == 1 and "no moderator named 'nobody'" in output
