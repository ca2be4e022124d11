"""A library's index, vocabulary and aliases, merged from its sources' units
(:class:`~retrieval.search.source_units.SourceUnit`).

The merge gives what reading every passage in one stream gives: terms numbered in first-seen order, the vocabulary's
first-seen word and acronym entries, title aliases from the definitions of the whole library, nickname links from
every passage's appositives, and the same BM25 weights (:mod:`retrieval.search.index`). Its cost follows the
sources' distinct terms and words (NumPy for the passage rows), not their text: the per-word work is in the units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.search.index import Bm25Params, IndexArrays, okapi_weights, smoothed_idf
from retrieval.search.source_units import SEPARATOR, TERM_SEPARATOR, SourceUnit
from retrieval.text.aliases import link_nicknames
from retrieval.text.background import document_probability
from retrieval.text.vocabulary import Vocabulary


@dataclass(frozen=True)
class Merged:
    """The merge of a library's units: passage columns (as :class:`~retrieval.passage_table.PassageTable` takes
    them), the index arrays, the vocabulary and the nickname links."""

    columns: dict[str, np.ndarray]
    arrays: IndexArrays
    vocabulary: Vocabulary
    entity_aliases: dict[tuple[str, ...], tuple[str, ...]]


def merge_units(units: Sequence[SourceUnit], params: Bm25Params) -> Merged:
    """Merge ``units`` (one per source, in library order) into one library.

    Raises
    ------
    ValueError
        A unit's arrays disagree with each other (a damaged cache entry that passed its checksum).
    """
    import scipy.sparse as sp  # here, not at module level: a console question loading a snapshot never needs it

    lengths = np.fromiter((len(u) for u in units), np.int64, len(units))
    columns = {
        "source": np.repeat(np.arange(len(units), dtype=np.int32), lengths),
        **{
            name: _concatenate([getattr(u, name) for u in units], dtype)
            for name, dtype in (
                ("paragraph", np.int32),
                ("part", np.int32),
                ("start", np.int64),
                ("end", np.int64),
                ("caption", np.int8),
            )
        },
    }
    term_id: dict[str, int] = {}
    terms_of_word: dict[str, str] = {}
    acronyms: dict[str, tuple[str, ...]] = {}
    pairs: set[tuple[int, str]] = set()
    titles: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    mentions: list[tuple[int, str, bytes]] = []
    row_terms_parts, row_counts_parts, row_ends = [], [], []
    passages = words_total = nnz = 0
    for unit in units:
        # Per unit, the dictionaries are extended by C-level set and dict operations; Python loops only over what
        # is new to the library (first-seen order kept: a new entry takes the next id, or goes in at the end).
        local = unit.term_list()
        if len(unit.row_terms) and (unit.row_terms.max() >= len(local) or unit.row_start[-1] != len(unit.row_terms)):
            raise ValueError(f"source unit {unit.key[:12]}: rows disagree with its terms")
        new_terms = set(local).difference(term_id)
        if new_terms:
            base = len(term_id)
            term_id.update((t, base + i) for i, t in enumerate(t for t in local if t in new_terms))
        ids = np.fromiter(map(term_id.__getitem__, local), np.int32, len(local))
        row_terms_parts.append(ids[unit.row_terms])
        row_counts_parts.append(unit.row_counts)
        row_ends.append(unit.row_start[1:].astype(np.int64) + nnz)
        nnz += len(unit.row_terms)
        words = unit.word_list()
        if len(words) != len(unit.word_terms):
            raise ValueError(f"source unit {unit.key[:12]}: words disagree")
        new_words = set(words).difference(terms_of_word)
        if new_words:
            pairs_in_order = zip(words, unit.word_terms.tolist(), strict=True)
            terms_of_word.update((w, local[t]) for w, t in pairs_in_order if w in new_words)
        pairs.update(zip(ids[unit.word_terms].tolist(), words, strict=True))
        extra = zip(unit.pair_words.tolist(), unit.pair_terms.tolist(), strict=True)
        pairs.update((int(ids[t]), words[w]) for w, t in extra)
        if unit.acronyms:
            letters = unit.acronyms.split(SEPARATOR)
            new_letters = set(letters).difference(acronyms)
            if new_letters:
                spelled = unit.acronym_terms.split(SEPARATOR)
                acronyms.update(
                    (a, tuple(s.split(TERM_SEPARATOR)) if s else ())
                    for a, s in zip(letters, spelled, strict=True)
                    if a in new_letters
                )
        for title, name in unit.titles:
            titles.setdefault(title, set()).add(name)
        mentions += [(passages + position, words, capitalized) for position, words, capitalized in unit.mentions]
        passages += len(unit)
        words_total += unit.token_count
    terms = list(term_id)
    row_start = np.zeros(passages + 1, dtype=np.int64)
    if row_ends:
        row_start[1:] = np.concatenate(row_ends)
    row_terms = _concatenate(row_terms_parts, np.int32)
    row_counts = _concatenate(row_counts_parts, np.int32)
    aliases = title_aliases(titles, mentions)
    if aliases:
        row_start, row_terms, row_counts = _with_aliases(row_start, row_terms, row_counts, aliases, term_id)
    surface: list[list[str]] = [[] for _ in terms]
    for t, word in pairs:
        surface[t].append(word)
    arrays = _index_arrays(terms, row_start, row_terms, row_counts, surface, words_total, params, sp)
    vocabulary = _vocabulary(terms_of_word, acronyms)
    return Merged(columns, arrays, vocabulary, _nickname_links(units))


def _concatenate(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


def title_aliases(
    titles: dict[tuple[str, ...], set[tuple[str, ...]]], mentions: list[tuple[int, str, bytes]]
) -> dict[int, list[str]]:
    """Title aliases (:func:`retrieval.text.aliases.title_aliases`) of the passages that have any, by position:
    ``titles`` maps each title to the names it was given, ``mentions`` are the units' mention candidates."""
    unique = {title: next(iter(found)) for title, found in titles.items() if len(found) == 1}
    if not unique:
        return {}
    longest = max(map(len, unique))
    found: dict[int, list[str]] = {}
    for position, joined, capitalized in mentions:
        words = joined.split(" ")
        terms: list[str] = []
        for i, word in enumerate(words):
            if word != "the":
                continue
            for size in range(min(longest, len(words) - i - 1), 0, -1):
                title = tuple(words[i + 1 : i + 1 + size])
                following = i + 1 + size
                if title in unique and not (following < len(words) and capitalized[following]):
                    terms.extend(unique[title])
                    break
        if terms:
            found[position] = terms
    return found


