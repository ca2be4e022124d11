"""Moderation: /reload, for members with Manage Server or a moderator role, in servers only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import moderator_only
from bot.render import render_error, render_reload
from retrieval.errors import RetrievalError, SourceFolderMissing

if TYPE_CHECKING:
    from bot.client import QaBot


class Moderation(commands.Cog):
    def __init__(self, bot: QaBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @moderator_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        """Reload this server's library (and the shared one) from the files on the host; lists refused files."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            report = await (await self.bot.service_for(interaction.guild_id)).reload()
        except SourceFolderMissing:  # its message names a path on the host, which Discord users must not see
            content = render_error(
                "Reload failed; nothing changed, the previous sources are still served. The sources folder is "
                "missing on the bot's host (its log names it)."
            )
        except RetrievalError as error:
            content = render_error(f"Reload failed; nothing changed, the previous sources are still served. {error}")
        else:
            content = render_reload(report.change, report.corpus, report.seconds)
        await interaction.followup.send(
            content, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), suppress_embeds=True
        )
