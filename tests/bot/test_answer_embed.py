"""The answer embed: Discord's embed limits under any input, citations, the question kept for follow-ups."""

from __future__ import annotations

import hashlib
import re

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.followups import previous_question
from bot.limits import (
    EMBED_AUTHOR_NAME_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_FOOTER_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
)
from bot.render import render_answer
from bot.views import answer_embed, answer_message, hits_embed
from retrieval.corpus import Corpus
from retrieval.models import Answer, Hit, Source
from tests.bot.test_render import CONTROLS, HOSTILE

PINGS = re.compile(r"@(everyone|here)|<@[!&]?\d+>")
words = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE)), max_size=600).map("".join)


def _source(text: str, title: str = "Title", url: str | None = None, sid: str = "s", published=None) -> Source:
    return Source(
        id=sid,
        file_name=f"{sid}.txt",
        title=title,
        url=url,
        published=published,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def assert_embed_within_limits(embed: discord.Embed) -> None:
    """Every per-part limit of an embed, its 6000-character total, and no live mention or control character in
    the parts Discord renders as markdown."""
    data = embed.to_dict()
    assert len(data.get("title", "")) <= EMBED_TITLE_LIMIT
    assert len(data.get("description", "")) <= EMBED_DESCRIPTION_LIMIT
    assert 0 < len(data["author"]["name"]) <= EMBED_AUTHOR_NAME_LIMIT
    assert len(data.get("footer", {}).get("text", "")) <= EMBED_FOOTER_LIMIT
    assert len(data.get("fields", [])) <= EMBED_FIELDS_LIMIT
    for field in data.get("fields", []):
        assert 0 < len(field["name"]) <= EMBED_FIELD_NAME_LIMIT
        assert 0 < len(field["value"]) <= EMBED_FIELD_VALUE_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT
    rendered = [data.get("title", ""), data.get("description", "")] + [
        f["name"] + f["value"] for f in data.get("fields", [])
    ]
    for text in rendered:
        assert not PINGS.search(text), text
        assert not CONTROLS.search(text), ascii(text)
    assert not CONTROLS.search(data["author"]["name"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bodies=st.lists(words, min_size=1, max_size=3),
    question=st.text(max_size=2000) | words,
    title=st.text(max_size=600) | words,
    published=st.none() | st.text(max_size=300),
    data=st.data(),
)
def test_any_answer_embed_holds_every_embed_limit(bodies, question, title, published, data):
    """Whatever the passages (up to three sources), question, titles, dates and URLs, the embed stays within 256
    title, 4096 description, 256 author and field names, 1024 field values, 25 fields and 6000 in total, with no
    live mention or control character; one embed a message (of Discord's 10)."""
    url = data.draw(st.none() | st.just("https://e.x/@here") | st.just("https://e.x/" + "a" * 3000))
    sources = [
        _source(
            body if body.strip() else "fallback text.", title=title or "t", url=url, sid=f"s{i}", published=published
        )
        for i, body in enumerate(bodies)
    ]
    corpus = Corpus.build(sources)
    hits = tuple(Hit(passage=p, score=1.0) for p in data.draw(st.permutations(corpus.passages))[:3])
    focus = None
    if hits and len(hits[0].passage.text) > 1:
        start = data.draw(st.integers(0, len(hits[0].passage.text) - 1))
        focus = (start, data.draw(st.integers(start + 1, len(hits[0].passage.text))))
    answer = Answer(question=question or "?", hits=hits, best_sentence=focus)
    if data.draw(st.booleans()):
        answer = Answer(question=question or "?", not_covered_reason=f"The sources don't mention “{question}”.")
    message = answer_message(answer, corpus, embeds=True)
    assert message.embed is not None and message.content is None
    assert_embed_within_limits(message.embed)
    assert len([message.embed]) <= EMBEDS_PER_MESSAGE
    more = hits_embed("More results", hits, corpus, empty="none")
    assert len(more) <= EMBED_TOTAL_LIMIT and len(more.fields) <= 3


def _seedlike() -> tuple[Corpus, Answer]:
    text = "First sentence here. The call lasted eight minutes. Third one.\n\nSecond paragraph about the raid."
    corpus = Corpus.build(
        [_source(text, title="The *call*", url="https://example.org/a", published="2026-02-25", sid="art")]
    )
    hits = (Hit(passage=corpus.passages[0], score=2.0), Hit(passage=corpus.passages[1], score=1.0))
    start = text.index("The call")
    return corpus, Answer(
        question="How long was the call?",
        hits=hits,
        best_sentence=(start, start + len("The call lasted eight minutes.")),
    )


def test_the_embed_cites_title_link_paragraph_date_and_id():
    """The title is the article's (markdown escaped), linked to its URL; the best sentence is bold; the citation
    line gives paragraph, published date and the passage id; a supporting quote has its own citation."""
    corpus, answer = _seedlike()
    data = answer_embed(answer, corpus).to_dict()
    assert data["title"] == r"The \*call\*" and data["url"] == "https://example.org/a"
    assert "**The call lasted eight minutes.**" in data["description"]
    assert data["description"].endswith("— paragraph 1 · published 2026-02-25 · `art:1`")
    (field,) = data["fields"]
    assert field["name"] == "Also in paragraph 2 · published 2026-02-25"  # the title above names the article
    assert field["value"] == "> Second paragraph about the raid.\n`art:2`"


def test_a_supporting_quote_from_another_article_names_that_article():
    """A supporting quote from another source carries that source's title, since the embed title is the first's."""
    corpus = Corpus.build([_source("Alpha text here.", title="Alpha", sid="a"), _source("Beta text.", title="Beta")])
    hits = (Hit(passage=corpus.passages[0], score=2.0), Hit(passage=corpus.passages[1], score=1.0))
    data = answer_embed(Answer(question="q?", hits=hits), corpus).to_dict()
    assert data["title"] == "Alpha" and [f["name"] for f in data["fields"]] == ["Also: Beta, paragraph 1"]


def test_plain_text_fallback_is_the_console_text():
    """Without embeds the message is exactly what ``qabot ask`` prints, buttons included."""
    corpus, answer = _seedlike()
    message = answer_message(answer, corpus, embeds=False)
    assert message.content == render_answer(answer, corpus) and message.embed is None
    assert message.kwargs()["suppress_embeds"] is True and message.view is not None


def test_the_question_is_recoverable_from_either_form():
    """A follow-up can read the question back from an embed answer and from a plain-text answer (escapes and
    broken mentions undone)."""
    corpus, answer = _seedlike()
    tricky = Answer(question="What did @everyone *say* about U_S?", hits=answer.hits, best_sentence=None)
    embed_message = _message_with(embeds=[answer_embed(tricky, corpus).to_dict()])
    plain_message = _message_with(content=render_answer(tricky, corpus))
    assert previous_question(embed_message) == tricky.question
    assert previous_question(plain_message) == tricky.question
    assert previous_question(_message_with(content="hello")) is None
    assert previous_question(None) is None


def _message_with(content: str = "", embeds=()) -> discord.Message:
    from tests.bot.fake_discord import _message

    payload = _message(1, {"content": content, "embeds": list(embeds)})
    state = discord.Client(intents=discord.Intents.none())._connection
    channel = discord.PartialMessageable(state=state, id=1)
    return discord.Message(state=state, channel=channel, data=payload)
