"""BM25 index over passages, on rank_bm25.

Variant: Okapi BM25 term-frequency saturation as computed by ``rank_bm25.BM25Okapi.get_scores`` (Robertson &
Zaragoza, 2009, "The Probabilistic Relevance Framework: BM25 and Beyond", eq. 3.15), k1 = 1.2, b = 0.75, with the
IDF replaced by Lucene's, smoothed with a background prior (:func:`smoothed_idf`):

    idf(t) = ln(1 + (N' - n' + 0.5) / (n' + 0.5)),   N' = N + M,   n' = n_t + M * q_t

``N`` passages, ``n_t`` of them containing ``t``; ``M`` = 10 pseudo-passages of general English, of which a share
``q_t`` (from wordfreq, :func:`retrieval.text.background.document_probability`) would contain ``t``.

Why: rank_bm25's own Okapi IDF, ``ln((N - n + 0.5)/(n + 0.5))`` floored at ``epsilon * mean idf``, goes to zero or
below for a term in half the passages, which in a one-article corpus of ~20 paragraphs is most of the article's
subject ("Trump", "Mexico"), and is negative for every term of a one-passage corpus. Lucene's form is never
negative, so ``score > 0`` means "matched something"; the prior keeps a tiny corpus from ranking a common verb like
a rare name (measured in the README: XQuAD paragraph hit@1 +0.003; k1/b sweep there too).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from retrieval.models import Hit, Passage
from retrieval.text.aliases import title_aliases
from retrieval.text.background import document_probability
from retrieval.text.tokenizer import Token, Tokenizer
from retrieval.text.vocabulary import Vocabulary


@dataclass(frozen=True)
class Bm25Params:
    """BM25 parameters. ``k1`` (>= 0) sets how fast repeated terms saturate; ``b`` (0..1) how much long passages
    are penalised. 1.2/0.75 are the usual defaults (Lucene, Anserini); see the README's sweep for the choice."""

    k1: float = 1.2
    b: float = 0.75
    background_documents: float = 10.0

    def __post_init__(self) -> None:
        if self.k1 < 0:
            raise ValueError(f"k1 must be >= 0, got {self.k1}")
        if not 0 <= self.b <= 1:
            raise ValueError(f"b must be between 0 and 1, got {self.b}")
        if self.background_documents < 0:
            raise ValueError(f"background_documents must be >= 0, got {self.background_documents}")


def lucene_idf(document_count: int, document_frequency: int) -> float:
    """``ln(1 + (N - n + 0.5) / (n + 0.5))`` for ``N`` documents of which ``n`` contain the term (Lucene BM25)."""
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


def smoothed_idf(document_count: int, document_frequency: int, background: float, background_documents: float) -> float:
    """Lucene's IDF with ``background_documents`` pseudo-passages added, of which a share ``background`` (the
    term's background document probability) contains the term: ``lucene_idf(N + M, n + M * q)``.

    A Bayesian prior on the document frequency: with ``M = 0`` it is :func:`lucene_idf`; with few real passages the
    background decides, with many the corpus does.
    """
    return lucene_idf(document_count + background_documents, document_frequency + background_documents * background)


class _SmoothedIdfBm25(BM25Okapi):
    def __init__(
        self, corpus: list[list[str]], *, k1: float, b: float, background: dict[str, float], background_documents: float
    ) -> None:
        self.background = background
        self.background_documents = background_documents
        super().__init__(corpus, k1=k1, b=b)

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.document_frequency = nd
        self.idf = {
            term: smoothed_idf(self.corpus_size, n, self.background.get(term, 0.0), self.background_documents)
            for term, n in nd.items()
        }


def _background(passage_tokens: list[list[Token]]) -> dict[str, float]:
    """Each term's background document probability, from the surface words that produced it in these passages and
    their mean length in words (stopwords included, as in running text)."""
    surface: dict[str, set[str]] = {}
    for tokens in passage_tokens:
        for token in tokens:
            if token.term:
                surface.setdefault(token.term, set()).add(token.word)
    passage_words = sum(map(len, passage_tokens)) / max(1, len(passage_tokens))
    return {term: document_probability(words, passage_words) for term, words in surface.items()}


