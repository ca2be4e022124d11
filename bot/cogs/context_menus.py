"""Message commands (the "Apps" menu of a message): "Ask qabot about this" and "Summarize sources on this"."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import Asked, answer_off_loop, corpus_for, record_answer
from bot.errors import NothingToAsk, OnCooldown, OnlyMentions
from bot.replies import clean_question
from bot.views import answer_message, embeds_allowed, hits_embed
from bot.views.answer_embed import NOT_COVERED_COLOUR, question_line
from retrieval.answers.answering import answer_question
from retrieval.errors import EmptyQuestion

if TYPE_CHECKING:
    from bot.client import QaBot

NO_MENTIONS = discord.AllowedMentions.none()
ASK_NAME = "Ask qabot about this"
SUMMARIZE_NAME = "Summarize sources on this"
NEAREST_PASSAGES = 5


class ContextMenus(commands.Cog):
    """Context menus can't be declared inside a cog with a decorator; they are built here and added to the tree when
    the cog loads (discord.py ``examples/app_commands/basic.py``)."""

    def __init__(self, bot: QaBot) -> None:
        self.bot = bot
        self.menus = (
            app_commands.ContextMenu(name=ASK_NAME, callback=self.ask_about),
            app_commands.ContextMenu(name=SUMMARIZE_NAME, callback=self.summarize_on),
        )

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    def _check_cooldown(self, interaction: discord.Interaction) -> None:
        retry_after = self.bot.cooldown.retry_after(interaction.user.id)
        if retry_after is not None:
            raise OnCooldown(retry_after)

    async def ask_about(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Answer the message's text as a question; the answer links the message it answers."""
        self._check_cooldown(interaction)
        if not message.content.strip():
            raise NothingToAsk()
        asked = Asked(
            message.content, interaction.user.id, interaction.guild_id, interaction.channel_id, "context-menu"
        )
        await interaction.response.defer(thinking=True)
        try:
            answer, corpus = await answer_off_loop(self.bot, message.content, interaction.guild_id)
        except EmptyQuestion:
            raise OnlyMentions() from None
        about = f"About [this message]({message.jump_url}):"
        reply = answer_message(
            answer, corpus, embeds=embeds_allowed(interaction.app_permissions, interaction.channel_id), about=about
        )
        sent = await interaction.followup.send(**reply.kwargs(), wait=True)
        await record_answer(self.bot, asked, answer, sent.id)

    async def summarize_on(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The passages of the sources nearest to the message's subject (a topic summary where one is available)."""
        self._check_cooldown(interaction)
        if not message.content.strip():
            raise NothingToAsk()
        await interaction.response.defer(thinking=True)
        corpus = await corpus_for(self.bot, interaction.guild_id)
        try:
            answer = await asyncio.to_thread(
                answer_question, clean_question(message.content), corpus, max_quotes=NEAREST_PASSAGES
            )
        except EmptyQuestion:
            raise OnlyMentions() from None
        about = f"Sources on [this message]({message.jump_url})"
        if answer.hits:
            embed = hits_embed("What the sources say on this", answer.hits, corpus, empty="")
            embed.description = about
        else:
            embed = discord.Embed(
                description=f"{about}: {answer.not_covered_reason or 'nothing matches.'}", colour=NOT_COVERED_COLOUR
            )
        embed.set_author(name=question_line(message.content))
        if embeds_allowed(interaction.app_permissions, interaction.channel_id):
            await interaction.followup.send(embed=embed, allowed_mentions=NO_MENTIONS)
            return
        lines = [embed.description or ""] + [f"**{f.name}**\n{f.value}" for f in embed.fields]
        await interaction.followup.send("\n\n".join(lines)[:2000], allowed_mentions=NO_MENTIONS, suppress_embeds=True)
