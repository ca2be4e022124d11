"""Scale benchmark: build, start-up, memory and question latency at 1k..1M passages, with BM25 anchors.

For each ``--passages`` size this writes a sources folder of real English articles (the 100 BBC articles and the
48 XQuAD articles from ``../shared/data``, one file each), copied as often as needed to reach the size, each copy
lightly varied (its numbers shifted, about 3 % of its longer words given a doubled letter, so the vocabulary grows
with the library as a real archive's does). Then, each phase in a fresh process so memory figures are its own:

- ``build``: a cold build of the library (load + split + tokenize + index, and the snapshot written when the code
  has one); peak RSS and RSS after; 200 XQuAD questions through :func:`retrieval.answer_question` (ask p50/p99) and
  through the index alone (BM25 search p50, top 12); the reload of the library after one article changed (twice:
  first with the sources' units read from the unit cache, as after a restart, then, ``SETTLE_SECONDS`` later, with
  the served library's units in memory), and the event loop's worst lag while
  :class:`bot.corpus_service.CorpusService` loads the library first and then reloads it while serving;
- ``start``: start-up from the snapshot (time, RSS after) when the code has one;
- ``anchors``: on the same passage terms and the same query terms, ``rank_bm25.BM25Okapi.get_scores`` (skipped
  past ``--rank-bm25-max`` passages: it holds every passage's dict), ``bm25s`` retrieval (top 12), and a
  precomputed scipy.sparse weight matrix (column slice, sum, partial top 12); the ratio of our search to each.

Run: ``python -m benchmarks.scale --passages 1000,10000,100000``. Timings are wall-clock on a shared machine: noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ARTICLES = "data/bbc-news-summary-100/corpus/article"
XQUAD = "data/xquad-en/xquad.en.json"
QUESTIONS = 200
TOP_K = 12
_NUMBER = re.compile(r"\d+")
_LONG_WORD = re.compile(r"\b[a-z]{6,}\b")


def shared_dir() -> Path:
    return Path(os.environ.get("QABOT_SHARED_DIR", REPO.parent / "shared"))


def base_articles() -> list[tuple[str, str]]:
    """(name, text) of the 148 base articles: BBC (headline on line 1) and XQuAD (paragraphs, blank-line separated)."""
    articles = []
    for path in sorted((shared_dir() / ARTICLES).glob("*/*.txt")):
        articles.append((f"bbc-{path.parent.name}-{path.stem}", path.read_text(encoding="utf-8", errors="replace")))
    for number, article in enumerate(json.loads((shared_dir() / XQUAD).read_text(encoding="utf-8"))["data"]):
        text = article["title"] + "\n\n" + "\n\n".join(p["context"] for p in article["paragraphs"])
        articles.append((f"xquad-{number:02d}", text))
    return articles


def questions() -> list[str]:
    """200 XQuAD questions, spread evenly over the 1,190."""
    data = json.loads((shared_dir() / XQUAD).read_text(encoding="utf-8"))["data"]
    every = [qa["question"] for article in data for p in article["paragraphs"] for qa in p["qas"]]
    step = len(every) / QUESTIONS
    return [every[int(i * step)] for i in range(QUESTIONS)]


def varied(text: str, copy: int) -> str:
    """Copy ``copy`` of ``text``: numbers shifted by ``copy``, ~3 % of the longer words with a doubled letter."""
    if copy == 0:
        return text
    rng = random.Random(copy)
    text = _NUMBER.sub(lambda m: str(int(m.group()) + copy), text)
    return _LONG_WORD.sub(lambda m: m.group() if rng.random() > 0.03 else m.group()[:3] + m.group()[2:], text)


def make_folder(folder: Path, passages: int) -> int:
    """Write enough varied copies of the base articles into ``folder`` for about ``passages`` passages."""
    from retrieval.models import Source
    from retrieval.sources.splitting import split_passages

    articles = base_articles()
    per_copy = sum(
        len(split_passages(Source(id="x", file_name="x.txt", title="x", text=text, sha256=""))) for _, text in articles
    )
    copies = max(1, round(passages / per_copy))
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        for name, text in articles:
            (folder / f"c{copy:04d}-{name}.txt").write_text(varied(text, copy), encoding="utf-8")
    return copies * len(articles)


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc/self/status."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _load(folder: Path):
    """The library of ``folder`` as the bot loads it (from its snapshot when the code has one)."""
    from retrieval import corpus as corpus_module

    return corpus_module.load_corpus(folder, max_bytes=200_000_000)


def query_terms(index, question: str) -> list[str]:
    """The question's distinct index terms that occur in the library (what every scorer is given)."""
    return [t for t in dict.fromkeys(index.tokenizer.terms(question)) if index.document_frequency(t)]


