"""The library: /summary (with source autocomplete), /sources and /passage."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import moderates_here
from bot.errors import OnCooldown
from bot.limits import AUTOCOMPLETE_CHOICES_LIMIT, CHOICE_NAME_LIMIT, OPTION_VALUE_LIMIT
from bot.render import drop_controls, render_sources
from bot.replies import (
    DEFAULT_SUMMARY_SENTENCES,
    MAX_SUMMARY_SENTENCES,
    passage_reply,
    summary_messages,
    topic_summary_messages,
)
from retrieval.summaries.topics import MAX_TOPIC_CHARS

if TYPE_CHECKING:
    from bot.client import QaBot

NO_MENTIONS = discord.AllowedMentions.none()
MAX_SUMMARY_SOURCES = 3
"""/summary without a source summarizes at most this many sources (one or two messages each) and says how many
it left out, so a large folder doesn't flood the channel."""
MAX_SOURCES_MESSAGES = 5


class Library(commands.Cog):
    def __init__(self, bot: QaBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary")
    @app_commands.describe(
        source=f"Which source to summarize (start typing to search); empty: the {MAX_SUMMARY_SOURCES} most recent",
        sentences=f"How many sentences, 1 to {MAX_SUMMARY_SENTENCES}",
        topic='What the sources say about a topic, e.g. "the raid"; with a source, only that source',
    )
    async def summary(
        self,
        interaction: discord.Interaction,
        source: str | None = None,
        sentences: app_commands.Range[int, 1, MAX_SUMMARY_SENTENCES] = DEFAULT_SUMMARY_SENTENCES,
        topic: app_commands.Range[str, 1, MAX_TOPIC_CHARS] | None = None,
    ) -> None:
        """Summarize a source, or a topic across sources, in sentences taken from them, each cited."""
        retry_after = self.bot.cooldown.retry_after(interaction.user.id)
        if retry_after is not None:
            raise OnCooldown(retry_after)  # answered ephemerally by the tree's error handler
        await interaction.response.defer(thinking=True)
        corpus = (await self.bot.service_for(interaction.guild_id)).corpus
        if topic is not None:
            messages = await asyncio.to_thread(topic_summary_messages, corpus, topic, sentences, source or None)
        else:
            messages = await asyncio.to_thread(
                summary_messages, corpus, source or None, sentences, max_sources=MAX_SUMMARY_SOURCES
            )
        for content in messages:
            await interaction.followup.send(content, allowed_mentions=NO_MENTIONS, suppress_embeds=True)

    @summary.autocomplete("source")
    async def summary_source_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Sources whose id or title contains what was typed (case-insensitive), up to Discord's 25 choices."""
        needle = current.casefold().strip()
        choices = []
        for source in (await self.bot.service_for(interaction.guild_id)).corpus.sources:
            if needle in source.id.casefold() or needle in source.title.casefold():
                title = drop_controls(source.title)
                name = title if len(title) <= CHOICE_NAME_LIMIT else title[: CHOICE_NAME_LIMIT - 1] + "…"
                if len(source.id) <= OPTION_VALUE_LIMIT:
                    choices.append(app_commands.Choice(name=name or source.id, value=source.id))
            if len(choices) == AUTOCOMPLETE_CHOICES_LIMIT:
                break
        return choices

    @app_commands.command(name="sources")
    async def sources(self, interaction: discord.Interaction) -> None:
        """List the loaded sources: id, title, paragraphs, passages, size."""
        moderator = moderates_here(interaction, self.bot.settings.moderator_role_ids)
        service = await self.bot.service_for(interaction.guild_id)
        messages = render_sources(service.corpus, last_reload_failed=bool(service.last_error), moderator=moderator)
        if len(messages) > MAX_SOURCES_MESSAGES:
            left = len(messages) - MAX_SOURCES_MESSAGES + 1
            messages = [
                *messages[: MAX_SOURCES_MESSAGES - 1],
                f"…and {left} more message(s) of sources not shown. Type part of a title in /summary's `source` "
                "option to find one.",
            ]
        await interaction.response.send_message(
            messages[0], ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True
        )
        for content in messages[1:]:
            await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True)

    @app_commands.command(name="passage")
    @app_commands.rename(passage_id="id")
    @app_commands.describe(passage_id="A passage id from a citation, e.g. source-id:3 (start typing to search)")
    async def passage(self, interaction: discord.Interaction, passage_id: app_commands.Range[str, 1, 200]) -> None:
        """Show one passage in full (only you see it), by the id under a quote."""
        content = passage_reply(passage_id, (await self.bot.service_for(interaction.guild_id)).corpus)
        await interaction.response.send_message(
            content, ephemeral=True, allowed_mentions=NO_MENTIONS, suppress_embeds=True
        )

    @passage.autocomplete("passage_id")
    async def passage_id_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Passage ids containing what was typed, or passages whose text contains it, up to 25; each choice shows the
        id and the passage's opening words."""
        return passage_choices((await self.bot.service_for(interaction.guild_id)).corpus.passages, current)


def passage_choices(passages, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for /passage: ids containing ``current`` first, then passages whose text holds it."""
    needle = current.casefold().strip()
    by_id = [p for p in passages if needle in p.id]
    by_text = [p for p in passages if needle and needle not in p.id and needle in p.text.casefold()]
    choices = []
    for passage in (by_id + by_text)[:AUTOCOMPLETE_CHOICES_LIMIT]:
        if len(passage.id) > OPTION_VALUE_LIMIT:
            continue  # cannot be offered as a value; typing the id still works
        opening = " ".join(drop_controls(passage.text).split())
        name = f"{passage.id} · {opening}"
        choices.append(
            app_commands.Choice(
                name=name if len(name) <= CHOICE_NAME_LIMIT else name[: CHOICE_NAME_LIMIT - 1] + "…", value=passage.id
            )
        )
    return choices
