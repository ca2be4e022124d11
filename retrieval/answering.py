"""Answer a question by quoting the passages that match it best, or say plainly that the sources don't cover it.

Abstention reads the question before trusting the scores. The sources are said not to cover a question when:

1. none of its content terms occurs in any passage;
2. a name in it (a run of capitalised words past the first word) occurs nowhere, e.g. "the Canadian prime
   minister" when no source says "Canadian": quoting a passage that matched only "raid" would mislead; or
3. the terms that occur nowhere carry at least ``MISSING_INFORMATION_SHARE`` of the question's information
   (background information content from :mod:`retrieval.background`, so rare words weigh more than "say").
"""

from __future__ import annotations

from retrieval.background import information_content
from retrieval.corpus import Corpus
from retrieval.errors import EmptyQuestion
from retrieval.models import Answer, Hit
from retrieval.sentences import sentence_spans
from retrieval.tokenizer import Token

MAX_QUOTES = 3
MAX_QUERY_TERMS = 64
"""A query keeps at most this many distinct terms, the most informative first: bounds the cost of a huge question."""
MISSING_INFORMATION_SHARE = 0.5
SUPPORTING_SCORE_RATIO = 0.3
"""A supporting quote must score at least this share of the best quote's score."""
NEAR_DUPLICATE_JACCARD = 0.8
"""Passages whose term sets overlap this much (a syndicated copy, the same article twice) are quoted once."""

NO_SOURCES = "No sources are loaded, so there is nothing to quote. A moderator can add articles and reload."
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
    weights = _term_weights(tokens)
    if not weights:
        return Answer(question=question, not_covered_reason=NO_CONTENT_WORDS)
    terms = sorted(weights, key=weights.__getitem__, reverse=True)[:MAX_QUERY_TERMS]
    reason = _not_covered_reason(tokens, terms, weights, index.document_frequency)
    if reason:
        return Answer(question=question, not_covered_reason=reason)
    hits = _distinct(index.search(terms, k=max(10, 4 * max_quotes)), index.passage_terms_of, max_quotes)
    return Answer(question=question, hits=tuple(hits), best_sentence=_best_sentence(hits[0], index))


def _term_weights(tokens: list[Token]) -> dict[str, float]:
    """Each distinct content term with the information content of its rarest surface word."""
    weights: dict[str, float] = {}
    for token in tokens:
        if token.term:
            weights[token.term] = max(weights.get(token.term, 0.0), information_content(token.word))
    return weights


def _not_covered_reason(tokens, terms, weights, document_frequency) -> str | None:
    missing = [t for t in terms if document_frequency(t) == 0]
    if len(missing) == len(terms):
        return f"The sources don't mention {_quote_words(tokens, set(missing))}."
    for name in _names(tokens):
        name_terms = [t.term for t in name if t.term]
        if name_terms and all(document_frequency(t) == 0 for t in name_terms):
            return f"The sources don't mention “{' '.join(t.word.title() for t in name)}”."
    total = sum(weights[t] for t in terms)
    if sum(weights[t] for t in missing) >= MISSING_INFORMATION_SHARE * total:
        return f"The sources don't mention {_quote_words(tokens, set(missing))}."
    return None


def _names(tokens: list[Token]) -> list[list[Token]]:
    """Runs of capitalised words, the question's first word excluded (it is capitalised anyway)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for position, token in enumerate(tokens):
        if token.capitalized and position > 0:
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _quote_words(tokens: list[Token], terms: set[str], limit: int = 3) -> str:
    words = list(dict.fromkeys(t.word for t in tokens if t.term in terms))
    shown = ", ".join(f"“{w}”" for w in words[:limit])
    return shown + (" or the rest of what you asked" if len(words) > limit else "")


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


def _best_sentence(hit: Hit, index) -> tuple[int, int] | None:
    """The sentence of the hit's passage whose matched terms carry the most IDF, when it has more than one."""
    spans = sentence_spans(hit.passage.text)
    if len(spans) < 2:
        return None
    matched = set(hit.matched_terms)

    def weight(span: tuple[int, int]) -> float:
        terms = set(index.tokenizer.terms(hit.passage.text[span[0] : span[1]])) & matched
        return sum(index.idf(t) for t in terms)

    return max(spans, key=weight)
