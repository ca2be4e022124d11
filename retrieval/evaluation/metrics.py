"""Question-answering metrics over quoted passages: hit@k, MRR@k, abstention.

A quote *hits* when, after :func:`normalize_for_match`, it contains one of the question's answer strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201a": "'", "\u201e": '"'})
_SPACE = re.compile(r"\s+")


def normalize_for_match(text: str) -> str:
    """Unicode NFKC, case folding, curly quotes to straight, runs of white space to one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_CURLY).casefold()).strip()


def contains_answer(quote: str, answers: Sequence[str]) -> bool:
    """True when ``quote`` contains any of ``answers`` (both normalised); False for no answers."""
    normalized = normalize_for_match(quote)
    return any(normalize_for_match(a) in normalized for a in answers if a.strip())


@dataclass(frozen=True)
class QaOutcome:
    """One evaluated question: whether it is answerable, the quotes given (best first) and the 1-based rank of the
    first quote that hits (None when none does)."""

    question: str
    answerable: bool
    quotes: tuple[str, ...]
    first_hit_rank: int | None
    not_covered_reason: str | None = None


@dataclass(frozen=True)
class QaMetrics:
    """Rates are fractions in [0, 1]; None where their denominator is zero.

    hit@k and MRR@3 are over answerable questions (a question given no quote counts as a miss); abstain recall is
    the share of unanswerable questions given no quote; false-abstain rate the share of answerable ones given none;
    ``mean_first_quote_chars`` the mean length of the first quote, in characters, over questions that got one.
    """

    questions: int
    answerable: int
    unanswerable: int
    hit_at_1: float | None
    hit_at_3: float | None
    mrr_at_3: float | None
    abstain_recall: float | None
    false_abstain_rate: float | None
    mean_first_quote_chars: float | None


def first_hit_rank(quotes: Sequence[str], answers: Sequence[str]) -> int | None:
    """1-based rank of the first quote containing an answer, or None."""
    for rank, quote in enumerate(quotes, start=1):
        if contains_answer(quote, answers):
            return rank
    return None


def qa_metrics(outcomes: Sequence[QaOutcome]) -> QaMetrics:
    """Aggregate :class:`QaOutcome` rows into :class:`QaMetrics`."""
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    first_quotes = [len(o.quotes[0]) for o in outcomes if o.quotes]

    def share(rows: Sequence[QaOutcome], keep) -> float | None:
        return sum(1 for o in rows if keep(o)) / len(rows) if rows else None

    return QaMetrics(
        questions=len(outcomes),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=share(answerable, lambda o: o.first_hit_rank == 1),
        hit_at_3=share(answerable, lambda o: o.first_hit_rank is not None and o.first_hit_rank <= 3),
        mrr_at_3=(
            sum(1 / o.first_hit_rank for o in answerable if o.first_hit_rank and o.first_hit_rank <= 3)
            / len(answerable)
            if answerable
            else None
        ),
        abstain_recall=share(unanswerable, lambda o: not o.quotes),
        false_abstain_rate=share(answerable, lambda o: not o.quotes),
        mean_first_quote_chars=sum(first_quotes) / len(first_quotes) if first_quotes else None,
    )
