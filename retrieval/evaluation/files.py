"""Reading evaluation files: the error that names file and line, JSONL rows, and telling the three formats apart."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from retrieval.errors import RetrievalError


class EvalFileError(RetrievalError):
    """An evaluation file that cannot be read; names the file and, when known, the 1-based line."""

    def __init__(self, file: Path | str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = Path(file), line, reason
        where = f"{self.file}:{line}" if line else str(self.file)
        super().__init__(f"{where}: {reason}")


def jsonl_objects(path: Path | str, what: str) -> Iterator[tuple[int, dict]]:
    """Yield (1-based line number, object) for each non-blank line of a UTF-8 JSONL file.

    Records end at ``"\\n"`` only, as JSON Lines (https://jsonlines.org) says; a ``"\\r"`` before it is dropped. Not
    :meth:`str.splitlines`, which also breaks at ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e`` and at U+0085, U+2028 and
    U+2029, the last three written raw inside strings by ``json.dumps(..., ensure_ascii=False)``. A UTF-8 byte order
    mark at the start is skipped.

    Raises
    ------
    EvalFileError
        The file cannot be read or is not UTF-8, a line is not JSON, or a line is not an object (``what`` says what
        each line should hold).
    """
    path = Path(path)
    try:
        # Bytes, not read_text: text mode would also turn a lone "\r" into a line break.
        lines = path.read_bytes().decode("utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError) as error:
        raise EvalFileError(path, None, f"cannot be read ({error})") from None
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError(path, number, f"not JSON ({error.msg})") from None
        except RecursionError:
            raise EvalFileError(path, number, "nested too deeply to read") from None
        if not isinstance(row, dict):
            raise EvalFileError(path, number, f"each line needs a JSON object with {what}")
        yield number, row


def empty_once_cleaned(question: str) -> str:
    """The reason for refusing ``question`` when the question cleaner a reader was given leaves nothing of it."""
    return f"the question {question!r} is empty once cleaned (mentions and the like dropped), so it cannot be asked"


EvalFormat = Literal["qa", "squad", "summary"]
COMMAND_FOR = {
    "qa": "qabot eval {file}",
    "squad": "qabot eval --squad {file}",
    "summary": "qabot eval-summary {file} --sentences N",
}
WHAT_IT_IS = {
    "qa": "JSON Lines of questions",
    "squad": 'SQuAD JSON (one object with a "data" list of articles)',
    "summary": "JSON Lines of articles with reference summaries",
}


def guess_eval_format(path: Path | str) -> EvalFormat | None:
    """Which of the three evaluation formats ``path`` holds, judged from its first record: ``"qa"`` (a JSONL line with
    ``question``), ``"summary"`` (a JSONL line with ``paragraphs`` or ``article``), ``"squad"`` (a JSON object with a
    ``data`` list, on one line or many); None when it cannot be read or is none of them. Used only to explain an
    error, so it reads the whole file at most once more."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    first = next((line for line in text.split("\n") if line.strip()), "")
    for candidate in (first, text):
        try:
            row = json.loads(candidate)
        except (json.JSONDecodeError, RecursionError):
            continue
        if not isinstance(row, dict):
            return None
        if isinstance(row.get("data"), list):
            return "squad"
        if "question" in row:
            return "qa"
        if "paragraphs" in row or "article" in row:
            return "summary"
        return None
    return None


def wrong_format_hint(path: Path | str, expected: EvalFormat) -> str | None:
    """When ``path`` holds another evaluation format than ``expected``, what it is and the command that reads it
    (e.g. 'this is SQuAD JSON (...): run `qabot eval --squad FILE`'); else None."""
    found = guess_eval_format(path)
    if found is None or found == expected:
        return None
    command = COMMAND_FOR[found].format(file=shlex.quote(str(path)))
    return f"this is {WHAT_IT_IS[found]}: run `{command}`"
