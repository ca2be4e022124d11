"""Corpus: sources, passages and index built together; compare() tells a reload what was added, changed, removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.corpus import Corpus, CorpusChange, compare, load_corpus
from retrieval.errors import UnknownSource

ALPHA = "Alpha talks about the harbour.\n\nA second paragraph on ships.\n"
BETA = "Beta covers the election.\n"
GAMMA = "Gamma is about football.\n\nThe final was on Sunday.\n\nFans cheered.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (tmp_path / "beta.md").write_text(BETA, encoding="utf-8")
    return tmp_path


def test_build_splits_and_indexes_every_source_in_order(folder):
    """load_corpus keeps file-name order, passages in source then paragraph order, and indexes every passage."""
    corpus = load_corpus(folder)
    assert [s.id for s in corpus.sources] == ["alpha", "beta"]
    assert [p.id for p in corpus.passages] == ["alpha:1", "alpha:2", "beta:1"]
    assert len(corpus.index) == len(corpus.passages)
    assert corpus.index.passages == corpus.passages


def test_load_corpus_carries_skipped_files(folder):
    """Files skipped while loading are kept on the corpus so /sources can list them."""
    (folder / "alpha.txt~").write_text("backup", encoding="utf-8")
    assert load_corpus(folder).skipped == (("alpha.txt~", "editor backup"),)


def test_load_corpus_serves_the_good_files_and_lists_the_refused_one(folder):
    """A bad file is refused, naming it, and every good file is still indexed."""
    good = {s.id for s in load_corpus(folder).sources}
    (folder / "broken.txt").write_bytes(b"caf\xe9")
    corpus = load_corpus(folder)
    assert {s.id for s in corpus.sources} == good
    assert [(r.file_name, "not valid UTF-8" in r.reason) for r in corpus.refused] == [("broken.txt", True)]


def test_empty_corpus_has_nothing():
    """Corpus.empty() has no sources, passages or indexed passages, and searches find nothing."""
    corpus = Corpus.empty()
    assert corpus.sources == () and corpus.passages == () and len(corpus.index) == 0
    assert corpus.index.search(["harbour"]) == []


def test_passages_of_returns_one_sources_passages_in_order(folder):
    """passages_of gives exactly that source's passages, in paragraph order (and none for an unknown id)."""
    corpus = load_corpus(folder)
    assert [p.id for p in corpus.passages_of("alpha")] == ["alpha:1", "alpha:2"]
    assert [p.text for p in corpus.passages_of("beta")] == ["Beta covers the election."]
    assert corpus.passages_of("nope") == []


def test_source_returns_by_id_and_unknown_id_lists_known_ones(folder):
    """source(id) finds a source; an unknown id raises UnknownSource carrying the known ids for the reply."""
    corpus = load_corpus(folder)
    assert corpus.source("beta").file_name == "beta.md"
    with pytest.raises(UnknownSource) as caught:
        corpus.source("gamma")
    assert caught.value.source_id == "gamma"
    assert caught.value.known == ["alpha", "beta"]
    assert "alpha, beta" in str(caught.value)
    assert corpus.source(" BETA ").id == "beta"  # ids are lower-case: a typed upper-case id or stray space is fine


def test_an_unknown_id_says_how_many_known_ids_it_did_not_list(tmp_path):
    """The error lists ten known ids and says how many more there are, instead of stopping silently at ten."""
    for i in range(13):
        (tmp_path / f"s{i:02}.txt").write_text("Text.\n", encoding="utf-8")
    with pytest.raises(UnknownSource, match=r"s09 and 3 more\)"):
        load_corpus(tmp_path).source("nope")


def test_compare_finds_added_changed_and_removed(folder):
    """A reload reports new files as added, edited files as changed, deleted files as removed, by id."""
    old = load_corpus(folder)
    (folder / "beta.md").write_text(BETA + "\nA correction.\n", encoding="utf-8")
    (folder / "alpha.txt").unlink()
    (folder / "gamma.txt").write_text(GAMMA, encoding="utf-8")
    change = compare(old, load_corpus(folder))
    assert change == CorpusChange(added=("gamma",), changed=("beta",), removed=("alpha",))
    assert change.any


def test_compare_unchanged_folder_reports_nothing(folder):
    """Rebuilding from the same files is no change (the same bytes give the same SHA-256)."""
    change = compare(load_corpus(folder), load_corpus(folder))
    assert change == CorpusChange((), (), ())
    assert not change.any


def test_changing_only_the_sidecar_counts_as_changed(folder):
    """Editing a source's metadata (its title) without touching its text is reported as a change."""
    (folder / "alpha.meta.yaml").write_text("title: Old title\n", encoding="utf-8")
    old = load_corpus(folder)
    (folder / "alpha.meta.yaml").write_text("title: New title\n", encoding="utf-8")
    new = load_corpus(folder)
    assert compare(old, new).changed == ("alpha",)
    assert new.source("alpha").title == "New title"


def test_adding_or_removing_a_sidecar_counts_as_changed(folder):
    """Adding a sidecar to a source, then removing it, are both changes to that source."""
    before = load_corpus(folder)
    (folder / "beta.meta.yaml").write_text("caption: true\n", encoding="utf-8")
    with_sidecar = load_corpus(folder)
    (folder / "beta.meta.yaml").unlink()
    assert compare(before, with_sidecar).changed == ("beta",)
    assert compare(with_sidecar, load_corpus(folder)).changed == ("beta",)


def test_moving_text_into_the_sidecar_counts_as_changed(tmp_path):
    """Text and sidecar are hashed apart: moving the last line of a file into its sidecar is not "unchanged"."""
    (tmp_path / "a.txt").write_bytes(b"Body text.\ntitle: Moved\n")
    old = load_corpus(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"Body text.\n")
    (tmp_path / "a.meta.yaml").write_bytes(b"title: Moved\n")
    new = load_corpus(tmp_path)
    assert new.source("a").text != old.source("a").text
    assert compare(old, new).changed == ("a",)


def test_compare_keeps_the_order_of_each_corpus(tmp_path):
    """Added ids come in the new corpus's order and removed ids in the old one's (stable reports)."""
    for name in ("d", "b"):
        (tmp_path / f"{name}.txt").write_text(f"{name} text.", encoding="utf-8")
    old = load_corpus(tmp_path)
    for name in ("d", "b"):
        (tmp_path / f"{name}.txt").unlink()
    for name in ("c", "a"):
        (tmp_path / f"{name}.txt").write_text(f"{name} text.", encoding="utf-8")
    change = compare(old, load_corpus(tmp_path))
    assert change.added == ("a", "c") and change.removed == ("b", "d")


def test_passage_finds_by_id_without_scanning(folder):
    """corpus.passage(id) finds a whole paragraph or one part of a split one, and None for an unknown id or a
    malformed one."""
    corpus = load_corpus(folder)
    assert corpus.passage("alpha:2").text == "A second paragraph on ships."
    assert corpus.passage("beta:1").source_id == "beta"
    for missing in ("alpha:3", "gamma:1", "alpha", "alpha:x", "alpha:1.2", ""):
        assert corpus.passage(missing) is None
