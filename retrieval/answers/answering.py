"""Answer a question by quoting the passages that match it best, or say plainly that the sources don't cover it.

Steps:

1. The question's content words, less the words that only name the answer's type ("long" in "how long", "name" in
   "what is another name for"; :mod:`.answer_types`). A word the sources lack is looked up in the index's
   vocabulary for a misspelling, compound, acronym or demonym of a word they have (:mod:`retrieval.text.vocabulary`).
   Each word weighs its background information content (:mod:`retrieval.text.background`): "cartel" outweighs "say".
2. Abstention, before trusting any score. The sources are said not to cover the question when
   (1) none of its words occurs in any passage;
   (2) a name in it (a run of capitalised words past the first word) occurs nowhere, e.g. "the Canadian prime
   minister" when no source says "Canadian": quoting a passage that matched only "raid" would mislead;
   (3) the words that occur nowhere carry at least ``MISSING_INFORMATION_SHARE`` of the question's weight, or
   (3b) at least ``MISSING_EVIDENCE_SHARE`` of its evidence, in which a word the sources have counts less the more
   passages hold it ("What is the GDP of Mexico?" of an article about Mexico: "GDP" is what is asked); or
   (4) no single passage holds words carrying ``MIN_PASSAGE_COVERAGE`` of it (the words are there, but scattered).
   The reason names what is missing: "The sources don't mention “Biden”."
3. BM25 (:class:`~retrieval.search.Bm25Index`), then passages that hold an answer of the expected type (a duration for
   "how long", a date for "when") and score at least ``SUPPORTING_SCORE_RATIO`` of the best go first.
4. Up to ``max_quotes`` quotes, each at least ``SUPPORTING_SCORE_RATIO`` of the best score, no two near-duplicates
   (a syndicated copy or the same article loaded twice is quoted once); the best sentence of the first is marked.

Rules 3 and 4 and their thresholds were chosen on XQuAD-en (every question answerable: false abstentions) against
the same questions asked of another XQuAD article (none answerable: false answers); rule 3b's on XQuAD-en against
off-topic questions about the seed article's subjects (``benchmarks/seed-offtopic.jsonl``); see the README.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.answers.answer_types import AnswerType, has_answer_type, main_clause, question_frame
from retrieval.corpus import Corpus
from retrieval.errors import EmptyQuestion
from retrieval.models import Answer, Hit
from retrieval.search.index import Bm25Index
from retrieval.text.background import information_content
from retrieval.text.tokenizer import Token

MAX_QUOTES = 3
MAX_QUERY_WORDS = 64
"""A query keeps at most this many distinct words, the most informative first: bounds the cost of a huge question."""
MISSING_INFORMATION_SHARE = 0.6
"""Rule 3: abstain when the words the sources lack carry at least this share of the question's information."""
MIN_PASSAGE_COVERAGE = 0.3
MISSING_EVIDENCE_SHARE = 0.67
"""Rule 3b: abstain when the words the sources lack carry at least this share of the question's evidence, a word the
sources have counting in proportion to its IDF (see :func:`_evidence`)."""
"""Rule 4: abstain when no single passage holds words carrying at least this share of the question's information."""
SUPPORTING_SCORE_RATIO = 0.3
"""A supporting quote must score at least this share of the best quote's score."""
NEAR_DUPLICATE_JACCARD = 0.8
"""Passages whose term sets overlap this much (a syndicated copy, the same article twice) are quoted once."""

NAME_CONNECTORS = frozenset({"of", "the", "de", "del", "la", "le", "von", "van", "da", "al", "bin"})
"""Lower-case words that can stand inside a name, between capitalised words."""

NO_SOURCES = "No sources are loaded, so there is nothing to quote. A moderator can add articles and reload."
NO_WORDS = "That question has no words to search for. Ask about a person, place or event in the sources."
NO_CONTENT_WORDS = (
    "That question has only common words, so there is nothing to search for. Ask about a person, place or event."
)


