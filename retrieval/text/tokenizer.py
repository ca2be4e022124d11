"""Tokenizer: text -> BM25 terms (folded, stopword-free, Snowball-stemmed words).

Steps, in order:

1. Unicode NFKC; curly quotes and primes become ASCII quotes, dashes become "-"; accents are removed from Latin and
   Greek letters (NFKD, their combining marks dropped), so ``Rubén`` matches ``Ruben`` and ``Trump’s`` matches
   ``Trump's``; other scripts keep their marks (Japanese ``プ`` stays ``プ``).
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
    }
)  # fmt: skip
_DOTTED_ACRONYM = re.compile(r"\b(?:[A-Za-z]\.){2,}(?![A-Za-z])")
_UNITED_STATES = re.compile(r"\bUnited\s+States(?:\s+of\s+America)?\b", re.IGNORECASE)
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
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_FOLD)
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

    def _stemmer(self) -> Stemmer.Stemmer:
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            stemmer = self._local.stemmer = Stemmer.Stemmer("english")
        return stemmer

    def tokens(self, text: str) -> list[Token]:
        """Every word of ``text`` in order, stopwords included (with ``term=None``)."""
        text = _UNITED_STATES.sub("US", _DOTTED_ACRONYM.sub(lambda m: m.group().replace(".", ""), fold(text)))
        words = _WORD.findall(text)
        letters = [c for c in text if c.isalpha()]
        shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        stemmer = self._stemmer() if self.stem else None
        tokens = []
        for raw in words:
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
                term = stemmer.stemWord(plain) if stemmer else plain
                if term in self.stopwords and not is_acronym:
                    # "N'O" is "no" once its apostrophe goes; "AMS" in shouted text stems to "am": a stopword
                    # written another way is still one, and a word whose stem is one keeps its own form.
                    term = None if plain in self.stopwords else plain
            tokens.append(Token(word=word, term=term, capitalized=raw[:1].isupper(), acronym=is_acronym))
        return tokens

    def terms(self, text: str) -> list[str]:
        """The index terms of ``text``, in order, repeats kept (BM25 counts them)."""
        return [token.term for token in self.tokens(text) if token.term]
