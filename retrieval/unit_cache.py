"""The sources' units (:class:`~retrieval.search.source_units.SourceUnit`) saved beside a library's snapshot, so that
a reload after a restart (or in another process) reads again only the sources that changed.

One snapshot file (:mod:`retrieval.snapshot`: checksummed, no pickle) under a key of the settings and the code only,
not of the sources: each unit is found by its own key (:func:`~retrieval.search.source_units.unit_key`, the source's
SHA-256 and how it was read). A damaged file is not used at all (every source is read again); a unit whose arrays
disagree with each other is dropped and its source read again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from retrieval.search import merge
from retrieval.search.source_units import SEPARATOR, SourceUnit, count_joined
from retrieval.snapshot import SnapshotUnusable, Strings, pieces_of, put_texts, read_snapshot, texts_of, write_snapshot
from retrieval.text.background import remember_probabilities, word_probability
from retrieval.yielding import let_others_run

log = logging.getLogger(__name__)

UNITS_FILE = "units.snapshot"
_ARRAYS = (
    "paragraph",
    "part",
    "start",
    "end",
    "caption",
    "row_start",
    "row_terms",
    "row_counts",
    "word_terms",
    "pair_words",
    "pair_terms",
)
_TEXTS = ("terms", "words", "acronyms", "acronym_terms")
NUMBERED_ARRAYS = ("unit_terms", "unit_words")
"""Each unit's terms and words as indexes into the file's ``term_table`` and ``word_table``
(:meth:`~retrieval.search.merge.Numbering.adopt`)."""


def save_units(units: Sequence[SourceUnit], path: Path, key: str) -> None:
    """Write ``units`` to ``path`` under ``key`` (atomically).

    Raises
    ------
    OSError
        The file cannot be written.
    """
    sections: dict[str, object] = {"keys": Strings(u.key for u in units)}
    sections["token_count"] = np.fromiter((u.token_count for u in units), np.int64, len(units))
    for name in _ARRAYS:
        parts = [getattr(u, name) for u in units]
        sections[f"{name}.lengths"] = np.fromiter(map(len, parts), np.int64, len(parts))
        sections[name] = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    for name in _TEXTS:
        put_texts(sections, name, [getattr(u, name) for u in units])
    # One small JSON document per unit (JSON escapes NUL), not one large one: each call is short, so a save in a
    # thread beside an event loop never holds the GIL for long.
    small = [
        json.dumps(
            {
                "titles": [[list(t), list(n)] for t, n in u.titles],
                "mentions": [[p, w, c.decode("latin-1")] for p, w, c in u.mentions],
                "nicknames": [[h, list(n)] for h, n in u.nicknames],
            },
            ensure_ascii=False,
        )
        for u in units
    ]
    put_texts(sections, "small", small)
    # Appositive names apart, with their heads: a merge reads the names of the few heads nicknames point to only.
    put_texts(sections, "appositive_heads", [SEPARATOR.join(u.appositives) for u in units])
    put_texts(sections, "appositives", [_appositives_json(u.appositives) for u in units])
    # The units' strings numbered (merge.NUMBERED's tables, compacted), and each word's background probability:
    # a reload after a restart then does neither per-string work nor wordfreq look-ups for the units it reads here.
    term_table, unit_terms, word_table, unit_words = merge.NUMBERED.tables_of(units)
    sections["term_table"] = Strings(term_table)
    sections["word_table"] = Strings(word_table)
    sections["word_probability"] = np.fromiter(map(word_probability, word_table), np.float64, len(word_table))
    for name, ids in (("unit_terms", unit_terms), ("unit_words", unit_words)):
        sections[f"{name}.lengths"] = np.fromiter(map(len, ids), np.int64, len(ids))
        sections[name] = _concatenate(ids)
    write_snapshot(path, key, sections)


def _appositives_json(appositives: Mapping[str, frozenset[tuple[str, ...]]]) -> str:
    if isinstance(appositives, _SavedAppositives):
        return appositives.saved  # as read: not parsed to be written again
    return json.dumps({h: [list(n) for n in sorted(names)] for h, names in appositives.items()}, ensure_ascii=False)


class _SavedAppositives(Mapping):
    """A unit's appositive names (head -> names) as read from the cache: the heads at once, the names parsed on first
    use. A library's units hold about 150,000 heads at 100,000 passages, and a merge reads the names of the few that
    nicknames point to (:func:`~retrieval.search.merge._nickname_links`)."""

    def __init__(self, heads: str, saved: str) -> None:
        self._heads = frozenset(heads.split(SEPARATOR))  # written with the names, under the file's checksum
        self.saved = saved
        self._names: dict[str, frozenset[tuple[str, ...]]] | None = None

    def keys(self) -> frozenset[str]:  # type: ignore[override]
        return self._heads

    def __contains__(self, head: object) -> bool:
        return head in self._heads

    def __iter__(self):
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._heads)

    def __getitem__(self, head: str) -> frozenset[tuple[str, ...]]:
        return self._parsed()[head]

    def _parsed(self) -> dict[str, frozenset[tuple[str, ...]]]:
        if self._names is None:
            self._names = {h: frozenset(map(tuple, names)) for h, names in json.loads(self.saved).items()}
        return self._names


def _concatenate(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int32, copy=False) if parts else np.zeros(0, np.int32)


def load_units(path: Path, key: str) -> dict[str, SourceUnit]:
    """The units saved at ``path`` under ``key``, by unit key; empty when the file is missing, stale or damaged (a
    unit whose arrays disagree, as :func:`~retrieval.search.source_units.check_unit` finds, is left out)."""
    try:
        sections = read_snapshot(path, key)
    except SnapshotUnusable as why:
        log.debug("Source units not used: %s", why.reason)
        return {}
    try:
        keys = sections["keys"]
        count = len(keys)
        small = texts_of(sections, "small", count)
        if len(small) != count:
            raise ValueError("unit counts disagree")
        columns: dict[str, list] = {}
        for name in _ARRAYS:
            columns[name] = pieces_of(sections[name], sections[f"{name}.lengths"], count)
        for name in (*_TEXTS, "appositive_heads", "appositives"):
            columns[name] = texts_of(sections, name, count)
        token_count = sections["token_count"].tolist()
        term_table, word_table = sections["term_table"], sections["word_table"]
        probability = sections["word_probability"]
        if len(probability) != len(word_table):
            raise ValueError("one probability per word")
        numbered = {name: pieces_of(sections[name], sections[f"{name}.lengths"], count) for name in NUMBERED_ARRAYS}
    except (KeyError, ValueError, TypeError, UnicodeDecodeError) as error:
        log.warning("Source units at %s not used: %s", path, error)
        return {}
    term_counts = np.fromiter(map(count_joined, columns["terms"]), np.int64, count)
    word_counts = np.fromiter(map(count_joined, columns["words"]), np.int64, count)
    disagree = _disagreeing(sections, term_counts, word_counts)
    units: dict[str, SourceUnit] = {}
    dropped: list[str] = []
    for i, unit_key in enumerate(keys):
        if i % 128 == 127:
            let_others_run()
        if disagree[i]:
            dropped.append(f"{unit_key[:12]} (its arrays disagree)")
            continue
        try:
            extra = json.loads(small[i])
            unit = SourceUnit(
                key=unit_key,
                token_count=int(token_count[i]),
                titles=tuple((tuple(t), tuple(n)) for t, n in extra["titles"]),
                mentions=tuple((int(p), w, c.encode("latin-1")) for p, w, c in extra["mentions"]),
                nicknames=tuple((h, tuple(n)) for h, n in extra["nicknames"]),
                appositives=(
                    _SavedAppositives(columns["appositive_heads"][i], columns["appositives"][i])
                    if columns["appositives"][i] != "{}"
                    else {}
                ),
                **{name: columns[name][i] for name in (*_ARRAYS, *_TEXTS)},
            )
            if any(not 0 <= position < len(unit) for position, _, _ in unit.mentions):
                raise ValueError("a mention in a passage that is not there")
        except (KeyError, ValueError, TypeError, IndexError) as error:
            dropped.append(f"{unit_key[:12]} ({error})")
            continue
        units[unit_key] = unit
    if dropped:  # one line, not one per unit: a systematic fault would flood the log
        log.warning("%d source units at %s not used (read again): %s", len(dropped), path, "; ".join(dropped[:3]))
    kept = [i for i, unit_key in enumerate(keys) if unit_key in units]
    try:
        merge.NUMBERED.adopt(
            [units[keys[i]] for i in kept],
            term_table,
            [numbered["unit_terms"][i] for i in kept],
            word_table,
            [numbered["unit_words"][i] for i in kept],
        )
    except ValueError as error:  # the units are still good: the merge numbers their strings itself
        log.warning("Source units at %s: numbered strings not used: %s", path, error)
    else:
        remember_probabilities(word_table, probability.tolist())
    return units


def _disagreeing(sections: dict, term_counts: np.ndarray, word_counts: np.ndarray) -> np.ndarray:
    """Which units' arrays disagree with each other (bool, one per unit): what
    :func:`~retrieval.search.source_units.check_unit` checks but the mentions, for all units at once on the file's
    concatenated arrays (one unit at a time took 0.8 s for 19,000 units). ``term_counts`` and ``word_counts``: each
    unit's number of terms and words."""
    lengths = {name: sections[f"{name}.lengths"] for name in _ARRAYS}
    passages = lengths["row_start"] - 1
    bad = passages < 0
    for name in ("paragraph", "part", "start", "end", "caption"):
        bad |= lengths[name] != passages
    row_start = sections["row_start"]
    ends = np.cumsum(lengths["row_start"])
    last = np.where(lengths["row_start"] > 0, row_start[np.clip(ends - 1, 0, None)] if len(row_start) else -1, -1)
    bad |= (last != lengths["row_terms"]) | (lengths["row_terms"] != lengths["row_counts"])
    bad |= lengths["word_terms"] != word_counts
    bad |= lengths["pair_words"] != lengths["pair_terms"]
    for name, limit in (
        ("row_terms", term_counts),
        ("word_terms", term_counts),
        ("pair_words", word_counts),
        ("pair_terms", term_counts),
    ):
        low, high = _segment_extremes(sections[name], lengths[name])
        bad |= (low < 0) | (high >= limit)
    return bad


def _segment_extremes(flat: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest value of each of the consecutive pieces of ``flat`` of ``lengths`` (0 and -1 for an
    empty piece)."""
    low = np.zeros(len(lengths), dtype=np.int64)
    high = np.full(len(lengths), -1, dtype=np.int64)
    filled = lengths > 0
    if filled.any():
        starts = (np.cumsum(lengths) - lengths)[filled]
        low[filled] = np.minimum.reduceat(flat, starts)
        high[filled] = np.maximum.reduceat(flat, starts)
    return low, high


def units_by_key(units: Sequence[SourceUnit]) -> Mapping[str, SourceUnit]:
    return {unit.key: unit for unit in units}
