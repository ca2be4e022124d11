"""Evaluation: question answering on JSONL or SQuAD files, and summaries against references (ROUGE)."""

from retrieval.evaluation.cross_article import CrossArticleMetrics, evaluate_cross_article
from retrieval.evaluation.metrics import (
    QaMetrics,
    QaOutcome,
    contains_answer,
    normalize_for_match,
    qa_metrics,
)
from retrieval.evaluation.qa import QaCase, evaluate_qa, read_qa_cases
from retrieval.evaluation.squad import SquadMetrics, evaluate_squad
from retrieval.evaluation.summary import SummaryCase, SummaryEvalReport, evaluate_summaries, read_summary_cases

__all__ = [
    "CrossArticleMetrics",
    "QaCase",
    "QaMetrics",
    "QaOutcome",
    "SquadMetrics",
    "SummaryCase",
    "SummaryEvalReport",
    "contains_answer",
    "evaluate_cross_article",
    "evaluate_qa",
    "evaluate_squad",
    "evaluate_summaries",
    "normalize_for_match",
    "qa_metrics",
    "read_qa_cases",
    "read_summary_cases",
]
