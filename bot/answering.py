"""The steps every Discord surface (slash command, mention, DM, context menu, thread) shares to answer a question:
answer off the event loop, and record what was asked and answered in the feedback store."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.replies import clean_question
from bot.store import QuestionRecord
from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus
from retrieval.models import Answer

if TYPE_CHECKING:
    from bot.client import QaBot


@dataclass(frozen=True)
class Asked:
    """Who asked what, where and how (``via``: slash, mention, dm, context-menu, thread); ``started`` is a
    ``time.perf_counter()`` reading taken when the question arrived."""

    question: str
    user_id: int
    guild_id: int | None
    channel_id: int | None
    via: str
    started: float = field(default_factory=time.perf_counter)


def answer_for(question: str, corpus: Corpus, previous: str | None = None) -> Answer:
    """Answer ``question`` (Discord tokens removed, :func:`bot.replies.clean_question`) from ``corpus``, as a
    follow-up of the ``previous`` question when given (a reply to the bot's answer, :mod:`bot.followups`).

    Raises
    ------
    EmptyQuestion
        Nothing is left once mentions, emoji and white space are removed.
    """
    return answer_question(clean_question(question), corpus, previous=clean_question(previous) if previous else None)


async def corpus_for(bot: QaBot, guild_id: int | None) -> Corpus:
    """The corpus that answers in ``guild_id`` (None: a DM, the shared library): the server's own library, with the
    shared one attached when settings say so (:mod:`bot.libraries`). The one place the Discord side picks a library.
    Read it once per request: a reload may swap it.

    Raises
    ------
    LibraryUnavailable
        The server's library folder cannot be created on the host.
    """
    return (await bot.service_for(guild_id)).corpus


async def answer_off_loop(
    bot: QaBot, question: str, guild_id: int | None, *, previous: str | None = None
) -> tuple[Answer, Corpus]:
    """:func:`answer_for` in a worker thread, with the corpus it used (:func:`corpus_for` ``guild_id``)."""
    corpus = await corpus_for(bot, guild_id)
    return await asyncio.to_thread(answer_for, question, corpus, previous), corpus


async def record_answer(bot: QaBot, asked: Asked, answer: Answer, message_id: int | None) -> None:
    """Keep the question, whether it was answered (or why not), the passages quoted and the latency in ms."""
    await bot.store.record_question(
        QuestionRecord(
            guild_id=asked.guild_id,
            channel_id=asked.channel_id,
            user_id=asked.user_id,
            question=answer.question or asked.question,
            answered=answer.answered,
            refusal=answer.not_covered_reason,
            passage_ids=tuple(hit.passage.id for hit in answer.hits),
            latency_ms=(time.perf_counter() - asked.started) * 1000,
            message_id=message_id,
            via=asked.via,
        )
    )
