"""The interface the answer pipeline asks of a search backend, so another engine is one class.

:class:`~retrieval.search.index.Bm25Index` implements it in process (NumPy/SciPy). An external engine (OpenSearch,
Elasticsearch or Solr, whose BM25 uses the same Lucene IDF; see ``docs/scaling.md``) would implement the same
methods over its own index: ``search`` as a query with ``size = k``, ``document_frequency``/``idf`` from its term
statistics, ``passages_containing`` as a terms filter. Everything else (question parsing, abstention, quoting)
stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from retrieval.models import Hit, Passage
from retrieval.text.tokenizer import Tokenizer
from retrieval.text.vocabulary import Vocabulary


@runtime_checkable
class SearchBackend(Protocol):
    """Passages searchable by BM25 terms. Positions index :attr:`passages`; scores are BM25 (unitless, higher is
    better, comparable within one query on one backend)."""

    passages: Sequence[Passage]
    tokenizer: Tokenizer
    vocabulary: Vocabulary

    def __len__(self) -> int: ...

    def search(self, query_terms: Sequence[str], k: int = 10) -> list[Hit]:
        """Top ``k`` passages holding at least one term, best first, ties in passage order. ValueError if k < 1."""
        ...

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """Score of every passage for the distinct terms: float64, shape ``(len(self),)``."""
        ...

    def weighted_scores(self, weights: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(positions ascending, scores) of the passages holding a term: the weighted sum of the terms' scores."""
        ...

    def document_frequency(self, term: str) -> int:
        """Passages holding ``term`` (0 when none)."""
        ...

    def idf(self, term: str) -> float:
        """The term's IDF (0.0 when no passage holds it)."""
        ...

    def idf_ceiling(self) -> float:
        """The highest IDF any term can have here."""
        ...

    def passages_containing(self, terms: Iterable[str]) -> np.ndarray:
        """Positions of the passages holding any of ``terms``, ascending."""
        ...

    def passage_terms_of(self, passage: Passage) -> list[str]:
        """The index terms of one passage, repeats kept."""
        ...

    def distinct_terms_of(self, passage: Passage) -> list[str]:
        """The index terms of one passage, each once, in the order of their first occurrence."""
        ...

    def term_ids_at(self, position: int) -> set[int]:
        """Ids of the distinct terms of the passage at ``position`` (compared with each other, never shown)."""
        ...

    def text_at(self, position: int) -> str:
        """The text of the passage at ``position``."""
        ...

    def sentence_spans_of(self, passage: Passage) -> Sequence[tuple[int, int]]:
        """(start, end) of each sentence of ``passage``, offsets into its text."""
        ...
