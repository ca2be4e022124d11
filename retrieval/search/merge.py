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
from retrieval.yielding import let_others_run


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
    terms: list[str] = []
    terms_of_word: dict[str, str] = {}
    acronyms: dict[str, tuple[str, ...]] = {}
    pairs: set[tuple[int, str]] = set()
    titles: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    mentions: list[tuple[int, str, bytes]] = []
    row_terms_parts: list[np.ndarray] = []
    passages = words_total = 0
    for first in range(0, len(units), MERGE_CHUNK):
        if first:
            let_others_run()
        chunk = units[first : first + MERGE_CHUNK]
        # A chunk's strings are joined and split, and looked up, by C-level calls over the whole chunk; Python loops
        # run only over what is new to the library. Chunks keep each call short: in a thread beside an event loop,
        # one call holds the GIL from start to end.
        local_terms = _joined(chunk, "terms")
        term_counts = np.fromiter((_count(u.terms) for u in chunk), np.int64, len(chunk))
        seen = dict.fromkeys(local_terms)
        missing = seen.keys() - term_id.keys()
        if missing:
            fresh = [t for t in seen if t in missing]
            term_id.update(zip(fresh, range(len(terms), len(terms) + len(fresh)), strict=True))
            terms += fresh
        ids = np.fromiter(map(term_id.__getitem__, local_terms), np.int32, len(local_terms))
        term_offsets = np.zeros(len(chunk), dtype=np.int64)
        np.cumsum(term_counts[:-1], out=term_offsets[1:])
        row_terms_parts.append(ids[_local(chunk, "row_terms", term_offsets, term_counts, "rows")])
        words = _joined(chunk, "words")
        word_terms = ids[_local(chunk, "word_terms", term_offsets, term_counts, "words")].tolist()
        if len(words) != len(word_terms):
            raise ValueError("source units' words disagree with their terms")
        missing = dict.fromkeys(words).keys() - terms_of_word.keys()
        if missing:
            first_term = dict(zip(reversed(words), reversed(word_terms), strict=True))  # the first one wins
            terms_of_word.update((w, terms[first_term[w]]) for w in dict.fromkeys(words) if w in missing)
        pairs.update(zip(word_terms, words, strict=True))
        word_offset = 0
        for unit, term_offset in zip(chunk, term_offsets.tolist(), strict=True):
            if len(unit.pair_words):
                pairs.update(
                    (int(ids[term_offset + t]), words[word_offset + w])
                    for w, t in zip(unit.pair_words.tolist(), unit.pair_terms.tolist(), strict=True)
                )
            word_offset += len(unit.word_terms)
            for title, name in unit.titles:
                titles.setdefault(title, set()).add(name)
            if unit.mentions:
                mentions += [
                    (passages + position, joined, capitalized) for position, joined, capitalized in unit.mentions
                ]
            passages += len(unit)
            words_total += unit.token_count
        letters = _joined(chunk, "acronyms")
        missing = dict.fromkeys(letters).keys() - acronyms.keys()
        if missing:
            spelled = _joined(chunk, "acronym_terms", present="acronyms")
            if len(spelled) != len(letters):
                raise ValueError("source units' acronyms disagree")
            first_spelling = dict(zip(reversed(letters), reversed(spelled), strict=True))
            acronyms.update(
                (a, tuple(first_spelling[a].split(TERM_SEPARATOR)) if first_spelling[a] else ())
                for a in dict.fromkeys(letters)
                if a in missing
            )
    if any(
        not len(u.row_start) or u.row_start[-1] != len(u.row_terms) or len(u.row_counts) != len(u.row_terms)
        for u in units
    ):
        raise ValueError("source units' rows disagree")
    row_start = np.zeros(passages + 1, dtype=np.int64)
    if units:
        row_start[1:] = np.cumsum(np.concatenate([np.diff(u.row_start) for u in units]))
    row_terms = _concatenate(row_terms_parts, np.int32)
    row_counts = _concatenate([u.row_counts for u in units], np.int32)
    let_others_run()
    aliases = title_aliases(titles, mentions)
    if aliases:
        row_start, row_terms, row_counts = _with_aliases(row_start, row_terms, row_counts, aliases, term_id)
    surface: list[list[str]] = [[] for _ in terms]
    for t, word in pairs:
        surface[t].append(word)
    let_others_run()
    arrays = _index_arrays(terms, row_start, row_terms, row_counts, surface, words_total, params, sp)
    let_others_run()
    vocabulary = _vocabulary(terms_of_word, acronyms)
    return Merged(columns, arrays, vocabulary, _nickname_links(units))


MERGE_CHUNK = 256
"""Units merged per round of C-level calls (about 1,300 passages)."""


def _joined(units: Sequence[SourceUnit], name: str, present: str | None = None) -> list[str]:
    """The strings of field ``name`` of every unit, in order, as one list: units whose field ``present`` (default
    ``name``) is empty add nothing (an acronym may spell no terms: ``acronym_terms`` may be "" when ``acronyms`` is
    not)."""
    present = present or name
    joined = SEPARATOR.join(getattr(u, name) for u in units if getattr(u, present))
    return joined.split(SEPARATOR) if any(getattr(u, present) for u in units) else []


def _count(joined: str) -> int:
    return joined.count(SEPARATOR) + 1 if joined else 0


def _local(units: Sequence[SourceUnit], name: str, offsets: np.ndarray, counts: np.ndarray, what: str) -> np.ndarray:
    """Field ``name`` (local term ids) of every unit, concatenated and shifted by each unit's ``offsets``; checked
    against the unit's term ``counts``."""
    parts = [getattr(u, name) for u in units]
    sizes = np.fromiter(map(len, parts), np.int64, len(parts))
    local = _concatenate(parts, np.int64)
    unit_of = np.repeat(np.arange(len(units)), sizes)
    if len(local) and (local.min() < 0 or (local >= counts[unit_of]).any()):
        raise ValueError(f"source units' {what} name terms they do not have")
    return local + offsets[unit_of]


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
    openers = {title[0] for title in unique}  # a mention is "the" then a title's first word
    found: dict[int, list[str]] = {}
    for position, joined, capitalized in mentions:
        words = joined.split(" ")
        if openers.isdisjoint(words):
            continue
        terms: list[str] = []
        for i, word in enumerate(words):
            if word != "the" or i + 1 == len(words) or words[i + 1] not in openers:
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
    let_others_run()
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
    let_others_run()
    weights = okapi_weights(
        idf[row_terms], row_counts.astype(np.float64), lengths[rows], average_length or 1.0, params.k1, params.b
    )
    let_others_run()
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
    for done, position in enumerate(sorted(aliases)):
        if done % 256 == 255:
            let_others_run()
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
