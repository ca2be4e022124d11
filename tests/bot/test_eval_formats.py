"""An evaluation file given to the wrong command: the error names what the file is and the command that reads it."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from retrieval.evaluation.files import guess_eval_format
from tests.conftest import SEEDS

SQUAD = {
    "data": [
        {
            "title": "Raid",
            "paragraphs": [
                {
                    "context": "The raid took place in Jalisco.",
                    "qas": [{"id": "1", "question": "Where was the raid?", "answers": [{"text": "Jalisco"}]}],
                }
            ],
        }
    ]
}
QA = {"question": "How long did they talk?", "answers": ["eight minutes"], "answerable": True}
SUMMARY = {"paragraphs": ["The raid took place in Jalisco."], "summary": "The raid took place in Jalisco."}


@pytest.fixture
def files(tmp_path):
    """One small file of each format: SQuAD JSON (indented, as published), question JSONL, summary JSONL."""
    squad, qa, summary = tmp_path / "squad.json", tmp_path / "questions.jsonl", tmp_path / "summaries.jsonl"
    squad.write_text(json.dumps(SQUAD, indent=2), encoding="utf-8")
    qa.write_text(json.dumps(QA) + "\n" + json.dumps(QA) + "\n", encoding="utf-8")
    summary.write_text(json.dumps(SUMMARY) + "\n", encoding="utf-8")
    return {"squad": squad, "qa": qa, "summary": summary}


def test_the_three_formats_are_told_apart(files, tmp_path):
    """SQuAD JSON, question JSONL and summary JSONL are recognised; other JSON and a missing file are not."""
    assert {name: guess_eval_format(path) for name, path in files.items()} == {
        "squad": "squad",
        "qa": "qa",
        "summary": "summary",
    }
    (tmp_path / "other.json").write_text('[1, 2]\n{"x": 1}\n', encoding="utf-8")
    assert guess_eval_format(tmp_path / "other.json") is None
    assert guess_eval_format(tmp_path / "missing.json") is None


@pytest.mark.parametrize(
    ("command", "given", "advice"),
    [
        (["eval"], "squad", "this is SQuAD JSON"),
        (["eval", "--squad"], "qa", "this is JSON Lines of questions: run `qabot eval "),
        (["eval"], "summary", "run `qabot eval-summary "),
        (["eval", "--squad"], "summary", "run `qabot eval-summary "),
        (["eval-summary", "--sentences", "3"], "qa", "run `qabot eval "),
        (["eval-summary", "--sentences", "3"], "squad", "run `qabot eval --squad "),
    ],
)
def test_a_file_for_another_eval_command_says_which_one(files, capsys, command, given, advice):
    """`qabot eval` on SQuAD without --squad (and every other mix-up) exits 2 with one line naming the command."""
    seeds = ["--seeds", str(SEEDS)] if command[0] == "eval" else []
    assert main([*command, *seeds, str(files[given])]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and advice in err and str(files[given]) in err


def test_a_broken_file_of_the_right_format_keeps_its_own_error(files, capsys):
    """A question file whose second line is broken still gets the line-numbered error, not a format hint."""
    files["qa"].write_text(json.dumps(QA) + "\n{broken\n", encoding="utf-8")
    assert main(["eval", "--seeds", str(SEEDS), str(files["qa"])]) == 2
    assert ":2: not JSON" in capsys.readouterr().err
