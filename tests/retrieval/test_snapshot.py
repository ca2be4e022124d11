"""Snapshots: a library saved beside its sources is loaded instead of rebuilt, and never served when it is
truncated, corrupt, stale (sources changed), or built with other settings or other code."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from retrieval import corpus as corpus_module
from retrieval import snapshot as snapshot_module
from retrieval.corpus import SNAPSHOT_FILE, load_corpus
from retrieval.search.index import Bm25Params
from retrieval.snapshot import SnapshotUnusable, Strings, read_snapshot, write_snapshot
from retrieval.sources.loading import load_sources

ALPHA = (
    "Mexican President Claudia Sheinbaum spoke to Trump on Monday.\n\n"
    "The Mexican president said the call about the cartel raid was productive. It lasted 40 minutes.\n"
)
BETA = "The United Methodist Church met in Bendigo.\n\nFans of the Super Bowl cheered in California.\n"
QUESTIONS = ["Who spoke to Trump?", "How long was the call?", "Where did the church meet?", "Sheinbaum raid"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (tmp_path / "beta.txt").write_text(BETA, encoding="utf-8")
    return tmp_path


def snapshot_of(folder: Path) -> Path:
    return corpus_module.snapshot_path(folder)


def results(corpus) -> list:
    """What a library answers: every question's hits (ids, scores, matched terms)."""
    index = corpus.index
    return [
        [(h.passage.id, h.score, h.matched_terms) for h in index.search(index.tokenizer.terms(q), k=5)]
        for q in QUESTIONS
    ]


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts the libraries built from scratch (not loaded from a snapshot)."""
    counted: list[int] = []
    original = corpus_module.Corpus.build.__func__

    def counting(cls, *args, **kwargs):
        counted.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(corpus_module.Corpus, "build", classmethod(counting))
    return counted


def test_second_load_comes_from_the_snapshot_and_answers_the_same(folder, builds):
    """The first load builds and saves; the second loads the snapshot (no build) and every search, passage,
    sentence span and vocabulary entry is the same as the build's."""
    built = load_corpus(folder)
    assert snapshot_of(folder).is_file() and len(builds) == 1
    loaded = load_corpus(folder)
    assert len(builds) == 1
    assert results(loaded) == results(built)
    assert list(loaded.passages) == list(built.passages)
    assert vars(loaded.index.vocabulary) == vars(built.index.vocabulary)
    assert [loaded.passages.sentence_spans(i) for i in range(len(loaded.passages))] == [
        built.passages.sentence_spans(i) for i in range(len(built.passages))
    ]
    assert loaded.index.passage_terms_of(loaded.passages[1]) == built.index.passage_terms_of(built.passages[1])


def test_the_snapshot_lives_beside_the_sources_folder_not_in_it(folder):
    """The sources folder holds only sources after a load (the snapshot is in .qabot-cache/NAME beside it), and a
    cache folder inside one is passed over in silence: neither a source nor a skipped entry."""
    load_corpus(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.txt", "beta.txt"]
    assert snapshot_of(folder) == folder.parent / ".qabot-cache" / folder.name / SNAPSHOT_FILE
    load_corpus(folder, snapshot_dir=folder / ".qabot-cache")
    result = load_sources(folder)
    assert [s.id for s in result.sources] == ["alpha", "beta"] and result.skipped == ()


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_damaged_snapshot_is_rebuilt_never_served(folder, builds, damage):
    """A truncated, bit-flipped, emptied or foreign snapshot file is detected, rebuilt and rewritten; the library
    served is the right one."""
    expected = results(load_corpus(folder))
    path = snapshot_of(folder)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"not a snapshot at all" * 10)
    path.write_bytes(bytes(data))
    with pytest.raises(SnapshotUnusable):
        read_snapshot(path, "any key")
    assert results(load_corpus(folder)) == expected
    assert len(builds) == 2
    load_corpus(folder)  # the rewritten snapshot is whole again
    assert len(builds) == 2


def test_a_changed_source_makes_the_snapshot_stale(folder, builds):
    """Editing a source changes its SHA-256 and so the key: the library is rebuilt with the new text."""
    load_corpus(folder)
    (folder / "beta.txt").write_text(BETA.replace("Bendigo", "Ballarat"), encoding="utf-8")
    corpus = load_corpus(folder)
    assert len(builds) == 2
    assert corpus.index.document_frequency("ballarat") == 1 and corpus.index.document_frequency("bendigo") == 0


def test_an_added_or_removed_source_makes_the_snapshot_stale(folder, builds):
    """Adding or removing a file rebuilds: the key lists every source."""
    load_corpus(folder)
    (folder / "gamma.txt").write_text("Gamma is about football.", encoding="utf-8")
    assert len(load_corpus(folder).sources) == 3
    (folder / "alpha.txt").unlink()
    assert [s.id for s in load_corpus(folder).sources] == ["beta", "gamma"]
    assert len(builds) == 3


