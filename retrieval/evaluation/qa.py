"""Evaluate answers on a JSONL file of questions: ``{"question", "answers": [str], "answerable": bool}`` a line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from retrieval.answering import answer_question
from retrieval.corpus import Corpus
from retrieval.errors import RetrievalError
from retrieval.evaluation.metrics import QaMetrics, QaOutcome, first_hit_rank, qa_metrics


class EvalFileError(RetrievalError):
    """An evaluation file that cannot be read; names the file and line."""

    def __init__(self, file: Path | str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = Path(file), line, reason
        where = f"{self.file}:{line}" if line else str(self.file)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class QaCase:
    question: str
    answers: tuple[str, ...]
    answerable: bool


def read_qa_cases(path: Path | str) -> list[QaCase]:
    """Read a JSONL question file. Blank lines are skipped.

    Raises
    ------
    EvalFileError
        The file is missing, or a line is not a JSON object with a non-empty ``question``, a list of string
        ``answers`` and, optionally, a boolean ``answerable`` (default: true when answers are given).
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalFileError(path, None, f"cannot be read ({error})") from None
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError(path, number, f"not JSON ({error.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("question"), str) or not row["question"].strip():
            raise EvalFileError(path, number, 'each line needs an object with a non-empty "question" string')
        answers = row.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise EvalFileError(path, number, '"answers" must be a list of strings')
        answerable = row.get("answerable", bool(answers))
        if not isinstance(answerable, bool):
            raise EvalFileError(path, number, '"answerable" must be true or false')
        if answerable and not answers:
            raise EvalFileError(path, number, 'an answerable question needs at least one string in "answers"')
        cases.append(QaCase(row["question"], tuple(answers), answerable))
    if not cases:
        raise EvalFileError(path, None, "holds no questions")
    return cases


def evaluate_qa(cases: list[QaCase], corpus: Corpus) -> tuple[QaMetrics, list[QaOutcome]]:
    """Answer every case from ``corpus``; return the metrics and one outcome a case, in order."""
    outcomes = []
    for case in cases:
        answer = answer_question(case.question, corpus)
        quotes = tuple(hit.passage.text for hit in answer.hits)
        outcomes.append(
            QaOutcome(
                question=case.question,
                answerable=case.answerable,
                quotes=quotes,
                first_hit_rank=first_hit_rank(quotes, case.answers) if case.answerable else None,
                not_covered_reason=answer.not_covered_reason,
            )
        )
    return qa_metrics(outcomes), outcomes
