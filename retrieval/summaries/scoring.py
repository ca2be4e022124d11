"""Pure scoring functions for extractive summaries: centrality, the lede prior, the length sweet spot, the voice
factor and novelty-aware selection. The method and its measurements are in :mod:`retrieval.summaries.summarizing`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

LENGTH_EXPONENT = 0.2
"""Exponent of the length factor inside :func:`degree_centrality` (``(n_i / mean n) ** LENGTH_EXPONENT``)."""
CENTRALITY_EXPONENT = 1.25
"""Centrality enters the score as ``(degree / max degree) ** CENTRALITY_EXPONENT``: above 1, a sentence far more
central than the lede can still displace it; 1.0 leans harder on the lede, 2.0 on centrality (measured)."""
SHORT_SENTENCE_WORDS = 14
LONG_SENTENCE_WORDS = 40
"""The sweet spot of sentence length, in white-space separated words: a sentence shorter than
:data:`SHORT_SENTENCE_WORDS` scores ``words / SHORT_SENTENCE_WORDS`` of its value, one longer than
:data:`LONG_SENTENCE_WORDS` scores ``LONG_SENTENCE_WORDS / words`` of it."""
VOICE_FACTOR = 0.7
"""What a sentence in someone's own voice (a direct quotation, "I"/"we"/"you", a question or an exclamation) keeps
of its score: reaction quotes rank below reported facts unless clearly more central."""
NEAR_DUPLICATE_JACCARD = 0.7
"""A sentence whose term set overlaps a chosen sentence's this much (Jaccard) repeats it and is skipped. One word
changed in a sentence of seven content terms gives 6/8 = 0.75. (Set by that rule, not measured: among chosen
sentences of the BBC set the check never fires at any threshold from 0.5 to 0.8.)"""

_DIRECT_QUOTE = re.compile(r"[\"“”]")
_OPENING_SINGLE_QUOTE = re.compile(r"^\W*[‘']")  # the Daily Mail quotes speech in single marks
_PERSONAL = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|[Ww]e|[Mm]y|[Oo]ur|us|me|[Yy]ou|[Yy]our)\b")


def degree_centrality(counts: Sequence[Counter[str]], length_exponent: float = LENGTH_EXPONENT) -> list[float]:
    """Length-adjusted cosine degree centrality of each sentence.

    ``degree_i = sum_{j != i} cos(s_i, s_j) = u_i . (sum_j u_j) - 1`` with ``u_i`` the L2-normalised term-count
    vector, the continuous "degree" variant of LexRank (Erkan & Radev, 2004, JAIR 22, sec. 3.1-3.2), times
    ``(n_i / mean n) ** length_exponent`` with ``n_i`` the sentence's term count.

    Parameters
    ----------
    counts
        Term counts of each of ``n`` sentences.
    length_exponent
        Exponent of the length factor; 0 gives plain degree centrality.

    Returns
    -------
    list of float
        ``n`` scores, each >= 0 (unitless; comparable only within one call). A sentence without terms scores 0.
        Time and memory are linear in the total number of terms: no sentence graph is built.
    """
    norms = [math.sqrt(sum(v * v for v in c.values())) for c in counts]
    total: Counter[str] = Counter()
    for c, norm in zip(counts, norms, strict=True):
        for term, value in c.items():
            total[term] += value / norm
    lengths = [sum(c.values()) for c in counts]
    nonempty = [length for length in lengths if length]
    mean_length = sum(nonempty) / len(nonempty) if nonempty else 1.0
    scores = []
    for c, norm, length in zip(counts, norms, lengths, strict=True):
        if not length:
            scores.append(0.0)
            continue
        degree = max(0.0, sum(value * total[term] for term, value in c.items()) / norm - 1.0)
        scores.append(degree * (length / mean_length) ** length_exponent)
    return scores


def lede_prior(position: int, sentences: int) -> float:
    """``1 / (1 + position / sentences)``: 1 for the first candidate sentence (``position`` 0), one half at the
    ``sentences``-th, so a summary of N sentences leans on the first N and a longer summary reaches further in.

    Raises
    ------
    ValueError
        ``position`` < 0 or ``sentences`` < 1.
    """
    if position < 0 or sentences < 1:
        raise ValueError(f"need position >= 0 and sentences >= 1, got {position} and {sentences}")
    return 1.0 / (1.0 + position / sentences)


def length_factor(words: int) -> float:
    """1 inside the sweet spot [:data:`SHORT_SENTENCE_WORDS`, :data:`LONG_SENTENCE_WORDS`] words, falling in
    proportion outside it (``words / 14`` below, ``40 / words`` above); 0 for no words."""
    if words <= 0:
        return 0.0
    return min(1.0, words / SHORT_SENTENCE_WORDS) * min(1.0, LONG_SENTENCE_WORDS / words)


def in_own_voice(sentence: str) -> bool:
    """Whether ``sentence`` speaks in someone's own voice rather than reporting: it holds a direct quotation
    (double quotation marks, or opens with a single one), a first- or second-person pronoun ("I", "we", "our",
    "you"), a question mark or an exclamation mark."""
    return bool(
        _DIRECT_QUOTE.search(sentence)
        or _OPENING_SINGLE_QUOTE.match(sentence)
        or _PERSONAL.search(sentence)
        or "?" in sentence
        or "!" in sentence
    )


def sentence_scores(texts: Sequence[str], counts: Sequence[Counter[str]], sentences: int) -> list[float]:
    """Score each candidate sentence of one source for a summary of ``sentences`` sentences::

        score_i = (degree_i / max degree) ** CENTRALITY_EXPONENT * lede_prior(i, sentences)
                  * length_factor(words_i) * (VOICE_FACTOR if in_own_voice(text_i) else 1)

    Parameters
    ----------
    texts, counts
        The ``n`` candidate sentences in source order and their term counts.
    sentences
        The summary's length N (>= 1); it sets how far the lede prior reaches.

    Returns
    -------
    list of float
        ``n`` scores in [0, 1] (unitless, comparable within one call).
    """
    degrees = degree_centrality(counts)
    top = max(degrees, default=0.0) or 1.0
    scores = []
    for position, (text, degree) in enumerate(zip(texts, degrees, strict=True)):
        score = (degree / top) ** CENTRALITY_EXPONENT * lede_prior(position, sentences)
        score *= length_factor(len(text.split()))
        if in_own_voice(text):
            score *= VOICE_FACTOR
        scores.append(score)
    return scores


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two term-count vectors, in [0, 1]; 0 when either is empty."""
    if not a or not b:
        return 0.0
    if len(b) < len(a):
        a, b = b, a
    dot = sum(value * b.get(term, 0) for term, value in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def near_duplicate(a: Counter[str], b: Counter[str]) -> bool:
    """Whether the term sets of ``a`` and ``b`` overlap by Jaccard >= :data:`NEAR_DUPLICATE_JACCARD`."""
    if not a or not b:
        return False
    return len(a.keys() & b.keys()) / len(a.keys() | b.keys()) >= NEAR_DUPLICATE_JACCARD


def select_novel(
    texts: Sequence[str], counts: Sequence[Counter[str]], scores: Sequence[float], limit: int
) -> list[int]:
    """Greedy selection by score times novelty, as in maximal marginal relevance (Carbonell & Goldstein, 1998):
    each round takes the sentence with the highest ``score_i * (1 - max_j cos(s_i, s_j))`` over the chosen ``j``
    (ties: the earlier sentence), skipping one identical to a chosen sentence (case and white space aside) or a
    :func:`near_duplicate` of one.

    Novelty is at most 1, so a round scans sentences by falling score only until the score drops below the best
    value found, and a sentence's similarity to the chosen ones is brought up to date only when it is scanned.

    Returns
    -------
    list of int
        Up to ``limit`` indices into ``texts``, in the order chosen (not source order).
    """
    order = sorted(range(len(texts)), key=lambda i: (-scores[i], i))
    similarity = [0.0] * len(texts)
    compared = [0] * len(texts)  # how many of the chosen sentences similarity[i] accounts for
    done = [False] * len(texts)
    chosen: list[int] = []
    seen: set[str] = set()
    while len(chosen) < limit:
        best, best_value = -1, -1.0
        for i in order:
            if done[i]:
                continue
            if scores[i] < best_value:
                break
            for j in chosen[compared[i] :]:
                similarity[i] = max(similarity[i], cosine(counts[i], counts[j]))
            compared[i] = len(chosen)
            value = scores[i] * (1.0 - similarity[i])
            if value > best_value or (value == best_value and i < best):
                best, best_value = i, value
        if best < 0:
            break
        done[best] = True
        key = " ".join(texts[best].split()).casefold()
        if key in seen or any(near_duplicate(counts[best], counts[j]) for j in chosen):
            continue
        seen.add(key)
        chosen.append(best)
    return chosen
