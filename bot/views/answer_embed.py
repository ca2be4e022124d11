"""An answer as a Discord embed: the article's title (linked when the source has a URL), the best passage quoted with
its best sentence in bold, "paragraph N", the published date when known, the passage id to type back into /passage,
and at most two supporting quotes as fields, each with its own citation.

The question goes in the embed's author line, so the answer message says what it answers and a reply to it can be
read as a follow-up (:func:`bot.followups.previous_question`). Every text passes through the renderer's guards
(:func:`bot.render.safe`: no control characters, no bidi overrides, markdown escaped, mentions broken) and every
length is checked against Discord's embed limits in :mod:`bot.limits`.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.limits import (
    EMBED_AUTHOR_NAME_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FOOTER_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBED_URL_LIMIT,
)
from bot.render import ELLIPSIS, code, drop_controls, one_line, render_quote, safe
from retrieval.corpus import Corpus
from retrieval.models import Answer, Hit, Passage, Source

ANSWERED_COLOUR = discord.Colour.blurple()
NOT_COVERED_COLOUR = discord.Colour.light_grey()
FIRST_QUOTE_CHARS = 1500
"""Budget of the best passage's quote in the description (passages are at most ~900 characters, so it is whole)."""
SUPPORTING_QUOTE_CHARS = 600
"""Budget of a supporting quote: short enough to read at a glance, within a field's 1024 characters."""
MAX_SUPPORTING = 2
FOOTER = "qabot quotes the sources verbatim · /passage id: shows a passage in full"
PUBLISHED_CHARS = 40


def fit_safe(text: str, limit: int) -> str:
    """``text`` on one line, escaped by :func:`bot.render.safe`, at most ``limit`` characters (cut with "…" before
    escaping, so an escape is never split)."""
    raw = one_line(text)
    cut = len(raw)
    while True:
        shown = safe(raw if cut >= len(raw) else raw[: max(cut - 1, 0)].rstrip() + ELLIPSIS)
        if len(shown) <= limit:
            return shown
        cut = min(cut - 1, cut - (len(shown) - limit))  # escapes at most double a character: converges quickly


def usable_url(url: str | None, limit: int = EMBED_URL_LIMIT) -> str | None:
    """``url`` when it can be shown as a link (an http(s) URL without white space, within ``limit``), else None."""
    if url and len(url) <= limit and url.startswith(("http://", "https://")) and not any(c.isspace() for c in url):
        return drop_controls(url)
    return None


def where(passage: Passage, source: Source) -> str:
    """``paragraph 3``, ``paragraph 12, part 2``, ``paragraph 1 (photo caption)``, then ``· published DATE``."""
    text = f"paragraph {passage.paragraph}" + (f", part {passage.part}" if passage.part else "")
    if passage.kind == "caption":
        text += " (photo caption)"
    if source.published:
        text += f" · published {fit_safe(source.published, PUBLISHED_CHARS)}"
    return text


def question_line(question: str) -> str:
    """The question as the embed's author line: one line, controls dropped, at most 256 characters. Author names
    show no markdown and ping no one, so the text is kept as typed (a follow-up reads it back)."""
    return one_line(question, EMBED_AUTHOR_NAME_LIMIT) or "?"


def answer_embed(answer: Answer, corpus: Corpus, *, about: str | None = None) -> discord.Embed:
    """The embed for ``answer``; ``about`` is a line put above the quote (the context-menu answer's "About this
    message" link). Within every embed limit, whatever the question, titles and passages hold.

    A source id of a hit must be in ``corpus`` (it is, when the answer came from it).
    """
    intro = f"{about}\n" if about else ""
    if not answer.hits:
        reason = answer.not_covered_reason or "The sources don't cover that."
        embed = discord.Embed(description=(intro + safe(reason))[:EMBED_DESCRIPTION_LIMIT], colour=NOT_COVERED_COLOUR)
        embed.set_author(name=question_line(answer.question))
        return embed
    best = answer.hits[0]
    source = corpus.source(best.passage.source_id)
    quote, _ = render_quote(best.passage.text, FIRST_QUOTE_CHARS, answer.best_sentence)
    description = f"{intro}{quote}\n— {where(best.passage, source)} · {code(best.passage.id)}"
    embed = discord.Embed(
        title=fit_safe(source.title, EMBED_TITLE_LIMIT) or "Untitled",
        url=usable_url(source.url),
        description=description[:EMBED_DESCRIPTION_LIMIT],
        colour=ANSWERED_COLOUR,
    )
    embed.set_author(name=question_line(answer.question))
    for hit in answer.hits[1 : 1 + MAX_SUPPORTING]:
        name, value = supporting_field(hit, corpus, same_source=hit.passage.source_id == source.id)
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=FOOTER[:EMBED_FOOTER_LIMIT])
    return _within_total(embed)


def supporting_field(
    hit: Hit, corpus: Corpus, budget: int = SUPPORTING_QUOTE_CHARS, *, same_source: bool = False
) -> tuple[str, str]:
    """(name, value) of a field quoting ``hit``: "Also: Title, paragraph N" ("Also in paragraph N" when
    ``same_source``: the embed's title already names the article) and the quote with its passage id."""
    source = corpus.source(hit.passage.source_id)
    if same_source:
        name = f"Also in {where(hit.passage, source)}"[:EMBED_FIELD_NAME_LIMIT]
    else:
        place = f", {where(hit.passage, source)}"
        title = fit_safe(source.title, EMBED_FIELD_NAME_LIMIT - len(place) - 10) or "Untitled"
        name = f"Also: {title}{place}"[:EMBED_FIELD_NAME_LIMIT]
    ident = f"\n{code(hit.passage.id)}"
    if len(ident) > 200:  # an absurdly long id (file names are bounded by the file system, ~255 bytes)
        ident = ""
    quote, _ = render_quote(hit.passage.text, min(budget, EMBED_FIELD_VALUE_LIMIT - len(ident)))
    return name, (quote + ident)[:EMBED_FIELD_VALUE_LIMIT] or ELLIPSIS


def hits_embed(title: str, hits: Sequence[Hit], corpus: Corpus, *, empty: str) -> discord.Embed:
    """An embed listing ``hits`` as fields (the "More results" reply), or saying ``empty`` when there are none."""
    embed = discord.Embed(title=fit_safe(title, EMBED_TITLE_LIMIT), colour=ANSWERED_COLOUR)
    if not hits:
        embed.description = safe(empty)[:EMBED_DESCRIPTION_LIMIT]
    for hit in hits:
        name, value = supporting_field(hit, corpus)
        embed.add_field(name=name.removeprefix("Also: "), value=value, inline=False)  # titled: sources may differ
    return _within_total(embed)


def _within_total(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until the embed's text fits :data:`EMBED_TOTAL_LIMIT` (never happens with the budgets
    above; a guard for future budgets)."""
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed
