"""Names that look like qabot settings but are not: a typo in ``.env`` (``SEED_DIR=``), or an environment variable
with a ``QABOT_`` prefix or a name close to a setting's. pydantic-settings ignores them silently (``extra="ignore"``:
the environment is full of other programs' variables), so without this the setting keeps its default unnoticed."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

from bot.settings import Settings

PREFIX = "QABOT_"
OTHER_NAMES = frozenset({"QABOT_DENSE", "QABOT_WORDNET_DIR", "QABOT_SHARED_DIR", "QABOT_REQUIRE_SHARED"})
"""Variables read outside the settings, so not typos: the engine's switches (dense vectors off, where WordNet is) and
the test suite's (where the shared material is, whether it must be there). docs/settings.md lists them."""
CLOSE_ENOUGH = 0.8
"""difflib similarity from which an environment variable is taken for a misspelt setting (SEED_DIR ~ SEEDS_DIR 0.94,
DISCORD_BOT_TOKEN ~ DISCORD_TOKEN 0.87; no usual variable (PATH, HOME, LANG, TERM...) comes near a setting)."""


def setting_names() -> list[str]:
    """Every setting's environment variable, upper-case, in declaration order."""
    return [name.upper() for name in Settings.model_fields]


def unknown_settings(environ: Mapping[str, str], env_file: Path | None = None) -> list[str]:
    """One warning line for each name that is probably a mistyped or misprefixed setting, with the likely one.

    Parameters
    ----------
    environ
        The process environment; only names with the ``QABOT_`` prefix or close to a setting's are reported.
    env_file
        A ``.env`` file (skipped when missing): every name in it that is not a setting is reported, since the file
        is qabot's own.

    Returns
    -------
    list[str]
        Lines such as ``".env sets SEED_DIR, which is not a setting (did you mean SEEDS_DIR?); it is ignored"``.
    """
    known = setting_names()
    warnings = []
    if env_file is not None and env_file.is_file():
        for name in dotenv_values(env_file, encoding="utf-8"):
            if name.upper() not in known:
                warnings.append(_line(f"{env_file} sets {name}", _likely(name, known)))
    for name in sorted(environ):
        upper = name.upper()
        if upper in known or upper in OTHER_NAMES:
            continue
        likely = _likely(name, known)
        if upper.startswith(PREFIX) or likely:
            warnings.append(_line(f"the environment sets {name}", likely))
    return warnings


def _likely(name: str, known: list[str]) -> str | None:
    """The setting ``name`` most likely means: itself without the ``QABOT_`` prefix, or the closest known name."""
    upper = name.upper()
    if upper.startswith(PREFIX) and upper.removeprefix(PREFIX) in known:
        return upper.removeprefix(PREFIX)
    close = difflib.get_close_matches(upper.removeprefix(PREFIX), known, n=1, cutoff=CLOSE_ENOUGH)
    return close[0] if close else None


def _line(what: str, likely: str | None) -> str:
    hint = f"did you mean {likely}?" if likely else "see .env.example for the settings"
    return f"{what}, which is not a qabot setting ({hint}); it is ignored"
