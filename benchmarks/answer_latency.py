"""Latency of answer_question on the seed article after the corpus is built, with every stage on.

    python -m benchmarks.answer_latency [--rounds N]

Asks every question of ../shared/eval/seed-natural-dev.jsonl and seed-dev.jsonl ``--rounds`` times (the first round
warms the question-vector cache, so it is timed apart) and prints p50/p99 in milliseconds. Whether the dense leg and
WordNet were on is printed too: the numbers mean nothing without it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from retrieval.answers.answering import answer_question
from retrieval.corpus import load_corpus
from retrieval.evaluation.qa import read_qa_cases
from retrieval.text.lexicon import default_lexicon

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = load_corpus(REPO / "seeds")
    built = time.perf_counter() - started
    questions = [
        case.question
        for name in ("seed-natural-dev", "seed-dev")
        for case in read_qa_cases(SHARED / "eval" / f"{name}.jsonl")
    ]
    print(
        f"seed: {len(corpus.passages)} passages, built in {built:.2f} s; dense vectors "
        f"{'on' if corpus.dense else 'off'}; WordNet {'on' if default_lexicon() else 'off'}; {len(questions)} questions"
    )
    for round_number in range(args.rounds):
        times = []
        for question in questions:
            start = time.perf_counter()
            answer_question(question, corpus)
            times.append((time.perf_counter() - start) * 1000)
        label = "first (cold question vectors)" if round_number == 0 else f"round {round_number + 1}"
        print(
            f"{label:32} p50 {statistics.median(times):6.1f} ms   p99 {percentile(times, 0.99):6.1f} ms   "
            f"max {max(times):6.1f} ms"
        )


if __name__ == "__main__":
    main()
