"""How long the feedback store takes to record a question and a vote, alone and with a second process writing.

Each write is one ``BEGIN IMMEDIATE`` … ``COMMIT`` in WAL mode with ``synchronous=NORMAL`` (what the bot does after
every answer and every 👍/👎). The bot awaits the write after the answer is sent, so this is not latency a member
sees; it bounds how many questions a second one process can record. ``p50_ms``/``p99_ms``/``max_ms`` time one
question plus one vote (a read and two transactions); ``wall_s`` includes starting the processes (about a second of
imports), so ``pairs_per_s`` understates the store's rate. Timings are wall-clock on a shared machine:
repeat a run and read the spread.

Run: ``python -m benchmarks.store_writes [--writes 2000] [--processes 1,2]``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from bot.store import QuestionRecord, SQLiteStore, UserHasher


async def _write(path: Path, worker: int, writes: int) -> list[float]:
    store = SQLiteStore(path, UserHasher(b"k" * 32))
    await store.open()
    took = []
    for i in range(writes):
        record = QuestionRecord(
            1,
            2,
            worker,
            f"question {worker}-{i}?",
            i % 3 > 0,
            None,
            ("s:1", "s:2"),
            3.0,
            message_id=worker * 10_000_000 + i,
        )
        started = time.perf_counter()
        await store.record_question(record)
        await store.record_vote(worker * 10_000_000 + i, worker, 1 if i % 2 else -1)
        took.append((time.perf_counter() - started) * 1000)
    await store.close()
    return took


def _worker(path: str, worker: int, writes: int, results) -> None:
    results.put(asyncio.run(_write(Path(path), worker, writes)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=2000, help="question+vote pairs per process")
    parser.add_argument("--processes", default="1,2")
    args = parser.parse_args()
    for count in (int(p) for p in args.processes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "store.sqlite3"
            asyncio.run(_write(path, 0, 1))  # create and migrate once, outside the timing
            results = multiprocessing.get_context("spawn").Queue()
            workers = [
                multiprocessing.get_context("spawn").Process(
                    target=_worker, args=(str(path), w + 1, args.writes, results)
                )
                for w in range(count)
            ]
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            took = [ms for _ in workers for ms in results.get()]
            for worker in workers:
                worker.join()
            seconds = time.perf_counter() - started
            took.sort()
            print(
                f"processes={count} pairs={len(took):<6} wall_s={seconds:6.2f} "
                f"p50_ms={statistics.median(took):6.2f} p99_ms={took[int(len(took) * 0.99)]:6.2f} "
                f"max_ms={took[-1]:7.2f} pairs_per_s={len(took) / seconds:7.0f}"
            )


if __name__ == "__main__":
    main()
