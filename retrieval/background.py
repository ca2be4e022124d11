"""Background English word statistics from ``wordfreq`` (Speer, 2022; its data ships with the package).

A single article has ~20 paragraphs, too few for document frequencies to tell a rare name from a common verb. The
background information content of a word, ``-ln p(word)`` in nats with ``p`` its frequency in general English,
supplies that: "the" ~2.9, "minutes" ~8.5, "cartel" ~12.5, "Guadalajara" ~14.3, an unseen word 20.7.
"""

from __future__ import annotations

import math
from functools import lru_cache

from wordfreq import zipf_frequency

UNSEEN_ZIPF = 0.0
_LN10 = math.log(10)


@lru_cache(maxsize=200_000)
def information_content(word: str) -> float:
    """``-ln p(word)`` in nats, from wordfreq's Zipf value ``z = log10(p) + 9``. ``word`` is a folded, lower-case
    surface word (not a stem); unknown words get the value for Zipf 0 (about 20.7)."""
    return (9.0 - max(UNSEEN_ZIPF, zipf_frequency(word, "en"))) * _LN10
