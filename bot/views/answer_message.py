"""An answer as the message qabot sends: an embed with buttons, or plain text where embeds can't be shown."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import discord

from bot.limits import CONTENT_LIMIT
from bot.render import render_answer
from bot.views.answer_embed import answer_embed
from bot.views.buttons import answer_view
from retrieval.corpus import Corpus
from retrieval.models import Answer

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
MAX_CHANNELS_REMEMBERED = 10_000
_told: set[int] = set()


@dataclass(frozen=True)
class AnswerMessage:
    """What to send: ``content`` (plain-text fallback) or ``embed``, and the buttons. ``kwargs`` for ``send``."""

    content: str | None
    embed: discord.Embed | None
    view: discord.ui.View | None

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``Messageable.send``/``followup.send``: no mention can ping; link previews are
        suppressed for plain text (the flag would hide an embed, and an embed's links never unfurl)."""
        values: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.embed is not None:
            values["embed"] = self.embed
        else:
            values["content"] = self.content
            values["suppress_embeds"] = True
        if self.view is not None:
            values["view"] = self.view
        return values


def answer_message(answer: Answer, corpus: Corpus, *, embeds: bool, about: str | None = None) -> AnswerMessage:
    """The message for ``answer``: an embed when ``embeds`` (the channel allows Embed Links), else the console's text
    (:func:`bot.render.render_answer`), with ``about`` as its first line when given. Buttons either way."""
    view = answer_view(answer, corpus)
    if embeds:
        return AnswerMessage(None, answer_embed(answer, corpus, about=about), view)
    text = render_answer(answer, corpus)
    if about and len(about) + 1 + len(text) <= CONTENT_LIMIT:  # else the answer alone: it is what matters
        text = f"{about}\n{text}"
    return AnswerMessage(text, None, view)


def embeds_allowed(permissions: discord.Permissions, channel_id: int | None) -> bool:
    """Whether the bot may send embeds where ``permissions`` apply; when not, say so once per channel in the log."""
    if permissions.embed_links:
        return True
    if channel_id not in _told and len(_told) < MAX_CHANNELS_REMEMBERED:
        _told.add(channel_id or 0)
        log.warning(
            "No Embed Links permission in channel %s: answers there are sent as plain text. Grant Embed Links to "
            "the bot's role for embeds.",
            channel_id,
        )
    return False


def message_permissions(message: discord.Message) -> discord.Permissions:
    """The bot's permissions where ``message`` was sent; all text permissions in a DM, or when the guild is not cached
    (Discord then refuses an embed it may not send, and :func:`send_answer` falls back to text)."""
    guild = message.guild
    channel = message.channel
    if guild is not None and guild.me is not None and hasattr(channel, "permissions_for"):
        return channel.permissions_for(guild.me)
    return discord.Permissions.text()
