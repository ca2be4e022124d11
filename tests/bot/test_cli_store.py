"""`qabot gaps` and `qabot forget --user` on the store the bot wrote."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.store import QuestionRecord, SQLiteStore, UserHasher
from tests.bot.test_cli import _isolated_settings, run  # noqa: F401 (autouse fixture: fresh settings, empty cwd)

ALICE, BOB = 111111111111111111, 222222222222222222


def _fill(path) -> None:
    """What a running bot would have written: with no STORE_USER_KEY, the key file beside the store."""

    async def write() -> None:
        store = SQLiteStore(path, path.with_name(path.name + ".key"))
        await store.open()
        for user, text, answered, message_id in [
            (ALICE, "Who is Biden?", False, 1),
            (BOB, "who is biden?", False, 2),
            (ALICE, "How long did they talk?", True, 3),
        ]:
            record = QuestionRecord(
                5, 6, user, text, answered, None if answered else "not covered", ("a:3",)[:answered], 1.0, message_id
            )
            await store.record_question(record)
        await store.record_vote(3, BOB, -1)
        await store.close()

    asyncio.run(write())


def test_gaps_prints_what_the_discord_command_shows(capsys, tmp_path):
    """`qabot gaps --store FILE --days 7` prints the refused questions with counts and the 👎 answers."""
    path = tmp_path / "data" / "qabot.sqlite3"
    _fill(path)
    code, out, err = run(capsys, "gaps", "--store", str(path), "--days", "7")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "**Gaps of the last 7 days** (3 questions asked)"
    assert "- 2× “Who is Biden?”: not covered" in out
    assert "- 👎 1 · 👍 0: “How long did they talk?” quoted `a:3`" in out


def test_forget_deletes_one_users_rows(capsys, tmp_path):
    """`qabot forget --user ID` deletes that user's questions and votes (found by the keyed hash), not others'."""
    path = tmp_path / "data" / "qabot.sqlite3"
    _fill(path)
    code, out, _ = run(capsys, "forget", "--store", str(path), "--user", str(ALICE))
    assert code == 0 and out == f"Deleted 2 rows naming user {ALICE} (questions, votes; reloads unnamed).\n"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT question FROM questions").fetchall() == [("who is biden?",)]
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone() == (1,)
    hasher = UserHasher.from_key_file(path.with_name(path.name + ".key"))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT user_hash FROM questions").fetchone() == (hasher(BOB),)


def test_a_missing_store_or_key_is_one_line_not_a_new_file(capsys, tmp_path):
    """Without a store file, or without its key, the command says so in one line (exit 2) and creates nothing: a
    new key would make forget find nobody."""
    code, _, err = run(capsys, "gaps", "--store", str(tmp_path / "none.sqlite3"))
    assert code == 2 and "no feedback store at" in err and err.count("\n") == 1
    path = tmp_path / "data" / "qabot.sqlite3"
    _fill(path)
    path.with_name(path.name + ".key").unlink()
    code, _, err = run(capsys, "forget", "--store", str(path), "--user", "1")
    assert code == 2 and "user-hash key" in err and not path.with_name(path.name + ".key").exists()


def test_gaps_leaves_a_file_that_is_no_store_as_it_is(capsys, tmp_path, monkeypatch):
    """`qabot gaps --store` pointed at the wrong file: a file that is no database, or another program's database,
    is reported and left untouched (the bot itself moves a corrupt store aside; a report never does)."""
    monkeypatch.setenv("STORE_USER_KEY", "k" * 32)
    junk = tmp_path / "notes.jsonl"
    junk.write_bytes(b"\x00\x01 not a database " * 100)
    code, _out, err = run(capsys, "gaps", "--store", str(junk))
    assert code == 2 and err.count("\n") == 1 and "cannot be read, left as it is: file is not a database" in err
    assert junk.read_bytes() == b"\x00\x01 not a database " * 100 and sorted(tmp_path.iterdir()) == [junk]
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    code, _out, err = run(capsys, "gaps", "--store", str(other))
    assert code == 2 and err.count("\n") == 1 and "not a qabot feedback store" in err
    with sqlite3.connect(other) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
