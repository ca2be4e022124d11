"""What a question word the sources lack is called in the sources: another form of the same word (its base form,
"spoke" -> "speak", or an irregular inflection of it, "speak" -> "spoke", "send" -> "sent"), a derived form
("applauded" -> "applause"), or a synonym ("phone" -> "telephone", "find" -> "discover"), from WordNet
(:mod:`retrieval.text.lexicon`). A form of the word is the word itself; a derivation or a synonym is weaker evidence,
so :func:`related_terms` says which it found.

Looked up only for words the sources do not have, and only through a word's most frequent senses, so a question
whose words are all in the sources is searched exactly as typed. The first kind of relation that the sources use
wins: a form of the word before derivations, derivations before synonyms, and among synonyms the most frequent sense.
"""

from __future__ import annotations

from retrieval.search.index import Bm25Index
from retrieval.text.lexicon import WordNet, default_lexicon

MAX_SENSES = 3
"""Senses of each part of speech looked through, most frequent first (WordNet's order)."""


def related_terms(word: str, index: Bm25Index, lexicon: WordNet | None = None) -> tuple[str, ...]:
    """Index terms the sources use for ``word`` (lower-case), or () when WordNet has nothing they use
    (:func:`word_forms_or_related`, without saying which kind).
    """
    return word_forms_or_related(word, index, lexicon)[0]


def word_forms_or_related(word: str, index: Bm25Index, lexicon: WordNet | None = None) -> tuple[tuple[str, ...], bool]:
    """(terms, same word): the index terms the sources use for ``word`` (lower-case), and whether they are forms of
    the word itself (True) rather than a derivation or a synonym; ((), False) when WordNet has nothing they use.

    Parameters
    ----------
    lexicon
        The WordNet to read; default :func:`~retrieval.text.lexicon.default_lexicon` (None: no lookup).
    """
    lexicon = lexicon if lexicon is not None else default_lexicon()
    if lexicon is None:
        return (), False
    forms = lexicon.base_forms(word)
    same_word = [lemma for lemma, _ in forms] + [
        form for lemma, pos in forms for form in lexicon.inflections(lemma, pos)
    ]
    terms = _in_index(same_word, index)
    if terms:
        return terms, True
    ranked = [(lemma, rank, sense) for lemma, pos in forms for rank, sense in enumerate(lexicon.senses(lemma, pos))]
    senses = [(lemma, sense) for lemma, rank, sense in ranked if rank < MAX_SENSES]
    terms = _in_index([derived for _, sense in senses for derived in sense.derived], index)
    if terms:
        return terms, False
    for lemma, rank, sense in ranked:
        if rank >= MAX_SENSES:
            continue
        synonyms = [w for w in sense.words if w != lemma]
        if rank == 0:  # the word's first sense is what it usually means: its synonyms in any form ("talk" ~ "spoke")
            synonyms += [form for w in synonyms for form in lexicon.inflections(w, sense.pos)]
        terms = _in_index(synonyms, index)
        if terms:
            return terms, False
    return (), False


def _in_index(words: list[str], index: Bm25Index) -> tuple[str, ...]:
    """Terms of the words (a phrase counts only when every one of its terms is in the sources), in order."""
    found: list[str] = []
    for word in words:
        terms = index.tokenizer.terms(word)
        if terms and all(index.document_frequency(t) for t in terms):
            found.extend(t for t in terms if t not in found)
    return tuple(found)
