"""Holds the corpus the bot serves and reloads it as a transaction.

A reload builds a whole new :class:`~retrieval.corpus.Corpus` in a worker thread (so the event loop keeps its
heartbeats), and swaps it in with one assignment. One bad file never blocks the rest: every source that loads is
served, refused files are listed in ``Corpus.refused``, and a source that loaded before and now fails keeps its last
good version (``Corpus.stale``; :mod:`retrieval.library`). Only a missing folder fails the reload, and then the old
corpus keeps serving. Reloads are serialised by a lock: a second one waits for the first.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus import Corpus, CorpusChange, compare
from retrieval.errors import RetrievalError
from retrieval.library import load_library

log = logging.getLogger(__name__)


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
    """

    def __init__(
        self, folder: Path, *, max_source_bytes: int, corpus: Corpus | None = None, shared_folder: Path | None = None
    ) -> None:
        self.folder = Path(folder)
        self.shared_folder = Path(shared_folder) if shared_folder is not None else None
        self.max_source_bytes = max_source_bytes
        self._corpus = corpus if corpus is not None else Corpus.empty()
        self._reload_lock = asyncio.Lock()
        self.last_error: str | None = None
        """Why the last load or reload failed, until one succeeds (shown by /sources)."""

    @property
    def corpus(self) -> Corpus:
        """The corpus being served. Read it once per request: a reload may swap it in between two reads."""
        return self._corpus

    def _build(self) -> Corpus:
        return load_library(
            self.folder, shared=self.shared_folder, previous=self._corpus, max_bytes=self.max_source_bytes
        )

    async def load_initial(self) -> None:
        """Load at start-up. Never fatal: bad files are refused and every other one is served; with a missing
        folder the bot starts with no sources, logs why, and /sources says so; a moderator fixes it and reloads."""
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
                new = await asyncio.to_thread(self._build)
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
