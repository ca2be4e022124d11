"""Questions: the /ask command, and questions asked by mentioning the bot or replying to one of its answers."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import OnCooldown
from bot.render import render_error
from bot.replies import clean_question, looks_like_a_question, question_answered_in, reply_to_question
from bot.tree import GENERIC_ERROR
from retrieval.errors import EmptyQuestion, RetrievalError

if TYPE_CHECKING:
    from bot.client import QaBot

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MENTION_HELP = "Ask me about the sources after the mention, e.g. “@qabot how long did the call last?”"
COOLDOWN_NOTICE_SECONDS = 10
NO_MENTIONS = discord.AllowedMentions.none()


def addressed_to(message: discord.Message, bot_id: int) -> bool:
    """True when ``message`` mentions the bot directly (``<@id>`` or ``<@!id>`` in its text) or replies to one of
    the bot's messages. ``@everyone``, ``@here`` and role mentions never count."""
    if bot_id in message.raw_mentions:
        return True
    reference = message.reference
    resolved = reference.resolved if reference else None
    return isinstance(resolved, discord.Message) and resolved.author.id == bot_id


def _previous_question(message: discord.Message, bot_id: int) -> str | None:
    """The question of the bot's answer that ``message`` replies to (a follow-up is read with it), or None."""
    reference = message.reference
    resolved = reference.resolved if reference else None
    if isinstance(resolved, discord.Message) and resolved.author.id == bot_id:
        return question_answered_in(resolved.content)
    return None


class Questions(commands.Cog):
    def __init__(self, bot: QaBot) -> None:
        self.bot = bot
        self.cooldown = bot.cooldown

    @app_commands.command(name="ask")
    @app_commands.describe(question="What you want to know; the answer quotes the sources")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION_CHARS]
    ) -> None:
        """Ask a question about the sources; the answer quotes the passages that match best."""
        retry_after = self.cooldown.retry_after(interaction.user.id)
        if retry_after is not None:
            raise OnCooldown(retry_after)
        await interaction.response.defer(thinking=True)
        _, content = await asyncio.to_thread(reply_to_question, question, self.bot.service.corpus)
        await interaction.followup.send(content, allowed_mentions=NO_MENTIONS, suppress_embeds=True)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or not addressed_to(message, me.id):
            return
        # reply_to_question removes mention tokens (the bot's own included) before retrieval.
        question = message.content[:MAX_QUESTION_CHARS]
        if me.id not in message.raw_mentions and not looks_like_a_question(clean_question(question)):
            # A reply that asks nothing ("thanks!", "👍", an image, or any reply when the Message Content intent is
            # off: Discord then sends replies that don't ping the bot with empty content) is left alone.
            return
        retry_after = self.cooldown.retry_after(message.author.id)
        if retry_after is not None:
            # One notice per wait: twenty quick mentions must not become twenty bot messages.
            if self.cooldown.notice_due(message.author.id, retry_after):
                await self._reply(message, str(OnCooldown(retry_after)), delete_after=COOLDOWN_NOTICE_SECONDS)
            return
        previous = _previous_question(message, me.id)
        try:
            _, content = await asyncio.to_thread(
                reply_to_question, question, self.bot.service.corpus, previous=previous
            )
        except EmptyQuestion:
            content = MENTION_HELP
        except RetrievalError as error:
            content = render_error(str(error))
        except Exception:
            log.exception("Unexpected error answering a mention question")
            content = GENERIC_ERROR
        await self._reply(message, content)

    async def _reply(self, message: discord.Message, content: str, *, delete_after: float | None = None) -> None:
        try:
            await message.reply(
                content,
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
                suppress_embeds=True,
                delete_after=delete_after,
            )
        except discord.HTTPException:
            log.warning("Could not reply in channel %s", message.channel.id, exc_info=True)
