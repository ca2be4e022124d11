"""Holds the corpus the bot serves and reloads it as a transaction.

A reload builds a whole new :class:`~retrieval.corpus.Corpus` off the event loop (so the loop keeps its heartbeats),
and swaps it in with one assignment. One bad file never blocks the rest: every source that loads is served, refused
files are listed in ``Corpus.refused``, and a source that loaded before and now fails keeps its last good version
(``Corpus.stale``; :mod:`retrieval.library`). Only a missing folder fails the reload, and then the old corpus keeps
serving. Reloads are serialised by a lock: a second one waits for the first.

Off the loop, in two steps: when the folder is large (``process_build_bytes``) and its snapshot is not current, a
worker *process* builds and saves the snapshot, since a build is seconds of Python bytecode that, in a thread,
would share the GIL with the loop, and leaves a few hundred MB of its working memory behind; then a worker thread
loads the library from the snapshot (mostly NumPy and file reads, which leave the loop alone). The worker is
started at the first such reload and kept (one per service, until :meth:`CorpusService.close`) with the library it
built and its units: a later reload neither starts a process nor reads the unit cache, and takes every source whose
file keeps its size and modification time without reading it (``Source.file_state``); only changed sources are read
again. After a restart its first reload takes the unchanged sources' units from the unit cache beside the snapshot
(:mod:`retrieval.unit_cache`), which the worker rewrites after it has answered. The worker answers with the
library's source list, naming the sources the serving process already holds rather than sending them: the serving
process neither lists nor reads the folder, and loads exactly the sources the snapshot was built from. A small
folder is built in the thread, reusing the served library's units; its snapshot is saved after the swap. The old
library is let go in a worker thread too, so freeing it never stalls the loop, and the collector stays paused
while the build's objects are made.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from retrieval.answers.answering import prepare_for_questions
from retrieval.corpus import Corpus, CorpusChange, built_or_loaded, compare, snapshot_path
from retrieval.errors import RetrievalError
from retrieval.library import load_library
from retrieval.memory import release_free_memory, use_small_pages
from retrieval.models import Source
from retrieval.sources.loading import Refusal

log = logging.getLogger(__name__)

PROCESS_BUILD_BYTES = 16_000_000
"""A folder whose sources hold at least this many bytes (about 20,000 passages) is built in a worker process. A
smaller one is built in the thread, reusing the served library's per-source units, so a reload reads only the
changed sources (0.4-0.7 s at 8,600 passages, against 2.3 s for a worker process to start, read the unit cache and
write the snapshot); past this size the units and the merge's working memory would cost the serving process more
than 150 MB (about 1 GB at 84,000 passages)."""


@dataclass(frozen=True)
class ReloadReport:
    """A successful reload: what changed, the corpus now served, and the wall time it took in seconds."""

    change: CorpusChange
    corpus: Corpus
    seconds: float


WORKER_IDLE_SECONDS: float | None = 900.0
"""A warm worker process no reload has used for this long is let go: it holds the library it built and its units
(1.2-1.3 GB at 84,000 passages), and the next reload starts another (5.5 s instead of 2 s there). None: kept."""

SourceRef = tuple[str, str, str]
"""A source named by (id, file name, SHA-256): the serving process holds it, so the worker does not send it."""


@dataclass(frozen=True)
class BuiltInWorker:
    """What the worker process built and saved the snapshot of: the library's sources in order (each a
    :class:`Source`, or a :data:`SourceRef` to one the serving process holds), and its ``Corpus`` fields of the same
    names (files skipped and refused, stale ids, shared ids)."""

    sources: tuple[Source | SourceRef, ...]
    skipped: tuple[tuple[str, str], ...]
    refused: tuple[Refusal, ...]
    stale: frozenset[str]
    shared_ids: frozenset[str]


class CorpusService:
    """The current corpus of one sources folder.

    Parameters
    ----------
    folder
        The sources folder.
    max_source_bytes
        Largest source file loaded.
    corpus
        The corpus to start with (default: empty until :meth:`load_initial` or :meth:`reload`).
    shared_folder
        The shared library's folder, loaded and indexed with this one when attached.
    process_build_bytes
        Build in a worker process when the folder's source files hold at least this many bytes (None: never).
    """

    def __init__(
        self,
        folder: Path,
        *,
        max_source_bytes: int,
        corpus: Corpus | None = None,
        shared_folder: Path | None = None,
        process_build_bytes: int | None = PROCESS_BUILD_BYTES,
    ) -> None:
        self.folder = Path(folder)
        self.shared_folder = Path(shared_folder) if shared_folder is not None else None
        self.max_source_bytes = max_source_bytes
        self.process_build_bytes = process_build_bytes
        self._corpus = corpus if corpus is not None else Corpus.empty()
        self._reload_lock = asyncio.Lock()
        self._pending_saves: list[Callable[[], None]] = []
        self._worker: ProcessPoolExecutor | None = None
        self._worker_release: asyncio.TimerHandle | None = None
        self.last_error: str | None = None
        """Why the last load or reload failed, until one succeeds (shown by /sources)."""

    @property
    def corpus(self) -> Corpus:
        """The corpus being served. Read it once per request: a reload may swap it in between two reads."""
        return self._corpus

    def _adopt(self, built: BuiltInWorker) -> Corpus:
        """The library the worker process ``built`` (in a worker thread): its sources, from the snapshot it saved
        (built here, as :meth:`_build` does, should that snapshot be unusable)."""
        held = {(s.id, s.file_name, s.sha256): s for s in self._corpus.sources}
        return built_or_loaded(
            [held[s] if isinstance(s, tuple) else s for s in built.sources],
            snapshot_path(self.folder),
            skipped=built.skipped,
            refused=built.refused,
            stale=built.stale,
            shared_ids=built.shared_ids,
            previous=self._corpus,
            pending_save=self._pending_saves,
        )

    def _build(self) -> Corpus:
        """The new library (in a worker thread); what saves its snapshot is left in ``self._pending_saves``."""
        return load_library(
            self.folder,
            shared=self.shared_folder,
            previous=self._corpus,
            max_bytes=self.max_source_bytes,
            pending_save=self._pending_saves,
        )

    def _folder_bytes(self) -> int:
        total = 0
        for folder in (self.folder, self.shared_folder):
            try:
                with os.scandir(folder) if folder is not None else nullcontext(()) as entries:
                    total += sum(e.stat().st_size for e in entries if e.is_file() and not e.name.startswith("."))
            except OSError:
                pass
        return total

    async def _build_snapshot_in_a_process(self) -> BuiltInWorker | None:
        """Have a worker process build and save the folder's snapshot if it is not current; returns what it built,
        or None when the folder is small or nothing is served yet. Any failure is only logged (None): the thread
        step that follows loads the folder itself and reports the error, or builds."""
        if self.process_build_bytes is None:
            return None
        # In a thread: a stat per file (16,000 at 84,000 passages) held the event loop for tens of ms.
        if await asyncio.to_thread(self._folder_bytes) < self.process_build_bytes:
            return None
        try:
            shared = str(self.shared_folder) if self.shared_folder is not None else None
            # Nothing held (the first load): every source would come over pickled, which leaves the serving process
            # 60 MB larger at 84,000 passages than reading the folder itself.
            held = [(s.id, s.file_name, s.sha256) for s in self._corpus.sources] or None
            return await asyncio.to_thread(self._build_in_worker, str(self.folder), shared, self.max_source_bytes, held)
        except Exception as error:  # the worker's exception, or the worker died (out of memory)
            log.warning("Building in a worker process failed (%s); building in a thread", error)
            return None

    def _build_in_worker(
        self, folder: str, shared: str | None, max_bytes: int, held: list[SourceRef] | None
    ) -> BuiltInWorker | None:
        """Run :func:`_ensure_snapshot` in the service's worker process (started on first use) and wait for it.
        Called in a thread: starting the worker and waiting for it never happen on the event loop.

        Raises
        ------
        BrokenProcessPool
            The worker died (out of memory, killed); the next call starts a new one.
        """
        if self._worker is None:
            # "spawn": a fork of a process running an event loop and discord.py's threads is not safe.
            self._worker = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=use_small_pages
            )
        try:
            return self._worker.submit(_ensure_snapshot, folder, shared, max_bytes, held).result()
        except BrokenProcessPool:
            self._worker = None
            raise

    def close(self) -> None:
        """Let the worker process go (it exits once it has written the unit cache); a later large reload starts
        another."""
        if self._worker_release is not None:
            self._worker_release.cancel()
            self._worker_release = None
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown(wait=False)

    def _release_worker_when_idle(self) -> None:
        """Let the warm worker go once no reload has used it for ``WORKER_IDLE_SECONDS`` (on the event loop)."""
        if self._worker_release is not None:
            self._worker_release.cancel()
            self._worker_release = None
        if self._worker is not None and WORKER_IDLE_SECONDS is not None:
            self._worker_release = asyncio.get_running_loop().call_later(WORKER_IDLE_SECONDS, self.close)

    async def load_initial(self) -> None:
        """Load at start-up. Never fatal: with a missing folder or a bad file the bot starts with no sources, logs
        why, and /sources says so; a moderator fixes the folder and reloads."""
        try:
            await self.reload()
        except RetrievalError as error:
            log.error("Starting with no sources: %s", error)
        except Exception:  # already logged with its traceback by reload(); the bot still starts
            log.error("Starting with no sources: an unexpected error while loading (see above)")

    async def reload(self) -> ReloadReport:
        """Build a new corpus off the event loop and swap it in.

        Raises
        ------
        SourceFolderMissing
            Nothing was changed; the old corpus keeps serving.
        """
        async with self._reload_lock:
            started = time.perf_counter()
            # A full garbage collection triggered by the build's ~700,000 short-lived objects holds the GIL for
            # 150-200 ms and stalls the event loop (benchmarks/reload_loop_lag.py); the build makes no reference
            # cycles, so collection waits until it ends.
            collecting = gc.isenabled()
            gc.disable()
            try:
                built = await self._build_snapshot_in_a_process()
                self._release_worker_when_idle()
                self._pending_saves = pending = []
                if built is not None:
                    new = await asyncio.to_thread(self._adopt, built)
                else:
                    new = await asyncio.to_thread(self._build)
                # The new library's objects (a million tuples and strings at 1M passages) would otherwise all be
                # traversed by the next collections, the first of which would land on the loop; frozen, they are
                # skipped (refcounting still frees them; a library holds no reference cycles to collect).
                gc.freeze()
            except RetrievalError as error:
                self.last_error = str(error)
                raise
            except Exception:
                self.last_error = "an unexpected error while loading (see the bot's log)"
                log.exception("Reload failed unexpectedly; the previous sources are still served")
                raise
            finally:
                if collecting:
                    gc.enable()
            old, self._corpus, self.last_error = self._corpus, new, None
            report = ReloadReport(compare(old, new), new, time.perf_counter() - started)
            released = [old]
            del old
            # Freeing a large library is a cascade of deallocations that holds the GIL: done in a worker thread, it
            # delays the loop by at most a switch interval at a time instead of all at once. A library built in the
            # thread has its snapshot written there too, once it serves.
            await asyncio.to_thread(_after_swap, released, pending)
            # The first question would otherwise make the answer path's per-library tables (0.25 s at 100,000
            # passages); made beside the loop, the reload's caller does not wait for them.
            threading.Thread(target=prepare_for_questions, args=(new,), name="qabot-prepare", daemon=True).start()
        log.info(
            "Reloaded %d sources, %d passages in %.2f s (added %s, changed %s, removed %s)",
            len(new.sources),
            len(new.passages),
            report.seconds,
            list(report.change.added),
            list(report.change.changed),
            list(report.change.removed),
        )
        return report


def _after_swap(released: list[Corpus], pending: list[Callable[[], None]]) -> None:
    released.clear()
    for save in pending:
        save()
    release_free_memory()


_kept: dict[tuple[str, str | None, int], Corpus] = {}
"""In a worker process: the last library built or loaded for each (folder, shared folder, max bytes), with its
units (a library built here keeps them), for the next reload."""
_saving = threading.Lock()
"""In a worker process: held while the unit cache of the last reload is written, after the worker answered."""


def _ensure_snapshot(
    folder: str, shared: str | None, max_bytes: int, held: Sequence[SourceRef] | None = None
) -> BuiltInWorker | None:
    """In the worker process: load the library, which builds and saves its snapshot unless it is current, reading
    again only the sources that changed since the library this worker built last (``_kept``; on its first call,
    those not in the unit cache, in further worker processes when there are many). Returns once the snapshot is
    written; the unit cache is written after, in a thread of this process, which the next call waits for. The
    sources ``held`` by the serving process are named in the answer, not sent; ``held`` None: no answer (None),
    the serving process reads the folder itself.

    A source that now fails keeps its last good version when this worker has one; on a first call it is left out,
    then the serving process's key differs and it builds in its thread (rare: only while a file is broken)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with _saving:  # the last reload's unit cache is written in full before the folder is read again
        pass
    which = (folder, shared, max_bytes)
    saves: list[Callable[[], None]] = []
    corpus = load_library(
        folder, shared=shared, max_bytes=max_bytes, previous=_kept.pop(which, None), pending_save=saves
    )
    _kept[which] = corpus
    # The kept library and its units (hundreds of MB) would otherwise be traversed by every full collection of the
    # next reload's merge; refcounting still frees them when replaced.
    gc.freeze()
    if saves:
        snapshot_save, *later = saves
        snapshot_save()
        _saving.acquire()
        threading.Thread(target=_save_then_release, args=(later,), name="qabot-unit-cache").start()
    if held is None:
        return None
    held = set(held)
    return BuiltInWorker(
        sources=tuple(ref if (ref := (s.id, s.file_name, s.sha256)) in held else s for s in corpus.sources),
        skipped=corpus.skipped,
        refused=corpus.refused,
        stale=corpus.stale,
        shared_ids=corpus.shared_ids,
    )


def _save_then_release(saves: list[Callable[[], None]]) -> None:
    try:
        for save in saves:
            save()
    finally:
        _saving.release()
