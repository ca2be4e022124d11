"""The feedback store: every question asked, every vote, every reload; read back by /gaps and ``qabot gaps``."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings
from bot.store.base import FeedbackStore
from bot.store.records import (
    DownvotedAnswer,
    GapsReport,
    QuestionRecord,
    RefusedQuestion,
    ReloadRecord,
    VoteResult,
)
from bot.store.sqlite import SQLiteStore, StoreTooNew
from bot.store.user_hash import UserHasher


def store_from_settings(settings: Settings, *, existing_only: bool = False) -> SQLiteStore:
    """The SQLite store at ``STORE_PATH``, its user ids hashed with ``STORE_USER_KEY`` or, when unset, a random key
    kept beside it in ``STORE_PATH.key`` (created on first use).

    Nothing is touched on disk until the store opens. ``existing_only``: see :class:`SQLiteStore`.
    """
    hasher: UserHasher | Path
    if settings.store_user_key is not None:
        hasher = UserHasher.from_secret(settings.store_user_key.get_secret_value())
    else:
        hasher = settings.store_path.with_name(settings.store_path.name + ".key")
    return SQLiteStore(
        settings.store_path, hasher, retention_days=settings.store_retention_days, existing_only=existing_only
    )


__all__ = [
    "DownvotedAnswer",
    "FeedbackStore",
    "GapsReport",
    "QuestionRecord",
    "RefusedQuestion",
    "ReloadRecord",
    "SQLiteStore",
    "StoreTooNew",
    "UserHasher",
    "VoteResult",
    "store_from_settings",
]
