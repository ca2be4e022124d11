"""Sentence vectors saved beside the snapshot: a rebuild encodes only the sentences it has not seen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval import corpus as corpus_module
from retrieval.corpus import load_corpus
from retrieval.vector_cache import VECTORS_FILE, load_vectors, save_vectors


class CountingEncoder:
    """A stand-in sentence encoder: a text's vector is its length and its word count, and every passage text it is
    given is recorded."""

    name = "counting"
    dim = 2

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.array([len(text), len(text.split())], dtype=np.float32)
        return vector / np.linalg.norm(vector)

    def encode_queries(self, texts):
        return np.stack([self._vector(t) for t in texts])

    def encode_passages(self, texts):
        self.encoded.extend(texts)
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def encoder(monkeypatch) -> CountingEncoder:
    made = CountingEncoder()
    monkeypatch.setattr(corpus_module, "default_encoder", lambda: made)
    return made


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "alpha.txt").write_text("The wall opened on Friday. It cost 3 million.\n\nRain fell.\n", "utf-8")
    (tmp_path / "beta.txt").write_text("The mayor opened the bridge.\n\nCrowds cheered.\n", "utf-8")
    return tmp_path


def test_a_rebuild_after_one_source_changed_encodes_only_its_new_sentences(folder, encoder):
    first = load_corpus(folder)
    assert sorted(encoder.encoded) == sorted(
        ["The wall opened on Friday.", "It cost 3 million.", "Rain fell.", "The mayor opened the bridge.",
         "Crowds cheered."]
    )  # fmt: skip
    encoder.encoded.clear()
    (folder / "beta.txt").write_text("The mayor opened the bridge.\n\nCrowds cheered loudly.\n", "utf-8")
    second = load_corpus(folder)
    assert encoder.encoded == ["Crowds cheered loudly."]
    assert np.array_equal(second.dense.vectors[:3], first.dense.vectors[:3])  # alpha's sentences, as encoded first


def test_damaged_or_foreign_vectors_are_not_used(folder, encoder):
    load_corpus(folder)
    path = corpus_module.snapshot_path(folder).parent / VECTORS_FILE
    assert len(load_vectors(path, "counting")) == 5
    assert load_vectors(path, "another encoder") == {}
    path.write_bytes(path.read_bytes()[:-10])  # truncated
    assert load_vectors(path, "counting") == {}
    encoder.encoded.clear()
    (folder / "beta.txt").write_text("Crowds cheered.\n", "utf-8")
    load_corpus(folder)
    assert len(encoder.encoded) == 4  # every sentence of the new library encoded again: nothing was taken from it


def test_save_and_load_round_trip(tmp_path):
    vectors = {bytes([i]) * 16: np.array([i, 1.0], dtype=np.float32) for i in range(3)}
    save_vectors(vectors, tmp_path / "v.snapshot", "enc")
    loaded = load_vectors(tmp_path / "v.snapshot", "enc")
    assert loaded.keys() == vectors.keys() and all(np.array_equal(loaded[k], vectors[k]) for k in vectors)


def test_a_library_too_large_for_sentence_vectors_says_so(encoder, caplog):
    """Past ``DENSE_MAX_PASSAGES`` passages' worth of text the library is answered by its words alone, and an INFO
    line (shown by the console) says why."""
    import logging

    from retrieval.models import Source

    text = "word " * (corpus_module.DENSE_MAX_PASSAGES * corpus_module.MAX_PASSAGE_CHARS // 5 + 1)
    big = Source(id="big", file_name="big.txt", title="big", text=text, sha256="0" * 64)
    with caplog.at_level(logging.INFO, logger="retrieval.search.dense"):
        assert corpus_module._encoder_for([big]) is None
    assert "answered by its words alone" in caplog.text
    assert corpus_module._encoder_for([big.model_copy(update={"text": "A short one."})]) is encoder
