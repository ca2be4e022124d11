"""Tokenizer: text -> BM25 terms (folded, stopword-free, Snowball-stemmed words).

Steps, in order:

1. Unicode NFKC; zero-width characters and soft hyphens dropped ("lil", U+200B, "ly" is ``lilly``); curly quotes
   and primes become ASCII quotes, dashes become "-"; accents are removed from Latin and Greek letters (NFKD, their
   combining marks dropped), so ``Rubén`` matches ``Ruben`` and ``Trump’s`` matches ``Trump's``; other
   scripts keep their marks (Japanese ``プ`` stays ``プ``).
2. Dotted acronyms lose their dots (``U.S.`` -> ``US``) and "United States" becomes ``US``.
3. Words are runs of letters and digits; ``'s`` is dropped (possessive); other apostrophes join (``didn't``);
   hyphens and other punctuation split (``high-risk`` -> ``high``, ``risk``).
4. Case folding. Stopwords (:mod:`retrieval.text.stopwords`) are dropped, except an all-capitals acronym such as ``US``
   or ``WHO`` in text that is not itself shouted in capitals.
5. Number words up to twenty and the tens become digits (``eight`` -> ``8``); the rest are stemmed with the Snowball
   English stemmer (PyStemmer).
"""

from __future__ import annotations

import re
import string
import threading
import unicodedata
from dataclasses import dataclass

import Stemmer

from retrieval.text.stopwords import ENGLISH_STOPWORDS

_PUNCTUATION_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        # Invisible characters are no word break: joiners, word joiner, BOM and soft hyphen are ignored inside words
        # by UAX #29 (rule WB4); the zero-width space too, since in English text it is pasted or slipped into a
        # word (to dodge matching), not put between words.
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
    }
)  # fmt: skip
_FOLDED_CHARACTER = re.compile("[" + "".join(re.escape(chr(code)) for code in _PUNCTUATION_FOLD) + "]")
"""Any character of the table: ``str.translate`` looks each character of a non-ASCII text up in a dict (30 us per
passage of 500 characters); a character class finds the few that are there in C."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}(?![A-Za-z])")
_DOTTED_ACRONYM_HINT = re.compile(r"\.[A-Za-z]\.")
_UNITED_STATES = re.compile(r"\bUnited\s+States(?:\s+of\s+America)?\b", re.IGNORECASE)
# Cheap tests that text without them has no match of the pattern, tried first: a pattern that starts with ``\b`` is
# tried at every position of the text, a literal is found by a fast scan (10 and 8 us per passage of 500 characters
# against 0.4 and 1). Every dotted acronym holds ".X."; "United States" in any case holds "tate" once lower-cased
# (t, a and e have no other case-insensitive matches in ``re``).
_UNITED_STATES_HINT = "tate"
_UPPERCASE_BYTES = string.ascii_uppercase.encode()
_LETTER_BYTES = string.ascii_letters.encode()
KNOWN_WORDS_LIMIT = 200_000
"""Distinct words whose tokens a :class:`Tokenizer` keeps (about 40 MB at most); past it the memo starts again."""
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
        seventeen eighteen nineteen twenty""".split()
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90"}


def fold(text: str) -> str:
    """Step 1 above: NFKC, ASCII quotes and dashes, accents removed from Latin and Greek letters. Case is kept.
    Length may change."""
    if text.isascii():  # NFKC, NFKD and NFC leave ASCII as it is, and it has no accents: only the table applies,
        return text.replace("`", "'") if "`" in text else text  # whose one ASCII entry is the backtick
    text = _FOLDED_CHARACTER.sub(_fold_character, unicodedata.normalize("NFKC", text))
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    # Combining marks are not ASCII: only the non-ASCII characters are looked at, and the text is copied in slices
    # around the marks dropped. ``base`` is the last character before the mark that is not a mark itself.
    kept = []
    start = 0
    base = ""
    for match in _NON_ASCII.finditer(decomposed):
        i = match.start()
        if not unicodedata.combining(decomposed[i]):
            continue
        before = decomposed[i - 1] if i else ""
        if before and not unicodedata.combining(before):
            base = before
        if _accent_droppable(base):
            kept.append(decomposed[start:i])
            start = i + 1
    kept.append(decomposed[start:])
    return unicodedata.normalize("NFC", "".join(kept))


def _fold_character(match: re.Match[str]) -> str:
    return _PUNCTUATION_FOLD[ord(match.group())] or ""


def _accent_droppable(base: str) -> bool:
    """Whether a combining mark on ``base`` is an accent to drop: on Latin and Greek letters ("é" ~ "e"), not in
    scripts where the mark makes another letter (Japanese "プ" is not "フ", Cyrillic "й" is not "и")."""
    code = ord(base) if base else 0
    return code < 0x250 or 0x370 <= code < 0x400 or 0x1E00 <= code < 0x2000


