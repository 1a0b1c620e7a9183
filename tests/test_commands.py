"""Platform-free admin commands, on the real pipeline's policy access with in-memory stores."""

import pytest

from handlers.commands import ChatCommands, CommandError, parse_setting
from handlers.policy import ChatPolicy


class PolicyBook:
    """A minimal PolicyAccess over a dict, standing in for a platform-free policy owner in these unit tests."""

    def __init__(self):
        self.stored: dict[tuple[str, str], ChatPolicy] = {}

    async def policy(self, tenant_id, chat_id):
        return self.stored.get((tenant_id, chat_id), ChatPolicy())

    async def set_policy(self, tenant_id, chat_id, policy):
        self.stored[(tenant_id, chat_id)] = policy


class NoDecisions:
    async def previous(self, tenant_id, chat_id, message_id):
        return None


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [("dry_run", "on", True), ("dry_run", "OFF", False), ("review_punitive", "是", True), ("warn_at", "0.7", "0.7")],
)
def test_commands_parse_setting_values(key, raw, expected):
    assert parse_setting(key, raw) == {key: expected}


@pytest.mark.parametrize(("key", "raw"), [("allowed_users", "x"), ("nonsense", "1"), ("dry_run", "maybe")])
def test_commands_parse_setting_rejects(key, raw):
    with pytest.raises(CommandError):
        parse_setting(key, raw)


async def test_commands_set_value_validates_whole_policy():
    book = PolicyBook()
    commands = ChatCommands(book, NoDecisions())
    policy = await commands.set_value("t", "c", "mute_minutes", "30")
    assert policy.mute_minutes == 30 and (await book.policy("t", "c")).mute_minutes == 30
    with pytest.raises(CommandError, match="ascend"):
        await commands.set_value("t", "c", "review_at", "0.99")
    assert (await book.policy("t", "c")).review_at == ChatPolicy().review_at


async def test_commands_allow_and_disallow_round_trip():
    book = PolicyBook()
    commands = ChatCommands(book, NoDecisions())
    await commands.allow("t", "c", "u7")
    assert "u7" in (await commands.show_policy("t", "c"))
    await commands.disallow("t", "c", "u7")
    assert (await book.policy("t", "c")).allowed_users == []


async def test_commands_why_unknown_message():
    assert "not scored" in await ChatCommands(PolicyBook(), NoDecisions()).why("t", "c", "m")