def phase_build(folder: Path) -> dict:
    from retrieval.answers.answering import answer_question, prepare_for_questions

    gc.collect()
    started = time.perf_counter()
    corpus = _load(folder)
    build = time.perf_counter() - started
    prepare_for_questions(corpus)  # as the bot does beside the loop after each load and reload
    gc.collect()
    rss, peak = rss_mb()
    asks, searches = [], []
    for question in questions():
        started = time.perf_counter()
        answer_question(question, corpus)
        asks.append(time.perf_counter() - started)
        terms = query_terms(corpus.index, question)
        started = time.perf_counter()
        corpus.index.search(terms, k=TOP_K)
        searches.append(time.perf_counter() - started)
    passages = len(corpus.passages)
    del corpus
    gc.collect()
    lag_idle, lag_first, lag_reload, reload_seconds, lag_again, again_seconds = asyncio.run(_reload_lags(folder))
    return {
        "passages": passages,
        "build_s": build,
        "rss_mb": rss,
        "peak_mb": peak,
        "ask_p50_ms": 1000 * percentile(asks, 0.5),
        "ask_p99_ms": 1000 * percentile(asks, 0.99),
        "search_p50_ms": 1000 * percentile(searches, 0.5),
        "reload_one_changed_s": reload_seconds,
        "reload_again_s": again_seconds,
        "lag_again_ms": 1000 * lag_again,
        "lag_idle_ms": 1000 * lag_idle,
        "lag_first_ms": 1000 * lag_first,
        "lag_reload_ms": 1000 * lag_reload,
        "peak_after_reload_mb": rss_mb()[1],
    }


async def _reload_lags(folder: Path) -> tuple[float, float, float, float, float, float]:
    """Worst event-loop lag with nothing to do (the machine's noise), while the service loads ``folder`` first,
    then while it reloads it after one article changed (the sources' units read from the unit cache, as after a
    restart), and again after another change (the units of the served library in memory); the reloads' wall
    times (until the new library serves; its snapshot is saved after)."""
    from bot.corpus_service import CorpusService

    service = CorpusService(folder, max_source_bytes=200_000_000)

    async def worst_lag(work) -> tuple[float, float]:
        lags: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            loop = asyncio.get_running_loop()
            while not stop.is_set():
                expected = loop.time() + 0.005
                await asyncio.sleep(0.005)
                lags.append(max(0.0, loop.time() - expected))

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.05)
        lags.clear()
        started = time.perf_counter()
        report = await work()
        # A reload's own time (until the new library serves; the snapshot is saved after), else the wall time.
        seconds = getattr(report, "seconds", time.perf_counter() - started)
        await asyncio.sleep(0.5)  # what the swap leaves behind (freeing, collections) lands here
        stop.set()
        await task
        return max(lags, default=0.0), seconds

    idle, _ = await worst_lag(lambda: asyncio.sleep(1.0))
    first, _ = await worst_lag(service.reload)
    changed = sorted(folder.glob("*.txt"))[0]
    original = changed.read_text(encoding="utf-8")
    from retrieval.corpus import snapshot_path

    snapshots = [path for path in [snapshot_path(folder)] if path.is_file()]
    kept = {path: path.read_bytes() for path in snapshots}  # the snapshot of the unchanged folder, for phase "start"
    changed.write_text(original + "\n\nA paragraph added by the scale benchmark.\n", encoding="utf-8")
    try:
        again, seconds = await worst_lag(service.reload)
        # As between two moderators' edits: the worker writes the unit and sources caches after it answered, and a
        # reload that comes before they are written waits for them (1-1.5 s at 84k passages).
        await asyncio.sleep(SETTLE_SECONDS)
        changed.write_text(original + "\n\nTwo paragraphs added by the scale benchmark.\n", encoding="utf-8")
        third, third_seconds = await worst_lag(service.reload)
    finally:
        changed.write_text(original, encoding="utf-8")
        for path, data in kept.items():
            path.write_bytes(data)
    return idle, first, again, seconds, third, third_seconds


