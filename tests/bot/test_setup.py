"""Start-up: commands registered and synced once in setup_hook, settings, and the token kept secret."""

from __future__ import annotations

import logging

import discord
import pytest

from bot.cli import main
from bot.client import QaBot, make_intents
from bot.errors import CommandSyncRefused
from bot.libraries import LibraryRegistry
from tests.bot.conftest import make_settings
from tests.bot.fake_discord import APPLICATION_ID, GUILD_ID

EXPECTED = {
    "ask": {"question", "private"},
    "summary": {"source", "sentences", "topic"},
    "sources": set(),
    "passage": {"id"},
    "help": set(),
    "reload": set(),
    "source add": {"file", "url"},
    "source remove": {"id"},
    "source list": set(),
    "source show": {"id"},
    "gaps": {"days"},
}
CONTEXT_MENUS = {"Ask qabot about this", "Summarize sources on this"}


async def test_every_command_has_a_name_description_and_described_options(bot):
    """Walk every registered slash command and group subcommand: the expected set, each with a description and
    described options."""
    commands = {}
    for command in bot.tree.get_commands(type=discord.AppCommandType.chat_input):
        if isinstance(command, discord.app_commands.Group):
            assert command.description and command.description != "…", command.name
            commands.update({sub.qualified_name: sub for sub in command.commands})
        else:
            commands[command.name] = command
    assert set(commands) == set(EXPECTED)
    for name, command in commands.items():
        assert command.description and command.description != "…", name
        assert {p.display_name for p in command.parameters} == EXPECTED[name]
        for parameter in command.parameters:
            assert parameter.description and parameter.description != "…", f"/{name} {parameter.display_name}"


async def test_option_limits_are_declared_to_discord(bot):
    """Discord enforces the option ranges: question 1-2000 characters, sentences 1-15, source autocompleted."""
    ask = bot.tree.get_command("ask").to_dict(bot.tree)
    question, private = ask["options"]
    assert (question["min_length"], question["max_length"], question["required"]) == (1, 2000, True)
    assert (private["name"], private["type"], private["required"]) == ("private", 5, False)  # BOOLEAN, optional
    passage = bot.tree.get_command("passage").to_dict(bot.tree)
    assert passage["options"][0]["autocomplete"] is True
    summary = {o["name"]: o for o in bot.tree.get_command("summary").to_dict(bot.tree)["options"]}
    assert (summary["sentences"]["min_value"], summary["sentences"]["max_value"]) == (1, 15)
    assert summary["source"]["autocomplete"] is True
    topic = summary["topic"]
    assert (topic["min_length"], topic["max_length"], topic["required"]) == (1, 200, False)


