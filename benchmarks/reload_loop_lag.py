"""How late the event loop runs while :class:`~bot.corpus_service.CorpusService` reloads a large folder.

The bot's heartbeats and command handlers run on one asyncio loop; a reload must not stall it. This builds a folder of
the 100 BBC articles copied ``--copies`` times (2000 files by default), then runs a ticker coroutine that sleeps
5 ms in a loop and records how late each wake-up is ("lag": actual wake time minus the time asked for), while:

- ``thread``: ``await service.reload()``, the build in a worker thread (what the bot does);
- ``loop``: ``service._build()`` called inside a coroutine, blocking the loop (what the worker thread saves);
- ``idle``: nothing, for the ticker's noise floor;
- ``thread-gcoff``: the collector paused around the build by hand; ``CorpusService.reload`` now does this itself
  (``gc.disable()`` while the worker thread builds), so it matches ``thread``. Before that, with the worker thread
  alone the worst lags were gen-2 collections: a full collection runs in whichever thread triggers it and holds the
  GIL throughout, traversing the old corpus and the ~700,000 short-lived token objects of the build under way (the
  build makes no cyclic garbage: ``gc.collect()`` after a build with the collector off finds 0 objects);
- ``thread-gcoff-freeze``: the same, then ``gc.freeze()`` after the swap, so later full collections skip the corpus
  (they otherwise take ``next_full_gc_ms`` on whichever thread, the loop's included). Run it last: it leaves every
  object alive at that point frozen.

After each mode, ``next_full_gc_ms`` is how long one full collection then takes (on the loop, if it triggers there).

Run: ``python -m benchmarks.reload_loop_lag [--copies 20] [--modes idle,thread,loop]``. Shared material is found at
``../shared`` beside the checkout, or ``QABOT_SHARED_DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # also runnable as ``python benchmarks/reload_loop_lag.py``
    sys.path.insert(0, str(REPO))

from bot.corpus_service import CorpusService  # noqa: E402
from retrieval.corpus import Corpus  # noqa: E402

TICK_SECONDS = 0.005
ARTICLES = "data/bbc-news-summary-100/corpus/article"


def shared_dir() -> Path:
    return Path(os.environ.get("QABOT_SHARED_DIR", REPO.parent / "shared"))


def make_folder(folder: Path, copies: int) -> int:
    """Copy every BBC article ``copies`` times into ``folder`` under unique names; returns the number of files."""
    articles = sorted((shared_dir() / ARTICLES).glob("*/*.txt"))
    if not articles:
        raise SystemExit(f"no articles under {shared_dir() / ARTICLES}; set QABOT_SHARED_DIR")
    for copy in range(copies):
        for article in articles:
            (folder / f"c{copy:02d}-{article.parent.name}-{article.stem}.txt").write_bytes(article.read_bytes())
    return copies * len(articles)


@dataclass(frozen=True)
class Measurement:
    mode: str
    seconds: float
    lags: list[float]
    corpus: Corpus | None
    next_full_gc: float = 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def _ticker(stop: asyncio.Event, lags: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        expected = loop.time() + TICK_SECONDS
        await asyncio.sleep(TICK_SECONDS)
        lags.append(max(0.0, loop.time() - expected))


async def measure(mode: str, work: Callable[[], Awaitable[Corpus | None]]) -> Measurement:
    """Run ``work`` while the ticker records its lags (the ticker starts, and ticks a few times, first)."""
    stop, lags = asyncio.Event(), []
    ticker = asyncio.create_task(_ticker(stop, lags))
    await asyncio.sleep(TICK_SECONDS * 4)
    lags.clear()
    started = time.perf_counter()
    corpus = await work()
    seconds = time.perf_counter() - started
    stop.set()
    await ticker
    collect_started = time.perf_counter()
    gc.collect()
    return Measurement(mode, seconds, lags, corpus, time.perf_counter() - collect_started)


def modes(service: CorpusService) -> dict[str, Callable[[], Awaitable[Corpus | None]]]:
    async def idle() -> None:
        await asyncio.sleep(2.0)

    async def thread() -> Corpus:
        return (await service.reload()).corpus

    async def loop() -> Corpus:
        return service._build()  # on purpose: the same build, blocking the loop

    async def thread_gcoff() -> Corpus:
        gc.disable()
        try:
            return (await service.reload()).corpus
        finally:
            gc.enable()

    async def thread_gcoff_freeze() -> Corpus:
        corpus = await thread_gcoff()
        gc.freeze()  # the served corpus leaves the collector's generations; refcounting still frees it later
        return corpus

    return {
        "idle": idle,
        "thread": thread,
        "loop": loop,
        "thread-gcoff": thread_gcoff,
        "thread-gcoff-freeze": thread_gcoff_freeze,
    }


def report(measurement: Measurement, files: int) -> str:
    passages = len(measurement.corpus.passages) if measurement.corpus else 0
    shown_files = files if measurement.corpus else 0
    return (
        f"{measurement.mode:<19} files={shown_files:<5} passages={passages:<6} seconds={measurement.seconds:6.2f} "
        f"ticks={len(measurement.lags):<5} max_lag_ms={measurement.percentile(1.0) * 1000:8.1f} "
        f"p99_lag_ms={measurement.percentile(0.99) * 1000:7.1f} p50_lag_ms={measurement.percentile(0.5) * 1000:6.2f} "
        f"next_full_gc_ms={measurement.next_full_gc * 1000:6.1f}"
    )


async def main(copies: int, chosen: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="qabot-reload-") as tmp:
        folder = Path(tmp)
        files = make_folder(folder, copies)
        print(
            f"{files} files in {folder}; tick {TICK_SECONDS * 1000:.0f} ms; Python {sys.version.split()[0]}; "
            f"switch interval {sys.getswitchinterval() * 1000:.1f} ms; {os.cpu_count()} CPUs"
        )
        service = CorpusService(folder, max_source_bytes=2_000_000)
        available = modes(service)
        for mode in chosen:
            print(report(await measure(mode, available[mode]), files), flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of the 100 articles (default 20: 2000 files)")
    parser.add_argument(
        "--modes",
        default="idle,thread,loop,thread-gcoff,thread-gcoff-freeze,thread-gcoff-freeze",
        help="comma-separated, run in order: idle, thread, loop, thread-gcoff, thread-gcoff-freeze (last: it leaves "
        "objects frozen)",
    )
    parser.add_argument(
        "--switch-ms",
        type=float,
        default=None,
        help="sys.setswitchinterval in ms (default: Python's 5 ms): how long the build thread may hold the GIL "
        "before the loop thread, waiting for it, gets a turn",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    if args.switch_ms is not None:
        sys.setswitchinterval(args.switch_ms / 1000)
    asyncio.run(main(args.copies, args.modes.split(",")))
