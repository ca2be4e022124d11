"""The buttons under an answer, persistent across restarts.

Each is a :class:`discord.ui.DynamicItem`: its ``custom_id`` carries what it needs (a passage id, a vote) and the
bot registers the templates at start-up (``add_dynamic_items``), so a button on an answer sent before a restart,
or before a reload changed the library, still works: it names a passage id, which is looked up in the current
library, and says so when that passage is gone. Every reply to a press is ephemeral.

custom_ids (stable: changing one breaks the buttons of every answer already posted):
``qabot:vote:up``, ``qabot:vote:down``, ``qabot:passage:{passage id}`` (or ``qabot:passage:#{sha256 prefix}`` for an
id too long for the 100-character limit), ``qabot:more``.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.answering import corpus_for
from bot.followups import previous_question
from bot.limits import BUTTON_URL_LIMIT, CUSTOM_ID_LIMIT
from bot.render import code, render_passage, render_quote
from bot.store import VoteResult
from bot.views.answer_embed import hits_embed, usable_url
from retrieval.answers.answering import MAX_QUOTES, answer_question
from retrieval.corpus import Corpus
from retrieval.errors import RetrievalError
from retrieval.models import Answer, Passage

if TYPE_CHECKING:
    from bot.client import QaBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
MORE_RESULTS = 3
PASSAGE_PREFIX = "qabot:passage:"
HASHED_KEY_CHARS = 24
PASSAGE_GONE = "That passage is no longer in the sources (they were reloaded since this answer). Ask again."
QUESTION_UNKNOWN = "I can't tell which question this answer was for any more. Ask again with /ask."
EXPIRED_CODES = {10062, 10015}
"""Unknown interaction (the 3-second window or the 15-minute token passed), unknown webhook."""
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def passage_key(passage_id: str) -> str:
    """The part of a "Full passage" custom_id naming ``passage_id``: the id itself when it fits in the 100-character
    custom_id, else ``#`` and a SHA-256 prefix of it (looked up among the current passages)."""
    if len(PASSAGE_PREFIX) + len(passage_id) <= CUSTOM_ID_LIMIT and not passage_id.startswith("#"):
        return passage_id
    return "#" + hashlib.sha256(passage_id.encode()).hexdigest()[:HASHED_KEY_CHARS]


def find_passage(key: str, corpus: Corpus) -> Passage | None:
    """The passage ``key`` (from :func:`passage_key`) names in ``corpus``, or None when it is gone."""
    for passage in corpus.passages:
        if passage.id == key or (key.startswith("#") and passage_key(passage.id) == key):
            return passage
    return None


def answer_view(answer: Answer, corpus: Corpus) -> discord.ui.View | None:
    """The buttons for ``answer``: 👍 👎, "Full passage", "More results", and "Open article" when the best passage's
    source has a URL. None for a refusal (nothing to vote on or open; refusals are counted for /gaps anyway)."""
    if not answer.hits:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(1))
    view.add_item(VoteButton(-1))
    view.add_item(FullPassageButton(passage_key(answer.hits[0].passage.id)))
    view.add_item(MoreResultsButton())
    url = usable_url(corpus.source(answer.hits[0].passage.source_id).url, BUTTON_URL_LIMIT)
    if url:
        view.add_item(discord.ui.Button(style=discord.ButtonStyle.link, label="Open article", url=url))
    return view


