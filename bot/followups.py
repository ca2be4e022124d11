"""Read back the question an answer message of the bot answered, so a reply to it can be asked as a follow-up."""

from __future__ import annotations

import re

import discord

_PLAIN_QUESTION = re.compile(r"\A\*\*Q:\*\* (.+)")
_ESCAPE = re.compile(r"\\([\\*_`~|>#\-\[\]()])")


def previous_question(message: discord.Message | None) -> str | None:
    """The question the bot's answer ``message`` answered, or None when ``message`` is not such an answer.

    An embed answer carries the question as its author line (:func:`bot.views.answer_embed.question_line`: one line,
    cut at 256 characters with "…"); a plain-text answer (no Embed Links permission, or the console's text) opens
    with ``**Q:** question``, whose markdown escapes and broken mentions are undone here. The store keeps the full
    text by message id (:meth:`bot.store.FeedbackStore.question_for_message`) for a question longer than that.
    Pass ``message.reference.resolved`` of a reply; the caller checks the message is the bot's own.
    """
    if not isinstance(message, discord.Message):
        return None
    for embed in message.embeds:
        if embed.author and embed.author.name:
            return embed.author.name
    match = _PLAIN_QUESTION.match(message.content or "")
    if not match:
        return None
    text = _ESCAPE.sub(r"\1", match.group(1).split("\n", 1)[0]).replace("@\u200b", "@")
    return text.strip() or None


def question_in_context(message: discord.Message, bot_id: int) -> str | None:
    """The earlier question a new ``message`` follows up, or None: the question of the bot's answer it replies to
    (:func:`previous_question`), else, inside a thread the bot opened for an answer (``ANSWER_IN_THREADS``), the
    question the thread is named after (cut at 100 characters)."""
    reference = message.reference
    resolved = reference.resolved if reference else None
    if isinstance(resolved, discord.Message) and resolved.author.id == bot_id:
        return previous_question(resolved)
    channel = message.channel
    if isinstance(channel, discord.Thread) and channel.owner_id == bot_id:
        return channel.name or None
    return None
