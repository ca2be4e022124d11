"""Fixtures for Discord tests: the fake REST API, and a logged-in QaBot serving a copy of the seeds folder."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import discord
import pytest

from bot.client import QaBot
from bot.libraries import LibraryRegistry
from bot.settings import Settings
from tests.bot.fake_discord import GUILD_ID, MODERATOR_ROLE_ID, FakeDiscordApi
from tests.conftest import SEEDS, require_shared


@pytest.fixture(autouse=True)
def _restore_root_logging():
    """`qabot run` configures the root logger (discord.utils.setup_logging) with a handler on the test's captured
    stderr; put the handlers back so a later test's log line doesn't go to that closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
async def discord_api(monkeypatch: pytest.MonkeyPatch):
    """Discord's REST API on 127.0.0.1; discord.py's routes (REST, webhooks, callbacks) point at it.

    After each test, every message the bot sent is checked: no mentions allowed and no link previews. Skipped
    before anything starts when the shared Discord payload samples are missing: a test stopped halfway would leave
    the bot's store threads writing to a closed event loop."""
    require_shared("data", "discord-api")
    api = FakeDiscordApi()
    base_url = await api.start()
    monkeypatch.setattr(discord.http.Route, "BASE", base_url)
    yield api
    await api.close()
    loud = [{k: v for k, v in body.items() if k != "content"} for body in api.loud_messages()]
    assert loud == [], "a message was sent that could ping or preview links"


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's seeds folder."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def isolated_settings(monkeypatch, tmp_path):
    """Console calls run from an empty folder with fresh settings (no developer .env, no SEEDS_DIR)."""
    from bot import settings as settings_module

    monkeypatch.chdir(tmp_path)
    for name in ("SEEDS_DIR", "DISCORD_TOKEN", "GUILD_ID", "MODERATOR_ROLE_IDS"):
        monkeypatch.delenv(name, raising=False)
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()


def make_settings(seeds: Path, **overrides) -> Settings:
    values = {
        "discord_token": "test-token-not-real",
        "seeds_dir": seeds,
        "guild_id": GUILD_ID,
        "moderator_role_ids": frozenset({MODERATOR_ROLE_ID}),
        "ask_cooldown_rate": 100,
        "ask_cooldown_seconds": 60,
        "libraries_dir": seeds.parent / "libraries",
        "store_path": seeds.parent / "store" / "qabot.sqlite3",
        "store_user_key": "test-user-hash-key-not-secret",
    } | overrides
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(seeds_copy: Path) -> Settings:
    return make_settings(seeds_copy)


@pytest.fixture
async def bot(discord_api: FakeDiscordApi, settings: Settings):
    """A QaBot logged in against the fake API (login runs setup_hook: load sources, add cogs, sync)."""
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login("test-token-not-real")
    await client.service_for(GUILD_ID)  # the test guild's library is loaded, as a guild's is once it has been used
    yield client
    await client.close()
