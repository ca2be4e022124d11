"""Reading JSONL evaluation files: records end at "\\n" only, as JSON Lines says."""

from __future__ import annotations

import json

import pytest

from retrieval.evaluation.files import EvalFileError, jsonl_objects

# Line breaks to str.splitlines that json.dumps(..., ensure_ascii=False) writes raw inside strings.
UNICODE_LINE_BREAKS = ["\u2028", "\u2029", "\x85"]


@pytest.mark.parametrize("separator", UNICODE_LINE_BREAKS)
def test_a_unicode_line_break_inside_a_string_stays_in_its_record(tmp_path, separator):
    """A line json.dumps wrote with U+2028, U+2029 or NEL inside a string reads back as the same object."""
    row = {"question": f"Who led{separator}the cartel?", "answers": ["El Mencho"]}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n" + json.dumps({"question": "q2"}) + "\n", "utf-8")
    assert list(jsonl_objects(path, "a question")) == [(1, row), (2, {"question": "q2"})]


def test_crlf_line_ends_are_accepted_and_lines_counted(tmp_path):
    """Windows line ends ("\\r\\n") end a record like "\\n"; blank lines are skipped but still counted."""
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b'{"a": 1}\r\n\r\n{"b": 2}\r\n')
    assert list(jsonl_objects(path, "a thing")) == [(1, {"a": 1}), (3, {"b": 2})]


def test_a_bad_line_after_a_unicode_line_break_keeps_its_number(tmp_path):
    """Line numbers in errors count "\\n" only, so they match what an editor shows for the line."""
    path = tmp_path / "cases.jsonl"
    path.write_text('{"q": "a\u2028b"}\nnot json\n', encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"cases\.jsonl:2: not JSON"):
        list(jsonl_objects(path, "a thing"))


def test_json_nested_too_deeply_is_an_error_naming_the_line(tmp_path):
    """200,000 nested brackets overflow the JSON parser's recursion: an EvalFileError naming the line, not a
    RecursionError traceback."""
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"question": "ok?"}\n' + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"deep\.jsonl:2: nested too deeply"):
        list(jsonl_objects(deep, "a question"))