SETTLE_SECONDS = 10.0
"""Pause between the two reloads of the reload phase."""


def phase_start(folder: Path) -> dict:
    from retrieval import corpus as corpus_module

    if not hasattr(corpus_module, "save_snapshot"):
        return {}
    started = time.perf_counter()
    corpus = _load(folder)
    seconds = time.perf_counter() - started
    gc.collect()
    rss, _ = rss_mb()
    return {"start_s": seconds, "start_rss_mb": rss, "start_passages": len(corpus.passages)}


def phase_anchors(folder: Path, rank_bm25_max: int) -> dict:
    import bm25s
    import numpy as np
    import scipy.sparse as sp
    from rank_bm25 import BM25Okapi

    corpus = _load(folder)
    index = corpus.index
    passage_terms = [index.passage_terms_of(p) for p in corpus.passages]
    queries = [query_terms(index, q) for q in questions()]
    queries = [q for q in queries if q]
    results: dict[str, float] = {}

    def time_each(run) -> float:
        times = []
        for q in queries:
            started = time.perf_counter()
            run(q)
            times.append(time.perf_counter() - started)
        return 1000 * percentile(times, 0.5)

    results["ours_ms"] = time_each(lambda q: index.search(q, k=TOP_K))

    # scipy.sparse: BM25 weights (our IDF) precomputed per (passage, term), columns summed for the query's terms.
    vocabulary = {t: i for i, t in enumerate(dict.fromkeys(t for terms in passage_terms for t in terms))}
    rows, cols, counts = [], [], []
    for row, terms in enumerate(passage_terms):
        for term, count in _counts(terms).items():
            rows.append(row)
            cols.append(vocabulary[term])
            counts.append(count)
    tf = np.asarray(counts, dtype=np.float64)
    lengths = np.asarray([len(t) for t in passage_terms], dtype=np.float64)
    avgdl = lengths.mean()
    idf = np.asarray([index.idf(t) for t in vocabulary])
    cols_a, rows_a = np.asarray(cols), np.asarray(rows)
    weights = idf[cols_a] * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * lengths[rows_a] / avgdl))
    matrix = sp.csc_matrix((weights, (rows_a, cols_a)), shape=(len(passage_terms), len(vocabulary)))

    def sparse_top(q: list[str]) -> None:
        scores = np.asarray(matrix[:, [vocabulary[t] for t in q]].sum(axis=1)).ravel()
        np.argpartition(-scores, min(TOP_K, len(scores) - 1))[:TOP_K]

    results["scipy_ms"] = time_each(sparse_top)

    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    tokenized = bm25s.tokenization.Tokenized(
        ids=[[vocabulary[t] for t in terms] for terms in passage_terms], vocab=vocabulary
    )
    retriever.index(tokenized, show_progress=False)
    results["bm25s_ms"] = time_each(
        lambda q: retriever.retrieve(
            bm25s.tokenization.Tokenized(ids=[[vocabulary[t] for t in q]], vocab=vocabulary),
            k=min(TOP_K, len(passage_terms)),
            show_progress=False,
            n_threads=1,
        )
    )

    if len(passage_terms) <= rank_bm25_max:
        okapi = BM25Okapi(passage_terms, k1=1.2, b=0.75)
        okapi.idf = {t: index.idf(t) for t in vocabulary}
        results["rank_bm25_ms"] = time_each(
            lambda q: np.argpartition(-okapi.get_scores(q), min(TOP_K, len(passage_terms) - 1))[:TOP_K]
        )
    return results


