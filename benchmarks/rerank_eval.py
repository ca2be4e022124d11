"""Quality and latency of the semantic re-ranker (:mod:`retrieval.reranking`) against BM25 alone.

For each configuration, on the seed article's dev questions (``eval/seed-dev.jsonl`` over ``seeds/``) and on
XQuAD-en (each article indexed alone, as ``qabot eval --squad`` does), prints the metrics of ``qabot eval`` plus the
mean and 95th-percentile time to answer one seed question once the model and the passage embeddings are warm, and
the time of the first call (model load + embedding the candidates).

Run: ``python -m benchmarks.rerank_eval [--configs bm25,dense,interp:0.3,rrf:60] [--depth 20] [--no-squad]``.
A configuration is ``bm25`` (no re-ranker), ``dense`` (cosine alone over the candidates), ``interp:W`` (cosine
weight W) or ``rrf:K``. Shared material is found at ``../shared`` beside the checkout, or ``QABOT_SHARED_DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import time
from pathlib import Path

from retrieval.answering import answer_question
from retrieval.corpus import Corpus, load_corpus
from retrieval.embedding import SentenceEncoder
from retrieval.evaluation import contains_answer, qa_metrics, read_qa_cases
from retrieval.evaluation.metrics import QaOutcome, first_hit_rank
from retrieval.evaluation.squad import read_squad
from retrieval.models import Source
from retrieval.reranking import SemanticReranker

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("QABOT_SHARED_DIR", REPO.parent / "shared"))


def reranker_for(config: str, depth: int, encoder: SentenceEncoder) -> SemanticReranker | None:
    name, _, value = config.partition(":")
    if name == "bm25":
        return None
    if name == "dense":
        return SemanticReranker(method="dense", depth=depth, encoder=encoder)
    if name == "interp":
        return SemanticReranker(method="interpolate", weight=float(value), depth=depth, encoder=encoder)
    if name == "rrf":
        return SemanticReranker(method="rrf", rrf_k=float(value or 60), depth=depth, encoder=encoder)
    raise SystemExit(f"unknown configuration {config!r}: use bm25, dense, interp:W or rrf:K")


def seed_eval(corpus: Corpus, reranker: SemanticReranker | None) -> tuple[object, list[float]]:
    outcomes, times = [], []
    for case in read_qa_cases(SHARED / "eval" / "seed-dev.jsonl"):
        start = time.perf_counter()
        answer = answer_question(case.question, corpus, reranker=reranker)
        times.append(time.perf_counter() - start)
        quotes = tuple(hit.passage.text for hit in answer.hits)
        rank = first_hit_rank(quotes, case.answers) if case.answerable else None
        outcomes.append(QaOutcome(case.question, case.answerable, quotes, rank, answer.not_covered_reason))
    return qa_metrics(outcomes), times


def squad_eval(articles: list[dict], reranker: SemanticReranker | None) -> dict[str, float]:
    answerable = para1 = para3 = answer1 = false_abstain = 0
    for number, article in enumerate(articles, start=1):
        contexts = [re.sub(r"\n\s*\n", "\n", p["context"]).strip() for p in article["paragraphs"]]
        text = "\n\n".join(contexts)
        source = Source(
            id=f"squad-{number}", file_name=f"{number}.txt", title=str(article.get("title", number)), text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )  # fmt: skip
        corpus = Corpus.build([source])
        for gold, paragraph in enumerate(article["paragraphs"], start=1):
            for qa in paragraph.get("qas", []):
                if qa.get("is_impossible"):
                    continue
                answer = answer_question(qa["question"], corpus, reranker=reranker)
                quoted = [hit.passage.paragraph for hit in answer.hits]
                answerable += 1
                false_abstain += not answer.hits
                para1 += quoted[:1] == [gold]
                para3 += gold in quoted[:3]
                answer1 += bool(answer.hits) and contains_answer(
                    answer.hits[0].passage.text, [a["text"] for a in qa.get("answers", [])]
                )
    return {
        "para@1": para1 / answerable,
        "para@3": para3 / answerable,
        "answer@1": answer1 / answerable,
        "false_abstain": false_abstain / answerable,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="bm25,dense,interp:0.3,interp:0.5,rrf:60")
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--no-squad", action="store_true")
    args = parser.parse_args()
    encoder = SentenceEncoder()
    articles = [] if args.no_squad else read_squad(SHARED / "data" / "xquad-en" / "xquad.en.json")
    print(
        "config       | seed hit@1 hit@3 MRR@3 abst.rec f.abst | ms mean p95 first | xquad para@1 para@3 ans@1 f.abst"
    )
    for config in args.configs.split(","):
        reranker = reranker_for(config, args.depth, encoder)
        corpus = load_corpus(REPO / "seeds")
        start = time.perf_counter()
        answer_question("How long did Trump and Sheinbaum talk?", corpus, reranker=reranker)
        first = time.perf_counter() - start
        seed_eval(corpus, reranker)  # warm: every candidate passage embedded
        metrics, times = seed_eval(corpus, reranker)
        mean_ms = 1000 * statistics.mean(times)
        p95_ms = 1000 * sorted(times)[int(0.95 * (len(times) - 1))]
        line = (
            f"{config:12} | {metrics.hit_at_1:10.3f} {metrics.hit_at_3:5.3f} {metrics.mrr_at_3:5.3f} "
            f"{metrics.abstain_recall:8.2f} {metrics.false_abstain_rate:6.2f} | {mean_ms:7.1f} {p95_ms:4.0f} "
            f"{1000 * first:5.0f} |"
        )
        if articles:
            squad = squad_eval(articles, reranker)
            line += " " + " ".join(f"{squad[name]:.3f}" for name in ("para@1", "para@3", "answer@1", "false_abstain"))
        print(line, flush=True)


if __name__ == "__main__":
    main()
