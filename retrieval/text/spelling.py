"""Correct a question word typed wrong into the common English word one edit away ("tlak" -> "talk", "lnog" ->
"long"), for words that neither the sources nor general English know.

The sources' own words are corrected first, by :class:`~retrieval.text.vocabulary.Vocabulary` (a misspelt name
such as "shienbaum"); this module is for the rest: a typo of a word the sources don't use as typed, which WordNet
(:mod:`retrieval.answers.related`) can then relate to what they do say. Candidates are Norvig's single edits
(deletion, transposition, substitution, insertion: "How to Write a Spelling Corrector", 2007), ranked by wordfreq's
Zipf frequency.
"""

from __future__ import annotations

from string import ascii_lowercase

from wordfreq import zipf_frequency

TYPO_MAX_ZIPF = 1.5
"""A word at least this common in English (wordfreq Zipf) is taken as meant, not as a typo."""
CORRECTION_MIN_ZIPF = 3.5
"""A correction must be a common English word (Zipf >= this: "talk" 5.2, "long" 5.8)."""
MIN_LETTERS = 4
"""Shorter words have too many neighbours one edit away to pick one."""
MAX_LETTERS = 20
"""Longer words are not typos of common words ("internationalization" has 20 letters), and a word's edits grow with
its length squared (a 3,000-letter word has 160,000 of 3,000 letters each)."""


def english_correction(word: str) -> str | None:
    """The most frequent English word one edit from ``word`` (lower-case letters), or None when ``word`` is itself
    English enough, too short or too long, not all letters, or has no common neighbour. Deterministic: ties go to the
    alphabetically first."""
    if not MIN_LETTERS <= len(word) <= MAX_LETTERS or not word.isalpha() or not word.isascii():
        return None
    if zipf_frequency(word, "en") >= TYPO_MAX_ZIPF:
        return None
    best, best_zipf = None, CORRECTION_MIN_ZIPF
    for candidate in sorted(_one_edit(word)):
        zipf = zipf_frequency(candidate, "en")
        if zipf >= best_zipf and (best is None or zipf > best_zipf):
            best, best_zipf = candidate, zipf
    return best


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in ascii_lowercase]
    inserts = [a + c + b for a, b in splits for c in ascii_lowercase]
    return set(deletes + transposes + replaces + inserts) - {word}