class Bm25Index:
    """Passages indexed for BM25 search.

    Parameters
    ----------
    passages
        The passages, in a fixed order; hits refer to them.
    tokenizer
        Turns passage text and queries into terms.
    params
        k1 and b.
    """

    def __init__(self, passages: Sequence[Passage], tokenizer: Tokenizer, params: Bm25Params | None = None) -> None:
        self.passages = tuple(passages)
        self.tokenizer = tokenizer
        self.params = params or Bm25Params()
        passage_tokens = [tokenizer.tokens(p.text) for p in self.passages]
        aliases = title_aliases(passage_tokens)
        self.passage_terms = [
            [t.term for t in tokens if t.term] + extra for tokens, extra in zip(passage_tokens, aliases, strict=True)
        ]
        self.vocabulary = Vocabulary(passage_tokens)
        self._postings: dict[str, list[int]] = {}
        for position, terms in enumerate(self.passage_terms):
            for term in dict.fromkeys(terms):
                self._postings.setdefault(term, []).append(position)
        self._position = {p.id: i for i, p in enumerate(self.passages)}
        self._model: _SmoothedIdfBm25 | None = None
        if any(self.passage_terms):
            self._model = _SmoothedIdfBm25(
                self.passage_terms,
                k1=self.params.k1,
                b=self.params.b,
                background=_background(passage_tokens),
                background_documents=self.params.background_documents,
            )
            if self._model.avgdl == 0:  # cannot happen with a non-empty term, kept for clarity
                self._model.avgdl = 1.0

    def passage_terms_of(self, passage: Passage) -> list[str]:
        """The index terms of one of this index's passages (as indexed, repeats kept)."""
        return self.passage_terms[self._position[passage.id]]

    def __len__(self) -> int:
        return len(self.passages)

    def passages_containing(self, terms: Iterable[str]) -> list[int]:
        """Positions (in :attr:`passages`) of the passages that contain any of ``terms``, ascending."""
        found: set[int] = set()
        for term in terms:
            found.update(self._postings.get(term, ()))
        return sorted(found)

    def document_frequency(self, term: str) -> int:
        """How many passages contain ``term`` (0 when none, or the index is empty)."""
        return self._model.document_frequency.get(term, 0) if self._model else 0

    def idf(self, term: str) -> float:
        """The term's IDF in this index (0.0 for a term in no passage)."""
        return self._model.idf.get(term, 0.0) if self._model else 0.0

    def idf_ceiling(self) -> float:
        """The IDF of a term in one passage and nowhere in general English: the most any term can have here."""
        return smoothed_idf(len(self.passages), 1, 0.0, self.params.background_documents)

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for the distinct ``query_terms``; shape ``(len(self),)``, float64, >= 0.

        Repeated query terms count once: "raid raid raid" asks the same as "raid".
        """
        unique = [term for term in dict.fromkeys(query_terms) if self.document_frequency(term)]
        if not unique or self._model is None:
            return np.zeros(len(self.passages))
        return np.asarray(self._model.get_scores(unique), dtype=np.float64)

    def search(self, query_terms: Sequence[str], k: int = 10) -> list[Hit]:
        """The top ``k`` passages that contain at least one query term, best first (ties keep passage order).

        Raises
        ------
        ValueError
            ``k`` < 1.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        scores = self.scores(query_terms)
        query_set = set(query_terms)
        order = np.argsort(-scores, kind="stable")
        hits = []
        for i in order[:k]:
            if scores[i] <= 0:
                break
            matched = tuple(t for t in dict.fromkeys(self.passage_terms[i]) if t in query_set)
            hits.append(Hit(passage=self.passages[i], score=float(scores[i]), matched_terms=matched))
        return hits