@dataclass(frozen=True)
class Token:
    """One word of the text: ``word`` folded and lower-cased, ``term`` its index term (None for a stopword),
    ``capitalized`` whether it was written with a capital first letter, ``acronym`` whether it was written in
    capitals (2-5 letters) in text that is not itself shouted."""

    word: str
    term: str | None
    capitalized: bool
    acronym: bool = False


class Tokenizer:
    """Turns text into BM25 terms. Thread-safe (one Snowball stemmer per thread; PyStemmer's are not shareable).

    Parameters
    ----------
    stopwords
        Lower-case words to drop. Defaults to :data:`retrieval.text.stopwords.ENGLISH_STOPWORDS`.
    stem
        Apply the Snowball English stemmer (Porter2) to each kept word.
    """

    def __init__(self, stopwords: frozenset[str] = ENGLISH_STOPWORDS, *, stem: bool = True) -> None:
        self.stopwords = stopwords
        self.stem = stem
        self._local = threading.local()
        # For text that is not shouted and text that is (False, True): raw word -> its Token. A library repeats its
        # words, and a Token is immutable, so one is shared by every occurrence (a build makes far fewer objects and
        # stems each word once).
        self._known: tuple[dict[str, Token], dict[str, Token]] = ({}, {})

    def __reduce__(self) -> tuple[type[Tokenizer], tuple[frozenset[str]], dict[str, bool]]:
        # Pickled (to a worker process of a parallel build) as its settings; its memo and stemmers stay behind.
        return (Tokenizer, (self.stopwords,), {"stem": self.stem})

    def __setstate__(self, state: dict[str, bool]) -> None:
        self.stem = state["stem"]

    def _stemmer(self) -> Stemmer.Stemmer:
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            stemmer = self._local.stemmer = Stemmer.Stemmer("english")
        return stemmer

    def tokens(self, text: str) -> list[Token]:
        """Every word of ``text`` in order, stopwords included (with ``term=None``)."""
        return self.folded_tokens(fold(text))

    def folded_tokens(self, folded: str) -> list[Token]:
        """:meth:`tokens` of text already folded (:func:`fold`), for a caller that needs the folded text too."""
        text = folded
        if _DOTTED_ACRONYM_HINT.search(text):
            text = _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), text)
        if _UNITED_STATES_HINT in text.lower():
            text = _UNITED_STATES.sub("US", text)
        words = _WORD.findall(text)
        shouting = False
        if text.isascii():  # counted in C by deleting the letters from the bytes, not by a Python loop
            data = text.encode("ascii")
            upper = len(data) - len(data.translate(None, _UPPERCASE_BYTES))
            letters = len(data) - len(data.translate(None, _LETTER_BYTES))
            shouting = letters > 0 and upper > 0.6 * letters
        elif not text.islower():  # text with no capitals is not shouting
            letters = [c for c in text if c.isalpha()]
            shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        if len(self._known[0]) + len(self._known[1]) > KNOWN_WORDS_LIMIT:
            self._known[0].clear()
            self._known[1].clear()
        known = self._known[shouting]
        # A Token is always true, so ``or`` makes and keeps one only for a word not seen before.
        return [known.get(raw) or self._learn(known, raw, shouting) for raw in words]

    def _learn(self, known: dict[str, Token], raw: str, shouting: bool) -> Token:
        token = known[raw] = self._token(raw, shouting)
        return token

    def _token(self, raw: str, shouting: bool) -> Token:
        if raw.lower().endswith("'s"):
            raw = raw[:-2]
        word = raw.casefold().lower()  # casefold keeps Cherokee in capitals (Unicode stability); lower() ends it
        is_acronym = not shouting and 2 <= len(raw) <= 5 and raw.isupper() and raw.isalpha()
        if word in self.stopwords and not is_acronym:
            term = None
        elif word in _NUMBER_WORDS:
            term = _NUMBER_WORDS[word]
        else:
            plain = word.replace("'", "")
            term = self._stemmer().stemWord(plain) if self.stem else plain
            if term in self.stopwords and not is_acronym:
                # "N'O" is "no" once its apostrophe goes; "AMS" in shouted text stems to "am": a stopword
                # written another way is still one, and a word whose stem is one keeps its own form.
                term = None if plain in self.stopwords else plain
        return Token(word=word, term=term, capitalized=raw[:1].isupper(), acronym=is_acronym)

    def terms(self, text: str) -> list[str]:
        """The index terms of ``text``, in order, repeats kept (BM25 counts them)."""
        return [token.term for token in self.tokens(text) if token.term]
