"""What the feedback store keeps and returns: typed, immutable records (no SQL here)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuestionRecord:
    """One question asked and what qabot did with it.

    ``user_id`` is the Discord id; the store keeps only its keyed hash. ``passage_ids`` are the passages quoted, best
    first (empty when refused). ``latency_ms`` is wall time from receiving the question to sending the answer, in
    milliseconds. ``message_id`` is the answer message's id (None when unknown, e.g. an ephemeral answer's).
    ``via`` is how it was asked: ``slash``, ``mention``, ``dm``, ``context-menu``, ``thread``.
    """

    guild_id: int | None
    channel_id: int | None
    user_id: int
    question: str
    answered: bool
    refusal: str | None
    passage_ids: tuple[str, ...]
    latency_ms: float
    message_id: int | None = None
    via: str = "slash"


@dataclass(frozen=True)
class ReloadRecord:
    """One reload: who ran it (None at start-up), whether it succeeded, what changed, the error, its seconds."""

    guild_id: int | None
    user_id: int | None
    ok: bool
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0


class VoteResult(enum.Enum):
    """What recording a vote did."""

    NEW = "new"
    CHANGED = "changed"
    SAME = "same"
    """The user had already cast this vote on this answer (a double click): nothing changed."""
    NOT_SAVED = "not saved"
    """The store could not write it (locked, full disk, unavailable); logged, and the user is told politely."""


@dataclass(frozen=True)
class RefusedQuestion:
    """A refused question (compared case-insensitively), how often it was asked, and the latest reason given."""

    question: str
    count: int
    refusal: str | None


@dataclass(frozen=True)
class DownvotedAnswer:
    """An answer with 👎 votes: the question, the passages it quoted, and its vote counts."""

    message_id: int
    question: str
    passage_ids: tuple[str, ...]
    down: int
    up: int


@dataclass(frozen=True)
class GapsReport:
    """What moderators act on: the most frequent refused questions and the most 👎 answers of the last ``days``."""

    days: int
    refused: tuple[RefusedQuestion, ...] = field(default=())
    downvoted: tuple[DownvotedAnswer, ...] = field(default=())
    questions: int = 0
    """How many questions were asked in the period (the denominator of the counts above)."""
