"""``qabot doctor``: what ``qabot run`` would find, checked without connecting to Discord.

Each check gives one :class:`Check`: ``ok``, ``warn`` (the bot would start, but something is probably not what was
meant) or ``fail`` (``qabot run`` would stop, or the bot could not do its job). The token is checked for its shape
only and is never printed, nor any part of it; the bot user id encoded in its first part is public and is shown.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from bot.render import plural
from bot.settings import Settings
from bot.unknown_settings import unknown_settings
from retrieval.corpus import load_corpus
from retrieval.errors import RetrievalError

Status = Literal["ok", "warn", "fail"]
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
"""A Discord bot token: the bot's user id in base64url, a timestamp, an HMAC, separated by dots."""
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Check:
    status: Status
    topic: str
    detail: str


def run_checks(environ: Mapping[str, str], env_file: Path, seeds: Path | None = None) -> list[Check]:
    """Every check, in the order ``qabot run`` meets them. ``seeds`` overrides ``SEEDS_DIR`` (``--seeds``)."""
    where = f"the environment and {env_file}" if env_file.is_file() else f"the environment (no {env_file} here)"
    try:
        settings = Settings(_env_file=env_file if env_file.is_file() else None)
    except ValidationError as error:
        return [
            Check("fail", "settings", f"{str(e['loc'][0]).upper()}: {e['msg']}" if e["loc"] else e["msg"])
            for e in error.errors()
        ]
    except UnicodeDecodeError:
        return [Check("fail", "settings", f"{env_file} is not UTF-8 text; save it as UTF-8")]
    checks = [Check("ok", "settings", f"read from {where}")]
    checks += [Check("warn", "settings", line) for line in unknown_settings(environ, env_file)]
    checks.append(check_token(settings))
    checks.append(check_intents(settings))
    checks.append(check_commands(settings))
    checks.append(check_sources(seeds or settings.seeds_dir, settings.max_source_bytes))
    libraries = getattr(settings, "libraries_dir", None)  # each server's library, in versions that have them
    if libraries is not None:
        checks.append(check_libraries(Path(libraries)))
    store = getattr(settings, "store_path", None)  # the feedback store, in versions that have one
    if store is not None:
        checks.append(check_store(Path(store)))
    return checks


def check_token(settings: Settings) -> Check:
    """Whether DISCORD_TOKEN is set and shaped like a bot token; common slips (a "Bot " prefix, quotes, the client
    secret or the application id pasted instead) are named. The value is never included."""
    if settings.discord_token is None:
        return Check("fail", "token", "DISCORD_TOKEN is not set: put it in .env (see .env.example) or the environment")
    token = settings.discord_token.get_secret_value()
    if token.lower().startswith("bot "):
        return Check("fail", "token", 'DISCORD_TOKEN starts with "Bot ": give the token alone, without the prefix')
    if token[:1] in "\"'" or token[-1:] in "\"'":
        return Check("fail", "token", "DISCORD_TOKEN is wrapped in quotes: remove them")
    if any(c.isspace() for c in token):
        return Check("fail", "token", "DISCORD_TOKEN holds spaces or line breaks: copy it again, on one line")
    if token.isdigit():
        return Check("fail", "token", "DISCORD_TOKEN is a number (an application or user id), not the bot's token")
    if TOKEN_SHAPE.fullmatch(token) is None:
        secret = re.fullmatch(r"[A-Za-z0-9_-]{32}", token) is not None
        hint = " (it looks like the OAuth2 client secret)" if secret else ""
        return Check(
            "fail",
            "token",
            f"DISCORD_TOKEN does not look like a bot token{hint}: on the Bot tab of the Developer Portal, Reset Token "
            "and copy the three dot-separated parts",
        )
    user_id = _user_id(token.split(".", 1)[0])
    about = f" for bot user id {user_id}" if user_id else ""
    return Check("ok", "token", f"DISCORD_TOKEN is set and shaped like a bot token{about} (not checked with Discord)")


