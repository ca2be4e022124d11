"""Moderation: /reload, for members with Manage Server or a moderator role, in servers only; each reload is audited
(``bot.audit``), so a server's audit entries are its reload history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.audit import AuditLog
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
        audit = AuditLog(self.bot.settings.libraries_dir / "audit.jsonl")
        entry = {
            "guild_id": interaction.guild_id,
            "user_id": interaction.user.id,
            "action": "reload",
            "source_id": None,
        }
        try:
            report = await (await self.bot.service_for(interaction.guild_id)).reload()
        except SourceFolderMissing:
            audit.record(
                **entry, ok=False, detail="the library folder is missing"
            )  # its message names a path on the host, which Discord users must not see
            content = render_error(
                "Reload failed; nothing changed, the previous sources are still served. The sources folder is "
                "missing on the bot's host (its log names it)."
            )
        except RetrievalError as error:
            audit.record(**entry, ok=False, detail=str(error))
            content = render_error(f"Reload failed; nothing changed, the previous sources are still served. {error}")
        else:
            change = report.change
            detail = f"added {list(change.added)}, changed {list(change.changed)}, removed {list(change.removed)}, "
            detail += f"refused {[r.file_name for r in report.corpus.refused]}"
            audit.record(**entry, ok=True, detail=detail)
            content = render_reload(report.change, report.corpus, report.seconds)
        await interaction.followup.send(
            content, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), suppress_embeds=True
        )
