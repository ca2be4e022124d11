"""The feedback store on SQLite: migrations, WAL, two processes, corruption, retention, forget, failures."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.store import QuestionRecord, ReloadRecord, SQLiteStore, UserHasher, VoteResult
from bot.store.migrations import LATEST, MIGRATIONS

KEY = b"k" * 32
ALICE, BOB = 111111111111111111, 222222222222222222


def _question(user: int = ALICE, text: str = "Who?", answered: bool = False, message_id=None, guild=1):
    return QuestionRecord(
        guild_id=guild,
        channel_id=2,
        user_id=user,
        question=text,
        answered=answered,
        refusal=None if answered else "The sources don't mention “who”.",
        passage_ids=("a:1", "a:2") if answered else (),
        latency_ms=12.5,
        message_id=message_id,
        via="slash",
    )


@pytest.fixture
async def store(tmp_path: Path):
    opened = SQLiteStore(tmp_path / "data" / "qabot.sqlite3", UserHasher(KEY))
    await opened.open()
    yield opened
    await opened.close()


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


async def test_a_new_store_is_created_at_the_latest_schema_in_wal_mode(store):
    """Opening creates the folder and the file at the latest schema version, in WAL mode."""
    assert store.available
    assert _rows(store.path, "PRAGMA user_version") == [(LATEST,)]
    assert _rows(store.path, "PRAGMA journal_mode") == [("wal",)]
    tables = {name for (name,) in _rows(store.path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"questions", "votes", "reloads"} <= tables


async def test_an_older_schema_is_migrated_and_keeps_its_rows(tmp_path):
    """A file at schema version 1 (before reloads were kept) is migrated to the latest at open; its rows stay."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO questions (asked_at, user_hash, question, answered, passage_ids, latency_ms, via) "
            "VALUES (?, 'h', 'kept?', 0, '[]', 1, 'slash')",
            (time.time(),),
        )
    store = SQLiteStore(path, UserHasher(KEY))
    await store.open()
    await store.record_reload(ReloadRecord(guild_id=1, user_id=ALICE, ok=True, added=("a",)))
    await store.close()
    assert _rows(path, "PRAGMA user_version") == [(LATEST,)]
    assert _rows(path, "SELECT question FROM questions") == [("kept?",)]
    assert _rows(path, "SELECT ok, added FROM reloads") == [(1, '["a"]')]


async def test_a_schema_newer_than_the_code_is_left_alone(tmp_path, caplog):
    """A file written by a newer qabot is neither downgraded nor moved: the store is unavailable, and says why."""
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 1}")
    store = SQLiteStore(path, UserHasher(KEY))
    await store.open()
    assert not store.available
    assert "newer than this qabot" in caplog.text
    assert _rows(path, "PRAGMA user_version") == [(LATEST + 1,)]
    await store.record_question(_question())  # a no-op, never an exception
    assert await store.record_vote(1, ALICE, 1) is VoteResult.NOT_SAVED


async def test_a_corrupt_file_is_moved_aside_and_a_new_store_created(tmp_path, caplog):
    """A file that is not a database is renamed NAME.corrupt-TIMESTAMP (kept for inspection), logged, and a fresh
    store takes its place."""
    path = tmp_path / "qabot.sqlite3"
    path.write_bytes(b"this is not a database, just bytes " * 200)
    store = SQLiteStore(path, UserHasher(KEY))
    await store.open()
    await store.record_question(_question())
    await store.close()
    (aside,) = tmp_path.glob("qabot.sqlite3.corrupt-*")
    assert aside.read_bytes().startswith(b"this is not a database")
    assert "is corrupt" in caplog.text
    assert _rows(path, "SELECT COUNT(*) FROM questions") == [(1,)]


