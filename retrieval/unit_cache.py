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

from retrieval.search.source_units import SourceUnit, check_unit
from retrieval.snapshot import SnapshotUnusable, Strings, pieces_of, put_texts, read_snapshot, texts_of, write_snapshot
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
                "appositives": {h: [list(n) for n in sorted(names)] for h, names in u.appositives.items()},
            },
            ensure_ascii=False,
        )
        for u in units
    ]
    put_texts(sections, "small", small)
    write_snapshot(path, key, sections)


def load_units(path: Path, key: str) -> dict[str, SourceUnit]:
    """The units saved at ``path`` under ``key``, by unit key; empty when the file is missing, stale or damaged (a
    unit that fails :func:`~retrieval.search.source_units.check_unit` is left out)."""
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
        for name in _TEXTS:
            columns[name] = texts_of(sections, name, count)
        token_count = sections["token_count"].tolist()
    except (KeyError, ValueError, TypeError, UnicodeDecodeError) as error:
        log.warning("Source units at %s not used: %s", path, error)
        return {}
    units: dict[str, SourceUnit] = {}
    dropped: list[str] = []
    for i, unit_key in enumerate(keys):
        if i % 128 == 127:
            let_others_run()
        try:
            extra = json.loads(small[i])
            unit = SourceUnit(
                key=unit_key,
                token_count=int(token_count[i]),
                titles=tuple((tuple(t), tuple(n)) for t, n in extra["titles"]),
                mentions=tuple((int(p), w, c.encode("latin-1")) for p, w, c in extra["mentions"]),
                nicknames=tuple((h, tuple(n)) for h, n in extra["nicknames"]),
                appositives={h: frozenset(tuple(n) for n in names) for h, names in extra["appositives"].items()},
                **{name: columns[name][i] for name in (*_ARRAYS, *_TEXTS)},
            )
            check_unit(unit)
        except (KeyError, ValueError, TypeError, IndexError) as error:
            dropped.append(f"{unit_key[:12]} ({error})")
            continue
        units[unit_key] = unit
    if dropped:  # one line, not one per unit: a systematic fault would flood the log
        log.warning("%d source units at %s not used (read again): %s", len(dropped), path, "; ".join(dropped[:3]))
    return units


def units_by_key(units: Sequence[SourceUnit]) -> Mapping[str, SourceUnit]:
    return {unit.key: unit for unit in units}
