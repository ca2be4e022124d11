"""Background English word statistics from ``wordfreq`` (Speer, 2022; its data ships with the package).

A single article has ~20 paragraphs, too few for document frequencies to tell a rare name from a common verb. The
background information content of a word, ``-ln p(word)`` in nats with ``p`` its frequency in general English,
supplies that: "the" ~2.9, "minutes" ~8.5, "cartel" ~12.5, "Guadalajara" ~14.3, an unseen word 20.7.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

from wordfreq import zipf_frequency

UNSEEN_ZIPF = 0.0
_LN10 = math.log(10)


def word_probability(word: str) -> float:
    """``p(word)``, the word's share of running English text, from wordfreq's Zipf value ``z = log10(p) + 9``.
    ``word`` is a folded, lower-case surface word (not a stem); unknown words get Zipf 0 (p = 1e-9). Words given
    to :func:`remember_probabilities` are not looked up again."""
    known = _REMEMBERED.get(word)
    return known if known is not None else _looked_up_probability(word)


@lru_cache(maxsize=200_000)
def _looked_up_probability(word: str) -> float:
    return 10.0 ** (max(UNSEEN_ZIPF, zipf_frequency(word, "en")) - 9.0)


_REMEMBERED: dict[str, float] = {}
"""Probabilities read back from a cache (:func:`remember_probabilities`): wordfreq takes about 40 µs a word, 4 s for
a library of 100,000 distinct words."""


def remember_probabilities(words: Sequence[str], probabilities: Sequence[float]) -> None:
    """Keep ``probabilities[i]`` as :func:`word_probability` of ``words[i]`` for this process (values this
    process's :func:`word_probability` gave, saved with the same wordfreq version: the unit cache's key holds it).

    Raises
    ------
    ValueError
        The two have different lengths.
    """
    if len(words) != len(probabilities):
        raise ValueError("one probability per word")
    _REMEMBERED.update(zip(words, probabilities, strict=True))


@lru_cache(maxsize=200_000)
def information_content(word: str) -> float:
    """``-ln p(word)`` in nats (see :func:`word_probability`); about 20.7 for an unknown word."""
    return (9.0 - max(UNSEEN_ZIPF, zipf_frequency(word, "en"))) * _LN10


def document_probability(words: Iterable[str], passage_words: float) -> float:
    """Probability that a passage of ``passage_words`` running words contains at least one of ``words`` (the
    surface forms of one index term), in [0, 1).

    Words are assumed to occur independently (a Poisson model): ``1 - exp(-passage_words * sum p(w))``. This is
    the background document frequency that :func:`retrieval.search.index.smoothed_idf` blends into a small corpus's own.
    """
    if passage_words < 0:
        raise ValueError(f"passage_words must be >= 0, got {passage_words}")
    # In sorted order: a float sum depends on its order, and a set's order on the process's string hashing.
    rate = passage_words * sum(word_probability(w) for w in sorted(set(words)))
    return -math.expm1(-rate)
