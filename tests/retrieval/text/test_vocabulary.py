"""Vocabulary.resolve: the cost of a long question word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook dynamic programme (the reference RapidFuzz must equal)."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


@given(
    st.text(alphabet="abcdé'", min_size=1, max_size=8),
    st.lists(st.text(alphabet="abcdé'", min_size=1, max_size=8), max_size=30, unique=True),
    st.sampled_from([1, 2]),
)
def test_closest_is_the_unique_nearest_word_by_optimal_string_alignment(word, candidates, max_distance):
    """A misspelt word resolves to the one library word nearest to it (transpositions count one edit), none on a
    tie or past ``max_distance``; the word itself is never its own correction."""
    from retrieval.text.vocabulary import _closest, damerau_levenshtein

    distances = {c: _osa_distance(word, c) for c in candidates if c != word}
    best = min(distances.values(), default=max_distance + 1)
    nearest = [c for c, d in distances.items() if d == best]
    expected = nearest[0] if best <= max_distance and len(nearest) == 1 else None
    assert _closest(word, candidates, max_distance) == expected
    for candidate, distance in distances.items():
        assert damerau_levenshtein(word, candidate) == distance
        assert damerau_levenshtein(word, candidate, max_distance) == min(distance, max_distance + 1)