def test_two_processes_write_to_one_store_without_losing_a_row(tmp_path):
    """Two bot processes on one file (WAL, busy timeout): both migrate-or-skip at once and every write lands."""
    path = tmp_path / "shared.sqlite3"
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from bot.store import QuestionRecord, SQLiteStore, UserHasher

        async def main(worker):
            store = SQLiteStore(Path({str(path)!r}), UserHasher(b"k" * 32))
            await store.open()
            assert store.available
            for i in range(150):
                await store.record_question(QuestionRecord(1, 2, worker, f"q{{worker}}-{{i}}", False, None, (), 1.0,
                                                           message_id=worker * 1000 + i))
                await store.record_vote(worker * 1000 + i, worker, 1)
            await store.close()

        asyncio.run(main(int(sys.argv[1])))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    workers = [subprocess.Popen([sys.executable, "-c", script, str(w)], env=env) for w in (1, 2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    assert _rows(path, "SELECT COUNT(*), COUNT(DISTINCT message_id) FROM questions") == [(300, 300)]
    assert _rows(path, "SELECT COUNT(*) FROM votes") == [(300,)]
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]


async def test_retention_deletes_only_rows_older_than_the_setting(tmp_path):
    """Rows older than retention_days go (questions, votes, reloads) when the store opens; recent ones stay."""
    path = tmp_path / "r.sqlite3"
    store = SQLiteStore(path, UserHasher(KEY), retention_days=30)
    await store.open()
    await store.record_question(_question(text="old", message_id=1))
    await store.record_question(_question(text="new", message_id=2))
    await store.record_vote(1, ALICE, -1)
    await store.record_reload(ReloadRecord(guild_id=1, user_id=None, ok=True))
    await store.close()
    old = time.time() - 31 * 86_400
    with sqlite3.connect(path) as db:
        db.execute("UPDATE questions SET asked_at = ? WHERE question = 'old'", (old,))
        db.execute("UPDATE votes SET voted_at = ?", (old,))
        db.execute("UPDATE reloads SET reloaded_at = ?", (old,))
    reopened = SQLiteStore(path, UserHasher(KEY), retention_days=30)
    await reopened.open()
    await reopened.close()
    assert _rows(path, "SELECT question FROM questions") == [("new",)]
    assert _rows(path, "SELECT COUNT(*) FROM votes") == [(0,)]
    assert _rows(path, "SELECT COUNT(*) FROM reloads") == [(0,)]


async def test_forget_deletes_a_users_rows_and_the_file_never_names_them(store):
    """User ids are stored as keyed hashes (the id appears nowhere in the file); forget_user finds and deletes that
    user's questions and votes, and unnames their reloads; other users' rows stay."""
    await store.record_question(_question(ALICE, "alice asks", message_id=10))
    await store.record_question(_question(BOB, "bob asks", message_id=11))
    await store.record_vote(11, ALICE, -1)
    await store.record_vote(11, BOB, 1)
    await store.record_reload(ReloadRecord(guild_id=1, user_id=ALICE, ok=True))
    await store.close()
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir())
    assert str(ALICE).encode() not in raw and str(BOB).encode() not in raw
    await store.open()
    deleted = await store.forget_user(ALICE)
    assert deleted == 3  # one question, one vote, one reload unnamed
    assert _rows(store.path, "SELECT question FROM questions") == [("bob asks",)]
    assert _rows(store.path, "SELECT vote FROM votes") == [(1,)]
    assert _rows(store.path, "SELECT user_hash FROM reloads") == [(None,)]


def test_the_user_hash_key_is_created_once_private_and_reused(tmp_path):
    """Without STORE_USER_KEY a random key is created beside the store, readable by its owner only, and reused, so
    hashes stay stable across restarts; another key gives other hashes."""
    key_file = tmp_path / "qabot.sqlite3.key"
    first = UserHasher.from_key_file(key_file)
    again = UserHasher.from_key_file(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first(ALICE) == again(ALICE) != UserHasher(b"x" * 32)(ALICE)
    assert len(first(ALICE)) == 64 and str(ALICE) not in first(ALICE)


async def test_a_full_disk_drops_writes_with_one_log_line(store, caplog):
    """When SQLite reports the disk full (simulated with max_page_count), writes are dropped without raising, one
    warning is logged for the run of failures, and one more when writing works again."""
    caplog.set_level(logging.WARNING, logger="bot.store.sqlite")
    (pages,) = (await store._db.execute_fetchall("PRAGMA page_count"))[0]
    await store._db.execute(f"PRAGMA max_page_count = {pages}")
    for i in range(50):
        await store.record_question(_question(text="x" * 5000 + str(i)))
    assert sum("dropped a write" in r.getMessage() for r in caplog.records) == 1
    await store._db.execute("PRAGMA max_page_count = 1073741823")
    await store.record_question(_question(text="fits again"))
    assert any("work again" in r.getMessage() and "dropped" in r.getMessage() for r in caplog.records)


async def test_gaps_counts_refusals_and_downvotes_per_guild_and_period(store):
    """Refused questions are grouped case-insensitively with counts, most frequent first; answers are ranked by 👎;
    other guilds and rows older than the period are left out."""
    for text in ("Who is Biden?", "who is biden? ", "What is GDP?"):
        await store.record_question(_question(text=text))
    await store.record_question(_question(text="Other guild?", guild=9))
    await store.record_question(_question(text="Answered", answered=True, message_id=50))
    await store.record_question(_question(text="Also answered", answered=True, message_id=51))
    await store.record_vote(50, ALICE, -1)
    await store.record_vote(50, BOB, -1)
    await store.record_vote(51, ALICE, -1)
    await store.record_vote(51, BOB, 1)
    report = await store.gaps(days=7, guild_id=1)
    assert [(r.question.lower().strip(), r.count) for r in report.refused] == [
        ("who is biden?", 2),
        ("what is gdp?", 1),
    ]
    assert [(d.question, d.down, d.up, d.passage_ids) for d in report.downvoted] == [
        ("Answered", 2, 0, ("a:1", "a:2")),
        ("Also answered", 1, 1, ("a:1", "a:2")),
    ]
    assert report.questions == 5
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE questions SET asked_at = asked_at - 8 * 86400")
        db.execute("UPDATE votes SET voted_at = voted_at - 8 * 86400")
    later = await store.gaps(days=7, guild_id=1)
    assert later.refused == () and later.downvoted == () and later.questions == 0


async def test_question_for_message_returns_the_full_question(store):
    """The full question (not the 256-character author line) is found by the answer's message id."""
    long_question = "How long " + "really " * 100 + "did they talk?"
    await store.record_question(_question(text=long_question, answered=True, message_id=77))
    assert await store.question_for_message(77) == long_question
    assert await store.question_for_message(78) is None


async def test_a_vote_must_be_plus_or_minus_one(store):
    """A vote of 0 is a programming error, raised at once rather than stored."""
    with pytest.raises(ValueError, match="a vote is"):
        await store.record_vote(1, ALICE, 0)
