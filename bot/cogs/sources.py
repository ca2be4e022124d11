"""Moderators build their server's library from Discord: /source add (file or link), remove, list and show.

Every reply is ephemeral (the moderator's alone), every change is audited (``bot.audit``) and kept in the feedback
store beside the reloads (what changed, or why nothing did), and each change is a transaction
(``bot.library_edits``): the library changes whole or not at all, and the reply says which.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.audit import AuditLog
from bot.checks import moderator_only
from bot.library_edits import EditReport, add_file, add_url, remove_source
from bot.limits import AUTOCOMPLETE_CHOICES_LIMIT, CHOICE_NAME_LIMIT, OPTION_VALUE_LIMIT
from bot.render import drop_controls, render_error
from bot.source_render import render_edit, render_library, render_source_details
from bot.store import ReloadRecord
from retrieval.errors import RetrievalError
from retrieval.sources.fetching import FetchPolicy

if TYPE_CHECKING:
    from bot.client import QaBot

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
MAX_LINK_CHARS = 2000
MAX_LIST_MESSAGES = 5


class Sources(commands.Cog):
    source = app_commands.Group(
        name="source",
        description="Moderators: add, remove, list and inspect this server's library",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: QaBot) -> None:
        self.bot = bot
        self.audit = AuditLog(bot.settings.libraries_dir / "audit.jsonl")

    def fetch_policy(self) -> FetchPolicy:
        settings = self.bot.settings
        return FetchPolicy(
            timeout=settings.fetch_timeout_seconds,
            max_bytes=settings.max_fetch_bytes,
            max_redirects=settings.fetch_max_redirects,
            allow_private=settings.fetch_allow_private_addresses,
        )

    async def _send(self, interaction: discord.Interaction, content: str) -> None:
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True)

    @source.command(name="add")
    @app_commands.describe(
        file="An article file: .txt, .md or .html (UTF-8)",
        url="A link to an article page; its text, title, author and date are extracted",
    )
    @moderator_only()
    async def add(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, MAX_LINK_CHARS] | None = None,
    ) -> None:
        """Add an article to this server's library, from a file or a link."""
        if (file is None) == (url is None):
            raise app_commands.CheckFailure("Give either file: (an attachment) or url: (a link), not both.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = interaction.guild_id
        user = f"{interaction.user} ({interaction.user.id})"
        what = file.filename if file is not None else url
        try:
            if file is not None:
                report = await add_file(self.bot.libraries, guild_id, file.filename, await self._read(file), user=user)
            else:
                report = await add_url(self.bot.libraries, guild_id, url, self.fetch_policy(), user=user)
        except RetrievalError as error:
            await self._record(interaction, "add", None, detail=f"{what}: {error}", error=error)
            await self._send(interaction, render_error(f"Nothing was added: {error}"))
            return
        await self._record(interaction, "add", report.source_id, detail=str(what), report=report)
        await self._send(interaction, render_edit(report))

    async def _read(self, file: discord.Attachment) -> bytes:
        """The attachment's bytes, refusing one over MAX_SOURCE_BYTES by its declared size before downloading and
        by its real size after."""
        limit = self.bot.libraries.max_source_bytes
        if file.size > limit:
            raise _Refused(f"the file is {file.size:,} bytes, over the {limit:,}-byte limit (MAX_SOURCE_BYTES)")
        try:
            raw = await file.read()
        except discord.HTTPException:
            raise _Refused("Discord did not hand over the attachment; upload it again") from None
        if len(raw) > limit:
            raise _Refused(f"the file is over the {limit:,}-byte limit (MAX_SOURCE_BYTES)")
        return raw

    @source.command(name="remove")
    @app_commands.rename(source_id="id")
    @app_commands.describe(source_id="The source to remove (start typing to search this server's library)")
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, source_id: app_commands.Range[str, 1, 200]) -> None:
        """Remove a source from this server's library (its file is kept aside, not deleted)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = f"{interaction.user} ({interaction.user.id})"
        try:
            report: EditReport = await remove_source(self.bot.libraries, interaction.guild_id, source_id, user=user)
        except RetrievalError as error:
            await self._record(interaction, "remove", source_id, detail=str(error), error=error)
            await self._send(interaction, render_error(f"Nothing was removed: {error}"))
            return
        await self._record(interaction, "remove", report.source_id, report=report)
        await self._send(interaction, render_edit(report))

    @source.command(name="list")
    @moderator_only()
    async def list_sources(self, interaction: discord.Interaction) -> None:
        """This server's library: sources with format and state, refused files and why, and the shared sources."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        corpus = await self.bot.libraries.corpus_for(interaction.guild_id)
        messages = render_library(corpus)
        if len(messages) > MAX_LIST_MESSAGES:
            left = len(messages) - MAX_LIST_MESSAGES + 1
            note = f"…and {left} more message(s): `qabot sources --guild {interaction.guild_id}` on the host lists all."
            messages = [*messages[: MAX_LIST_MESSAGES - 1], note]
        for content in messages:
            await self._send(interaction, content)

    @source.command(name="show")
    @app_commands.rename(source_id="id")
    @app_commands.describe(source_id="The source to show (start typing to search)")
    @moderator_only()
    async def show(self, interaction: discord.Interaction, source_id: app_commands.Range[str, 1, 200]) -> None:
        """One source's metadata and how it was parsed."""
        corpus = await self.bot.libraries.corpus_for(interaction.guild_id)
        content = render_source_details(corpus.source(source_id), corpus)
        await interaction.response.send_message(
            content, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True
        )

    @remove.autocomplete("source_id")
    async def remove_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """This server's own sources and refused files whose id or title holds what was typed."""
        corpus = await self.bot.libraries.corpus_for(interaction.guild_id)
        own = [(s.id, s.title) for s in corpus.sources if s.id not in corpus.shared_ids]
        own += [
            (r.source_id, f"{r.file_name} (refused)") for r in corpus.refused if r.source_id not in corpus.shared_ids
        ]
        return _choices(own, current)

    @show.autocomplete("source_id")
    async def show_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Every source searched in this server whose id or title holds what was typed."""
        corpus = await self.bot.libraries.corpus_for(interaction.guild_id)
        return _choices([(s.id, s.title) for s in corpus.sources], current)

    async def _record(
        self,
        interaction: discord.Interaction,
        action: str,
        source_id: str | None,
        *,
        detail: str = "",
        report: EditReport | None = None,
        error: RetrievalError | None = None,
    ) -> None:
        """Audit an edit (``report``, or the ``error`` that refused it) and keep it in the store as a reload of this
        server's library. Neither raises: a failed write is logged."""
        guild_id, user_id = interaction.guild_id, interaction.user.id
        ok = error is None
        self.audit.record(guild_id=guild_id, user_id=user_id, action=action, source_id=source_id, ok=ok, detail=detail)
        if report is None:
            record = ReloadRecord(guild_id, user_id, ok=False, error=f"{action} refused: {error}")
        else:
            change = report.reload.change
            record = ReloadRecord(
                guild_id,
                user_id,
                ok=True,
                added=tuple(change.added),
                changed=tuple(change.changed),
                removed=tuple(change.removed),
                seconds=report.reload.seconds,
            )
        await self.bot.store.record_reload(record)


class _Refused(RetrievalError):
    """An attachment refused before it reached the library."""


def _choices(items: list[tuple[str, str]], current: str) -> list[app_commands.Choice[str]]:
    needle = current.casefold().strip()
    choices = []
    for source_id, title in items:
        if needle in source_id.casefold() or needle in title.casefold():
            name = drop_controls(" ".join(title.split())) or source_id
            name = name if len(name) <= CHOICE_NAME_LIMIT else name[: CHOICE_NAME_LIMIT - 1] + "…"
            if len(source_id) <= OPTION_VALUE_LIMIT:
                choices.append(app_commands.Choice(name=name, value=source_id))
        if len(choices) == AUTOCOMPLETE_CHOICES_LIMIT:
            break
    return choices
