"""How the time to answer grows with one very long word, as typed into ``qabot ask -`` or pasted into ``/ask``.

A question of one word of N letters (none of them in the sources) is answered on the seed article; each size is run
``--repeat`` times and the best time is printed with its ratio to the previous size. Linear cost keeps the ratio near
the size ratio (4x per row by default) or below it (fixed costs); quadratic cost makes it near its square. Two causes
were found and bounded: the vocabulary's compound look-up (256 Ki letters took 7-12 s, 1 Mi letters about 106 s) and
the dense encoder's tokenizer (64 Ki letters: 270 s), see ``retrieval.search.dense.MAX_WORD_CHARS``. Dense vectors are
on unless ``QABOT_DENSE=off``, as for a user.

Run: ``python -m benchmarks.long_question [--sizes 65536,262144,1048576] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # also runnable as ``python benchmarks/long_question.py``
    sys.path.insert(0, str(REPO))

from bot.replies import reply_to_question  # noqa: E402
from retrieval.corpus import load_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="65536,262144,1048576", help="comma-separated word lengths")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = load_corpus(REPO / "seeds")
    reply_to_question("warm up", corpus)
    previous = None
    print(f"{'letters':>10} {'best_s':>8} {'ratio':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        question = "q" * size
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            reply_to_question(question, corpus)
            times.append(time.perf_counter() - start)
        best = min(times)
        ratio = f"{best / previous:6.1f}" if previous else f"{'':>6}"
        print(f"{size:>10} {best:8.3f} {ratio}")
        previous = best


if __name__ == "__main__":
    main()
