"""Re-rank BM25's candidates with sentence embeddings: a question and the paragraph that answers it often share
meaning rather than words ("call" and "conversation").

Only passages BM25 already found are re-ranked (the ``depth`` best; abstention stays lexical, in
:mod:`retrieval.answering`), so a question about nothing in the sources still gets no quote. Each candidate gets the
cosine similarity of its embedding with the question's (:class:`retrieval.embedding.SentenceEncoder`; passage
embeddings are computed on first need and cached per corpus, :class:`PassageEmbeddings`) and the two rankings are
fused:

- ``"interpolate"``: ``(1 - weight) * bm25 / max(bm25) + weight * cosine``, the linear combination of normalised
  lexical and dense scores (as in Ma et al., 2021, "A Replication Study of Dense Passage Retriever"; BM25 divided by
  the best candidate's score so it lies in (0, 1] like a cosine of related texts);
- ``"rrf"``: reciprocal rank fusion, ``1/(k + rank_bm25) + 1/(k + rank_dense)`` (Cormack, Clarke & Büttcher, 2009,
  "Reciprocal Rank Fusion outperforms Condorcet and individual Rank Learning Methods"), ranks 1-based;
- ``"dense"``: cosine alone (a baseline).

Hits keep their BM25 score: only their order changes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from retrieval.embedding import DIMENSION, SentenceEncoder
from retrieval.models import Hit, Passage

FusionMethod = Literal["interpolate", "rrf", "dense"]
FUSION_METHODS: tuple[str, ...] = ("interpolate", "rrf", "dense")


def interpolated_scores(bm25: np.ndarray, cosine: np.ndarray, weight: float) -> np.ndarray:
    """``(1 - weight) * bm25 / max(bm25) + weight * cosine``, elementwise; shapes ``(n,)`` -> ``(n,)``.

    ``bm25`` are BM25 scores (>= 0, at least one > 0 unless all are 0); ``cosine`` in [-1, 1]; ``weight`` in [0, 1].
    """
    best = float(np.max(bm25)) if len(bm25) else 0.0
    lexical = bm25 / best if best > 0 else np.zeros_like(bm25)
    return (1.0 - weight) * lexical + weight * cosine


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each score, highest first; ties keep their order. Shape ``(n,)`` -> ``(n,)``, int."""
    order = np.argsort(-scores, kind="stable")
    result = np.empty(len(scores), dtype=np.int64)
    result[order] = np.arange(1, len(scores) + 1)
    return result


def reciprocal_rank_fusion(score_lists: Sequence[np.ndarray], k: float = 60.0) -> np.ndarray:
    """``sum_i 1 / (k + rank_i)`` over the rankings that ``score_lists`` induce (each shape ``(n,)``), Cormack et
    al. (2009); k=60 is their constant. Returns shape ``(n,)``, float64."""
    fused = np.zeros(len(score_lists[0]), dtype=np.float64)
    for scores in score_lists:
        fused += 1.0 / (k + ranks(scores))
    return fused


class PassageEmbeddings:
    """Embeddings of a fixed set of passages, computed on first need and kept, one row a passage.

    Thread-safe: rows are filled under a lock, so two threads asking for the same passages embed them once. Rows
    made by one encoder are never served to another (the cache is per encoder).
    """

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._texts = [p.text for p in passages]
        self._position = {p.id: i for i, p in enumerate(passages)}
        self._lock = threading.Lock()
        self._rows: dict[int, tuple[SentenceEncoder, dict[int, np.ndarray]]] = {}  # id(encoder) -> (it, rows)

    def __len__(self) -> int:
        return len(self._texts)

    def vectors(self, encoder: SentenceEncoder, passages: Sequence[Passage]) -> np.ndarray:
        """Embeddings of ``passages``: shape ``(len(passages), 384)``, float32, unit rows, in the order given.

        Memory grows with the passages embedded so far (1.5 KB each), not with the corpus.

        Raises
        ------
        KeyError
            A passage (by id) that is not one of this set's.
        """
        wanted = [self._position[p.id] for p in passages]
        with self._lock:
            _, rows = self._rows.setdefault(id(encoder), (encoder, {}))
            missing = sorted({i for i in wanted if i not in rows})
            if missing:
                for i, vector in zip(missing, encoder.encode([self._texts[i] for i in missing]), strict=True):
                    rows[i] = vector
            if not wanted:
                return np.zeros((0, DIMENSION), dtype=np.float32)
            return np.stack([rows[i] for i in wanted])


@dataclass(frozen=True)
class SemanticReranker:
    """Fuses BM25 with embedding cosine over the top ``depth`` BM25 candidates.

    Parameters
    ----------
    method
        ``"interpolate"``, ``"rrf"`` or ``"dense"`` (see the module docstring).
    weight
        The cosine's share in ``"interpolate"``, in [0, 1].
    depth
        How many BM25 candidates are re-ranked (at least 1); the rest keep their BM25 order after them.
    rrf_k
        The constant of reciprocal rank fusion (> 0).
    encoder
        The sentence encoder; by default one shared all-MiniLM-L6-v2 encoder, loaded on first use.

    Raises
    ------
    ValueError
        An unknown method, or a parameter out of range.
    """

    method: FusionMethod = "interpolate"
    weight: float = 0.5
    depth: int = 20
    rrf_k: float = 60.0
    encoder: SentenceEncoder = field(default_factory=lambda: DEFAULT_ENCODER, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.method not in FUSION_METHODS:
            raise ValueError(f"method must be one of {', '.join(FUSION_METHODS)}; got {self.method!r}")
        if not 0 <= self.weight <= 1:
            raise ValueError(f"weight must be between 0 and 1, got {self.weight}")
        if self.depth < 1:
            raise ValueError(f"depth must be at least 1, got {self.depth}")
        if self.rrf_k <= 0:
            raise ValueError(f"rrf_k must be > 0, got {self.rrf_k}")

    def rerank(self, question: str, hits: Sequence[Hit], embeddings: PassageEmbeddings) -> list[Hit]:
        """``hits`` (BM25 order) re-ordered by the fused score; the first ``depth`` are re-ranked, the rest follow.

        Parameters
        ----------
        question
            The question as asked (the encoder reads the whole sentence, stopwords and all).
        hits
            BM25 hits, best first.
        embeddings
            The corpus's passage embeddings (holding every hit's passage).

        Returns
        -------
        list of Hit
            The same hits, scores unchanged, in fused order.
        """
        head, tail = list(hits[: self.depth]), list(hits[self.depth :])
        if len(head) < 2:
            return [*head, *tail]
        question_vector = self.encoder.encode([question])[0]
        cosine = embeddings.vectors(self.encoder, [h.passage for h in head]) @ question_vector
        fused = self.fused_scores(np.array([h.score for h in head]), cosine.astype(np.float64))
        order = np.argsort(-fused, kind="stable")
        return [head[i] for i in order] + tail

    def fused_scores(self, bm25: np.ndarray, cosine: np.ndarray) -> np.ndarray:
        """The fused score of each candidate (higher is better): shape ``(n,)`` from two ``(n,)`` arrays."""
        if self.method == "dense":
            return cosine
        if self.method == "rrf":
            return reciprocal_rank_fusion([bm25, cosine], k=self.rrf_k)
        return interpolated_scores(bm25, cosine, self.weight)


DEFAULT_ENCODER = SentenceEncoder()
"""One encoder for the process: the model is loaded once, on first use, whichever corpus asks."""