def answer_question(question: str, corpus: Corpus, *, max_quotes: int = MAX_QUOTES) -> Answer:
    """Answer ``question`` from ``corpus``.

    Returns
    -------
    Answer
        Up to ``max_quotes`` hits, best first, with no two near-duplicates; or no hits and ``not_covered_reason``.

    Raises
    ------
    EmptyQuestion
        ``question`` has no visible characters.
    """
    if not question.strip():
        raise EmptyQuestion()
    if not corpus.passages:
        return Answer(question=question, not_covered_reason=NO_SOURCES)
    index = corpus.index
    tokens = index.tokenizer.tokens(question)
    frame = question_frame(index.tokenizer.tokens(main_clause(question)))
    words = _query_words(tokens, frame.frame_words, index)
    if not words:
        return Answer(question=question, not_covered_reason=NO_CONTENT_WORDS if tokens else NO_WORDS)
    reason = _not_covered_reason(tokens, words, index)
    if reason:
        return Answer(question=question, not_covered_reason=reason)
    weights: dict[str, float] = {}
    for word in words:
        for term in word.terms:
            weights[term] = max(weights.get(term, 0.0), word.weight)
    candidates = _rerank(index.search(list(weights), k=max(10, 4 * max_quotes)), frame.answer_type)
    hits = _distinct(candidates, index.passage_terms_of, max_quotes)
    if not hits:  # cannot happen: rule 1 ensures a matching term, and every matching term scores > 0
        return Answer(question=question, not_covered_reason=f"The sources don't mention {_quote_words(words)}.")
    return Answer(question=question, hits=tuple(hits), best_sentence=_best_sentence(hits[0], index, frame.answer_type))


@dataclass(frozen=True)
class _QueryWord:
    """A content word of the question: its token, the index terms it stands for (its own term, or what
    :meth:`~retrieval.text.vocabulary.Vocabulary.resolve` found; empty when the sources lack it) and its weight, the
    background information content of the word in nats."""

    token: Token
    terms: tuple[str, ...]
    weight: float


def _query_words(tokens: list[Token], frame_words: frozenset[str], index: Bm25Index) -> list[_QueryWord]:
    """One entry per distinct content word of the question, in question order, frame words ("long" of "how long")
    left out; at most ``MAX_QUERY_WORDS``, the most informative."""
    distinct: dict[str, Token] = {}
    for token in tokens:
        if token.term and token.word not in frame_words:
            distinct.setdefault(token.word, token)
    kept = set(sorted(distinct, key=information_content, reverse=True)[:MAX_QUERY_WORDS])
    words = []
    for word, token in distinct.items():
        if word not in kept:
            continue
        if index.document_frequency(token.term):
            terms: tuple[str, ...] = (token.term,)
        else:
            terms = tuple(t for t in index.vocabulary.resolve(token) if index.document_frequency(t))
        words.append(_QueryWord(token, terms, information_content(word)))
    return words


def _not_covered_reason(tokens: list[Token], words: list[_QueryWord], index: Bm25Index) -> str | None:
    """The reason the sources don't cover the question (rules 1-4 of the module docstring), or None."""
    missing = [w for w in words if not w.terms]
    if len(missing) == len(words):
        return f"The sources don't mention {_quote_words(missing)}."
    missing_words = {w.token.word for w in missing}
    content_words = {w.token.word for w in words}
    for name in _names(tokens):
        name_words = [t.word for t in name if t.word in content_words]
        if name_words and all(w in missing_words for w in name_words):
            return f"The sources don't mention “{_shown(' '.join(_display(t) for t in name), 2 * SHOWN_WORD_CHARS)}”."
    total = sum(w.weight for w in words)
    missing_weight = sum(w.weight for w in missing)
    if missing and (
        missing_weight >= MISSING_INFORMATION_SHARE * total  # rule 3
        or missing_weight >= MISSING_EVIDENCE_SHARE * (missing_weight + _evidence(words, index))  # rule 3b
    ):
        return f"The sources don't mention {_quote_words(missing)}."
    coverage = np.zeros(len(index))
    for word in words:
        coverage[index.passages_containing(word.terms)] += word.weight
    if coverage.max() < MIN_PASSAGE_COVERAGE * total:
        if missing:
            return f"The sources don't mention {_quote_words(missing)}."
        return f"No passage of the sources speaks of {_quote_words(words, joiner=' and ')} together."
    return None


