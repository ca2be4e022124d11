"""Tokenizer: folding, stopwords, possessives, acronyms, numbers, stemming; property tests on arbitrary text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from retrieval.text.stopwords import ENGLISH_STOPWORDS
from retrieval.text.tokenizer import Tokenizer, fold

TOKENIZER = Tokenizer()


def test_marks_that_make_another_letter_are_kept_outside_latin_and_greek():
    """Only Latin and Greek accents are dropped: Japanese "プ" (pu) must not become "フ" (fu), nor Cyrillic "й" become
    "и", or a question in those scripts would be searched, and refused, as other words."""
    from retrieval.text.tokenizer import fold

    assert fold("トランプ") == "トランプ" and fold("йод") == "йод" and fold("ئ") == "ئ"
    assert fold("Αθήνα Ångström naïve") == "Αθηνα Angstrom naive"
    assert TOKENIZER.terms("トランプ") != TOKENIZER.terms("トランフ")


def test_accents_and_curly_apostrophes_fold_to_the_same_terms():
    """ "Rubén" matches "Ruben" and "Trump’s" matches "Trump's": quotes pasted from news sites still match."""
    assert TOKENIZER.terms("Rubén") == TOKENIZER.terms("Ruben")
    assert TOKENIZER.terms("Trump’s") == TOKENIZER.terms("Trump's") == TOKENIZER.terms("Trump")


def test_stopwords_are_dropped_and_content_words_stemmed():
    """Function words never become terms; inflected forms share a stem ("killed" and "kills")."""
    assert TOKENIZER.terms("What did the troops say?") == ["troop", "say"]
    assert TOKENIZER.terms("killed") == TOKENIZER.terms("kills")


def test_dotted_acronym_and_united_states_match_us():
    """ "U.S.", "US" and "United States" are the same term, and "US" survives although "us" is a pronoun."""
    assert TOKENIZER.terms("U.S. officials") == TOKENIZER.terms("US officials")
    assert TOKENIZER.terms("the United States") == TOKENIZER.terms("US")
    assert TOKENIZER.terms("WHO said") == ["who", "said"]


def test_acronym_flag_marks_capitals_only_in_text_that_is_not_shouted():
    """A word in capitals is an acronym in normal text, not in a question typed all in capitals."""
    (token,) = [t for t in TOKENIZER.tokens("Members of the SP") if t.word == "sp"]
    assert token.acronym
    assert not any(t.acronym for t in TOKENIZER.tokens("WHERE IS THE SP"))


def test_number_words_become_digits():
    """ "eight" and "8" are one term, so "eight minutes" matches a question that says "8 minutes"."""
    assert TOKENIZER.terms("eight minutes") == TOKENIZER.terms("8 minutes")


def test_hyphenated_words_split():
    """ "high-risk" indexes both halves, so "risk" finds it."""
    assert TOKENIZER.terms("high-risk") == ["high", "risk"]


def test_capitalized_records_the_written_case():
    """Token.capitalized reflects the text as written (names are told apart by it)."""
    tokens = TOKENIZER.tokens("Trump met the press")
    assert [t.capitalized for t in tokens] == [True, False, False, False]


@given(st.text())
@example("Ꭰ")  # Cherokee: str.casefold() maps it to capitals (Hypothesis found it)
@example("N'O O'R")  # stopwords once the apostrophe goes (Hypothesis found them)
@example("AMS")  # shouted, so not an acronym; stems to the stopword "am" (Hypothesis found it)
def test_terms_never_raise_and_hold_no_stopwords_or_capitals(text):
    """Any text tokenizes without error; terms are lower-case, non-empty, and stopwords only where written as an
    acronym ("US", "WHO")."""
    for token in TOKENIZER.tokens(text):
        if token.term:
            assert not any(c.isupper() for c in token.term)
            assert token.acronym or token.term not in ENGLISH_STOPWORDS
    assert all(TOKENIZER.terms(text))


@given(st.text())
def test_fold_is_idempotent(text):
    """Folding twice gives what folding once gives."""
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_terms_are_the_same_after_folding(text):
    """The tokenizer folds first, so folding the text beforehand changes nothing."""
    assert TOKENIZER.terms(fold(text)) == TOKENIZER.terms(text)


@given(st.lists(st.sampled_from(["raid", "cartel", "Mexico", "minutes", "the", "of"]), max_size=20))
def test_terms_are_a_subsequence_of_words(words):
    """Each word yields at most one term, in order: the term list is never longer than the word list."""
    assert len(TOKENIZER.terms(" ".join(words))) <= len(words)


def test_zero_width_characters_inside_a_word_do_not_split_it():
    """Zero-width space, joiners, word joiner, BOM and soft hyphen inside a word leave one word, the same term."""
    for invisible in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        assert TOKENIZER.terms(f"Where is lil{invisible}ly?") == TOKENIZER.terms("Where is lilly?") == ["lilli"]


def test_contractions_typed_without_apostrophes_are_stopwords():
    """ "whats", "didnt", "wheres" are "what's", "didn't", "where's" typed on a phone; "well" and "shell" stay words."""
    tokenizer = Tokenizer()
    assert tokenizer.terms("whats didnt wheres") == []
    assert tokenizer.terms("well shell") == tokenizer.terms("well") + tokenizer.terms("shell") != []


def test_indefinite_pronouns_are_stopwords():
    """ "did anyone praise trump" is about praise and Trump: "anyone" is nothing a source could fail to mention."""
    assert Tokenizer().terms("did anyone praise somebody for everything") == ["prais"]


def _fold_one_character_at_a_time(text: str) -> str:
    """The definition of :func:`fold` as a plain loop over every character (what the fast version must equal)."""
    import unicodedata

    from retrieval.text.tokenizer import _PUNCTUATION_FOLD, _accent_droppable

    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_FOLD))
    kept, base = [], ""
    for c in decomposed:
        if not unicodedata.combining(c):
            base = c
        elif _accent_droppable(base):
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


_MIXED = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aeiouAEIOU .-'`’“”—\u00ad\u200bİıſKÅéÉ\u0301\u0308\u3099プйΩάﬁ①²Ǆ")),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@given(_MIXED)
@example("x\u0301\u0308")  # marks on an ASCII base: dropped
@example("\u0301a")  # a mark with no base: dropped, as the loop's empty base is droppable
@example("プ\u3099й\u0308a\u0301")  # marks on Japanese and Cyrillic kept, on Latin dropped
def test_fold_equals_its_definition_one_character_at_a_time(text):
    """:func:`fold` looks only at the non-ASCII characters and finds the punctuation to fold with a character class;
    it gives what the plain per-character loop gives."""
    assert fold(text) == _fold_one_character_at_a_time(text)


@given(
    st.lists(
        st.sampled_from(
            [
                "United",
                "UNITED",
                "Unıted",
                "States",
                "sTaTeS",
                "of",
                "America",
                "U.S.",
                "u.s.a.",
                "A.B",
                "e.g.",
                "TATE",
                " ",
                "  ",
                "\n",
                ".",
                "tates",
            ]
        ),
        max_size=12,
    )
)
def test_acronym_and_united_states_hints_miss_no_match(words):
    """The cheap tests tried before the acronym and "United States" patterns never skip text the patterns match."""
    from retrieval.text.tokenizer import _DOTTED_ACRONYM, _DOTTED_ACRONYM_HINT, _UNITED_STATES, _UNITED_STATES_HINT

    text = "".join(words)
    if _DOTTED_ACRONYM.search(text):
        assert _DOTTED_ACRONYM_HINT.search(text)
    if _UNITED_STATES.search(text):
        assert _UNITED_STATES_HINT in text.lower()
