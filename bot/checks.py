"""Permission checks, enforced when a command runs (``default_permissions`` alone can be overridden by admins)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.errors import NotModerator


def is_moderator(interaction: discord.Interaction, moderator_role_ids: frozenset[int]) -> bool:
    """True for a guild member with Manage Server (or Administrator), or with one of ``moderator_role_ids``.

    Raises
    ------
    app_commands.NoPrivateMessage
        The interaction is not in a guild (a DM).
    """
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        raise app_commands.NoPrivateMessage("Moderator commands work only in a server, not in DMs.")
    permissions = interaction.permissions  # the member's permissions in the channel, sent by Discord
    if permissions.manage_guild or permissions.administrator:
        return True
    # Member._roles holds the role ids from the interaction payload even when the guild's roles aren't cached.
    return any(role_id in moderator_role_ids for role_id in interaction.user._roles)


def moderates_here(interaction: discord.Interaction, moderator_role_ids: frozenset[int]) -> bool:
    """:func:`is_moderator`, but False in a DM instead of raising: for commands that show moderators more."""
    try:
        return is_moderator(interaction, moderator_role_ids)
    except app_commands.NoPrivateMessage:
        return False


def moderator_only():
    """An app-command check: :func:`is_moderator` with the bot's configured moderator roles, else NotModerator."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if not is_moderator(interaction, interaction.client.settings.moderator_role_ids):
            raise NotModerator()
        return True

    return app_commands.check(predicate)
