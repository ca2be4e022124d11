"""Question -> :class:`~retrieval.models.Answer`: answer types, abstention, ranking rules and quotes."""

from retrieval.answers.answering import answer_question

__all__ = ["answer_question"]