def test_other_bm25_settings_make_the_snapshot_stale(folder, builds):
    """A snapshot built with k1 = 1.2 is not served for k1 = 0.9: the scores would differ."""
    default = load_corpus(folder)
    other = load_corpus(folder, params=Bm25Params(k1=0.9))
    assert len(builds) == 2
    assert results(other) != results(default)
    assert results(load_corpus(folder, params=Bm25Params(k1=0.9))) == results(other)
    assert len(builds) == 2


def test_a_change_to_the_retrieval_code_makes_the_snapshot_stale(folder, builds, monkeypatch):
    """The key holds a fingerprint of the retrieval package's code: new code never serves an old build."""
    load_corpus(folder)
    monkeypatch.setattr(snapshot_module, "code_fingerprint", lambda: "other code")
    load_corpus(folder)
    assert len(builds) == 2


def test_code_fingerprint_covers_the_retrieval_package():
    """The fingerprint reads every .py file of retrieval/, this module's own included."""
    assert len(snapshot_module.code_fingerprint()) == 64
    assert snapshot_module.code_fingerprint() == snapshot_module.code_fingerprint()


def test_an_unwritable_cache_folder_still_serves_the_built_library(folder, caplog):
    """When the snapshot cannot be written, the built library is served and the reason logged (no error)."""
    blocker = folder / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="retrieval.corpus"):
        corpus = load_corpus(folder, snapshot_dir=blocker / "cache")
    assert len(corpus.passages) == 4
    assert "Could not save" in caplog.text


def test_use_snapshot_false_neither_reads_nor_writes(folder):
    """use_snapshot=False builds and leaves no cache folder behind."""
    load_corpus(folder, use_snapshot=False)
    assert not snapshot_of(folder).exists()


def test_snapshot_sections_round_trip(tmp_path):
    """Arrays (dtype and shape kept), string lists (empty strings and non-ASCII included) and JSON come back as
    written; another key is refused as stale."""
    path = tmp_path / "s.snapshot"
    sections = {
        "ints": np.arange(7, dtype=np.int32),
        "matrix": np.ones((2, 3)),
        "words": Strings(["Sheinbaum", "", "プ", "naïve"]),
        "none": Strings([]),
        "meta": {"a": [1, 2]},
    }
    write_snapshot(path, "k", sections)
    back = read_snapshot(path, "k")
    assert back["ints"].dtype == np.int32 and back["ints"].tolist() == list(range(7))
    assert back["matrix"].shape == (2, 3)
    assert back["words"] == ["Sheinbaum", "", "プ", "naïve"] and back["none"] == [] and back["meta"] == {"a": [1, 2]}
    with pytest.raises(SnapshotUnusable, match="stale"):
        read_snapshot(path, "other")


class LengthEncoder:
    """A stand-in sentence encoder (no model): a text's vector from its length and vowel count, L2-normalised."""

    name = "length-test-encoder"
    dim = 2

    def __init__(self) -> None:
        self.passages_encoded = 0

    def _vectors(self, texts) -> np.ndarray:
        raw = np.array([[len(t) + 1.0, sum(c in "aeiou" for c in t) + 1.0] for t in texts], dtype=np.float32)
        return raw / np.linalg.norm(raw, axis=1, keepdims=True)

    def encode_queries(self, texts):
        return self._vectors(texts)

    def encode_passages(self, texts):
        self.passages_encoded += len(texts)
        return self._vectors(texts)


def test_dense_vectors_are_saved_and_restored_without_encoding_again(folder, monkeypatch, builds):
    """A library built with sentence vectors keeps them in its snapshot: the next load has the same vectors and
    encodes nothing; without an encoder (dense off) the snapshot is stale and the library rebuilt lexical."""
    encoder = LengthEncoder()
    monkeypatch.setattr(corpus_module, "default_encoder", lambda: encoder)
    built = load_corpus(folder)
    encoded = encoder.passages_encoded
    assert built.dense is not None and encoded > 0
    loaded = load_corpus(folder)
    assert len(builds) == 1 and encoder.passages_encoded == encoded
    np.testing.assert_array_equal(loaded.dense.vectors, built.dense.vectors)
    np.testing.assert_array_equal(loaded.dense.sentence_passage, built.dense.sentence_passage)
    assert loaded.dense.encoder is encoder and loaded.dense.passage_count == len(loaded.passages)
    monkeypatch.setattr(corpus_module, "default_encoder", lambda: None)
    assert load_corpus(folder).dense is None and len(builds) == 2


def test_a_library_too_large_for_the_dense_leg_never_loads_the_encoder(folder, monkeypatch):
    """Sources holding more text than DENSE_MAX_PASSAGES passages can are built and loaded without asking for the
    encoder (loading the model takes seconds, for nothing)."""

    def no_encoder():
        raise AssertionError("the encoder was loaded")

    monkeypatch.setattr(corpus_module, "default_encoder", no_encoder)
    monkeypatch.setattr(corpus_module, "DENSE_MAX_PASSAGES", 1)
    (folder / "long.txt").write_text("A long paragraph about the harbour. " * 40, encoding="utf-8")
    assert load_corpus(folder).dense is None
    assert load_corpus(folder).dense is None
