"""Reading SQuAD-format eval files: what is refused, naming where, so no question silently counts as a miss."""

from __future__ import annotations

import json

import pytest

from retrieval.evaluation.files import EvalFileError
from retrieval.evaluation.squad import evaluate_squad, read_squad

CONTEXT = "The cat sat on the mat."


def squad_file(tmp_path, *qas: dict):
    path = tmp_path / "squad.json"
    article = {"title": "T", "paragraphs": [{"context": CONTEXT, "qas": list(qas)}]}
    path.write_text(json.dumps({"data": [article]}), encoding="utf-8")
    return path


def ok(question: str = "Where did the cat sit?") -> dict:
    return {"id": "ok", "question": question, "answers": [{"text": "the mat", "answer_start": 15}]}


@pytest.mark.parametrize(
    "qa",
    [
        {"id": "1", "question": "Where did the cat sit?"},
        {"id": "1", "question": "Where did the cat sit?", "answers": []},
        {"id": "1", "question": "Where did the cat sit?", "answers": [], "is_impossible": False},
    ],
    ids=["no answers key", "empty answers", "empty answers, is_impossible false"],
)
def test_an_answerable_question_without_answers_is_refused(tmp_path, qa):
    """A question not marked is_impossible but with no answer could never hit; the file is refused, naming it."""
    with pytest.raises(EvalFileError, match=r"article 1, paragraph 1, question 2: an answerable question"):
        read_squad(squad_file(tmp_path, ok(), qa))


def test_a_blank_answer_text_is_refused(tmp_path):
    """An answer text of spaces can be checked against no quote: refused, naming article, paragraph and question."""
    blank = {"id": "1", "question": "Where?", "answers": [{"text": "the mat"}, {"text": "  ", "answer_start": 0}]}
    with pytest.raises(EvalFileError, match=r"article 1, paragraph 1, question 1: .*empty"):
        read_squad(squad_file(tmp_path, blank))


def test_an_unanswerable_question_needs_no_answers(tmp_path):
    """SQuAD 2.0 marks unanswerable questions is_impossible with an empty answers list: still accepted."""
    impossible = {"id": "2", "question": "Who won the war?", "answers": [], "is_impossible": True}
    metrics, _ = evaluate_squad(read_squad(squad_file(tmp_path, ok(), impossible)))
    assert (metrics.questions, metrics.unanswerable, metrics.answer_hit_at_1) == (2, 1, 1.0)


def test_a_file_with_no_questions_is_refused(tmp_path):
    """Articles whose paragraphs hold no questions give nothing to measure: an error, not all-n/a metrics."""
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"data": [{"title": "T", "paragraphs": [{"context": CONTEXT}]}]}), encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"squad\.json: holds no questions"):
        read_squad(path)


def drop_hashes(question: str) -> str:
    """A stand-in cleaner: drops words starting with '#'."""
    return " ".join(word for word in question.split() if not word.startswith("#"))


def test_the_cleaner_gives_the_question_that_is_asked(tmp_path):
    """With a cleaner, each question is replaced by its cleaned form, which evaluate_squad then asks."""
    (article,) = read_squad(squad_file(tmp_path, ok("#tag Where did the cat sit?")), clean=drop_hashes)
    assert article["paragraphs"][0]["qas"][0]["question"] == "Where did the cat sit?"


def test_a_question_empty_once_cleaned_is_refused_naming_it(tmp_path):
    """A question the cleaner leaves empty is refused with article, paragraph and question number."""
    path = squad_file(tmp_path, ok(), ok("#only #tags"))
    with pytest.raises(EvalFileError, match=r"article 1, paragraph 1, question 2: the question '#only #tags' is empty"):
        read_squad(path, clean=drop_hashes)


def test_a_squad_file_nested_too_deeply_is_an_eval_file_error(tmp_path):
    """A SQuAD file of 200,000 nested brackets is refused as an EvalFileError, not a RecursionError traceback."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(EvalFileError, match="nested too deeply"):
        read_squad(deep)
