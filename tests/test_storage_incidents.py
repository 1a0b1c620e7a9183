"""The incident log: hash chain, idempotency, history, listing, status, purge — in memory, SQLite and PostgreSQL."""

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from storage.chain import GENESIS_HASH, canonical_json, content_hash
from storage.db import Database
from storage.incidents import SqlIncidentStore


async def test_incidents_record_and_get_full_evidence(stores, tenant, make_incident):
    entry = make_incident(tenant, 1, thread_id="thread-9")
    incident_id = await stores.incidents.record(entry)
    await stores.incidents.record_outcome(incident_id, True, "warned in chat")
    got = await stores.incidents.get(tenant, incident_id)
    assert got["id"] == incident_id
    assert got["seq"] == 1
    assert got["text"] == entry["text"]
    assert got["thread_id"] == "thread-9"
    assert got["stages"] == ["age_probe", "secrecy"]
    assert got["reasons"] == entry["reasons"]
    assert got["context"][0]["sent_at"] == "2025-03-01T12:00:00+00:00"
    assert got["sent_at"] == entry["sent_at"] and got["sent_at"].tzinfo is not None
    assert got["status"] == "open" and got["redacted"] is False
    assert got["prev_hash"] == GENESIS_HASH
    assert got["row_hash"] == hashlib.sha256((GENESIS_HASH + got["content_hash"]).encode()).hexdigest()
    assert [(outcome["ok"], outcome["detail"]) for outcome in got["outcomes"]] == [(True, "warned in chat")]


