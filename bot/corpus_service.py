"""Holds the corpus the bot serves and reloads it as a transaction.

A reload builds a whole new :class:`~retrieval.corpus.Corpus` off the event loop (so the loop keeps its heartbeats),
and swaps it in with one assignment. One bad file never blocks the rest: every source that loads is served, refused
files are listed in ``Corpus.refused``, and a source that loaded before and now fails keeps its last good version
(``Corpus.stale``; :mod:`retrieval.library`). Only a missing folder fails the reload, and then the old corpus keeps
serving. Reloads are serialised by a lock: a second one waits for the first.

Off the loop: a worker thread loads the library, from its snapshot when that is current (mostly NumPy and file
reads, which leave the loop alone). Otherwise only the sources whose bytes changed are read again (split,
tokenized: :mod:`retrieval.search.source_units`), in worker *processes* when they hold at least
``process_build_bytes`` characters (reading is seconds of Python bytecode that, in a thread, would share the GIL
with the loop), and the thread merges them with the served library's units of the unchanged sources (short C-level
calls and NumPy). The new library is swapped in, then its snapshot saved. The old library is let go in a worker
thread too, so freeing it never stalls the loop, and the collector stays paused while the build's objects are made.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus import PARALLEL_BUILD_CHARS, Corpus, CorpusChange, compare
from retrieval.errors import RetrievalError
from retrieval.library import load_library

log = logging.getLogger(__name__)

PROCESS_BUILD_BYTES = PARALLEL_BUILD_CHARS
"""Sources still to be read that hold at least this many characters (about 250 passages) are read in worker
processes; fewer are read in the thread in well under a second, less than a process takes to start."""
PARALLEL_NEVER = 2**62


@dataclass(frozen=True)
class ReloadReport:
    """A successful reload: what changed, the corpus now served, and the wall time it took in seconds."""

    change: CorpusChange
    corpus: Corpus
    seconds: float


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
        Read sources in worker processes when those still to be read hold at least this many characters (None:
        never).
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
        self.last_error: str | None = None
        """Why the last load or reload failed, until one succeeds (shown by /sources)."""

    @property
    def corpus(self) -> Corpus:
        """The corpus being served. Read it once per request: a reload may swap it in between two reads."""
        return self._corpus

    def _build(self) -> Corpus:
        """The new library (in a worker thread); what saves its snapshot is left in ``self._pending_saves``."""
        return load_library(
            self.folder,
            shared=self.shared_folder,
            previous=self._corpus,
            max_bytes=self.max_source_bytes,
            parallel_chars=self.process_build_bytes if self.process_build_bytes is not None else PARALLEL_NEVER,
            pending_save=self._pending_saves,
        )

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
                self._pending_saves = pending = []
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
            # delays the loop by at most a switch interval at a time instead of all at once. The snapshot of the new
            # one is written there too, once it serves (for the next start, or a reload after a restart).
            await asyncio.to_thread(_after_swap, released, pending)
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
