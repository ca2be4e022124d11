"""The unit cache beside a snapshot: units that disagree are dropped, and what spares a restart's first reload its
per-string work (the units' strings numbered, each word's background probability) comes back as it was."""

from __future__ import annotations

import dataclasses
import hashlib
import logging

import numpy as np
import pytest

from retrieval.models import Source
from retrieval.search import merge
from retrieval.search.index import Bm25Params
from retrieval.search.source_units import analyse_source, check_unit
from retrieval.text import background
from retrieval.text.tokenizer import Tokenizer
from retrieval.unit_cache import load_units, save_units

TEXTS = (
    "Mexican President Claudia Sheinbaum spoke on Monday.\n\nThe raid in Jalisco state ended.",
    "The United Methodist Church met in Bendigo.\n\nFans of the Super Bowl cheered in California.",
    "Nemesio Oseguera Cervantes, the leader of the cartel, was 59. The U.S. offered a reward.",
)


@pytest.fixture
def units(monkeypatch) -> list:
    monkeypatch.setattr(merge, "NUMBERED", merge.Numbering())  # this test's numbering only
    tokenizer = Tokenizer()
    return [
        analyse_source(
            Source(
                id=f"s{i}", file_name=f"s{i}.txt", title=f"s{i}", text=t, sha256=hashlib.sha256(t.encode()).hexdigest()
            ),
            tokenizer,
        )
        for i, t in enumerate(TEXTS)
    ]


def pair(word: int, term: int) -> dict:
    return {"pair_words": np.array([word], np.int32), "pair_terms": np.array([term], np.int32)}


@pytest.mark.parametrize(
    "broken",
    [
        lambda u: {"row_terms": u.row_terms + 1000},
        lambda u: {"row_terms": u.row_terms - 1000},
        lambda u: {"terms": u.terms.rpartition("\x00")[0]},
        lambda u: {"word_terms": u.word_terms[:-1]},
        lambda u: pair(10_000, 0),
        lambda u: pair(0, 10_000),
        lambda u: {"pair_words": np.array([0], np.int32)},
        lambda u: {"start": u.start[:1]},
        lambda u: {"row_counts": u.row_counts[:-1]},
        lambda u: {"row_start": u.row_start[:-1]},
        lambda u: {"mentions": ((5, "the church", b"\x00\x01"),)},
    ],
)
def test_a_unit_that_check_unit_refuses_is_dropped_on_load(units, tmp_path, broken):
    """The file's arrays are checked for all units at once; each disagreement check_unit finds drops that unit
    (and only it)."""
    bad = dataclasses.replace(units[1], **broken(units[1]))
    with pytest.raises(ValueError):
        check_unit(bad)
    path = tmp_path / "units.snapshot"
    save_units([units[0], bad, units[2]], path, "k")
    assert sorted(load_units(path, "k")) == sorted([units[0].key, units[2].key])


def test_loaded_units_are_numbered_from_the_saved_tables_without_string_work(units, tmp_path, monkeypatch):
    """After a load, each unit's terms and words have process-wide numbers that name its own strings, and the
    merge reads no unit's joined strings again."""
    path = tmp_path / "units.snapshot"
    save_units(units, path, "k")
    monkeypatch.setattr(merge, "NUMBERED", merge.Numbering())  # a new process
    back = list(load_units(path, "k").values())
    monkeypatch.setattr(merge, "_joined", lambda *a, **k: pytest.fail("a unit's strings were split again"))
    terms, words = merge.NUMBERED.of(back)
    for unit, t, w in zip(back, terms, words, strict=True):
        assert merge.NUMBERED.terms_named(t) == unit.term_list()
        assert merge.NUMBERED.words_named(w) == unit.word_list()


def test_the_merge_of_loaded_units_equals_the_merge_of_the_originals(units, tmp_path, monkeypatch):
    """Numbering from the tables gives the same library as numbering from the strings, in a process that numbered
    other strings first (the tables' numbers differ from this process's)."""
    expected = merge.merge_units(units, Bm25Params())
    path = tmp_path / "units.snapshot"
    save_units(units, path, "k")
    monkeypatch.setattr(merge, "NUMBERED", merge.Numbering())
    merge.NUMBERED.of([units[2]])  # other numbers first
    back = load_units(path, "k")
    merged = merge.merge_units([back[u.key] for u in units], Bm25Params())
    assert merged.arrays.terms == expected.arrays.terms
    for name in ("idf", "row_terms", "row_counts", "postings", "weights"):
        assert getattr(merged.arrays, name).tobytes() == getattr(expected.arrays, name).tobytes(), name
    assert merged.vocabulary.terms_of_word == expected.vocabulary.terms_of_word


def test_word_probabilities_come_back_without_wordfreq(units, tmp_path, monkeypatch):
    """Each word's background probability is saved with the units; after a load it is not looked up again."""
    path = tmp_path / "units.snapshot"
    save_units(units, path, "k")
    words = {w for u in units for w in u.word_list()}
    expected = {w: background.word_probability(w) for w in words}
    monkeypatch.setattr(background, "_REMEMBERED", {})
    background._looked_up_probability.cache_clear()
    load_units(path, "k")
    monkeypatch.setattr(background, "zipf_frequency", lambda *a: pytest.fail("wordfreq was asked again"))
    assert {w: background.word_probability(w) for w in words} == expected


def test_numbered_strings_that_disagree_are_not_used_but_the_units_are(units, tmp_path, monkeypatch, caplog):
    """A table index outside its table (a bug that wrote it): the units still load, and their strings are numbered
    from the strings themselves."""
    path = tmp_path / "units.snapshot"
    real = merge.Numbering.tables_of

    def shifted(self, saved):
        term_table, term_ids, word_table, word_ids = real(self, saved)
        return term_table, [ids + 10_000 for ids in term_ids], word_table, word_ids

    monkeypatch.setattr(merge.Numbering, "tables_of", shifted)
    save_units(units, path, "k")
    monkeypatch.setattr(merge, "NUMBERED", merge.Numbering())
    with caplog.at_level(logging.WARNING):
        back = load_units(path, "k")
    assert sorted(back) == sorted(u.key for u in units)
    assert "numbered strings not used" in caplog.text
    terms, _ = merge.NUMBERED.of(list(back.values()))
    assert [merge.NUMBERED.terms_named(t) for t in terms] == [u.term_list() for u in back.values()]


def test_a_library_of_no_units_round_trips(tmp_path):
    """A folder whose every file was refused saves an empty unit cache, which loads back empty."""
    path = tmp_path / "units.snapshot"
    save_units([], path, "k")
    assert load_units(path, "k") == {}


def test_appositive_names_are_read_when_a_merge_asks_for_them(units, tmp_path):
    """A loaded unit's appositive heads are known at once; the names come back as saved, and a unit saved again
    from a loaded one writes the same names."""
    unit = units[2]
    assert unit.appositives  # "Nemesio Oseguera Cervantes, the leader of the cartel": leader -> the name
    path = tmp_path / "units.snapshot"
    save_units(units, path, "k")
    back = load_units(path, "k")[unit.key]
    assert set(back.appositives.keys()) == set(unit.appositives)
    assert {h: back.appositives[h] for h in back.appositives} == unit.appositives
    again = tmp_path / "again.snapshot"
    save_units(list(load_units(path, "k").values()), again, "k")
    assert load_units(again, "k")[unit.key].appositives == unit.appositives
