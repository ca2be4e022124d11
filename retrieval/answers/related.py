"""What a question word the sources lack is called in the sources: its base form ("spoke" -> "speak"), a derived
form ("applauded" -> "applause"), or a synonym ("phone" -> "telephone", "find" -> "discover"), from WordNet
(:mod:`retrieval.text.lexicon`).

Looked up only for words the sources do not have, and only through a word's most frequent senses, so a question
whose words are all in the sources is searched exactly as typed. The first kind of relation that the sources use
wins: a base form before derivations, derivations before synonyms, and among synonyms the most frequent sense.
"""

from __future__ import annotations

from retrieval.search.index import Bm25Index
from retrieval.text.lexicon import WordNet, default_lexicon

MAX_SENSES = 3
"""Senses of each part of speech looked through, most frequent first (WordNet's order)."""


def related_terms(word: str, index: Bm25Index, lexicon: WordNet | None = None) -> tuple[str, ...]:
    """Index terms the sources use for ``word`` (lower-case), or () when WordNet has nothing they use.

    Parameters
    ----------
    lexicon
        The WordNet to read; default :func:`~retrieval.text.lexicon.default_lexicon` (None: no lookup).
    """
    lexicon = lexicon if lexicon is not None else default_lexicon()
    if lexicon is None:
        return ()
    forms = lexicon.base_forms(word)
    senses = [(lemma, sense) for lemma, pos in forms for sense in lexicon.senses(lemma, pos)[:MAX_SENSES]]
    for candidates in (
        [lemma for lemma, _ in forms],
        [derived for _, sense in senses for derived in sense.derived],
    ):
        terms = _in_index(candidates, index)
        if terms:
            return terms
    for lemma, sense in senses:
        terms = _in_index([w for w in sense.words if w != lemma], index)
        if terms:
            return terms
    return ()


def _in_index(words: list[str], index: Bm25Index) -> tuple[str, ...]:
    """Terms of the words (a phrase counts only when every one of its terms is in the sources), in order."""
    found: list[str] = []
    for word in words:
        terms = index.tokenizer.terms(word)
        if terms and all(index.document_frequency(t) for t in terms):
            found.extend(t for t in terms if t not in found)
    return tuple(found)