def _evidence(words: list[_QueryWord], index: Bm25Index) -> float:
    """How much the words the sources have say that the sources cover the question: each word's weight times its
    best term's IDF over the highest IDF possible in this index (a term in one passage only). A word in many passages
    is the sources' subject ("Mexico" in an article about Mexico) and says little about whether they answer "What is
    the GDP of Mexico?"."""
    ceiling = index.idf_ceiling()
    return sum(w.weight * max(index.idf(t) for t in w.terms) / ceiling for w in words if w.terms)


def _display(token: Token) -> str:
    return token.word.upper() if token.acronym else token.word.title()


def _names(tokens: list[Token]) -> list[list[Token]]:
    """Runs of capitalised words, the question's first word excluded (it is capitalised anyway); "of", "the", "de"
    and the like join capitalised words into one name ("Bank of America", "State of the Union")."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for position, token in enumerate([*tokens, None]):
        joins = token is not None and (
            (position > 0 and token.capitalized) or (bool(current) and token.word in NAME_CONNECTORS)
        )
        if joins:
            current.append(token)
        else:
            while current and not current[-1].capitalized:
                current.pop()
            if current:
                runs.append(current)
            current = []
    return runs


SHOWN_WORD_CHARS = 40
"""A word named in a reason is cut to this many characters: a 3000-letter "word" must not fill the reply."""


def _shown(text: str, limit: int = SHOWN_WORD_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote_words(words: list[_QueryWord], limit: int = 3, joiner: str = ", ") -> str:
    shown = joiner.join(
        f"“{_shown(_display(w.token) if w.token.capitalized else w.token.word)}”" for w in words[:limit]
    )
    return shown + (" or the rest of what you asked" if len(words) > limit else "")


def _rerank(hits: list[Hit], answer_type: AnswerType | None) -> list[Hit]:
    """Hits that hold an answer of the expected type and score at least ``SUPPORTING_SCORE_RATIO`` of the best
    first, then the rest; score order within each group. A passage without a duration cannot say how long."""
    if answer_type is None or not hits:
        return hits
    floor = SUPPORTING_SCORE_RATIO * hits[0].score
    typed = [hit for hit in hits if hit.score >= floor and has_answer_type(hit.passage.text, answer_type)]
    return typed + [hit for hit in hits if hit not in typed]


def _distinct(hits: list[Hit], terms_of, limit: int) -> list[Hit]:
    chosen: list[Hit] = []
    chosen_terms: list[set[str]] = []
    for hit in hits:
        if len(chosen) == limit or (chosen and hit.score < SUPPORTING_SCORE_RATIO * chosen[0].score):
            break
        terms = set(terms_of(hit.passage))
        if any(_jaccard(terms, other) >= NEAR_DUPLICATE_JACCARD for other in chosen_terms):
            continue
        chosen.append(hit)
        chosen_terms.append(terms)
    return chosen


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _best_sentence(hit: Hit, index, answer_type: AnswerType | None = None) -> tuple[int, int] | None:
    """(start, end) in ``hit.passage.text`` of its best sentence, or None when it has only one: a sentence holding
    an answer of the expected type and a matched term first, then the most IDF in matched terms."""
    spans = index.sentence_spans_of(hit.passage)
    if len(spans) < 2:
        return None
    matched = set(hit.matched_terms)

    def weight(span: tuple[int, int]) -> tuple[bool, float]:
        text = hit.passage.text[span[0] : span[1]]
        terms = set(index.tokenizer.terms(text)) & matched
        matched_weight = sum(index.idf(t) for t in terms)
        typed = answer_type is not None and matched_weight > 0 and has_answer_type(text, answer_type)
        return (typed, matched_weight)

    return max(spans, key=weight)
