"""A library with the shared one attached: ids kept distinct, last good versions kept, a missing shared folder
never costs the library its own sources."""

from __future__ import annotations

from pathlib import Path

from retrieval.library import load_library

TEXT = "A paragraph about the harbour.\n"


def folders(tmp_path: Path) -> tuple[Path, Path]:
    own, shared = tmp_path / "own", tmp_path / "shared"
    own.mkdir()
    shared.mkdir()
    return own, shared


def test_own_and_shared_sources_are_indexed_together_with_distinct_ids(tmp_path):
    """A library's file whose id is also a shared source's gets a suffixed id; shared_ids names the shared ones."""
    own, shared = folders(tmp_path)
    (own / "news.txt").write_text(TEXT, encoding="utf-8")
    (shared / "news.txt").write_text("Shared " + TEXT, encoding="utf-8")
    corpus = load_library(own, shared=shared)
    ids = sorted(s.id for s in corpus.sources)
    assert ids[0] == "news" and ids[1].startswith("news-") and corpus.shared_ids == {"news"}
    assert {p.source_id for p in corpus.passages} == set(ids)


def test_a_missing_shared_folder_leaves_the_library_serving_its_own(tmp_path):
    """With the shared folder gone, the library's own sources load, the shared sources served before are kept, and
    the missing folder is listed as skipped."""
    own, shared = folders(tmp_path)
    (own / "news.txt").write_text(TEXT, encoding="utf-8")
    (shared / "seed.txt").write_text("Seed " + TEXT, encoding="utf-8")
    before = load_library(own, shared=shared)
    (shared / "seed.txt").unlink()
    shared.rmdir()
    (own / "more.txt").write_text("More " + TEXT, encoding="utf-8")
    corpus = load_library(own, shared=shared, previous=before)
    assert sorted(s.id for s in corpus.sources) == ["more", "news", "seed"] and corpus.shared_ids == {"seed"}
    assert corpus.skipped[0][0] == "shared library" and "missing" in corpus.skipped[0][1]
    assert [s.id for s in load_library(own, shared=shared).sources] == ["more", "news"]


def test_a_shared_source_that_breaks_keeps_its_last_good_version(tmp_path):
    """A shared file that loaded before and now fails is served from the previous corpus, marked stale."""
    own, shared = folders(tmp_path)
    (shared / "seed.txt").write_text(TEXT, encoding="utf-8")
    before = load_library(own, shared=shared)
    (shared / "seed.txt").write_bytes(b"\x00")
    after = load_library(own, shared=shared, previous=before)
    assert after.source("seed") == before.source("seed") and after.stale == {"seed"} and after.shared_ids == {"seed"}
