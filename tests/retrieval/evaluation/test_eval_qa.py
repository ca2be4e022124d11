"""Reading JSONL question files: the optional question cleaner and what it refuses."""

from __future__ import annotations

import json

import pytest

from retrieval.evaluation.files import EvalFileError
from retrieval.evaluation.qa import read_qa_cases


def drop_hashes(question: str) -> str:
    """A stand-in cleaner: drops words starting with '#'."""
    return " ".join(word for word in question.split() if not word.startswith("#"))


def cases_file(tmp_path, *questions: str):
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps({"question": q, "answers": ["x"]}) + "\n" for q in questions), "utf-8")
    return path


def test_questions_are_read_as_written_without_a_cleaner(tmp_path):
    """With no cleaner, a case's question is the file's string unchanged."""
    (case,) = read_qa_cases(cases_file(tmp_path, "#tag  Who led?"))
    assert case.question == "#tag  Who led?"


def test_the_cleaner_gives_the_question_that_is_asked(tmp_path):
    """With a cleaner, each case holds the cleaned question, the one the engine is asked."""
    (case,) = read_qa_cases(cases_file(tmp_path, "#tag  Who led?"), clean=drop_hashes)
    assert case.question == "Who led?"


def test_a_question_empty_once_cleaned_is_refused_with_its_line(tmp_path):
    """A question the cleaner leaves empty could not be asked: the file is refused, naming the line."""
    path = cases_file(tmp_path, "Who led?", "#only #tags")
    with pytest.raises(EvalFileError, match=r"cases\.jsonl:2: the question '#only #tags' is empty once cleaned"):
        read_qa_cases(path, clean=drop_hashes)
