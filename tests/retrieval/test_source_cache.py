"""The sources cache: a start takes back the sources whose files (and sidecars) keep the size and modification time
they had when last loaded, without reading them; anything else is read again, and the library is always the one a
cold load of the folder gives."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from retrieval import corpus as corpus_module
from retrieval import source_cache
from retrieval.corpus import load_corpus
from retrieval.library import load_library
from retrieval.source_cache import SOURCES_FILE, load_sources_cache, save_sources
from retrieval.sources import loading
from retrieval.sources.loading import load_sources

TEXTS = {
    "alpha.txt": "Mexican President Claudia Sheinbaum spoke to Trump on Monday.\n\nThe call lasted 40 minutes.\n",
    "beta.md": "---\ntitle: The church\nurl: https://example.org/church\n---\n"
    "# Methodists meet\n\nThey met in Bendigo.\n",
    "gamma.html": "<html><head><title>Raid</title></head><body><article><h1>Troops raid a cartel's ranch</h1>"
    "<p>Troops killed the leader of the Jalisco New Generation cartel in a raid on a ranch near Tapalpa, officials "
    "said on Sunday, after months of surveillance by the army and the national guard.</p>"
    "<p>The United States had offered a reward of fifteen million dollars for information leading to his arrest, "
    "and the embassy said it welcomed the operation.</p></article></body></html>",
}
SIDECAR = "published: 2026-02-25\nauthor: Ana Ruiz\n"


def make(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "alpha.meta.yaml").write_text(SIDECAR, encoding="utf-8")
    age(folder)
    return folder


def age(folder: Path, seconds: int = 60) -> None:
    """Every file's modification time ``seconds`` ago: past the racy window, so its state is trusted."""
    past = time.time_ns() - seconds * 1_000_000_000
    for path in folder.iterdir():
        os.utime(path, ns=(past, past))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make(tmp_path / "library", TEXTS)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files read (source files, not sidecars)."""
    read: list[str] = []
    real = loading._read_once
    monkeypatch.setattr(loading, "_read_once", lambda path, limit: read.append(path.name) or real(path, limit))
    return read


def cold(folder: Path) -> list[dict]:
    return [s.model_dump() for s in load_sources(folder).sources]


def dumped(corpus) -> list[dict]:
    return [s.model_dump() for s in corpus.sources]


def cache_of(folder: Path) -> Path:
    return corpus_module.snapshot_path(folder).parent / SOURCES_FILE


@pytest.mark.parametrize("load", [load_corpus, load_library])
def test_a_start_reads_no_file_unchanged_since_the_last_load(folder, reads, load):
    """The first load reads every file and saves the sources cache; a new start (no library in memory) reads none,
    and its sources, every field included, are those of a cold load."""
    first = load(folder)
    assert sorted(reads) == sorted(TEXTS) and cache_of(folder).is_file()
    reads.clear()
    again = load(folder)
    assert reads == []
    assert dumped(again) == dumped(first) == cold(folder)


@pytest.mark.parametrize("change", ["edited", "same size, new time", "sidecar", "added", "removed"])
def test_a_start_reads_again_only_what_changed(folder, reads, change):
    """An edit (even one keeping the size), a changed sidecar, an added file: only that file is read again, and the
    library equals a cold load; a removed file is simply gone."""
    load_corpus(folder)
    reads.clear()
    alpha = folder / "alpha.txt"
    if change == "edited":
        alpha.write_text(TEXTS["alpha.txt"].replace("40 minutes", "an hour and a half"), encoding="utf-8")
    elif change == "same size, new time":
        alpha.write_text(TEXTS["alpha.txt"].replace("40", "45"), encoding="utf-8")
        past = time.time_ns() - 30_000_000_000
        os.utime(alpha, ns=(past, past))  # old enough to trust, but not the time recorded
    elif change == "sidecar":
        (folder / "alpha.meta.yaml").write_text(SIDECAR.replace("Ana Ruiz", "Luis Vega"), encoding="utf-8")
    elif change == "added":
        (folder / "delta.txt").write_text("The WHO said the outbreak in Lagos is over.\n", encoding="utf-8")
    else:
        (folder / "gamma.html").unlink()
    loaded = load_corpus(folder)
    expected = {"added": ["delta.txt"], "removed": []}.get(change, ["alpha.txt"])
    assert reads == expected
    assert dumped(loaded) == cold(folder)
    assert [p.text for p in loaded.passages] == [p.text for p in load_corpus(folder, use_snapshot=False).passages]


def test_a_file_written_within_the_racy_window_is_read_again_at_the_next_start(tmp_path, reads):
    """A file modified less than RACY_NS before it was read gets no file state (a second write in the same clock
    tick could leave its time unchanged): the next start reads it again rather than trust the cache."""
    folder = make(tmp_path / "library", TEXTS)
    (folder / "alpha.txt").write_text(TEXTS["alpha.txt"], encoding="utf-8")  # just now
    load_corpus(folder)
    reads.clear()
    load_corpus(folder)
    assert reads == ["alpha.txt"]


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "other code"])
def test_a_damaged_or_stale_sources_cache_is_not_used(folder, reads, damage, monkeypatch):
    """A cache that fails its checksum, is cut short, or was written by other code is not used: every file is read
    again and the library is a cold load's."""
    load_corpus(folder)
    path = cache_of(folder)
    data = bytearray(path.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    else:
        monkeypatch.setattr(source_cache, "sources_cache_key", lambda: "written by other code")
    reads.clear()
    loaded = load_corpus(folder)
    assert sorted(reads) == sorted(TEXTS)
    assert dumped(loaded) == cold(folder)


def test_a_cached_source_whose_file_became_a_link_out_of_the_folder_is_refused(folder, tmp_path, reads):
    """A file replaced by a link leading outside the folder is refused, even though the cache holds its source."""
    load_corpus(folder)
    outside = tmp_path / "outside.txt"
    outside.write_text(TEXTS["alpha.txt"], encoding="utf-8")
    (folder / "alpha.txt").unlink()
    (folder / "alpha.txt").symlink_to(outside)
    loaded = load_corpus(folder)
    assert [r.file_name for r in loaded.refused] == ["alpha.txt"]
    assert "alpha" not in {s.id for s in loaded.sources}


def test_a_library_with_a_shared_folder_reads_neither_again(tmp_path, reads):
    """Both the library's own files and its shared library's are taken back at a start, each in its place."""
    own = make(tmp_path / "own", {"alpha.txt": TEXTS["alpha.txt"], "own.txt": "A story of our own.\n"})
    shared = make(tmp_path / "shared", {"shared.txt": "A shared story about the raid.\n"})
    first = load_library(own, shared=shared)
    reads.clear()
    again = load_library(own, shared=shared)
    assert reads == []
    assert dumped(again) == dumped(first)
    assert again.shared_ids == first.shared_ids == {"shared"}


def test_an_own_file_named_like_a_shared_one_is_not_confused_with_it(tmp_path, reads):
    """A shared file and an own file of the same name: the own one (whose id takes a suffix) is read again at a
    start rather than taken for the shared one, and the library is the first load's."""
    own = make(tmp_path / "own", {"alpha.txt": TEXTS["alpha.txt"]})
    shared = make(tmp_path / "shared", {"alpha.txt": "A shared story about another alpha.\n"})
    first = load_library(own, shared=shared)
    reads.clear()
    again = load_library(own, shared=shared)
    assert reads == ["alpha.txt"]
    assert dumped(again) == dumped(first)
    assert [s.text for s in again.sources] == [TEXTS["alpha.txt"], "A shared story about another alpha.\n"]


def test_save_and_load_round_trip_every_field(folder, tmp_path):
    """Every field of every source (parse notes and file states as tuples, the shared mark) comes back equal."""
    sources = load_sources(folder).sources
    assert any(s.parse_notes for s in sources) and any(s.file_state for s in sources)
    path = tmp_path / "sources.snapshot"
    save_sources(sources, {"beta"}, path)
    known = load_sources_cache(path)
    assert sorted(known.own) == ["alpha.txt", "gamma.html"] and list(known.shared) == ["beta.md"]
    back = {**known.own, **known.shared}
    assert [back[s.file_name] for s in sources] == list(sources)
    assert all(isinstance(s.parse_notes, tuple) for s in back.values())


def test_an_unchanged_library_does_not_write_the_cache_again(folder):
    """A start that took every source back leaves the cache file as it was."""
    load_corpus(folder)
    before = cache_of(folder).stat().st_mtime_ns
    time.sleep(0.01)
    load_corpus(folder)
    assert cache_of(folder).stat().st_mtime_ns == before
