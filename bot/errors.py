"""Errors the bot reports to users. Each carries the data its message needs (python-discord/bot ``bot/errors.py``)."""

from __future__ import annotations

from discord import app_commands


class NotModerator(app_commands.CheckFailure):
    """The member may not use a moderator command."""

    def __init__(self) -> None:
        super().__init__("Only moderators (Manage Server, or a moderator role) can do that.")


class UserError(app_commands.AppCommandError):
    """A problem the user fixes; the tree's error handler shows its message as is, ephemerally."""


class OnCooldown(UserError):
    """The user asked too often; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're asking quickly: try again in {max(1, round(retry_after))} s.")


class CommandSyncRefused(Exception):
    """Discord refused to register the slash commands (403): the bot is not in the ``guild_id`` server, or was
    invited without the ``applications.commands`` scope."""

    def __init__(self, guild_id: int | None) -> None:
        self.guild_id = guild_id
        where = f"in the server GUILD_ID={guild_id}" if guild_id else "globally"
        fix = "check GUILD_ID, and invite the bot to that server" if guild_id else "invite the bot again"
        super().__init__(
            f"Discord refused to register the slash commands {where} (403 Missing Access): {fix} with the scopes "
            "bot and applications.commands (README: Create the application and invite the bot)"
        )


class OnlyMentions(UserError):
    """A question with no words once mentions, emoji and channel links are removed (``@everyone``, ``<@123>``)."""

    def __init__(self) -> None:
        super().__init__(
            "Your question has only mentions or emoji in it, so there are no words to search for. "
            "Ask in words, e.g. “how long did the call last?”"
        )


class NothingToAsk(UserError):
    """A context-menu command on a message without text (an image, an embed, a sticker)."""

    def __init__(self) -> None:
        super().__init__("That message has no text to ask about (only an image, embed or sticker).")