def reports_expiry(callback: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Wrap a button callback: an interaction that expired before the reply (Discord errors 10062/10015) is logged on
    one line instead of raising; other HTTP errors are logged with their traceback."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except discord.NotFound as error:
            if error.code not in EXPIRED_CODES:
                raise
            log.info("A button press expired before qabot replied (%s)", error.text)
        except discord.HTTPException:
            log.warning("Could not reply to a button press", exc_info=True)

    return wrapper


async def _reply(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Reply to a press, ephemerally, pinging no one; plain text with link previews suppressed."""
    if "embed" not in kwargs:
        kwargs.setdefault("suppress_embeds", True)
    await interaction.response.send_message(ephemeral=True, allowed_mentions=NO_MENTIONS, **kwargs)


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"qabot:vote:(?P<direction>up|down)"):
    """👍 or 👎 on an answer: one vote per user per answer, changeable; acknowledged ephemerally."""

    def __init__(self, vote: int) -> None:
        self.vote = vote
        direction = "up" if vote > 0 else "down"
        super().__init__(
            discord.ui.Button(
                emoji="👍" if vote > 0 else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"qabot:vote:{direction}",
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(1 if match["direction"] == "up" else -1)

    @reports_expiry
    async def callback(self, interaction: discord.Interaction) -> None:
        client: QaBot = interaction.client  # type: ignore[assignment]
        message_id = interaction.message.id if interaction.message else 0
        result = await client.store.record_vote(message_id, interaction.user.id, self.vote)
        thumb = "👍" if self.vote > 0 else "👎"
        text = {
            VoteResult.NEW: f"Thanks: {thumb} counted. Moderators see answers marked 👎 and fix the sources.",
            VoteResult.CHANGED: f"Changed your vote on this answer to {thumb}.",
            VoteResult.SAME: f"You already voted {thumb} on this answer; it counts once.",
            VoteResult.NOT_SAVED: "Thanks. Your vote couldn't be saved just now; please try again later.",
        }[result]
        await _reply(interaction, content=text)


class FullPassageButton(discord.ui.DynamicItem[discord.ui.Button], template=r"qabot:passage:(?P<key>.+)"):
    """Shows the best passage in full, ephemerally."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            discord.ui.Button(
                label="Full passage", style=discord.ButtonStyle.secondary, custom_id=f"{PASSAGE_PREFIX}{key}"
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["key"])

    @reports_expiry
    async def callback(self, interaction: discord.Interaction) -> None:
        client: QaBot = interaction.client  # type: ignore[assignment]
        corpus = await corpus_for(client, interaction.guild_id)
        passage = find_passage(self.key, corpus)
        if passage is None:
            await _reply(interaction, content=PASSAGE_GONE)
            return
        await _reply(interaction, content=render_passage(passage, corpus.source(passage.source_id)))


class MoreResultsButton(discord.ui.DynamicItem[discord.ui.Button], template=r"qabot:more"):
    """The next passages for the same question (those the answer did not quote), ephemerally."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label="More results", style=discord.ButtonStyle.secondary, custom_id="qabot:more")
        )

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls()

    @reports_expiry
    async def callback(self, interaction: discord.Interaction) -> None:
        client: QaBot = interaction.client  # type: ignore[assignment]
        message = interaction.message
        question = None
        if message is not None:
            question = await client.store.question_for_message(message.id) or previous_question(message)
        if not question:
            await _reply(interaction, content=QUESTION_UNKNOWN)
            return
        corpus = await corpus_for(client, interaction.guild_id)
        shown = quoted_ids(message) if message is not None else set()
        try:
            answer = await asyncio.to_thread(answer_question, question, corpus, max_quotes=MAX_QUOTES + MORE_RESULTS)
        except RetrievalError as error:
            await _reply(interaction, content=str(error))
            return
        if not shown:  # a plain-text answer shows no ids: it quoted the first ones
            shown = {hit.passage.id for hit in answer.hits[:MAX_QUOTES]}
        more = [hit for hit in answer.hits if hit.passage.id not in shown][:MORE_RESULTS]
        empty = "No other passage matches this question well enough to quote."
        if interaction.app_permissions.embed_links:
            await _reply(interaction, embed=hits_embed("More results", more, corpus, empty=empty))
            return
        lines = [f"{render_quote(h.passage.text, 500)[0]}\n{code(h.passage.id)}" for h in more] or [empty]
        await _reply(interaction, content="\n\n".join(lines)[:2000])


def quoted_ids(message: discord.Message) -> set[str]:
    """Passage ids an answer embed shows (in code spans of its description and fields)."""
    ids: set[str] = set()
    for embed in message.embeds:
        texts = [embed.description or "", *(field.value or "" for field in embed.fields)]
        for text in texts:
            ids.update(m for m in _CODE_SPAN.findall(text) if ":" in m)
    return ids


DYNAMIC_ITEMS = (VoteButton, FullPassageButton, MoreResultsButton)
"""Registered with ``Client.add_dynamic_items`` at start-up, so buttons of earlier answers keep working."""
