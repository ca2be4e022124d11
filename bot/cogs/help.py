"""/help: how to ask, each command, examples from the loaded sources; only the user sees it."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import corpus_for
from bot.help_text import example_questions, help_embed

if TYPE_CHECKING:
    from bot.client import QaBot
    from retrieval.corpus import Corpus


class Help(commands.Cog):
    def __init__(self, bot: QaBot) -> None:
        self.bot = bot
        self._examples: dict[int | None, tuple[Corpus, list[str]]] = {}
        """By guild (None: DMs), examples of the corpus they were made for: each costs a few answers, so they are made
        once a reload of that guild's library."""

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to ask qabot, what each command does, with example questions (only you see it)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        corpus = await corpus_for(self.bot, interaction.guild_id)
        made_for, examples = self._examples.get(interaction.guild_id, (None, []))
        if made_for is not corpus:
            examples = await asyncio.to_thread(example_questions, corpus)
            self._examples[interaction.guild_id] = (corpus, examples)
        embed = help_embed(corpus, examples)
        if interaction.app_permissions.embed_links:
            await interaction.followup.send(
                embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        lines = [f"**{embed.title}**", embed.description or ""]
        lines += [f"**{field.name}**: {field.value}" for field in embed.fields]
        await interaction.followup.send(
            "\n".join(lines)[:2000],
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
            suppress_embeds=True,
        )
