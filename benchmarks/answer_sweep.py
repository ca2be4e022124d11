"""Sweep the answer pipeline's fusion and abstention settings over the dev question sets, in one process.

    python -m benchmarks.answer_sweep [--squad] [--set NAME=VALUE ...] [--grid NAME=V1,V2,...]

Each corpus is built once (its sentence vectors are computed once); each setting then re-answers every question.
Question sets: ../shared/eval/seed-natural-dev, seed-dev, bbc60-natural-dev (the BBC folder is laid out by
../shared/eval/make-bbc-folder.sh into a temporary folder), benchmarks/seed-extra, seed-offtopic,
seed-offtopic-typed and seed-followups, benchmarks/bbc40-natural (ours: questions typed as on Discord about BBC
articles 001-008 of each topic, asked of articles 001-020); with --squad, XQuAD-en too (each article indexed alone;
slow: its 240 paragraphs are encoded once).
Settings are module constants of retrieval.answers.answering. Choose on these dev sets; held-back sets judge.
"""

from __future__ import annotations

import argparse
import atexit
import itertools
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import retrieval.answers.answering as answering
from retrieval.corpus import Corpus, load_corpus
from retrieval.evaluation.qa import evaluate_qa, read_qa_cases
from retrieval.evaluation.squad import evaluate_squad, read_squad

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def _temporary_folder(prefix: str) -> Path:
    """A folder under the system's temporary folder, removed with its snapshot cache when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    cache = folder.parent / ".qabot-cache" / folder.name  # where load_corpus saves its snapshot
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def question_sets() -> list[tuple[str, Path, Corpus]]:
    seed = load_corpus(REPO / "seeds")
    bbc = _temporary_folder("qabot-bbc60-")
    subprocess.run(["bash", str(SHARED / "eval" / "make-bbc-folder.sh"), str(bbc)], check=True, capture_output=True)
    bbc_corpus = load_corpus(bbc)
    bbc100 = _temporary_folder("qabot-bbc100-")
    subprocess.run(
        ["bash", str(SHARED / "eval" / "make-bbc-folder.sh"), str(bbc100), "1", "20"], check=True, capture_output=True
    )
    return [
        ("natural", SHARED / "eval" / "seed-natural-dev.jsonl", seed),
        ("seed-dev", SHARED / "eval" / "seed-dev.jsonl", seed),
        ("extra", REPO / "benchmarks" / "seed-extra.jsonl", seed),
        ("offtopic", REPO / "benchmarks" / "seed-offtopic.jsonl", seed),
        ("offtopic-typed", REPO / "benchmarks" / "seed-offtopic-typed.jsonl", seed),
        ("followups", REPO / "benchmarks" / "seed-followups.jsonl", seed),
        ("bbc60", SHARED / "eval" / "bbc60-natural-dev.jsonl", bbc_corpus),
        ("bbc40", REPO / "benchmarks" / "bbc40-natural.jsonl", load_corpus(bbc100)),
    ]


def run(sets, squad_articles) -> dict[str, str]:
    row = {}
    for name, path, corpus in sets:
        metrics, _ = evaluate_qa(read_qa_cases(path), corpus)
        parts = []
        if metrics.hit_at_1 is not None:
            parts.append(f"{metrics.hit_at_1:.3f}/{metrics.hit_at_3:.3f} fa={metrics.false_abstain_rate:.3f}")
        if metrics.abstain_recall is not None:
            parts.append(f"ab={metrics.abstain_recall:.2f}")
        row[name] = " ".join(parts)
    if squad_articles is not None:
        metrics, _ = evaluate_squad(squad_articles)
        row["xquad"] = f"{metrics.paragraph_hit_at_1:.3f} fa={metrics.false_abstain_rate:.3f}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", action="store_true")
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE, fixed for the whole sweep")
    parser.add_argument("--grid", action="append", default=[], help="NAME=V1,V2,... swept (cartesian product)")
    args = parser.parse_args()
    for item in args.set:
        name, value = item.split("=", 1)
        setattr(answering, name, json.loads(value))
    grid = [(name, [json.loads(v) for v in values.split(",")]) for name, values in (g.split("=", 1) for g in args.grid)]
    sets = question_sets()
    squad = read_squad(SHARED / "data" / "xquad-en" / "xquad.en.json") if args.squad else None
    for values in itertools.product(*(v for _, v in grid)) if grid else [()]:
        for (name, _), value in zip(grid, values, strict=True):
            setattr(answering, name, value)
        setting = " ".join(f"{name}={value}" for (name, _), value in zip(grid, values, strict=True)) or "defaults"
        row = run(sets, squad)
        print(setting.ljust(40), " | ".join(f"{k} {v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