def _user_id(first_part: str) -> str | None:
    try:
        decoded = base64.urlsafe_b64decode(first_part + "=" * (-len(first_part) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if decoded.isdigit() else None


def check_intents(settings: Settings) -> Check:
    """The gateway intents ``qabot run`` asks for (see :func:`bot.client.make_intents`)."""
    if settings.message_content_intent:
        return Check(
            "ok",
            "intents",
            'default intents + message_content, which is privileged: enable "Message Content Intent" on the Bot tab '
            "of the Developer Portal, or set MESSAGE_CONTENT_INTENT=false (else `qabot run` stops)",
        )
    return Check(
        "warn",
        "intents",
        "default intents only (MESSAGE_CONTENT_INTENT=false): replies to the bot's answers that don't mention it go "
        "unanswered",
    )


def check_commands(settings: Settings) -> Check:
    """Where the slash commands are synced at start-up."""
    if settings.guild_id:
        return Check(
            "ok",
            "commands",
            f"synced to server {settings.guild_id} at start-up (instant); the bot must be in it, invited with the "
            "applications.commands scope",
        )
    return Check("ok", "commands", "synced globally at start-up (can take up to an hour to appear); GUILD_ID is unset")


def check_sources(folder: Path, max_bytes: int) -> Check:
    """Load the sources folder as ``qabot run`` does at start-up. A failure does not stop the bot (it starts with no
    sources), so it is a warning."""
    try:
        corpus = load_corpus(folder, max_bytes=max_bytes)
    except RetrievalError as error:
        return Check("warn", "sources", f"{error} (the bot would start with no sources)")
    skipped = f", {plural(len(corpus.skipped), 'file')} skipped (see `qabot sources`)" if corpus.skipped else ""
    if not corpus.sources:
        return Check("warn", "sources", f"{folder} holds no .txt or .md source{skipped}: the bot would answer nothing")
    counts = f"{plural(len(corpus.sources), 'source')}, {plural(len(corpus.passages), 'passage')}"
    return Check("ok", "sources", f"{folder}: {counts}{skipped}")


def _writable_ancestor(path: Path) -> tuple[Path, bool]:
    """The nearest existing folder at or above ``path``, and whether this user can create files in it."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path, os.access(path, os.W_OK | os.X_OK)


def check_libraries(folder: Path) -> Check:
    """The servers' libraries folder, which ``/source add`` writes to: it must be (or be creatable as) writable. The
    bot starts without it, so a problem is a warning."""
    if folder.exists() and not folder.is_dir():
        return Check("warn", "libraries", f"{folder} is not a folder: /source add would fail")
    existing, writable = _writable_ancestor(folder)
    if not writable:
        return Check("warn", "libraries", f"{existing} is not writable by this user: /source add would fail")
    state = "exists" if folder.exists() else "will be created by /source add"
    return Check("ok", "libraries", f"{folder} {state}, writable")


def check_store(path: Path) -> Check:
    """The feedback store's file: an SQLite database if it exists, else a folder where it can be created."""
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as error:
            return Check("fail", "store", f"{path} cannot be read: {error.strerror or error}")
        if header and header != SQLITE_HEADER:
            return Check("fail", "store", f"{path} exists but is not an SQLite database; move it away")
        if not os.access(path, os.W_OK):
            return Check("fail", "store", f"{path} is not writable by this user")
        return Check("ok", "store", f"{path}: an SQLite database, writable")
    parent, writable = _writable_ancestor(path.parent)
    if not writable:
        return Check("fail", "store", f"{path} does not exist and {parent} is not writable, so it cannot be created")
    return Check("ok", "store", f"{path} will be created at start-up")


def verdict(checks: list[Check]) -> tuple[int, str]:
    """Exit status and closing line: 1 when any check failed, else 0."""
    failed = sum(check.status == "fail" for check in checks)
    warned = sum(check.status == "warn" for check in checks)
    if failed:
        return 1, f"`qabot run` would fail: fix the {plural(failed, 'line')} marked fail"
    tail = f", with {plural(warned, 'warning')}" if warned else ""
    return 0, f"`qabot run` would start{tail}; only a real start checks the token and intents with Discord"
