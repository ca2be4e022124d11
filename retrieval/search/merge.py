"""A library's index, vocabulary and aliases, merged from its sources' units
(:class:`~retrieval.search.source_units.SourceUnit`).

The merge gives what reading every passage in one stream gives: terms numbered in first-seen order, the vocabulary's
first-seen word and acronym entries, title aliases from the definitions of the whole library, nickname links from
every passage's appositives, and the same BM25 weights (:mod:`retrieval.search.index`). Its cost follows the
sources' distinct terms and words (NumPy for the passage rows), not their text: the per-word work is in the units.
Each unit's strings are numbered once per process (:class:`Numbering`), so a reload that keeps most units does
string work for the changed sources only; the first-seen orders are then found by NumPy over those numbers.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.search.index import Bm25Params, IndexArrays, okapi_weights, smoothed_idf
from retrieval.search.source_units import SEPARATOR, TERM_SEPARATOR, SourceUnit, count_joined
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
    if any(
        not len(u.row_start) or u.row_start[-1] != len(u.row_terms) or len(u.row_counts) != len(u.row_terms)
        for u in units
    ):
        raise ValueError("source units' rows disagree")
    # Every string a unit holds, numbered once per process (NUMBERED): a unit seen by an earlier merge (a reload
    # that kept it) costs no string operation, and the library's first-seen orders come from NumPy.
    unit_terms, unit_words = NUMBERED.of(units)
    term_counts = np.fromiter(map(len, unit_terms), np.int64, len(units))
    term_offsets = np.zeros(len(units), dtype=np.int64)
    np.cumsum(term_counts[:-1], out=term_offsets[1:])
    local_terms = _concatenate(unit_terms, np.int64)  # process-wide numbers of each unit's terms, units in order
    let_others_run()
    # Terms are numbered in the order they are first seen, reading units in order and each unit's terms in order.
    seen_terms, _ = _first_seen(local_terms, NUMBERED.term_count())
    terms = NUMBERED.terms_named(seen_terms)
    term_id = dict(zip(terms, range(len(terms)), strict=True))
    renumber = np.zeros(NUMBERED.term_count(), dtype=np.int64)
    renumber[seen_terms] = np.arange(len(seen_terms))
    term_of_local = renumber[local_terms]  # library term id of each unit term
    let_others_run()
    row_terms = term_of_local[_local(units, "row_terms", term_offsets, term_counts, "rows")].astype(np.int32)
    word_terms = term_of_local[_local(units, "word_terms", term_offsets, term_counts, "words")]
    words = _concatenate(unit_words, np.int64)
    word_counts = np.fromiter((len(u.word_terms) for u in units), np.int64, len(units))
    if (word_counts != np.fromiter(map(len, unit_words), np.int64, len(units))).any():
        raise ValueError("source units' words disagree with their terms")
    # A word's term is the one it had where it was first seen; words in first-seen order.
    seen_words, first_at = _first_seen(words, NUMBERED.word_count())
    terms_of_word = dict(
        zip(NUMBERED.words_named(seen_words), map(terms.__getitem__, word_terms[first_at].tolist()), strict=True)
    )
    let_others_run()
    # (term, word) pairs: each word with the term it first had in its source, plus the further pairs of a word seen
    # with more than one term.
    word_offsets = np.zeros(len(units), dtype=np.int64)
    np.cumsum(word_counts[:-1], out=word_offsets[1:])
    pair_words = _local(units, "pair_words", word_offsets, word_counts, "pairs")
    pair_terms = term_of_local[_local(units, "pair_terms", term_offsets, term_counts, "pairs")]
    if len(pair_words) != len(pair_terms):
        raise ValueError("source units' pairs disagree")
    all_terms = np.concatenate([word_terms, pair_terms])
    all_words = np.concatenate([words, words[pair_words]])
    width = max(1, NUMBERED.word_count())  # read once: another thread's merge may number more words meanwhile
    pairs = np.unique(all_terms * width + all_words)
    let_others_run()
    surface: list[list[str]] = [[] for _ in terms]
    for t, word in zip((pairs // width).tolist(), NUMBERED.words_named(pairs % width), strict=True):
        surface[t].append(word)
    acronyms: dict[str, tuple[str, ...]] = {}
    titles: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    passages = words_total = 0
    for first in range(0, len(units), MERGE_CHUNK):
        if first:
            let_others_run()
        chunk = units[first : first + MERGE_CHUNK]
        for unit in chunk:
            for title, name in unit.titles:
                titles.setdefault(title, set()).add(name)
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
    row_start = np.zeros(passages + 1, dtype=np.int64)
    if units:
        row_start[1:] = np.cumsum(np.concatenate([np.diff(u.row_start) for u in units]))
    row_counts = _concatenate([u.row_counts for u in units], np.int32)
    let_others_run()
    aliases = _title_aliases_of_units(units, titles)
    if aliases:
        row_start, row_terms, row_counts = _with_aliases(row_start, row_terms, row_counts, aliases, term_id)
    let_others_run()
    arrays = _index_arrays(terms, row_start, row_terms, row_counts, surface, words_total, params, sp)
    let_others_run()
    vocabulary = _vocabulary(terms_of_word, acronyms)
    return Merged(columns, arrays, vocabulary, _nickname_links(units))


MERGE_CHUNK = 256
"""Units whose titles, mentions and acronyms are merged per round of C-level calls (about 1,300 passages)."""


FIRST_SEEN_STEP = 1 << 16
"""Numbers :func:`_first_seen` reads per step."""


def _first_seen(numbers: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``numbers`` (1-D, each in ``range(size)``) in the order they first occur, and the
    position of each first occurrence (both int64 arrays of the number of distinct values).

    Step by step, only the values not seen in earlier steps are sorted (``np.unique``'s stable sort gives each one's
    first index in the step): after the first steps of a library most values are seen, so the cost is about one
    look-up per number rather than a sort of all of them (25 ms against 340 ms for 2.2 million numbers)."""
    seen = np.zeros(size, dtype=bool)
    found: list[np.ndarray] = []
    first_at: list[np.ndarray] = []
    for start in range(0, len(numbers), FIRST_SEEN_STEP):
        piece = numbers[start : start + FIRST_SEEN_STEP]
        positions = np.flatnonzero(~seen[piece])
        if not len(positions):
            continue
        distinct, first = np.unique(piece[positions], return_index=True)
        order = np.argsort(first, kind="stable")
        found.append(distinct[order])
        first_at.append(positions[first[order]] + start)
        seen[distinct] = True
    return _concatenate(found, np.int64), _concatenate(first_at, np.int64)


