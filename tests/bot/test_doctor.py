"""`qabot --version` and `qabot doctor`: what `qabot run` would find, without connecting and never showing the token."""

from __future__ import annotations

import base64
import os
import sqlite3

import pytest

from bot.cli import main
from bot.doctor import check_store
from bot.unknown_settings import setting_names
from tests.conftest import SEEDS

BOT_USER_ID = "1234567890123456789"
TOKEN = base64.urlsafe_b64encode(BOT_USER_ID.encode()).decode().rstrip("=") + ".GaBcDe." + "k" * 38


@pytest.fixture
def here(monkeypatch, tmp_path):
    """An empty working folder (no .env) and an environment without qabot settings."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.upper() in setting_names() or name.upper().startswith("QABOT_"):
            monkeypatch.delenv(name)
    return tmp_path


def doctor(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(["doctor", "--seeds", str(SEEDS), *argv])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out.splitlines()


def test_version_names_qabot_python_and_discord_py(capsys):
    """`qabot --version` prints one line with the three versions a bug report needs, and exits 0."""
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    out = capsys.readouterr().out
    assert exited.value.code == 0 and out.count("\n") == 1
    assert out.startswith("qabot 0.1.0 (Python 3.") and "discord.py 2." in out


def test_doctor_without_a_token_says_run_would_fail(here, capsys):
    """No DISCORD_TOKEN: a fail line saying what to set, the sources still checked, exit 1."""
    code, lines = doctor(capsys)
    assert code == 1
    assert "fail  token     DISCORD_TOKEN is not set: put it in .env (see .env.example) or the environment" in lines
    assert any(line.startswith("ok    sources") and "1 source, 21 passages" in line for line in lines)
    assert lines[-1] == "`qabot run` would fail: fix the 1 line marked fail"


def test_doctor_with_a_well_shaped_token_passes_and_never_prints_it(here, capsys, monkeypatch):
    """A token of the right shape: exit 0, the bot user id it encodes is shown, no part of the token is."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    code, lines = doctor(capsys)
    text = "\n".join(lines)
    assert code == 0 and f"bot user id {BOT_USER_ID}" in text
    assert not any(part in text for part in TOKEN.split("."))
    topics = [line.split()[1] for line in lines[:-1]]
    assert topics == ["settings", "token", "intents", "commands", "sources", "libraries", "store"]
    assert [line.split()[0] for line in lines[:-1]] == ["ok"] * 7


@pytest.mark.parametrize(
    ("token", "advice"),
    [
        ("Bot " + TOKEN, 'starts with "Bot "'),
        ('"' + TOKEN + '"', "wrapped in quotes"),
        ("123456789012345678", "a number (an application or user id)"),
        ("abcdefghijklmnopqrstuvwxyzABCDEF", "the OAuth2 client secret"),
        ("not-a-token", "does not look like a bot token"),
    ],
    ids=["bot-prefix", "quoted", "application-id", "client-secret", "other"],
)
def test_doctor_names_common_token_slips_without_the_value(here, capsys, monkeypatch, token, advice):
    """A "Bot " prefix, quotes, an id or the client secret pasted as the token: exit 1, the slip named, no value."""
    monkeypatch.setenv("DISCORD_TOKEN", token)
    code, lines = doctor(capsys)
    (line,) = [line for line in lines if line.startswith("fail  token")]
    assert code == 1 and advice in line
    assert token.strip('"').split(".")[0].removeprefix("Bot ") not in "\n".join(lines)


def test_doctor_reports_every_bad_setting(here, capsys):
    """Two bad settings in .env are both reported (not only the first), with exit 1."""
    (here / ".env").write_text("ASK_COOLDOWN_SECONDS=nan\nGUILD_ID=0\n", encoding="utf-8")
    code, lines = doctor(capsys)
    assert code == 1
    failed = sorted(line.split()[2] for line in lines if line.startswith("fail"))
    assert failed == ["ASK_COOLDOWN_SECONDS:", "GUILD_ID:"]


def test_doctor_warns_of_a_mistyped_setting_a_missing_folder_and_the_intent_off(here, capsys, monkeypatch):
    """SEED_DIR=, a sources folder that does not exist and MESSAGE_CONTENT_INTENT=false are warnings: the bot would
    still start (with no sources), so the exit status is 0."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    (here / ".env").write_text("SEED_DIR=mine\nMESSAGE_CONTENT_INTENT=false\n", encoding="utf-8")
    code = main(["doctor", "--seeds", str(here / "missing")])
    lines = capsys.readouterr().out.splitlines()
    warnings = [line for line in lines if line.startswith("warn")]
    assert code == 0 and len(warnings) == 3
    assert "did you mean SEEDS_DIR?" in warnings[0]
    assert warnings[1].startswith("warn  intents   default intents only")
    assert "does not exist" in warnings[2] and "the bot would start with no sources" in warnings[2]
    assert lines[-1].startswith("`qabot run` would start, with 3 warnings")


def test_store_check_tells_a_database_from_another_file(tmp_path):
    """The store's file: a new path in a writable folder or an SQLite file is ok; any other file fails."""
    database = tmp_path / "qabot.sqlite3"
    assert check_store(tmp_path / "data" / "new.sqlite3").status == "ok"
    sqlite3.connect(database).execute("create table t (x)").connection.close()
    assert check_store(database).status == "ok"
    (tmp_path / "notes.txt").write_text("not a database", encoding="utf-8")
    result = check_store(tmp_path / "notes.txt")
    assert result.status == "fail" and "not an SQLite database" in result.detail


def test_libraries_check_warns_when_source_add_could_not_write(tmp_path):
    """A libraries folder that can be created is ok; a file in its place is a warning (the bot still starts)."""
    from bot.doctor import check_libraries

    assert check_libraries(tmp_path / "libraries").status == "ok"
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    result = check_libraries(tmp_path / "taken")
    assert result.status == "warn" and "/source add would fail" in result.detail
