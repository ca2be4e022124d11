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
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}(?![A-Za-z])")
_UNITED_STATES = re.compile(r"\bUnited\s+States(?:\s+of\s+America)?\b", re.IGNORECASE)
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
    if text.isascii():  # NFKC, NFKD and NFC leave ASCII as it is, and it has no accents: only the table applies
        return text.translate(_PUNCTUATION_FOLD)
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    base = ""
    for c in decomposed:
        if not unicodedata.combining(c):
            base = c
        elif _accent_droppable(base):
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


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
        # (raw word, shouting) -> its Token: a library repeats its words, and a Token is immutable, so one is shared
        # by every occurrence (a build makes far fewer objects and stems each word once).
        self._known: dict[tuple[str, bool], Token] = {}

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
        text = _UNITED_STATES.sub("US", _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), folded))
        words = _WORD.findall(text)
        shouting = False
        if text.isascii():  # counted by str.count, 52 C loops, rather than a Python loop over every character
            upper = sum(map(text.count, string.ascii_uppercase))
            letters = upper + sum(map(text.count, string.ascii_lowercase))
            shouting = letters > 0 and upper > 0.6 * letters
        elif not text.islower():  # text with no capitals is not shouting
            letters = [c for c in text if c.isalpha()]
            shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        known = self._known
        if len(known) > KNOWN_WORDS_LIMIT:
            known.clear()
        tokens = []
        for raw in words:
            token = known.get((raw, shouting))
            if token is None:
                token = known[(raw, shouting)] = self._token(raw, shouting)
            tokens.append(token)
        return tokens

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
