"""A source unit's consistency check, which decides whether a cached unit may be merged (a damaged one is dropped)."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

from retrieval.models import Source
from retrieval.search.source_units import analyse_source, check_unit
from retrieval.text.tokenizer import Tokenizer


@pytest.fixture(scope="module")
def unit():
    text = "Mexican President Claudia Sheinbaum spoke on Monday.\n\nThe raid in Jalisco state ended."
    source = Source(id="a", file_name="a.txt", title="a", text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    return analyse_source(source, Tokenizer())


def test_a_consistent_unit_passes(unit):
    assert len(unit) == 2
    check_unit(unit)
    check_unit(dataclasses.replace(unit, pair_words=np.array([0], np.int32), pair_terms=np.array([1], np.int32)))


def pair(word: int, term: int) -> dict:
    return {"pair_words": np.array([word], np.int32), "pair_terms": np.array([term], np.int32)}


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        (lambda u: {"row_terms": u.row_terms + 1000}, "a term that is not there"),
        (lambda u: {"terms": u.terms.rpartition("\x00")[0]}, "a term that is not there"),
        (lambda u: {"word_terms": u.word_terms[:-1]}, "words disagree"),
        (lambda u: pair(10_000, 0), "word pairs disagree"),
        (lambda u: pair(0, 10_000), "word pairs disagree"),
        (lambda u: {"pair_words": np.array([0], np.int32)}, "word pairs disagree"),
        (lambda u: {"start": u.start[:1]}, "passage columns disagree"),
    ],
)
def test_each_disagreement_is_found(unit, broken, why):
    with pytest.raises(ValueError, match=why):
        check_unit(dataclasses.replace(unit, **broken(unit)))
