"""Reading evaluation files: the error that names file and line, and JSONL rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

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
