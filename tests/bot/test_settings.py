"""Settings as a newcomer writes them: what 0 means, and names that are not settings."""

from __future__ import annotations

import os

import pytest

from bot.cli import main
from bot.cooldown import UserCooldown
from bot.settings import Settings
from bot.unknown_settings import setting_names, unknown_settings
from tests.conftest import REPO, SEEDS


@pytest.mark.parametrize(("rate", "seconds"), [(0, 30), (3, 0)])
def test_a_cooldown_of_zero_means_no_limit(rate, seconds):
    """ASK_COOLDOWN_RATE=0 or ASK_COOLDOWN_SECONDS=0 is accepted and never asks anyone to wait (.env.example)."""
    settings = Settings(_env_file=None, ask_cooldown_rate=rate, ask_cooldown_seconds=seconds)
    cooldown = UserCooldown(settings.ask_cooldown_rate, settings.ask_cooldown_seconds)
    assert [cooldown.retry_after(42) for _ in range(50)] == [None] * 50


def test_a_negative_cooldown_rate_is_refused():
    """ASK_COOLDOWN_RATE=-1 is a settings error, not a silent "no limit"."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Settings(_env_file=None, ask_cooldown_rate=-1)


@pytest.fixture
def fresh_settings(monkeypatch, tmp_path):
    """Run in an empty folder with a clean environment, settings read anew."""
    from bot import settings as settings_module

    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.upper() in setting_names() or name.upper().startswith("QABOT_"):
            monkeypatch.delenv(name)
    settings_module.get_settings.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()


def test_a_mistyped_setting_in_dotenv_is_warned_about_with_the_likely_name(fresh_settings, capsys):
    """SEED_DIR= in .env: the command still runs, and stderr names the likely setting, SEEDS_DIR."""
    (fresh_settings / ".env").write_text(f"SEED_DIR={SEEDS}\nSEEDS_DIR={SEEDS}\nWHATEVER=1\n", encoding="utf-8")
    assert main(["sources"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "qabot: warning: .env sets SEED_DIR, which is not a qabot setting (did you mean SEEDS_DIR?); it is ignored",
        "qabot: warning: .env sets WHATEVER, which is not a qabot setting (see .env.example for the settings); it is "
        "ignored",
    ]


def test_prefixed_or_close_environment_variables_are_warned_about(fresh_settings, capsys, monkeypatch):
    """QABOT_SEEDS_DIR and DISCORD_BOT_TOKEN in the environment are named with the setting they likely mean; other
    programs' variables (PATH, HOME) and the test suite's QABOT_SHARED_DIR are not."""
    monkeypatch.setenv("QABOT_SEEDS_DIR", "elsewhere")
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "secret-value-never-printed")
    monkeypatch.setenv("QABOT_SHARED_DIR", "/somewhere")
    assert main(["sources", "--seeds", str(SEEDS)]) == 0
    err = capsys.readouterr().err
    assert "environment sets DISCORD_BOT_TOKEN, which is not a qabot setting (did you mean DISCORD_TOKEN?)" in err
    assert "environment sets QABOT_SEEDS_DIR, which is not a qabot setting (did you mean SEEDS_DIR?)" in err
    assert len(err.splitlines()) == 2 and "secret-value" not in err


def test_every_documented_setting_is_known(fresh_settings):
    """The names in .env.example are settings, so copying it to .env raises no warning."""
    env_example = REPO / ".env.example"
    assert unknown_settings({}, env_example) == []