@pytest.mark.parametrize("name", ["reload", "gaps", "source"])
async def test_moderator_commands_are_guild_only_and_default_to_manage_server(bot, name):
    """/reload's, /gaps's and /source's definitions ask Discord for Manage Server by default and no DM use (the
    check still runs)."""
    definition = bot.tree.get_command(name).to_dict(bot.tree)
    assert int(definition["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    assert definition["contexts"] == [0]


async def test_commands_sync_once_to_the_development_guild_at_login(bot, discord_api):
    """setup_hook syncs exactly once, to GUILD_ID, with every command; nothing is synced globally."""
    syncs = discord_api.sent("PUT", "/commands")
    assert [r.path for r in syncs] == [f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"]
    assert {c["name"] for c in syncs[0].body} == {name.split()[0] for name in EXPECTED} | CONTEXT_MENUS
    menus = [c for c in syncs[0].body if c["name"] in CONTEXT_MENUS]
    assert [c["type"] for c in menus] == [3, 3]  # MESSAGE commands, in the message's Apps menu


async def test_without_guild_id_commands_sync_globally(discord_api, seeds_copy):
    """With no GUILD_ID the one sync is global."""
    settings = make_settings(seeds_copy, guild_id=None)
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login("test-token-not-real")
    await client.close()
    assert [r.path for r in discord_api.sent("PUT", "/commands")] == [f"/applications/{APPLICATION_ID}/commands"]


async def test_a_refused_command_sync_is_one_clear_error(discord_api, seeds_copy):
    """Discord answers the sync with 403 Missing Access when the bot is not in GUILD_ID's server or was invited
    without applications.commands: login fails with CommandSyncRefused naming GUILD_ID and the fix."""
    discord_api.refuse_command_sync = True
    settings = make_settings(seeds_copy)
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    with pytest.raises(CommandSyncRefused, match=f"GUILD_ID={GUILD_ID}.*applications.commands"):
        await client.login("test-token-not-real")
    await client.close()


def test_run_reports_a_refused_sync_in_one_line(monkeypatch, capsys, seeds_copy):
    """`qabot run` turns a refused sync (and discord.py's masked gateway failure) into one line and exit 1."""
    for error, expected in [
        (CommandSyncRefused(GUILD_ID), "refused to register the slash commands"),
        (AttributeError("'NoneType' object has no attribute 'sequence'"), "cannot connect to Discord's gateway"),
    ]:

        def fail(self, token, error=error, **kwargs):
            raise error

        monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
        monkeypatch.setattr(QaBot, "run", fail)
        assert main(["run", "--seeds", str(seeds_copy)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expected in err


async def test_ready_does_not_sync_again(bot, discord_api):
    """on_ready (which runs on every reconnect) sends no command sync."""
    before = len(discord_api.sent("PUT", "/commands"))
    await bot.on_ready()
    assert len(discord_api.sent("PUT", "/commands")) == before


def test_message_content_intent_follows_the_setting(seeds_copy):
    """MESSAGE_CONTENT_INTENT=false drops the privileged intent; the default asks for it."""
    assert make_intents(make_settings(seeds_copy)).message_content is True
    assert make_intents(make_settings(seeds_copy, message_content_intent=False)).message_content is False


async def test_client_default_allowed_mentions_is_none(bot):
    """Even a send that forgot allowed_mentions cannot ping: the client default allows nothing."""
    assert bot.allowed_mentions.to_dict() == {"parse": []}


def test_run_without_token_exits_with_one_clear_line(monkeypatch, capsys, tmp_path):
    """`qabot run` with no DISCORD_TOKEN exits 2 and says what to set."""
    from bot import settings as settings_module

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    settings_module.get_settings.cache_clear()
    try:
        assert main(["run"]) == 2
    finally:
        settings_module.get_settings.cache_clear()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DISCORD_TOKEN is not set" in err[0]


async def test_the_token_never_appears_in_logs_or_settings_text(discord_api, seeds_copy, caplog):
    """A full login logs nothing containing the token, and the settings' repr hides it."""
    token = "secret-token-value-123"
    settings = make_settings(seeds_copy, discord_token=token)
    assert token not in repr(settings) and token not in str(settings)
    caplog.set_level(logging.DEBUG)
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login(settings.discord_token.get_secret_value())
    await client.close()
    assert caplog.records
    assert all(token not in record.getMessage() for record in caplog.records)


def test_bad_moderator_role_ids_are_a_clear_settings_error(monkeypatch, capsys, tmp_path):
    """MODERATOR_ROLE_IDS with a non-number is reported as a one-line settings error."""
    from bot import settings as settings_module

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MODERATOR_ROLE_IDS", "123,abc")
    settings_module.get_settings.cache_clear()
    try:
        assert main(["sources"]) == 2
    finally:
        settings_module.get_settings.cache_clear()
    assert "MODERATOR_ROLE_IDS" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["", "  "])
def test_blank_optional_settings_mean_unset(seeds_copy, value):
    """An empty GUILD_ID or DISCORD_TOKEN line in .env means not set (as .env.example ships)."""
    settings = make_settings(seeds_copy, guild_id=value, discord_token=value)
    assert settings.guild_id is None and settings.discord_token is None


def test_blank_seeds_dir_means_the_default_folder(seeds_copy):
    """SEEDS_DIR= (blank) means seeds/, not the current folder."""
    assert str(make_settings(seeds_copy, seeds_dir="").seeds_dir) == "seeds"


def test_unknown_log_level_is_a_settings_error(seeds_copy):
    """LOG_LEVEL must be a logging level name (any case)."""
    from pydantic import ValidationError

    assert make_settings(seeds_copy, log_level="debug").log_level == "DEBUG"
    with pytest.raises(ValidationError, match="must be one of"):
        make_settings(seeds_copy, log_level="BOGUS")


def test_role_ids_must_be_ascii_digits(seeds_copy):
    """A superscript digit is not a role id."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="role ids must be numbers"):
        make_settings(seeds_copy, moderator_role_ids="²")


def test_out_of_range_numbers_are_settings_errors(seeds_copy):
    """A size cap beyond 200 MB, a cooldown over a day and a guild id that is not a positive 64-bit number are
    refused."""
    from pydantic import ValidationError

    for bad in (
        {"max_source_bytes": 2**63 - 1},
        {"ask_cooldown_seconds": float("inf")},
        {"guild_id": 0},
        {"guild_id": 10**25},  # longer than any Discord id (64 bits)
    ):
        with pytest.raises(ValidationError):
            make_settings(seeds_copy, **bad)


def test_a_cooldown_that_is_not_a_number_says_so(seeds_copy):
    """ASK_COOLDOWN_SECONDS=nan is refused as not a finite number (it used to read "should be less than 86400")."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="finite number"):
        make_settings(seeds_copy, ask_cooldown_seconds=float("nan"))


def test_blank_settings_take_their_defaults(seeds_copy):
    """LOG_LEVEL= or MESSAGE_CONTENT_INTENT= left blank in .env mean the default."""
    settings = make_settings(seeds_copy, log_level="", message_content_intent="")
    assert (settings.log_level, settings.message_content_intent) == ("INFO", True)


@pytest.mark.parametrize(
    ("value", "expected", "shares"),
    [("", "all", True), ("ALL", "all", True), ("none", "none", False), ("5, 6", frozenset({5, 6}), True)],
)
def test_shared_library_guilds_names_who_searches_the_shared_library(seeds_copy, value, expected, shares):
    """SHARED_LIBRARY_GUILDS is all (or blank), none, or guild ids; shares_with answers for guild 5."""
    settings = make_settings(seeds_copy, shared_library_guilds=value)
    assert settings.shared_library_guilds == expected and settings.shares_with(5) is shares
    assert make_settings(seeds_copy, shared_library_guilds="5").shares_with(7) is False


def test_bad_shared_library_guilds_and_fetch_limits_are_settings_errors(seeds_copy):
    """A word that is not all/none/an id, a fetch size over 100 MB or a zero timeout is refused."""
    from pydantic import ValidationError

    for bad in ({"shared_library_guilds": "some"}, {"max_fetch_bytes": 10**9}, {"fetch_timeout_seconds": 0}):
        with pytest.raises(ValidationError):
            make_settings(seeds_copy, **bad)


def test_every_setting_is_documented_in_env_example():
    """Each Settings field appears in .env.example as VARIABLE= under a comment (two related variables may share
    one)."""
    from bot.settings import Settings
    from tests.conftest import REPO

    lines = (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
    for name in Settings.model_fields:
        variable = name.upper()
        (index,) = [i for i, line in enumerate(lines) if line.startswith(f"{variable}=")]
        while index > 0 and "=" in lines[index - 1] and not lines[index - 1].startswith("#"):
            index -= 1  # a variable documented with the one above it
        assert lines[index - 1].startswith("#"), variable


def test_store_settings_blank_means_default_and_a_short_key_is_refused(seeds_copy):
    """STORE_PATH=, STORE_RETENTION_DAYS=, STORE_USER_KEY= and ANSWER_IN_THREADS= take their defaults; a user-hash
    key under 16 characters is refused (a short key makes the hash guessable)."""
    from pydantic import ValidationError

    settings = make_settings(
        seeds_copy, store_path="", store_retention_days="", store_user_key=" ", answer_in_threads=""
    )
    assert (str(settings.store_path), settings.store_retention_days) == ("data/qabot.sqlite3", 90)
    assert settings.store_user_key is None and settings.answer_in_threads is False
    with pytest.raises(ValidationError, match="at least 16 characters"):
        make_settings(seeds_copy, store_user_key="short")
