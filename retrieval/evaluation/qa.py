"""Evaluate answers on a JSONL file of questions: ``{"question", "answers": [str], "answerable": bool}`` a line,
optionally with ``"after"``, the question it follows up (as a reply to the bot's answer), and ``"sources": [source
id]``, the articles whose passages answer it: then a quote counts as a hit only when it is from one of them and
holds an answer string (a folder of many articles can say the same words twice)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus
from retrieval.evaluation.files import EvalFileError, empty_once_cleaned, jsonl_objects
from retrieval.evaluation.metrics import QaMetrics, QaOutcome, first_hit_rank, qa_metrics


@dataclass(frozen=True)
class QaCase:
    question: str
    answers: tuple[str, ...]
    answerable: bool
    sources: tuple[str, ...] = ()
    """Source ids a hit must come from; empty: any source."""
    after: str | None = None
    """The question this one follows up (a reply to the bot's answer); None: a new question."""


def read_qa_cases(path: Path | str, *, clean: Callable[[str], str] | None = None) -> list[QaCase]:
    """Read a JSONL question file. Blank lines are skipped.

    Parameters
    ----------
    clean
        Applied to each question before it is stored, so that the evaluation asks what a user's question becomes
        (the console passes the cleaner the bot applies to every question). None: as written.

    Raises
    ------
    EvalFileError
        The file is missing, or a line is not a JSON object with a non-empty ``question`` (non-empty after
        ``clean`` too), a list of non-blank string ``answers`` and, optionally, a boolean ``answerable`` (default:
        true when answers are given).
    """
    path = Path(path)
    cases = []
    for number, row in jsonl_objects(path, 'a non-empty "question" string'):
        if not isinstance(row.get("question"), str) or not row["question"].strip():
            raise EvalFileError(path, number, 'each line needs an object with a non-empty "question" string')
        question = clean(row["question"]) if clean else row["question"]
        if not question.strip():
            raise EvalFileError(path, number, empty_once_cleaned(row["question"]))
        answers = row.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise EvalFileError(path, number, '"answers" must be a list of strings')
        if any(not a.strip() for a in answers):
            # contains_answer skips a blank answer (every quote contains ""), so the line would silently never hit.
            raise EvalFileError(path, number, '"answers" holds an empty string, which no quote can be checked against')
        answerable = row.get("answerable", bool(answers))
        if not isinstance(answerable, bool):
            raise EvalFileError(path, number, '"answerable" must be true or false')
        if answerable and not answers:
            raise EvalFileError(path, number, 'an answerable question needs at least one string in "answers"')
        sources = row.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
            raise EvalFileError(path, number, '"sources" must be a list of source ids')
        after = row.get("after")
        if after is not None and (not isinstance(after, str) or not after.strip()):
            raise EvalFileError(path, number, '"after" must be the previous question, a non-empty string')
        if after is not None and clean:
            after = clean(after)
        cases.append(QaCase(question, tuple(answers), answerable, tuple(s.strip().lower() for s in sources), after))
    if not cases:
        raise EvalFileError(path, None, "holds no questions")
    return cases


def evaluate_qa(cases: list[QaCase], corpus: Corpus) -> tuple[QaMetrics, list[QaOutcome]]:
    """Answer every case from ``corpus``; return the metrics and one outcome a case, in order."""
    outcomes = []
    for case in cases:
        answer = answer_question(case.question, corpus, previous=case.after)
        quotes = tuple(hit.passage.text for hit in answer.hits)
        # A quote from another article than the case names cannot be a hit, whatever words it shares.
        checked = tuple(
            hit.passage.text if not case.sources or hit.passage.source_id in case.sources else "" for hit in answer.hits
        )
        outcomes.append(
            QaOutcome(
                question=case.question,
                answerable=case.answerable,
                quotes=quotes,
                first_hit_rank=first_hit_rank(checked, case.answers) if case.answerable else None,
                not_covered_reason=answer.not_covered_reason,
            )
        )
    return qa_metrics(outcomes), outcomes