async def test_incidents_content_hash_is_sha256_of_canonical_json(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    got = await stores.incidents.get(tenant, incident_id)
    fields = {name: got[name] for name in got if name not in {"status", "redacted", "outcomes"} and "hash" not in name}
    payload = canonical_json(fields)
    assert '"sent_at":"2025-03-01T12:01:00+00:00"' in payload and "测试消息" in payload
    assert got["content_hash"] == hashlib.sha256(payload.encode()).hexdigest() == content_hash(got)


async def test_incidents_record_is_idempotent_for_same_message_and_text(stores, tenant, make_incident):
    first = await stores.incidents.record(make_incident(tenant, 1))
    again = await stores.incidents.record(make_incident(tenant, 1, risk=0.99))
    edited = await stores.incidents.record(make_incident(tenant, 1, text="an edited version"))
    assert again == first
    assert edited != first
    page, _ = await stores.incidents.list(tenant)
    assert [row["seq"] for row in page] == [2, 1]


async def test_incidents_concurrent_records_give_gap_free_chain(stores, tenant, make_incident):
    ids = await asyncio.gather(*(stores.incidents.record(make_incident(tenant, n)) for n in range(20)))
    assert len(set(ids)) == 20
    report = await stores.incidents.verify(tenant)
    assert report.ok, report.problems
    assert report.checked == 20
    page, cursor = await stores.incidents.list(tenant, limit=100)
    assert sorted(row["seq"] for row in page) == list(range(1, 21))
    assert cursor is None


async def test_incidents_record_outcome_for_unknown_incident_raises(stores):
    with pytest.raises(KeyError):
        await stores.incidents.record_outcome("no-such-incident", False, "nothing to do")


async def test_incidents_history_counts_standing_actions_only(stores, tenant, make_incident):
    for number, action in enumerate(["warn", "warn", "mute", "ban", "delete", "review"]):
        await stores.incidents.record(make_incident(tenant, number, action=action))
    await stores.incidents.record(make_incident(tenant, 10, action="warn", dry_run=True))
    overturned = await stores.incidents.record(make_incident(tenant, 11, action="mute"))
    await stores.incidents.record(make_incident(tenant, 12, action="warn", sender_id="someone-else"))
    await stores.incidents.record(make_incident(tenant, 13, action="warn", chat_id="another-chat"))
    await stores.incidents.record(make_incident(tenant, -5000, action="warn"))
    assert await stores.incidents.set_status(tenant, overturned, "overturned")
    since = datetime(2025, 3, 1, tzinfo=UTC)
    history = await stores.incidents.history(tenant, "chat-1", "user-a", since)
    assert history == {"warnings": 2, "mutes": 1, "bans": 1}


async def test_incidents_list_pages_newest_first_with_opaque_cursor(stores, tenant, make_incident):
    for number in range(7):
        await stores.incidents.record(make_incident(tenant, number))
    first, cursor = await stores.incidents.list(tenant, limit=3)
    second, cursor2 = await stores.incidents.list(tenant, limit=3, cursor=cursor)
    third, cursor3 = await stores.incidents.list(tenant, limit=3, cursor=cursor2)
    assert [row["seq"] for row in first + second + third] == [7, 6, 5, 4, 3, 2, 1]
    assert cursor3 is None
    assert "7" not in cursor and not cursor.isdigit()
    with pytest.raises(ValueError, match="invalid cursor"):
        await stores.incidents.list(tenant, cursor="not-a-cursor")


async def test_incidents_list_filters(stores, tenant, make_incident):
    await stores.incidents.record(make_incident(tenant, 1, chat_id="chat-x", action="mute"))
    await stores.incidents.record(make_incident(tenant, 2, sender_id="user-z"))
    middle = stores.clock.now + timedelta(microseconds=500)
    await stores.incidents.record(make_incident(tenant, 3, action="ban"))
    by_chat, _ = await stores.incidents.list(tenant, chat_id="chat-x")
    by_user, _ = await stores.incidents.list(tenant, user_id="user-z")
    by_action, _ = await stores.incidents.list(tenant, action="ban")
    since, _ = await stores.incidents.list(tenant, since=middle)
    until, _ = await stores.incidents.list(tenant, until=middle)
    assert [row["message_id"] for row in by_chat] == ["msg-1"]
    assert [row["message_id"] for row in by_user] == ["msg-2"]
    assert [row["message_id"] for row in by_action] == ["msg-3"]
    assert [row["message_id"] for row in since] == ["msg-3"]
    assert [row["message_id"] for row in until] == ["msg-2", "msg-1"]


async def test_incidents_set_status_validates_and_reports_missing(stores, tenant, make_incident):
    incident_id = await stores.incidents.record(make_incident(tenant, 1))
    assert await stores.incidents.set_status(tenant, incident_id, "confirmed")
    assert (await stores.incidents.get(tenant, incident_id))["status"] == "confirmed"
    assert not await stores.incidents.set_status(tenant, "missing", "confirmed")
    with pytest.raises(ValueError, match="unknown incident status"):
        await stores.incidents.set_status(tenant, incident_id, "deleted")
    assert (await stores.incidents.verify(tenant)).ok


async def test_incidents_purge_blanks_evidence_and_chain_still_verifies(stores, tenant, make_incident):
    old = [await stores.incidents.record(make_incident(tenant, number)) for number in range(3)]
    cutoff = stores.clock.now + timedelta(microseconds=500)
    recent = await stores.incidents.record(make_incident(tenant, 9))
    assert await stores.incidents.purge_older_than(tenant, cutoff) == 3
    assert await stores.incidents.purge_older_than(tenant, cutoff) == 0
    purged = await stores.incidents.get(tenant, old[0])
    assert purged["redacted"] is True
    assert (purged["text"], purged["reasons"], purged["context"], purged["explanation"]) == ("", [], [], "")
    assert purged["sender_id"] == "user-a" and purged["action"] == "warn"
    assert (await stores.incidents.get(tenant, recent))["text"] == make_incident(tenant, 9)["text"]
    report = await stores.incidents.verify(tenant)
    assert report.ok, report.problems
    assert report.checked == 4


async def test_incidents_chains_are_per_tenant(stores, tenant, make_incident):
    other = tenant + "-other"
    await stores.incidents.record(make_incident(tenant, 1))
    other_id = await stores.incidents.record(make_incident(other, 1))
    assert (await stores.incidents.get(other, other_id))["seq"] == 1
    assert (await stores.incidents.verify(other)).checked == 1


async def tamper(database, sql: str, **params) -> None:
    async with database.transaction() as session:
        await session.exec(text(sql), params=params)


@pytest.fixture
async def chain(database, tenant, make_incident):
    store = SqlIncidentStore(database)
    ids = [await store.record(make_incident(tenant, number)) for number in range(1, 6)]
    assert (await store.verify(tenant)).ok
    return store, ids


async def test_incidents_verify_detects_edited_text(database, tenant, chain):
    store, ids = chain
    await tamper(database, "UPDATE incidents SET text = 'rewritten' WHERE id = :id", id=ids[2])
    report = await store.verify(tenant)
    assert not report.ok
    assert report.problems == [(tenant, 3, ids[2], "content differs from what was recorded (edited)")]


async def test_incidents_verify_detects_deleted_row(database, tenant, chain):
    store, ids = chain
    await tamper(database, "DELETE FROM incidents WHERE id = :id", id=ids[1])
    report = await store.verify(tenant)
    assert not report.ok
    assert report.checked == 4
    assert (tenant, 2, None, "incidents 2..2 are missing (deleted)") in report.problems
    assert any(problem[2] == ids[2] and "prev_hash" in problem[3] for problem in report.problems)


async def test_incidents_verify_detects_deleted_last_row(database, tenant, chain):
    store, ids = chain
    await tamper(database, "DELETE FROM incidents WHERE id = :id", id=ids[-1])
    report = await store.verify(tenant)
    assert report.problems == [(tenant, 5, None, "the chain head is at 5 but the last incident is 4")]


async def test_incidents_verify_detects_reordered_chain(database, tenant, chain):
    store, ids = chain
    await tamper(database, "UPDATE incidents SET seq = 100 WHERE id = :id", id=ids[1])
    await tamper(database, "UPDATE incidents SET seq = 2 WHERE id = :id", id=ids[2])
    await tamper(database, "UPDATE incidents SET seq = 3 WHERE id = :id", id=ids[1])
    report = await store.verify(tenant)
    assert not report.ok
    flagged = {problem[2] for problem in report.problems}
    assert {ids[1], ids[2]} <= flagged


async def test_incidents_verify_detects_evidence_hidden_behind_redacted_flag(database, tenant, chain):
    store, ids = chain
    await tamper(database, "UPDATE incidents SET redacted = :yes, text = 'swapped' WHERE id = :id", yes=True, id=ids[0])
    report = await store.verify(tenant)
    assert report.problems == [(tenant, 1, ids[0], "marked redacted but still holds evidence")]


async def test_incidents_verify_all_tenants_on_own_database(sqlite_url, make_incident):
    database = Database(sqlite_url)
    store = SqlIncidentStore(database)
    try:
        for name in ("alpha", "beta"):
            for number in range(3):
                await store.record(make_incident(name, number))
        assert (await store.verify()).checked == 6
        await tamper(database, "UPDATE incidents SET risk = 0.01 WHERE tenant_id = 'beta' AND seq = 2")
        report = await store.verify()
    finally:
        await database.close()
    assert [(problem[0], problem[1]) for problem in report.problems] == [("beta", 2)]
    assert report.checked == 6


async def test_incidents_two_workers_on_one_database_keep_one_chain(db_url, tenant, make_incident):
    workers = [Database(db_url), Database(db_url)]
    stores = [SqlIncidentStore(worker) for worker in workers]
    try:
        await asyncio.gather(*(stores[n % 2].record(make_incident(tenant, n)) for n in range(24)))
        report = await stores[0].verify(tenant)
    finally:
        for worker in workers:
            await worker.close()
    assert report.ok, report.problems
    assert report.checked == 24
