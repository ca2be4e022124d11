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
