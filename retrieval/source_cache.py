"""The sources of a library as last loaded, saved beside its snapshot, so that a start (or a reload in a worker
process) need not read, hash and parse again the files whose size and modification time are unchanged.

At 100,000 passages (16,000 files) reading, hashing and parsing every file was 3.2 of a start's 3.4 s; the snapshot
itself loads in 0.14 s. A cached source is used only as ``known`` for
:func:`~retrieval.sources.loading.load_sources`: it is taken back when its file's stat (size and modification time
in ns, of the file and of its sidecar) equals the ``Source.file_state`` recorded when it was read, a state never
recorded for a file modified within ``RACY_NS`` of its read (git's "racy clean" rule: a write in the same clock tick
could leave the time unchanged). Anything else is read again, so a stale cache costs time, never a wrong source.

One snapshot file (:mod:`retrieval.snapshot`: checksummed, no pickle) under a key of the code and library versions
only (they shape how a file is parsed), not of the sources. A damaged or stale file is not used: every source is
read again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.memory import release_free_memory
from retrieval.models import Source
from retrieval.snapshot import (
    SnapshotUnusable,
    put_texts,
    read_snapshot,
    snapshot_key,
    texts_of,
    write_snapshot,
)
from retrieval.yielding import let_others_run

log = logging.getLogger(__name__)

SOURCES_FILE = "sources.snapshot"
_CHUNK = 512
"""Sources per JSON document: each ``json`` call stays short beside an event loop (one document for 160,000
sources would hold the GIL for a quarter of a second)."""
_FIELDS = tuple(name for name in Source.model_fields if name != "text")

SourceRecord = tuple[str, str, str, tuple[int, int, int, int] | None, bool]
"""(file name, id, SHA-256, file state, from the shared library): what decides whether the cache is current."""


@dataclass(frozen=True)
class KnownSources:
    """Sources loaded before, by file name: the library's own (``own``) and its shared library's (``shared``)."""

    own: Mapping[str, Source] = field(default_factory=dict)
    shared: Mapping[str, Source] = field(default_factory=dict)

    @classmethod
    def of(cls, sources: Sequence[Source], shared_ids: Collection[str]) -> KnownSources:
        return cls(
            own={s.file_name: s for s in sources if s.id not in shared_ids},
            shared={s.file_name: s for s in sources if s.id in shared_ids},
        )

    def records(self) -> set[SourceRecord]:
        return {_record(s, False) for s in self.own.values()} | {_record(s, True) for s in self.shared.values()}


def records_of(sources: Sequence[Source], shared_ids: Collection[str]) -> set[SourceRecord]:
    """What :func:`save_sources` would save of ``sources``, compared with :meth:`KnownSources.records` to tell
    whether the cache needs writing."""
    return {_record(s, s.id in shared_ids) for s in sources}


def _record(source: Source, shared: bool) -> SourceRecord:
    return source.file_name, source.id, source.sha256, source.file_state, shared


def sources_cache_key() -> str:
    return snapshot_key((), {"cache": "sources", "fields": list(_FIELDS)})


def save_sources(sources: Sequence[Source], shared_ids: Collection[str], path: Path) -> None:
    """Write ``sources`` (those whose ids are in ``shared_ids`` marked as the shared library's) to ``path``,
    atomically.

    Raises
    ------
    OSError
        The file cannot be written.
    """
    records = []
    for source in sources:
        let_others_run()
        row = source.model_dump(include=set(_FIELDS))
        row["shared"] = source.id in shared_ids
        records.append(row)
    chunks = [json.dumps(records[i : i + _CHUNK], ensure_ascii=False) for i in range(0, len(records), _CHUNK)]
    sections: dict[str, object] = {"count": len(sources), "chunks": len(chunks)}
    put_texts(sections, "records", chunks)  # one decode per chunk when read back, not one of them all
    put_texts(sections, "texts", [s.text for s in sources])
    write_snapshot(path, sources_cache_key(), sections)


def load_sources_cache(path: Path) -> KnownSources:
    """The sources :func:`save_sources` saved at ``path``; none when the file is missing, stale (other code) or
    damaged."""
    try:
        sections = read_snapshot(path, sources_cache_key())
    except SnapshotUnusable as why:
        log.debug("Sources cache not used: %s", why.reason)
        return KnownSources()
    own: dict[str, Source] = {}
    shared: dict[str, Source] = {}
    try:
        count = int(sections["count"])
        texts = texts_of(sections, "texts", count)
        position = 0
        for chunk in texts_of(sections, "records", int(sections["chunks"])):
            let_others_run()
            for row in json.loads(chunk):
                shared_flag = row.pop("shared")
                if set(row) != set(_FIELDS):
                    raise ValueError("fields differ")
                row["text"] = texts[position]
                row["parse_notes"] = tuple(row["parse_notes"])
                if row["file_state"] is not None:
                    row["file_state"] = tuple(row["file_state"])
                # Written by save_sources from validated sources and checksummed: no validation again (it is most
                # of the cost of a source that is taken back).
                source = Source.model_construct(**row)
                (shared if shared_flag else own)[source.file_name] = source
                position += 1
        if position != count:
            raise ValueError("source counts disagree")
    except (KeyError, ValueError, TypeError, IndexError, UnicodeDecodeError) as error:
        log.warning("Sources cache at %s not used: %s", path, error)
        return KnownSources()
    return KnownSources(own, shared)


def save_if_changed(
    sources: Sequence[Source],
    shared_ids: Collection[str],
    known: KnownSources,
    path: Path,
    pending_save: list[Callable[[], None]] | None = None,
) -> None:
    """Save ``sources`` to ``path`` (:func:`save_sources`) unless they are those ``known`` already holds, file
    states included; with ``pending_save`` given, the saving is appended to it instead, for the caller to run once
    the library serves. An ``OSError`` is logged, never raised."""
    if records_of(sources, shared_ids) == known.records():
        return

    def save() -> None:
        try:
            save_sources(sources, shared_ids, path)
        except OSError as error:
            log.warning("Could not save the sources cache to %s: %s", path, error.strerror or error)
        release_free_memory()  # the encoded copy of every text, freed: tens of MB the process would keep

    if pending_save is None:
        save()
    else:
        pending_save.append(save)
