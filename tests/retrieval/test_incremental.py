"""Incremental builds: a library merged from kept per-source units (in memory, or from the unit cache beside the
snapshot) is exactly the library a cold build of the same folder gives, and only changed sources are read again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from retrieval import corpus as corpus_module
from retrieval.corpus import Corpus, load_corpus
from retrieval.library import load_library
from retrieval.search import source_units
from retrieval.unit_cache import UNITS_FILE, load_units, save_units

TEXTS = {
    "alpha": (
        "Mexican President Claudia Sheinbaum spoke to Trump on Monday.\n\n"
        "The Mexican president said the call about the cartel raid was productive. It lasted 40 minutes.\n"
    ),
    "beta": "The United Methodist Church met in Bendigo.\n\nFans of the Super Bowl cheered in California.\n",
    "gamma": (
        "Troops killed the cartel leader known as “El Mencho” in a raid.\n\n"
        "Nemesio Rubén Oseguera Cervantes, longtime leader of the Jalisco New Generation cartel, was 59. "
        "Mr. Oseguera ran the cartel for years. The U.S. offered a reward.\n"
    ),
    "delta": "The WHO said the outbreak in Lagos is over. Dr. Ngozi Okafor, chief of the unit, agreed.\n",
}
QUESTIONS = [
    "Who spoke to Trump?",
    "How long was the call?",
    "Where did the church meet?",
    "El Mencho raid",
    "Who is the chief of the unit?",
    "Bendigo Ballarat Super Bowl",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    for name, text in TEXTS.items():
        (library / f"{name}.txt").write_text(text, encoding="utf-8")
    return library


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """The titles of the sources read into units (not taken from kept units)."""
    read: list[str] = []
    original = source_units.analyse_source

    def counting(source, tokenizer):
        read.append(source.id)
        return original(source, tokenizer)

    monkeypatch.setattr(corpus_module, "analyse_source", counting)
    return read


def state(corpus: Corpus) -> dict:
    """Everything a library answers with: searches, passages, terms, document frequencies and IDFs, vocabulary,
    acronyms, title and nickname aliases, sentence spans."""
    index = corpus.index
    terms = index.arrays.terms
    return {
        "searches": [
            [(h.passage.id, h.score, h.matched_terms) for h in index.search(index.tokenizer.terms(q), k=20)]
            for q in QUESTIONS
        ],
        "passages": list(corpus.passages),
        "passage_terms": [index.passage_terms_of(p) for p in corpus.passages],
        "statistics": {t: (index.document_frequency(t), index.idf(t)) for t in terms},
        "vocabulary": dict(index.vocabulary.terms_of_word),
        "acronyms": dict(index.vocabulary.acronyms),
        "longest": index.vocabulary._longest,
        "by_first_letter": {k: sorted(v) for k, v in index.vocabulary._by_first_letter.items()},
        "aliases": dict(corpus.entity_aliases),
        "spans": [corpus.passages.sentence_spans(i) for i in range(len(corpus.passages))],
    }


def edit(folder: Path, change: str) -> None:
    if change == "changed":
        (folder / "beta.txt").write_text(TEXTS["beta"].replace("Bendigo", "Ballarat"), encoding="utf-8")
    elif change == "ambiguous":  # "the Mexican president" of alpha no longer names one person
        text = "Mexican President Andres Lopez met Bendigo Mayor Jo Smith.\n"
        (folder / "zeta.txt").write_text(text, encoding="utf-8")
    elif change == "added":
        (folder / "epsilon.txt").write_text(
            "Bendigo Mayor Jo Smith opened the fair.\n\nThe Bendigo mayor thanked the volunteers.\n", encoding="utf-8"
        )
    else:
        (folder / "gamma.txt").unlink()


@pytest.mark.parametrize("change", ["changed", "added", "removed", "ambiguous"])
def test_a_reload_with_the_served_library_reads_only_what_changed_and_equals_a_cold_build(folder, analysed, change):
    """With the served library at hand (its units in memory), a reload after a source changed, was added or was
    removed reads at most that source again, and every search, score, passage, term statistic, vocabulary entry,
    alias and sentence span equals a cold build of the folder."""
    served = load_library(folder)
    served.passages.sentence_spans(0)  # spans found while serving are carried over, not found again
    assert sorted(analysed) == sorted(TEXTS)
    analysed.clear()
    edit(folder, change)
    reloaded = load_library(folder, previous=served)
    assert analysed == {"changed": ["beta"], "added": ["epsilon"], "removed": [], "ambiguous": ["zeta"]}[change]
    cold = load_corpus(folder, use_snapshot=False)
    assert state(reloaded) == state(cold)


@pytest.mark.parametrize("change", ["changed", "added", "removed"])
def test_a_reload_reads_no_file_whose_size_and_modification_time_are_unchanged(folder, analysed, monkeypatch, change):
    """Sources whose files keep their size and modification time are taken from the served library without being
    read or hashed; the edited file alone is read, and the library equals a cold build of the folder."""
    import os
    import time

    from retrieval.sources import loading

    past = time.time_ns() - 60_000_000_000
    for path in folder.iterdir():
        os.utime(path, ns=(past, past))
    served = load_library(folder)
    edit(folder, change)
    read: list[str] = []
    real = loading._read_once
    monkeypatch.setattr(loading, "_read_once", lambda path, limit: read.append(path.stem) or real(path, limit))
    reloaded = load_library(folder, previous=served)
    assert read == {"changed": ["beta"], "added": ["epsilon"], "removed": []}[change]
    monkeypatch.undo()
    assert state(reloaded) == state(load_corpus(folder, use_snapshot=False))


@pytest.mark.parametrize("change", ["changed", "added", "removed"])
def test_a_restart_reads_the_unchanged_sources_from_the_unit_cache(folder, analysed, change):
    """In a new process (no library in memory), the units of unchanged sources come from the cache beside the
    snapshot; the library equals a cold build."""
    load_corpus(folder)
    assert (corpus_module.snapshot_path(folder).parent / UNITS_FILE).is_file()
    analysed.clear()
    edit(folder, change)
    loaded = load_corpus(folder)
    assert analysed == {"changed": ["beta"], "added": ["epsilon"], "removed": [], "ambiguous": ["zeta"]}[change]
    assert state(loaded) == state(load_corpus(folder, use_snapshot=False))


def test_a_damaged_unit_cache_is_read_again_never_served(folder, analysed):
    """A unit cache with a flipped byte fails its checksum: every source is read again, and the library is the
    cold build's."""
    load_corpus(folder)
    units_file = corpus_module.snapshot_path(folder).parent / UNITS_FILE
    data = bytearray(units_file.read_bytes())
    data[len(data) // 2] ^= 0x20
    units_file.write_bytes(bytes(data))
    edit(folder, "changed")
    analysed.clear()
    loaded = load_corpus(folder)
    assert sorted(analysed) == sorted(TEXTS)
    assert state(loaded) == state(load_corpus(folder, use_snapshot=False))


def test_a_unit_whose_arrays_disagree_is_dropped_and_its_source_read_again(folder, analysed):
    """A cache entry that passes the file's checksum but whose rows name terms it does not have (written so by a
    bug) is left out: only its source is read again, and the library is the cold build's."""
    built = load_corpus(folder)
    units_file = corpus_module.snapshot_path(folder).parent / UNITS_FILE
    key = built.units_key
    broken = [dataclasses.replace(u, row_terms=u.row_terms + 1000) if i == 1 else u for i, u in enumerate(built.units)]
    save_units(broken, units_file, key)
    assert len(load_units(units_file, key)) == len(TEXTS) - 1
    edit(folder, "changed")
    analysed.clear()
    loaded = load_corpus(folder)
    assert sorted(analysed) == ["beta"]  # beta is both the broken entry and the changed source
    assert state(loaded) == state(load_corpus(folder, use_snapshot=False))


def test_units_read_in_worker_processes_give_the_same_library(folder):
    """Sources read in two spawned worker processes give the library read in this one."""
    sources = load_library(folder).sources
    here = Corpus.build(sources, encoder=None)
    parallel = Corpus.build(sources, encoder=None, workers=2, parallel_chars=0)
    assert state(parallel) == state(here)
    assert [u.key for u in parallel.units] == [u.key for u in here.units]


def test_unit_cache_round_trip(folder, tmp_path):
    """Every field of every unit comes back from the unit cache as it was saved."""
    units = load_corpus(folder, use_snapshot=False).units
    path = tmp_path / "units.snapshot"
    save_units(units, path, "k")
    back = load_units(path, "k")
    assert load_units(path, "other key") == {}
    for unit in units:
        again = back[unit.key]
        for field in dataclasses.fields(unit):
            a, b = getattr(unit, field.name), getattr(again, field.name)
            if isinstance(a, np.ndarray):
                assert a.dtype == b.dtype and a.tolist() == b.tolist(), field.name
            else:
                assert a == b, field.name


def test_the_merge_does_not_depend_on_which_units_the_process_numbered_before(folder, monkeypatch):
    """Terms and words are numbered once per process (merge.NUMBERED), in whatever order units arrive; a merge
    gives the same arrays, vocabulary order and aliases whether the numbering is fresh or was made by units seen
    earlier in another order (a warm worker, a served library's units)."""
    from retrieval.search import merge
    from retrieval.search.index import Bm25Params

    units = list(load_corpus(folder, use_snapshot=False).units)
    monkeypatch.setattr(merge, "NUMBERED", merge.Numbering())
    fresh = merge.merge_units(units, Bm25Params())
    monkeypatch.setattr(merge, "NUMBERED", merge.Numbering())
    merge.merge_units(units[::-1], Bm25Params())  # numbers the strings in another order first
    again = merge.merge_units(units, Bm25Params())
    assert again.arrays.terms == fresh.arrays.terms
    for name in ("idf", "row_start", "row_terms", "row_counts", "term_start", "postings", "weights"):
        assert getattr(again.arrays, name).tobytes() == getattr(fresh.arrays, name).tobytes(), name
    assert list(again.vocabulary.terms_of_word.items()) == list(fresh.vocabulary.terms_of_word.items())
    assert list(again.vocabulary.acronyms.items()) == list(fresh.vocabulary.acronyms.items())
    assert again.entity_aliases == fresh.entity_aliases
