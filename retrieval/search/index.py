"""BM25 index over passages: precomputed term weights in a sparse matrix, scored over the query terms' postings only.

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

How (the layout of bm25s, Lù 2024, "BM25S: Orders of magnitude faster lexical search via eager sparse scoring"):
each passage's weight for each of its terms, ``idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``, is
computed once at build time, in the same float64 operations as rank_bm25, into a term-major (CSC) sparse matrix.
A query adds up the columns of its terms, in query order, over those terms' postings only: the same sums as
rank_bm25's, bit for bit, at a cost that follows the postings rather than the library. The top ``k`` come from a
partial selection (``argpartition``), not a full sort. rank_bm25 stays the reference: tests compare the two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.models import Hit, Passage
from retrieval.text.tokenizer import Tokenizer
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


def okapi_weights(
    idf: np.ndarray, tf: np.ndarray, passage_length: np.ndarray, average_length: float, k1: float, b: float
) -> np.ndarray:
    """BM25 weight of each (passage, term) posting: ``idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))``.

    The expression and its order of operations are rank_bm25 0.2.2's ``BM25Okapi.get_scores``, so each weight is
    bit-identical to the term's contribution there. All arrays have one entry per posting (float64 result).
    """
    return idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * passage_length / average_length)))


@dataclass(frozen=True)
class IndexArrays:
    """Everything an index holds besides its passages and tokenizer; what a snapshot stores.

    ``terms[i]`` is term ``i``. Passage-major (CSR): passage ``p``'s terms are ``row_terms[row_start[p]:
    row_start[p + 1]]`` (first-occurrence order) with their counts in ``row_counts``. Term-major (CSC): term ``t``'s
    postings are ``postings[term_start[t]:term_start[t + 1]]`` (passage positions, ascending) with their BM25
    weights in ``weights``. ``idf`` has one float64 per term.
    """

    terms: list[str]
    idf: np.ndarray
    row_start: np.ndarray
    row_terms: np.ndarray
    row_counts: np.ndarray
    term_start: np.ndarray
    postings: np.ndarray
    weights: np.ndarray


class Bm25Index:
    """Passages indexed for BM25 search.

    Parameters
    ----------
    passages
        The passages, in a fixed order; hits refer to them. A :class:`~retrieval.passage_table.PassageTable` is
        kept as it is; any other sequence is copied into a tuple.
    tokenizer
        Turns passage text and queries into terms.
    params
        k1 and b.
    """

    def __init__(self, passages: Sequence[Passage], tokenizer: Tokenizer, params: Bm25Params | None = None) -> None:
        built = build_index(passages, tokenizer, params or Bm25Params())
        self._adopt(passages, tokenizer, params or Bm25Params(), *built)

    @classmethod
    def from_arrays(
        cls,
        passages: Sequence[Passage],
        tokenizer: Tokenizer,
        params: Bm25Params,
        arrays: IndexArrays,
        vocabulary: Vocabulary,
    ) -> Bm25Index:
        """An index from what :attr:`arrays` and :attr:`vocabulary` of an index over the same passages held."""
        index = cls.__new__(cls)
        index._adopt(passages, tokenizer, params, arrays, vocabulary)
        return index

    def _adopt(
        self,
        passages: Sequence[Passage],
        tokenizer: Tokenizer,
        params: Bm25Params,
        arrays: IndexArrays,
        vocabulary: Vocabulary,
    ) -> None:
        self.passages = passages if hasattr(passages, "position_of") else tuple(passages)
        self.tokenizer = tokenizer
        self.params = params
        self.arrays = arrays
        self.vocabulary = vocabulary
        self._term_id = {term: i for i, term in enumerate(arrays.terms)}
        self._document_frequency = np.diff(arrays.term_start)
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.passages)

    def _position_of(self, passage: Passage) -> int:
        if hasattr(self.passages, "position_of"):
            return self.passages.position_of(passage)
        if self._positions is None:
            self._positions = {p.id: i for i, p in enumerate(self.passages)}
        return self._positions[passage.id]

    @property
    def passage_terms(self) -> PassageTerms:
        """``passage_terms[i]``: the index terms of the passage at position ``i`` (see :meth:`passage_terms_of`)."""
        return PassageTerms(self.arrays)

    def passage_terms_of(self, passage: Passage) -> list[str]:
        """The index terms of one of this index's passages, each repeated as often as it occurs, in the order of
        their first occurrence (title aliases included)."""
        return self.passage_terms[self._position_of(passage)]

    def distinct_terms_of(self, passage: Passage) -> list[str]:
        """The distinct index terms of one of this index's passages, in the order of their first occurrence."""
        return self.passage_terms.distinct(self._position_of(passage))

    def sentence_spans_of(self, passage: Passage) -> Sequence[tuple[int, int]]:
        """(start, end) of each sentence of ``passage``, offsets into its text (see
        :func:`~retrieval.sources.sentence_spans`); kept once found when the passages are a ``PassageTable``."""
        if hasattr(self.passages, "sentence_spans"):
            return self.passages.sentence_spans(self._position_of(passage))
        from retrieval.sources.sentences import sentence_spans

        return sentence_spans(passage.text)

    def _postings(self, term_ids: Iterable[int]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        a = self.arrays
        for t in term_ids:
            start, end = a.term_start[t], a.term_start[t + 1]
            yield a.postings[start:end], a.weights[start:end]

    def _ids(self, terms: Iterable[str]) -> list[int]:
        """Ids of the distinct ``terms`` that occur in some passage, in first-seen order."""
        return [i for term in dict.fromkeys(terms) if (i := self._term_id.get(term)) is not None]

    def passages_containing(self, terms: Iterable[str]) -> np.ndarray:
        """Positions (in :attr:`passages`) of the passages that contain any of ``terms``: int array, ascending."""
        lists = [postings for postings, _ in self._postings(self._ids(terms))]
        if not lists:
            return np.zeros(0, dtype=np.int64)
        return lists[0].astype(np.int64) if len(lists) == 1 else np.unique(np.concatenate(lists)).astype(np.int64)

    def document_frequency(self, term: str) -> int:
        """How many passages contain ``term`` (0 when none, or the index is empty)."""
        i = self._term_id.get(term)
        return 0 if i is None else int(self._document_frequency[i])

    def idf(self, term: str) -> float:
        """The term's IDF in this index (0.0 for a term in no passage)."""
        i = self._term_id.get(term)
        return 0.0 if i is None else float(self.arrays.idf[i])

    def idf_ceiling(self) -> float:
        """The IDF of a term in one passage and nowhere in general English: the most any term can have here."""
        return smoothed_idf(len(self.passages), 1, 0.0, self.params.background_documents)

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for the distinct ``query_terms``; shape ``(len(self),)``, float64, >= 0.

        Repeated query terms count once: "raid raid raid" asks the same as "raid".
        """
        scores = np.zeros(len(self.passages))
        for postings, weights in self._postings(self._ids(query_terms)):
            scores[postings] += weights  # postings are distinct within a term, so += is a plain per-passage add
        return scores

    def weighted_scores(self, weights: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(positions, scores) of every passage holding one of the terms, positions ascending, where a passage's score
        is ``sum(weight * bm25_term)`` over the terms in ``weights`` order: the nonzero entries of
        ``sum(w * self.scores([t]) for t, w in weights.items())``, bit for bit, at a cost that follows the postings.
        """
        pairs = [
            (postings, weight * term_weights)
            for term, weight in weights.items()
            if (i := self._term_id.get(term)) is not None
            for postings, term_weights in self._postings([i])
        ]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return self._summed(pairs)

    def term_ids_at(self, position: int) -> set[int]:
        """The ids of the distinct terms of the passage at ``position`` (for overlap measures that need no strings)."""
        a = self.arrays
        return set(a.row_terms[a.row_start[position] : a.row_start[position + 1]].tolist())

    def text_at(self, position: int) -> str:
        """The text of the passage at ``position``, without building the :class:`Passage` when the passages are a
        :class:`~retrieval.passage_table.PassageTable`."""
        text_of = getattr(self.passages, "text_of", None)
        return text_of(position) if text_of is not None else self.passages[position].text

    def _candidate_scores(self, term_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(positions, scores) of every passage holding one of the terms, positions ascending; each score summed in
        query-term order, as :meth:`scores` and rank_bm25 sum it."""
        return self._summed(list(self._postings(term_ids)))

    def _summed(self, pairs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """(positions ascending, per-position sum of the weights in ``pairs`` order) of (postings, weights) pairs."""
        if len(pairs) == 1:
            return pairs[0][0].astype(np.int64), pairs[0][1]
        postings = np.concatenate([p for p, _ in pairs])
        weights = np.concatenate([w for _, w in pairs])
        if 8 * len(postings) < len(self.passages):
            positions, inverse = np.unique(postings, return_inverse=True)
            return positions, np.bincount(inverse, weights=weights, minlength=len(positions))
        dense = np.bincount(postings, weights=weights, minlength=len(self.passages))
        positions = np.flatnonzero(dense)
        return positions, dense[positions]

    def search(self, query_terms: Sequence[str], k: int = 10) -> list[Hit]:
        """The top ``k`` passages that contain at least one query term, best first (ties keep passage order).

        Raises
        ------
        ValueError
            ``k`` < 1.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        term_ids = self._ids(query_terms)
        if not term_ids:
            return []
        positions, scores = self._candidate_scores(term_ids)
        chosen = np.arange(len(positions))
        if len(positions) > k:
            kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
            chosen = np.flatnonzero(scores >= kth)  # every tie with the k-th, so passage order can break ties
        order = chosen[np.lexsort((positions[chosen], -scores[chosen]))][:k]
        query = set(term_ids)
        a = self.arrays
        hits = []
        for i in order.tolist():
            if scores[i] <= 0:
                break
            position = int(positions[i])
            row = a.row_terms[a.row_start[position] : a.row_start[position + 1]].tolist()
            matched = tuple(a.terms[t] for t in row if t in query)
            hits.append(Hit(passage=self.passages[position], score=float(scores[i]), matched_terms=matched))
        return hits


class PassageTerms(Sequence[list[str]]):
    """The index terms of each passage, read from the passage-major arrays: item ``i`` lists passage ``i``'s terms,
    each repeated as often as it occurs, in the order of their first occurrence."""

    def __init__(self, arrays: IndexArrays) -> None:
        self._arrays = arrays

    def __len__(self) -> int:
        return len(self._arrays.row_start) - 1

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        a = self._arrays
        span = slice(a.row_start[position], a.row_start[position + 1])
        pairs = zip(a.row_terms[span].tolist(), a.row_counts[span].tolist(), strict=True)
        return [a.terms[t] for t, n in pairs for _ in range(n)]

    def distinct(self, position: int) -> list[str]:
        """Passage ``position``'s distinct terms, in the order of their first occurrence (``dict.fromkeys`` of
        ``self[position]``, without building the repeats)."""
        a = self._arrays
        terms = a.terms
        return [terms[t] for t in a.row_terms[a.row_start[position] : a.row_start[position + 1]].tolist()]


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest ``scores``, highest first, ties in position order: the same as
    ``np.argsort(-scores, kind="stable")[:k]`` by a partial selection (O(n), not O(n log n))."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")[:k]
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
    chosen = np.flatnonzero(scores >= kth)  # every tie with the k-th, so position order can break ties
    return chosen[np.lexsort((chosen, -scores[chosen]))][:k]


def build_index(
    passages: Sequence[Passage], tokenizer: Tokenizer, params: Bm25Params
) -> tuple[IndexArrays, Vocabulary]:
    """Tokenize ``passages`` once, streaming, into the arrays of a :class:`Bm25Index` and its vocabulary: the merge
    (:mod:`retrieval.search.merge`) of one unit holding every passage, as a library merges one unit per source.

    Each passage's tokens live only while it is read; what stays is one int per distinct term per passage.
    """
    from retrieval.search.merge import merge_units
    from retrieval.search.source_units import read_passages

    merged = merge_units([read_passages([p.text for p in passages], tokenizer)], params)
    return merged.arrays, merged.vocabulary