def _nickname_links(units: Sequence[SourceUnit]) -> dict[tuple[str, ...], tuple[str, ...]]:
    mentions = [mention for unit in units for mention in unit.nicknames]
    heads = {head for head, _ in mentions}
    names: dict[str, set[tuple[str, ...]]] = {}
    if heads:
        for unit in units:
            for head in unit.appositives.keys() & heads:
                names.setdefault(head, set()).update(unit.appositives[head])
    return link_nicknames(mentions, names)


def _vocabulary(terms_of_word: dict[str, str], acronyms: dict[str, tuple[str, ...]]) -> Vocabulary:
    vocabulary = Vocabulary(())
    vocabulary.terms_of_word = terms_of_word
    vocabulary.acronyms = acronyms
    by_first_letter: dict[str, list[str]] = {}
    for word in terms_of_word:
        by_first_letter.setdefault(word[:1], []).append(word)
    vocabulary._by_first_letter = by_first_letter
    vocabulary._longest = max(map(len, terms_of_word), default=0)
    return vocabulary


def _index_arrays(
    terms: list[str],
    row_start: np.ndarray,
    row_terms: np.ndarray,
    row_counts: np.ndarray,
    surface: list[list[str]],
    words_total: int,
    params: Bm25Params,
    sp,
) -> IndexArrays:
    n = len(row_start) - 1
    cumulative = np.zeros(len(row_counts) + 1, dtype=np.int64)
    np.cumsum(row_counts, out=cumulative[1:])
    lengths = cumulative[row_start[1:]] - cumulative[row_start[:-1]]  # terms per passage, repeats and aliases counted
    document_frequency = np.bincount(row_terms, minlength=len(terms))
    passage_words = words_total / max(1, n)
    idf = np.array(
        [
            smoothed_idf(
                n,
                int(document_frequency[i]),
                document_probability(surface[i], passage_words),
                params.background_documents,
            )
            for i in range(len(terms))
        ],
        dtype=np.float64,
    )
    average_length = int(lengths.sum()) / n if n else 1.0
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(row_start))
    weights = okapi_weights(
        idf[row_terms], row_counts.astype(np.float64), lengths[rows], average_length or 1.0, params.k1, params.b
    )
    by_term = sp.csr_matrix((weights, row_terms, row_start), shape=(n, len(terms))).tocsc()
    return IndexArrays(
        terms=terms,
        idf=idf,
        row_start=row_start.astype(np.int64),
        row_terms=row_terms.astype(np.int32),
        row_counts=row_counts.astype(np.int32),
        term_start=by_term.indptr.astype(np.int64),
        postings=by_term.indices.astype(np.int32),
        weights=by_term.data.astype(np.float64),
    )


def _with_aliases(
    row_start: np.ndarray,
    row_terms: np.ndarray,
    row_counts: np.ndarray,
    aliases: dict[int, list[str]],
    term_id: dict[str, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows with each passage's alias terms added after its own (a term it already has gains the count)."""
    pieces_terms, pieces_counts, lengths = [], [], np.diff(row_start).copy()
    cursor = 0
    for position in sorted(aliases):
        start, end = int(row_start[position]), int(row_start[position + 1])
        pieces_terms.append(row_terms[cursor:start])
        pieces_counts.append(row_counts[cursor:start])
        row = dict(zip(row_terms[start:end].tolist(), row_counts[start:end].tolist(), strict=True))
        for term in aliases[position]:
            i = term_id[term]  # alias terms are name terms read from some passage: always in the index
            row[i] = row.get(i, 0) + 1
        pieces_terms.append(np.fromiter(row.keys(), np.int32, len(row)))
        pieces_counts.append(np.fromiter(row.values(), np.int32, len(row)))
        lengths[position] = len(row)
        cursor = end
    pieces_terms.append(row_terms[cursor:])
    pieces_counts.append(row_counts[cursor:])
    new_start = np.zeros(len(row_start), dtype=np.int64)
    np.cumsum(lengths, out=new_start[1:])
    return new_start, np.concatenate(pieces_terms), np.concatenate(pieces_counts)
