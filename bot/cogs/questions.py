"""Questions: /ask, and questions asked by mentioning the bot (or its role), replying to one of its answers, in a
DM, or inside a thread it opened for an answer."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import Asked, answer_off_loop, record_answer
from bot.errors import OnCooldown, OnlyMentions
from bot.followups import question_in_context
from bot.limits import THREAD_NAME_LIMIT
from bot.render import one_line, render_error, safe
from bot.replies import clean_question, looks_like_a_question
from bot.tree import GENERIC_ERROR
from bot.views import AnswerMessage, answer_message, embeds_allowed, message_permissions
from retrieval.errors import EmptyQuestion, RetrievalError

if TYPE_CHECKING:
    from bot.client import QaBot

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MENTION_HELP = "Ask me about the sources after the mention, e.g. “@qabot how long did the call last?” (/help says more)"
COOLDOWN_NOTICE_SECONDS = 10
NO_MENTIONS = discord.AllowedMentions.none()


def role_mentioned(message: discord.Message, bot_id: int) -> bool:
    """True when ``message`` mentions the bot's own managed role (the role Discord creates for it, which the @ list
    offers beside the bot: picking it is a common slip)."""
    guild = message.guild
    role = guild.self_role if guild is not None else None
    if role is None or role.tags is None or role.tags.bot_id != bot_id:
        return False
    return role.id in message.raw_role_mentions


def in_own_thread(message: discord.Message, bot_id: int) -> bool:
    """True when ``message`` is in a thread the bot opened for an answer (``ANSWER_IN_THREADS``)."""
    return isinstance(message.channel, discord.Thread) and message.channel.owner_id == bot_id


def addressed_to(message: discord.Message, bot_id: int) -> bool:
    """True when ``message`` mentions the bot (``<@id>``, ``<@!id>`` or its managed role), replies to one of the bot's
    messages, is a DM, or is in a thread the bot opened. ``@everyone``, ``@here`` and other roles never count."""
    if bot_id in message.raw_mentions or role_mentioned(message, bot_id):
        return True
    if isinstance(message.channel, discord.DMChannel):
        return True
    if in_own_thread(message, bot_id):
        return True
    reference = message.reference
    resolved = reference.resolved if reference else None
    return isinstance(resolved, discord.Message) and resolved.author.id == bot_id


def thread_name(question: str) -> str:
    """A thread's name for ``question``: one line, at most Discord's 100 characters, never empty."""
    return one_line(clean_question(question), THREAD_NAME_LIMIT) or "Question"


@contextlib.asynccontextmanager
async def typing_in(channel: discord.abc.Messageable) -> AsyncIterator[None]:
    """Show "qabot is typing…" in ``channel`` while the block runs; a failure to show it is only logged."""
    try:
        typing = channel.typing()
        await typing.__aenter__()
    except discord.HTTPException:
        log.info("Could not show the typing indicator in %s", getattr(channel, "id", "?"))
        yield
        return
    try:
        yield
    finally:
        await typing.__aexit__(None, None, None)


class Questions(commands.Cog):
    def __init__(self, bot: QaBot) -> None:
        self.bot = bot
        self.cooldown = bot.cooldown

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know; the answer quotes the sources",
        private="Only you see the answer (default: everyone in the channel)",
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        private: bool = False,
    ) -> None:
        """Ask a question about the sources; the answer quotes the passages that match best."""
        retry_after = self.cooldown.retry_after(interaction.user.id)
        if retry_after is not None:
            raise OnCooldown(retry_after)
        asked = Asked(question, interaction.user.id, interaction.guild_id, interaction.channel_id, "slash")
        await interaction.response.defer(thinking=True, ephemeral=private)
        try:
            answer, corpus = await answer_off_loop(self.bot, question, interaction.guild_id)
        except EmptyQuestion:
            raise OnlyMentions() from None
        reply = answer_message(
            answer, corpus, embeds=embeds_allowed(interaction.app_permissions, interaction.channel_id)
        )
        threaded = (
            self.bot.settings.answer_in_threads and not private and isinstance(interaction.channel, discord.TextChannel)
        )
        if threaded:
            message_id = await self._answer_slash_in_thread(interaction, question, reply)
        else:
            sent = await interaction.followup.send(**reply.kwargs(), ephemeral=private, wait=True)
            message_id = sent.id
        await record_answer(self.bot, asked, answer, message_id)

    async def _answer_slash_in_thread(
        self, interaction: discord.Interaction, question: str, reply: AnswerMessage
    ) -> int | None:
        """Post the question in the channel, open a thread on it named after it, and answer inside."""
        header = await interaction.followup.send(
            f"**Q:** {safe(one_line(clean_question(question), 300))}\nAnswered in the thread below.",
            allowed_mentions=NO_MENTIONS,
            suppress_embeds=True,
            wait=True,
        )
        try:
            # A followup message carries no guild; the channel opens a thread on it by id.
            thread = await interaction.channel.create_thread(name=thread_name(question), message=header)
        except discord.HTTPException:
            log.warning("Could not open a thread (Create Public Threads permission?); answering in the channel")
            sent = await interaction.followup.send(**reply.kwargs(), wait=True)
            return sent.id
        sent = await thread.send(**reply.kwargs())
        return sent.id

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or not addressed_to(message, me.id):
            return
        # answering removes mention tokens (the bot's own and its role's included) before retrieval.
        question = message.content[:MAX_QUESTION_CHARS]
        called = me.id in message.raw_mentions or role_mentioned(message, me.id)
        in_dm = isinstance(message.channel, discord.DMChannel)
        if in_dm and not clean_question(question):
            return  # an attachment or sticker alone asks nothing
        if not called and not in_dm and not looks_like_a_question(clean_question(question)):
            # A reply that asks nothing ("thanks!", "👍", an image, or any reply when the Message Content intent is
            # off: Discord then sends replies that don't ping the bot with empty content) is left alone.
            return
        retry_after = self.cooldown.retry_after(message.author.id)
        if retry_after is not None:
            # One notice per wait: twenty quick mentions must not become twenty bot messages.
            if self.cooldown.notice_due(message.author.id, retry_after):
                await self._send_text(message, str(OnCooldown(retry_after)), delete_after=COOLDOWN_NOTICE_SECONDS)
            return
        via = "dm" if in_dm else "thread" if in_own_thread(message, me.id) else "mention"
        guild_id = getattr(message.channel, "guild_id", None) or (message.guild.id if message.guild else None)
        asked = Asked(question, message.author.id, guild_id, message.channel.id, via)
        async with typing_in(message.channel):
            try:
                previous = question_in_context(message, me.id)
                answer, corpus = await answer_off_loop(self.bot, question, guild_id, previous=previous)
            except EmptyQuestion:
                await self._send_text(message, MENTION_HELP)
                return
            except RetrievalError as error:
                await self._send_text(message, render_error(str(error)))
                return
            except Exception:
                log.exception("Unexpected error answering a mention question")
                await self._send_text(message, GENERIC_ERROR)
                return
        reply = answer_message(answer, corpus, embeds=embeds_allowed(message_permissions(message), message.channel.id))
        sent = await self._send_answer(message, question, reply, answer, corpus)
        await record_answer(self.bot, asked, answer, sent.id if sent else None)

    async def _send_answer(self, message: discord.Message, question: str, reply: AnswerMessage, answer, corpus):
        """Reply with the answer: in a new thread named after the question when ``ANSWER_IN_THREADS`` is on and the
        question was asked in a text channel, else as a reply. An embed Discord refuses (Embed Links missing where the
        guild was not cached) is sent again as plain text."""
        target: discord.abc.Messageable | None = None
        if self.bot.settings.answer_in_threads and isinstance(message.channel, discord.TextChannel):
            try:
                target = await message.create_thread(name=thread_name(question))
            except discord.HTTPException:
                log.warning("Could not open a thread in %s; answering in the channel", message.channel.id)
        for attempt in (reply, answer_message(answer, corpus, embeds=False)):
            try:
                if target is not None:
                    return await target.send(**attempt.kwargs())
                return await message.reply(**attempt.kwargs(), mention_author=False)
            except discord.Forbidden as error:
                if attempt.embed is None or error.code != 50013:
                    log.warning("Could not answer in channel %s: %s", message.channel.id, error)
                    return None
                embeds_allowed(discord.Permissions.none(), message.channel.id)  # logs once for the channel
            except discord.HTTPException:
                log.warning("Could not reply in channel %s", message.channel.id, exc_info=True)
                return None
        return None

    async def _send_text(self, message: discord.Message, content: str, *, delete_after: float | None = None) -> None:
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