def _counts(terms: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return counts


def run_phase(phase: str, folder: Path, extra: list[str]) -> dict:
    """Run one phase in a fresh Python process and return what it printed (one JSON line)."""
    command = [sys.executable, "-m", "benchmarks.scale", "--phase", phase, "--folder", str(folder), *extra]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"phase {phase} failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    def cell(row: dict, key: str, fmt: str) -> str:
        return format(row[key], fmt) if key in row else "-"

    def ratio(row: dict, key: str) -> str:
        return f"{row['ours_ms'] / row[key]:.2f}" if key in row and row.get(key) else "-"

    lines = [
        "| passages | build s | start s | peak RSS MB | RSS after build MB | RSS after start MB | ask p50 / p99 ms "
        "| search p50 ms | rank_bm25 ms (ours/it) | bm25s ms (ours/it) | scipy ms (ours/it) "
        "| reload 1 changed s (units from cache / in memory) | loop lag idle / first / reload / reload ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['passages']:,} | {row['build_s']:.1f} | {cell(row, 'start_s', '.2f')} | {row['peak_mb']:,.0f} "
            f"| {row['rss_mb']:,.0f} | {cell(row, 'start_rss_mb', ',.0f')} "
            f"| {row['ask_p50_ms']:.1f} / {row['ask_p99_ms']:.1f} | {row['search_p50_ms']:.2f} "
            f"| {cell(row, 'rank_bm25_ms', '.2f')} ({ratio(row, 'rank_bm25_ms')}) "
            f"| {cell(row, 'bm25s_ms', '.2f')} ({ratio(row, 'bm25s_ms')}) "
            f"| {cell(row, 'scipy_ms', '.2f')} ({ratio(row, 'scipy_ms')}) "
            f"| {row['reload_one_changed_s']:.2f} / {cell(row, 'reload_again_s', '.2f')} "
            f"| {cell(row, 'lag_idle_ms', '.0f')} / {row['lag_first_ms']:.0f} "
            f"/ {row['lag_reload_ms']:.0f} / {cell(row, 'lag_again_ms', '.0f')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", default="1000,10000,100000", help="comma-separated library sizes")
    parser.add_argument("--rank-bm25-max", type=int, default=150_000, help="largest size rank_bm25 is timed at")
    parser.add_argument("--keep", type=Path, default=None, help="write the folders here and keep them")
    parser.add_argument("--phase", choices=["build", "start", "anchors"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from retrieval.memory import use_small_pages

    use_small_pages()  # as qabot's own process does (bot.cli.main)
    if args.phase:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        handlers = {
            "build": lambda: phase_build(args.folder),
            "start": lambda: phase_start(args.folder),
            "anchors": lambda: phase_anchors(args.folder, args.rank_bm25_max),
        }
        print(json.dumps(handlers[args.phase]()))
        return
    rows = []
    if args.keep is not None:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.passages.split(",")):
        root = Path(tempfile.mkdtemp(prefix="qabot-scale-", dir=args.keep))
        try:
            folder = root / "sources"
            files = make_folder(folder, size)
            row = run_phase("build", folder, [])
            row |= run_phase("start", folder, [])
            row |= run_phase("anchors", folder, ["--rank-bm25-max", str(args.rank_bm25_max)])
            row["files"] = files
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        finally:
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {QUESTIONS} XQuAD questions; top {TOP_K}")
    print(table(rows))


if __name__ == "__main__":
    main()
