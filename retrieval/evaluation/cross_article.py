"""Abstention on questions the sources cannot answer: SQuAD-format questions asked of a *different* article.

XQuAD has no unanswerable questions, so alone it only measures false abstentions. Asking each article's questions
of the next article (indexed alone, as :func:`retrieval.evaluation.squad.evaluate_squad` does) gives as many
questions that the indexed article almost surely cannot answer, in the same style; the share of them that still
get a quote is the false-answer rate. The abstention thresholds in :mod:`retrieval.answers.answering` are chosen on the
pair: false abstentions on the real article, false answers on the other one.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus
from retrieval.evaluation.squad import source_for_article


@dataclass(frozen=True)
class CrossArticleMetrics:
    """``answered_rate``: share, in [0, 1], of questions that got at least one quote from the wrong article
    (lower is better); None when there are no questions."""

    articles: int
    questions: int
    answered: int
    answered_rate: float | None


def evaluate_cross_article(articles: list[dict]) -> CrossArticleMetrics:
    """Ask article ``i``'s questions of article ``i + 1`` (the last of the first); count those answered.

    ``articles`` is the ``data`` list of a SQuAD file (:func:`retrieval.evaluation.squad.read_squad`). Fewer than
    two articles give zero questions.
    """
    questions = answered = 0
    if len(articles) >= 2:
        for number, article in enumerate(articles, start=1):
            other = articles[number % len(articles)]
            corpus = Corpus.build([source_for_article(other, number % len(articles) + 1)])
            for paragraph in article["paragraphs"]:
                for qa in paragraph.get("qas", []):
                    questions += 1
                    answered += bool(answer_question(qa["question"], corpus).hits)
    return CrossArticleMetrics(
        articles=len(articles),
        questions=questions,
        answered=answered,
        answered_rate=answered / questions if questions else None,
    )
