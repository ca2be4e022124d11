"""english_correction: a typo of a common English word is read as that word; words English knows, names and short
words are left alone."""

from __future__ import annotations

import pytest

from retrieval.text.spelling import english_correction


@pytest.mark.parametrize(("typed", "meant"), [("tlak", "talk"), ("lnog", "long")])
def test_a_typo_one_edit_from_a_common_word_is_mended(typed, meant):
    """A transposition, a deletion: the most frequent English word one edit away."""
    assert english_correction(typed) == meant


@pytest.mark.parametrize("word", ["talk", "sheinbaum", "fentanyl", "tlk", "x1y2", "qwxzvb"])
def test_known_words_names_short_words_and_noise_are_left_alone(word):
    """English words, a name English knows, 3-letter words, non-letters and strings with no common neighbour."""
    assert english_correction(word) is None


def test_a_word_longer_than_max_letters_is_not_corrected(monkeypatch):
    """Past MAX_LETTERS the edits are not tried (their number grows with the length squared)."""
    from retrieval.text import spelling

    assert english_correction("telecommunicatoins") == "telecommunications"  # 18 letters
    monkeypatch.setattr(spelling, "MAX_LETTERS", 17)
    assert english_correction("telecommunicatoins") is None
