"""Errors the bot reports to users. Each carries the data its message needs (python-discord/bot ``bot/errors.py``)."""

from __future__ import annotations

from discord import app_commands


class NotModerator(app_commands.CheckFailure):
    """The member may not use a moderator command."""

    def __init__(self) -> None:
        super().__init__("Only moderators (Manage Server, or a moderator role) can do that.")


class OnCooldown(app_commands.AppCommandError):
    """The user asked too often; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're asking quickly: try again in {max(1, round(retry_after))} s.")
