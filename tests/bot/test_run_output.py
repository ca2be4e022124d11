"""What `qabot run` prints at start-up besides the bot's own log lines."""

from __future__ import annotations

import logging
import subprocess
import sys

import discord

from bot.client import QaBot
from bot.corpus_service import CorpusService
from tests.conftest import REPO


def test_starting_the_client_prints_no_voice_library_warnings(settings, caplog, monkeypatch):
    """A text bot needs no voice: discord.py's "PyNaCl/davey is not installed" warnings are not printed."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)  # as on a fresh process without PyNaCl
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)
    with caplog.at_level(logging.WARNING, logger="discord"):
        QaBot(settings, CorpusService(settings.seeds_dir, max_source_bytes=settings.max_source_bytes))
    assert [r.getMessage() for r in caplog.records if "voice" in r.getMessage()] == []


def test_importing_the_console_configures_no_logging():
    """`qabot run` sets up discord.py's log handler itself: nothing imported before it may add a root handler
    (rouge-score's absl does, through logging.basicConfig), or every log line is printed twice."""
    code = "import logging, bot.cli; print(len(logging.getLogger().handlers))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout.strip()) == (0, "0"), result.stderr


def test_run_logs_plain_text_when_stderr_is_not_a_terminal(monkeypatch, capsys):
    """Under Docker or systemd (no terminal) log lines carry no colour escape codes."""
    from bot import settings as settings_module
    from bot.cli import main

    def log_and_stop(self, token, **kwargs):
        logging.getLogger("bot.client").warning("a line for the log")

    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setattr(QaBot, "run", log_and_stop)
    monkeypatch.setattr("discord.utils.is_docker", lambda: True)  # where discord.py would colour
    settings_module.get_settings.cache_clear()
    try:
        assert main(["run", "--seeds", str(REPO / "seeds")]) == 0
    finally:
        settings_module.get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "WARNING  bot.client: a line for the log" in err and "\x1b[" not in err