class Numbering:
    """A process-wide numbering of the term and word strings of the units merged so far (numbers never change or
    get reused), and each unit's terms and words as those numbers, kept while the unit lives.

    Numbering a unit is the merge's only per-string work (a split and a dict look-up per string); a reload that
    keeps most units (a warm worker process, or the served library's units in memory) pays it for the changed
    sources only. The tables grow with every distinct string seen by the process (terms and words of sources since
    removed included): a few MB per 100,000 distinct strings.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._term_number: dict[str, int] = {}
        self._terms: list[str] = []
        self._word_number: dict[str, int] = {}
        self._words: list[str] = []
        self._of_unit: weakref.WeakKeyDictionary[SourceUnit, tuple[np.ndarray, np.ndarray]] = (
            weakref.WeakKeyDictionary()
        )

    def of(self, units: Sequence[SourceUnit]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each unit's terms and words (in the unit's order) as process-wide numbers (int64 arrays)."""
        with self._lock:
            fresh = [u for u in dict.fromkeys(units) if u not in self._of_unit]
            for first in range(0, len(fresh), MERGE_CHUNK):
                if first:
                    let_others_run()
                chunk = fresh[first : first + MERGE_CHUNK]
                terms = _numbers(_joined(chunk, "terms"), self._term_number, self._terms)
                words = _numbers(_joined(chunk, "words"), self._word_number, self._words)
                term_ends = np.cumsum([count_joined(u.terms) for u in chunk]).tolist()
                word_ends = np.cumsum([count_joined(u.words) for u in chunk]).tolist()
                for unit, t0, t1, w0, w1 in zip(
                    chunk, [0, *term_ends[:-1]], term_ends, [0, *word_ends[:-1]], word_ends, strict=True
                ):
                    self._of_unit[unit] = (terms[t0:t1], words[w0:w1])
            found = [self._of_unit[u] for u in units]
        return [t for t, _ in found], [w for _, w in found]

    def adopt(
        self,
        units: Sequence[SourceUnit],
        term_table: list[str],
        unit_terms: Sequence[np.ndarray],
        word_table: list[str],
        unit_words: Sequence[np.ndarray],
    ) -> None:
        """Number ``units`` from tables saved with them (:mod:`retrieval.unit_cache`) instead of from their joined
        strings: ``unit_terms[i]`` holds, for each of unit ``i``'s terms in order, its index in ``term_table`` (words
        likewise). The tables' strings are numbered once (a look-up each), the units' by NumPy indexing: a restart's
        first reload does no per-unit string work.

        Raises
        ------
        ValueError
            An index outside its table, or a unit whose count of terms or words is not its own.
        """
        if not (len(units) == len(unit_terms) == len(unit_words)):
            raise ValueError("one term and one word array per unit")
        for unit, terms, words in zip(units, unit_terms, unit_words, strict=True):
            if len(terms) != count_joined(unit.terms) or len(words) != count_joined(unit.words):
                raise ValueError("a unit's numbered strings are not its own")
        for ids, table in ((unit_terms, term_table), (unit_words, word_table)):
            flat = _concatenate(list(ids), np.int64)
            if len(flat) and (flat.min() < 0 or flat.max() >= len(table)):
                raise ValueError("a string number outside its table")
        with self._lock:
            term_numbers = _numbers(term_table, self._term_number, self._terms)
            word_numbers = _numbers(word_table, self._word_number, self._words)
            for unit, terms, words in zip(units, unit_terms, unit_words, strict=True):
                if unit not in self._of_unit:
                    self._of_unit[unit] = (term_numbers[terms], word_numbers[words])

    def tables_of(self, units: Sequence[SourceUnit]) -> tuple[list[str], list[np.ndarray], list[str], list[np.ndarray]]:
        """What :meth:`adopt` takes back: the distinct terms of ``units`` and each unit's terms as indexes into
        them (int32), then the same for words."""
        unit_terms, unit_words = self.of(units)
        term_table, term_ids = _compact(unit_terms, self.terms_named)
        word_table, word_ids = _compact(unit_words, self.words_named)
        return term_table, term_ids, word_table, word_ids

    def terms_named(self, numbers: np.ndarray) -> list[str]:
        return list(map(self._terms.__getitem__, numbers.tolist()))

    def words_named(self, numbers: np.ndarray) -> list[str]:
        return list(map(self._words.__getitem__, numbers.tolist()))

    def term_count(self) -> int:
        return len(self._terms)

    def word_count(self) -> int:
        return len(self._words)


