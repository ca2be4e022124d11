"""What qabot replies, as message strings: the calls the console and the Discord cogs share.

Each function is synchronous and CPU-bound (retrieval and rendering); the cogs run them in a worker thread.
"""

from __future__ import annotations

import re

from bot.render import (
    ESCAPE_SEQUENCES,
    render_answer,
    render_passage,
    render_sources,
    render_summary,
    render_topic_summary,
)
from retrieval.answers.answering import answer_question
from retrieval.answers.query import QUESTION_OPENERS
from retrieval.corpus import Corpus
from retrieval.errors import RetrievalError
from retrieval.models import Answer, Summary, TopicSummary
from retrieval.summaries.recency import most_recent_first
from retrieval.summaries.summarizing import summarize
from retrieval.summaries.topics import summarize_topic

DEFAULT_SUMMARY_SENTENCES = 5
MAX_SUMMARY_SENTENCES = 15

# Discord tokens that are not words of a question: user/role/channel/command mentions, custom emoji, timestamps,
# @everyone/@here.
_DISCORD_TOKENS = re.compile(
    r"<@[!&]?\d+>|<#\d+>|<a?:\w+:\d+>|</[\w -]+:\d+>|<t:-?\d+(?::[tTdDfFR])?>|@everyone\b|@here\b", re.IGNORECASE
)


# Invisible characters that are no part of a word typed: zero-width space and joiners, word joiner, invisible
# operators, byte-order mark, soft hyphen. A question of only these is blank.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def clean_question(text: str) -> str:
    """``text`` without mention, channel and emoji tokens, terminal escape sequences and invisible characters
    (zero-width spaces and joiners, soft hyphens), white space collapsed."""
    return " ".join(_DISCORD_TOKENS.sub(" ", _INVISIBLE.sub("", ESCAPE_SEQUENCES.sub(" ", text))).split())


def looks_like_a_question(text: str) -> bool:
    """Whether a reply to one of the bot's answers asks something: it holds "?" or opens with a question word or an
    auxiliary ("why", "did", "is"). "thanks!", "lol" and "👍" are not questions, and are left unanswered."""
    words = text.split(maxsplit=1)
    return "?" in text or (bool(words) and words[0].strip(",.:;!").casefold() in QUESTION_OPENERS)


def reply_to_question(question: str, corpus: Corpus, *, previous: str | None = None) -> tuple[Answer, str]:
    """Answer ``question`` (a follow-up of the ``previous`` question when given) and render the reply. Raises
    :class:`~retrieval.errors.EmptyQuestion` when blank."""
    answer = answer_question(clean_question(question), corpus, previous=clean_question(previous) if previous else None)
    return answer, render_answer(answer, corpus)


class UnknownPassage(RetrievalError):
    """No passage has ``passage_id``; ``parts`` lists the ids of its parts when it names a split paragraph."""

    def __init__(self, passage_id: str, parts: list[str]) -> None:
        self.passage_id = passage_id
        self.parts = parts
        if parts:
            hint = f"that paragraph was split into parts: {', '.join(parts[:5])}"
        else:
            hint = "ids look like source-id:3 (see the citations)"
        super().__init__(f"no passage has the id {passage_id!r}; {hint}")


def passage_reply(passage_id: str, corpus: Corpus) -> str:
    """One passage in full. Raises :class:`UnknownPassage`."""
    wanted = passage_id.strip().lower()  # source ids are lower-case; "TRUMP-…:3" is a typing slip
    passage = corpus.passage(wanted)
    if passage is not None:
        return render_passage(passage, corpus.source(passage.source_id))
    parts = corpus.passages_of(wanted.rpartition(":")[0])
    raise UnknownPassage(passage_id, [p.id for p in parts if p.id.startswith(wanted + ".")])


def summaries(
    corpus: Corpus, source_id: str | None, sentences: int, *, max_sources: int | None = None
) -> list[Summary]:
    """Summaries of one source (by id) or of every source, most recent first (by published date when known, else
    by when the file was added; :func:`~retrieval.summaries.most_recent_first`), the first ``max_sources`` when
    given.

    Raises
    ------
    UnknownSource
        ``source_id`` names no loaded source.
    ValueError
        ``sentences`` is not between 1 and :data:`MAX_SUMMARY_SENTENCES`.
    """
    if not 1 <= sentences <= MAX_SUMMARY_SENTENCES:
        raise ValueError(f"sentences must be between 1 and {MAX_SUMMARY_SENTENCES}, got {sentences}")
    sources = [corpus.source(source_id)] if source_id else most_recent_first(corpus.sources)[:max_sources]
    return [summarize(source, corpus.passages_of(source.id), sentences) for source in sources]


def summary_messages(
    corpus: Corpus, source_id: str | None, sentences: int, *, max_sources: int | None = None
) -> list[str]:
    """Rendered summaries (one or more messages a source). With no ``source_id``, every source, or the
    ``max_sources`` most recent and a last line saying how many were left out. A note when no sources are loaded."""
    if not corpus.sources:
        return render_sources(corpus)
    messages: list[str] = []
    for summary in summaries(corpus, source_id, sentences, max_sources=max_sources):
        messages.extend(render_summary(summary, corpus.source(summary.source_id)))
    left_out = 0 if source_id or max_sources is None else len(corpus.sources) - max_sources
    if left_out > 0:
        messages.append(
            f"…and {left_out} more source(s), older, left out. Pick one with the `source` option to summarize it."
        )
    return messages


def topic_summary(corpus: Corpus, topic: str, sentences: int, source_id: str | None = None) -> TopicSummary:
    """What the sources (or the one ``source_id`` names) say about ``topic``, in at most ``sentences`` sentences.

    Raises
    ------
    EmptyTopic, TopicTooLong, UnknownSource
        The topic has no word to look for, is too long, or the source id is unknown.
    ValueError
        ``sentences`` is not between 1 and :data:`MAX_SUMMARY_SENTENCES`.
    """
    if not 1 <= sentences <= MAX_SUMMARY_SENTENCES:
        raise ValueError(f"sentences must be between 1 and {MAX_SUMMARY_SENTENCES}, got {sentences}")
    return summarize_topic(clean_question(topic), corpus, sentences, source_id=source_id)


def topic_summary_messages(corpus: Corpus, topic: str, sentences: int, source_id: str | None = None) -> list[str]:
    """:func:`topic_summary` rendered as one or more messages; a note when no sources are loaded."""
    if not corpus.sources:
        return render_sources(corpus)
    return render_topic_summary(topic_summary(corpus, topic, sentences, source_id), corpus)
