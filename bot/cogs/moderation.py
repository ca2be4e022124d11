"""Moderation: /reload and /gaps, for members with Manage Server or a moderator role, in servers only; ephemeral.
Each reload is audited (``bot.audit``, so a server's audit entries are its reload history) and kept in the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.audit import AuditLog
from bot.checks import moderator_only
from bot.gaps import render_gaps
from bot.render import pack_lines, render_error, render_reload
from bot.store import ReloadRecord
from retrieval.errors import RetrievalError, SourceFolderMissing

if TYPE_CHECKING:
    from bot.client import QaBot

NO_MENTIONS = discord.AllowedMentions.none()
DEFAULT_GAPS_DAYS = 30
GAPS_SHOWN = 10


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
            # Its message names a path on the host, which Discord users (and /gaps readers) must not see.
            detail = "the library folder is missing"
            audit.record(**entry, ok=False, detail=detail)
            content = render_error(
                "Reload failed; nothing changed, the previous sources are still served. The sources folder is "
                "missing on the bot's host (its log names it)."
            )
            record = ReloadRecord(interaction.guild_id, interaction.user.id, ok=False, error=detail)
        except RetrievalError as error:
            audit.record(**entry, ok=False, detail=str(error))
            content = render_error(f"Reload failed; nothing changed, the previous sources are still served. {error}")
            record = ReloadRecord(interaction.guild_id, interaction.user.id, ok=False, error=str(error))
        else:
            change = report.change
            detail = f"added {list(change.added)}, changed {list(change.changed)}, removed {list(change.removed)}, "
            detail += f"refused {[r.file_name for r in report.corpus.refused]}"
            audit.record(**entry, ok=True, detail=detail)
            content = render_reload(report.change, report.corpus, report.seconds)
            record = ReloadRecord(
                interaction.guild_id,
                interaction.user.id,
                ok=True,
                added=tuple(change.added),
                changed=tuple(change.changed),
                removed=tuple(change.removed),
                seconds=report.seconds,
            )
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True)
        await self.bot.store.record_reload(record)

    @app_commands.command(name="gaps")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(days="How many days back to look (default 30)")
    @moderator_only()
    async def gaps(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = DEFAULT_GAPS_DAYS
    ) -> None:
        """Questions the sources didn't cover, and answers marked 👎, most frequent first (only you see it)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.store.gaps(days=days, guild_id=interaction.guild_id, limit=GAPS_SHOWN)
        for content in pack_lines(render_gaps(report)):
            await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True)
