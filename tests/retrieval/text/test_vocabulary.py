"""Vocabulary.resolve: the cost of a long question word."""

from __future__ import annotations

from retrieval.text.tokenizer import Tokenizer
from retrieval.text.vocabulary import Vocabulary


class CountingDict(dict):
    """A dict that counts membership tests, to measure how much work a look-up does without timing it."""

    lookups = 0

    def __contains__(self, key: object) -> bool:
        CountingDict.lookups += 1
        return super().__contains__(key)


def test_a_long_word_tries_no_more_compound_splits_than_a_short_one():
    """Compound splits are bounded by the longest index word, so a 100,000-letter word costs what a 30-letter one
    does (before: one split, and two string copies, per letter: quadratic time on `qabot ask -`)."""
    tokenizer = Tokenizer()
    vocabulary = Vocabulary([tokenizer.tokens("The Super Bowl in California, a superlative raid.")])
    vocabulary.terms_of_word = CountingDict(vocabulary.terms_of_word)

    def lookups(word: str) -> int:
        (token,) = tokenizer.tokens(word)
        CountingDict.lookups = 0
        assert vocabulary.resolve(token) == ()
        return CountingDict.lookups

    assert lookups("q" * 100_000) == lookups("q" * 30)
    assert vocabulary.resolve(tokenizer.tokens("Superbowl")[0]) == ("super", "bowl")


def test_words_of_a_term_are_the_sources_spellings_in_first_seen_order():
    """The reverse of terms_of_word, for spelling a corrected word as the sources do."""
    vocabulary = Vocabulary([Tokenizer().tokens("Trump telephoned. The telephone rang; telephones everywhere.")])
    assert vocabulary.words_of("telephon") == ["telephoned", "telephone", "telephones"]
    assert vocabulary.words_of("trump") == ["trump"]
    assert vocabulary.words_of("nosuchterm") == []


def test_acronyms_come_from_runs_of_capitalised_words_with_connectors_inside_them():
    """ "Jalisco New Generation Cartel" gives "JNGC" and its 2-6 word spans; a connector inside a run ("Bank of
    England") is not a head, one at its end is no part of it, and one capitalised word gives none."""
    tokenizer = Tokenizer()
    text = "The Jalisco New Generation Cartel met the Bank of England and. Reuters said of the Office for"
    acronyms = Vocabulary([tokenizer.tokens(text)]).acronyms
    assert acronyms["JNGC"] == ("jalisco", "new", "generat", "cartel")
    assert acronyms["NG"] == ("new", "generat")
    assert acronyms["TJNGC"] == ("jalisco", "new", "generat", "cartel")  # "The" is capitalised: a head
    assert acronyms["BE"] == ("bank", "england")
    assert "BOE" not in acronyms and "BEA" not in acronyms
    assert not [letters for letters in acronyms if letters.startswith("R") or letters.startswith("O")]
    assert Vocabulary([tokenizer.tokens("Reuters said")]).acronyms == {}
