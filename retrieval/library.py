"""A library: one folder of sources (a guild's, or the shared one), optionally with the shared library attached,
loaded so that one bad file never blocks the rest.

- Every file that loads is served; the ones that fail are listed (``Corpus.refused``) with their reasons.
- A source that loaded before and whose file now fails keeps its last good version, marked stale
  (``Corpus.stale``), until its file is fixed or removed.
- The shared library's sources keep their ids; a library's own source whose id clashes with a shared one gets a
  suffix from its file name's hash (as files whose ids clash within one folder do, see
  :func:`retrieval.sources.loading.assign_ids`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.corpus import Corpus, built_or_loaded, snapshot_path
from retrieval.errors import SourceFolderMissing
from retrieval.models import Source
from retrieval.search.index import Bm25Params
from retrieval.source_cache import SOURCES_FILE, KnownSources, load_sources_cache, save_if_changed
from retrieval.sources.loading import DEFAULT_MAX_BYTES, LoadResult, Refusal, load_sources


def keep_last_good(result: LoadResult, previous: Sequence[Source]) -> tuple[list[Source], frozenset[str]]:
    """The sources of ``result`` plus, for each refused file whose id was served before (in ``previous``), that
    earlier version; in file-name order. Returns (sources, ids of the kept earlier versions)."""
    before = {s.id: s for s in previous}
    loaded = {s.id for s in result.sources}
    kept = [before[r.source_id] for r in result.refused if r.source_id in before and r.source_id not in loaded]
    sources = sorted([*result.sources, *kept], key=lambda s: s.file_name)
    return sources, frozenset(s.id for s in kept)


def _distinct(own: list[Source], taken: set[str]) -> list[Source]:
    distinct = []
    for source in own:
        if source.id in taken:
            suffix = hashlib.sha256(source.file_name.encode("utf-8", "surrogateescape")).hexdigest()[:6]
            source = source.model_copy(update={"id": f"{source.id}-{suffix}"})
        distinct.append(source)
    return distinct


def load_library(
    folder: Path | str,
    *,
    shared: Path | str | None = None,
    previous: Corpus | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    params: Bm25Params | None = None,
    parallel_chars: int | None = None,
    pending_save: list[Callable[[], None]] | None = None,
) -> Corpus:
    """Load ``folder`` (and the ``shared`` folder, when attached) and index them together.

    ``previous`` is the corpus served until now: the last good versions of sources that now fail come from it, and
    the units of unchanged sources (only changed ones are read again). Without it, files unchanged since they were
    last loaded are taken from the sources cache beside the snapshot (:mod:`retrieval.source_cache`), which is
    saved again (or its saving appended to ``pending_save``) when the sources changed. ``parallel_chars`` and
    ``pending_save``: see :func:`~retrieval.corpus.built_or_loaded`.
    ``Corpus.refused`` lists the refused files of both folders, ``Corpus.shared_ids`` the ids from ``shared``.

    A missing ``shared`` folder is listed in ``Corpus.skipped``; the shared sources of ``previous`` are kept and the
    library's own sources are served.

    Raises
    ------
    SourceFolderMissing
        ``folder`` is missing.
    """
    previous_sources = previous.sources if previous is not None else ()
    sources_file = snapshot_path(folder).parent / SOURCES_FILE
    # What spares reading a file again: the library served until now, else (at a start) the sources cache.
    if previous is not None:
        known = KnownSources.of(previous.sources, previous.shared_ids)
    else:
        known = load_sources_cache(sources_file)
    shared_sources: list[Source] = []
    shared_stale: frozenset[str] = frozenset()
    refused: list[Refusal] = []
    skipped: list[tuple[str, str]] = []
    if shared is not None:
        old_shared = [s for s in previous_sources if previous is not None and s.id in previous.shared_ids]
        try:
            shared_result = load_sources(shared, max_bytes=max_bytes, known=known.shared)
        except SourceFolderMissing:  # the host's problem, not the library's: its own sources are still served
            skipped.append(("shared library", "its folder is missing on the bot's host; its last sources are kept"))
            shared_sources, shared_stale = sorted(old_shared, key=lambda s: s.file_name), frozenset()
        else:
            shared_sources, shared_stale = keep_last_good(shared_result, old_shared)
            refused += shared_result.refused
    old_own = [s for s in previous_sources if previous is None or s.id not in previous.shared_ids]
    own_result = load_sources(folder, max_bytes=max_bytes, known=known.own)
    shared_ids = {s.id for s in shared_sources}
    own_loaded = _distinct(list(own_result.sources), shared_ids)
    renamed = LoadResult(tuple(own_loaded), own_result.skipped, own_result.refused)
    own_sources, own_stale = keep_last_good(renamed, old_own)
    refused += own_result.refused
    skipped += own_result.skipped
    corpus = built_or_loaded(
        [*own_sources, *shared_sources],
        snapshot_path(folder),
        params=params,
        skipped=skipped,
        refused=refused,
        stale=own_stale | shared_stale,
        shared_ids=frozenset(shared_ids),
        previous=previous,
        parallel_chars=parallel_chars,
        pending_save=pending_save,
    )
    save_if_changed(corpus.sources, corpus.shared_ids, known, sources_file, pending_save)
    return corpus
