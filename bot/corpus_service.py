"""Holds the corpus the bot serves and reloads it as a transaction.

A reload builds a whole new :class:`~retrieval.corpus.Corpus` in a worker thread (so the event loop keeps its
heartbeats), and swaps it in with one assignment only when every source loaded. If any source fails, the old corpus
keeps serving and the error names the file. Reloads are serialised by a lock: a second one waits for the first.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus import Corpus, CorpusChange, compare, load_corpus
from retrieval.errors import RetrievalError

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
    """

    def __init__(self, folder: Path, *, max_source_bytes: int, corpus: Corpus | None = None) -> None:
        self.folder = Path(folder)
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
        return load_corpus(self.folder, max_bytes=self.max_source_bytes)

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
        SourceError, SourceFolderMissing
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
