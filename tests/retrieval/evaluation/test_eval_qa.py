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


def test_a_quote_from_another_article_is_not_a_hit(tmp_path):
    """With "sources", a quote holding the answer words from an article the case does not name is a miss."""
    from retrieval.corpus import Corpus
    from retrieval.evaluation.qa import evaluate_qa
    from retrieval.models import Source

    def source(source_id: str, text: str) -> Source:
        return Source(id=source_id, file_name=f"{source_id}.txt", title=source_id, text=text, sha256=source_id)

    corpus = Corpus.build([source("a", "The mill cut 90 jobs in March."), source("b", "Weather was fine.")])
    path = tmp_path / "cases.jsonl"
    rows = [
        {"question": "How many jobs did the mill cut?", "answers": ["90 jobs"], "sources": ["b"]},
        {"question": "How many jobs did the mill cut?", "answers": ["90 jobs"], "sources": ["A"]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    _metrics, outcomes = evaluate_qa(read_qa_cases(path), corpus)
    assert [o.first_hit_rank for o in outcomes] == [None, 1]


def test_sources_must_be_a_list_of_ids(tmp_path):
    """A "sources" value that is not a list of ids is refused, naming the line."""
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"question": "Who?", "answers": ["x"], "sources": "a"}) + "\n", "utf-8")
    with pytest.raises(EvalFileError, match=r"cases\.jsonl:1: \"sources\" must be a list of source ids"):
        read_qa_cases(path)