def _numbers(strings: list[str], number: dict[str, int], named: list[str]) -> np.ndarray:
    """The numbers of ``strings`` in ``number`` (int64), giving the new ones the next numbers (in ``named`` too)."""
    new = [s for s in dict.fromkeys(strings) if s not in number]
    if new:
        number.update(zip(new, range(len(named), len(named) + len(new)), strict=True))
        named += new
    return np.fromiter(map(number.__getitem__, strings), np.int64, len(strings))


def _compact(numbers: list[np.ndarray], named) -> tuple[list[str], list[np.ndarray]]:
    """The distinct strings behind ``numbers`` (process-wide numbers, one array per unit) and each array as indexes
    into them."""
    flat = _concatenate(numbers, np.int64)
    used, inverse = np.unique(flat, return_inverse=True)
    ends = np.cumsum(np.fromiter(map(len, numbers), np.int64, len(numbers))).tolist()
    ids = inverse.astype(np.int32)
    return named(used), [ids[a:b] for a, b in zip([0, *ends][: len(ends)], ends, strict=True)]


NUMBERED = Numbering()
"""This process's numbering of unit strings, shared by every merge."""


def _joined(units: Sequence[SourceUnit], name: str, present: str | None = None) -> list[str]:
    """The strings of field ``name`` of every unit, in order, as one list: units whose field ``present`` (default
    ``name``) is empty add nothing (an acronym may spell no terms: ``acronym_terms`` may be "" when ``acronyms`` is
    not)."""
    present = present or name
    joined = SEPARATOR.join(getattr(u, name) for u in units if getattr(u, present))
    return joined.split(SEPARATOR) if any(getattr(u, present) for u in units) else []


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


def _unique_titles(titles: dict[tuple[str, ...], set[tuple[str, ...]]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {title: next(iter(found)) for title, found in titles.items() if len(found) == 1}


def _aliases_of_mentions(
    unique: dict[tuple[str, ...], tuple[str, ...]], mentions: Sequence[tuple[int, str, bytes]]
) -> dict[int, list[str]]:
    """Title aliases (:func:`retrieval.text.aliases.title_aliases`) of the passages that have any, by position:
    ``unique`` maps each title given to one name only to that name, ``mentions`` are a unit's mention candidates."""
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


class _UnitAliases:
    """Each unit's title aliases (by position in the unit) for the library's unique titles of the last merge: a
    reload whose titles are unchanged (one article edited) reads only the changed units' mentions again."""

    def __init__(self) -> None:
        self._titles: tuple[dict[tuple[str, ...], tuple[str, ...]], object] = ({}, object())
        self._of_unit: weakref.WeakKeyDictionary[SourceUnit, tuple[object, dict[int, list[str]]]] = (
            weakref.WeakKeyDictionary()
        )

    def of(
        self, units: Sequence[SourceUnit], titles: dict[tuple[str, ...], set[tuple[str, ...]]]
    ) -> dict[int, list[str]]:
        unique = _unique_titles(titles)
        if not unique:
            return {}
        last, version = self._titles
        if last != unique:
            version = object()  # units read for other titles are read again
            self._titles = (unique, version)
        found: dict[int, list[str]] = {}
        offset = 0
        for unit in units:
            if unit.mentions:
                kept = self._of_unit.get(unit)
                if kept is None or kept[0] is not version:
                    kept = self._of_unit[unit] = (version, _aliases_of_mentions(unique, unit.mentions))
                for position, terms in kept[1].items():
                    found[offset + position] = terms
            offset += len(unit)
        return found


_UNIT_ALIASES = _UnitAliases()
_title_aliases_of_units = _UNIT_ALIASES.of


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
