"""Settings from the environment and ``.env`` (pydantic-settings), read lazily so importing never needs a token."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from retrieval.sources.loading import DEFAULT_MAX_BYTES

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every setting, with its environment variable (upper-case name). ``.env.example`` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    seeds_dir: Path = Path("seeds")
    guild_id: int | None = Field(None, gt=0, lt=2**64)  # a Discord id (snowflake) is a 64-bit number
    moderator_role_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    max_source_bytes: int = Field(DEFAULT_MAX_BYTES, gt=0, le=200_000_000)
    ask_cooldown_rate: int = Field(3, ge=1)
    ask_cooldown_seconds: float = Field(30.0, ge=0, le=86_400, allow_inf_nan=False)
    message_content_intent: bool = True
    log_level: str = "INFO"
    libraries_dir: Path = Path("libraries")
    shared_library_guilds: Annotated[frozenset[int] | Literal["all", "none"], NoDecode] = "all"
    max_fetch_bytes: int = Field(5_000_000, gt=0, le=100_000_000)
    fetch_timeout_seconds: float = Field(15.0, gt=0, le=300, allow_inf_nan=False)
    fetch_max_redirects: int = Field(5, ge=0, le=20)
    fetch_allow_private_addresses: bool = False
    watch_sources: bool = False
    store_path: Path = Path("data/qabot.sqlite3")
    store_retention_days: int = Field(90, ge=1, le=3650)
    store_user_key: SecretStr | None = None
    answer_in_threads: bool = False

    @field_validator("store_user_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: object) -> object:
        """``STORE_USER_KEY=`` (blank): a random key is kept beside the store. When set, at least 16 characters."""
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and len(value) < 16:
            raise ValueError("must be at least 16 characters (or blank: a random key is kept beside the store)")
        return value

    @field_validator("store_path", mode="before")
    @classmethod
    def _blank_store_is_default(cls, value: object) -> object:
        return "data/qabot.sqlite3" if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "message_content_intent",
        "log_level",
        "max_source_bytes",
        "ask_cooldown_rate",
        "ask_cooldown_seconds",
        "max_fetch_bytes",
        "fetch_timeout_seconds",
        "fetch_max_redirects",
        "fetch_allow_private_addresses",
        "watch_sources",
        "store_retention_days",
        "answer_in_threads",
        mode="before",
    )
    @classmethod
    def _blank_is_default(cls, value: object, info) -> object:
        """A setting left blank in .env (``MESSAGE_CONTENT_INTENT=``) takes its default."""
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[info.field_name].default
        return value

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("guild_id", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("seeds_dir", mode="before")
    @classmethod
    def _blank_seeds_is_default(cls, value: object) -> object:
        """``SEEDS_DIR=`` (blank) means the default ``seeds``, not the current folder."""
        return "seeds" if isinstance(value, str) and not value.strip() else value

    @field_validator("libraries_dir", mode="before")
    @classmethod
    def _blank_libraries_is_default(cls, value: object) -> object:
        """``LIBRARIES_DIR=`` (blank) means the default ``libraries``, not the current folder."""
        return "libraries" if isinstance(value, str) and not value.strip() else value

    @field_validator("shared_library_guilds", mode="before")
    @classmethod
    def _shared_guilds(cls, value: object) -> object:
        """``all`` (or blank), ``none``, or guild ids separated by commas or spaces."""
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("", "all"):
                return "all"
            if word == "none":
                return "none"
            parts = value.replace(",", " ").split()
            bad = [p for p in parts if not (p.isascii() and p.isdigit())]
            if bad:
                raise ValueError(f"must be all, none or guild ids, got {', '.join(bad)}")
            return frozenset(int(p) for p in parts)
        return value

    def shares_with(self, guild_id: int) -> bool:
        """Whether the shared library (SEEDS_DIR) is searched in ``guild_id`` beside the guild's own."""
        if self.shared_library_guilds == "all":
            return True
        if self.shared_library_guilds == "none":
            return False
        return guild_id in self.shared_library_guilds

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_log_level(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper() or "INFO"  # LOG_LEVEL= (blank) means the default
            if value not in LOG_LEVELS:
                raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value

    @field_validator("moderator_role_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        """``MODERATOR_ROLE_IDS=123,456`` (commas or spaces); an empty value means no moderator roles."""
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            bad = [p for p in parts if not (p.isascii() and p.isdigit())]
            if bad:
                raise ValueError(f"role ids must be numbers, got {', '.join(bad)}")
            return frozenset(int(p) for p in parts)
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once on first use."""
    return Settings()
