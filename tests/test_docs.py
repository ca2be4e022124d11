"""The docs stay true: every ```console example in README.md and docs/*.md prints what it shows, and docs/settings.md
lists exactly the settings the code reads and .env.example documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.unknown_settings import OTHER_NAMES, setting_names
from tests.conftest import REPO, SHARED, require_shared

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


NOT_CHECKED = re.compile(r"<!-- console: not checked: (.+?) -->")
"""Written on the line before a ```console fence, exempts that block (say why: e.g. it needs a folder made first)."""
UNCHECKED_FILES: dict[str, str] = {}
"""Whole files not checked yet, and why. Remove an entry once its examples print what they show."""


@dataclass(frozen=True)
class ConsoleExample:
    """One ``$ command`` in a ```console block and the lines shown after it (up to the next ``$`` or the block's
    end, trailing blank lines dropped). ``skip``: why it is not run, or None."""

    file: Path
    line: int
    command: str
    expected: str
    skip: str | None = None

    def __str__(self) -> str:
        return f"{self.file.relative_to(REPO)}:{self.line}"


def console_examples(path: Path) -> list[ConsoleExample]:
    """Every example in ``path``'s ```console blocks (other blocks, ```sh included, are not run)."""
    examples: list[ConsoleExample] = []
    in_console = False
    skip: str | None = UNCHECKED_FILES.get(str(path.relative_to(REPO)))
    block_skip: str | None = None
    previous = ""
    command: tuple[int, str] | None = None
    output: list[str] = []

    def close() -> None:
        nonlocal command, output
        if command is not None:
            expected = "\n".join(line.rstrip() for line in output).strip("\n")
            examples.append(ConsoleExample(path, command[0], command[1], expected, skip or block_skip))
        command, output = None, []

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not in_console:
            in_console = line.strip() == "```console"
            marker = NOT_CHECKED.search(previous)
            block_skip = marker.group(1) if marker else None
        elif line.strip() == "```":
            close()
            in_console = False
        elif line.startswith("$ "):
            close()
            command = (number, line[2:])
        elif command is not None:
            output.append(line)
        previous = line
    return examples


EXAMPLES = [example for path in DOCS if path.is_file() for example in console_examples(path)]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A checkout as a newcomer has it: the repository's files (links to them) without a developer's .env or data/, and
    ``../shared`` beside it when the shared material exists."""
    root = tmp_path_factory.mktemp("newcomer")
    checkout = root / "qabot"
    checkout.mkdir()
    for entry in REPO.iterdir():
        if entry.name not in {".env", ".venv", ".git", "data"}:  # no developer settings or bot state
            (checkout / entry.name).symlink_to(entry)
    if SHARED.is_dir():
        (root / "shared").symlink_to(SHARED)
    return checkout


def newcomer_environment() -> dict[str, str]:
    """The environment without qabot settings, with this venv's ``bin`` first on PATH (as after activating it)."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if name.upper() not in setting_names() and not name.upper().startswith("QABOT_")
    }
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"
    environ["COLUMNS"] = "120"
    return environ


def test_the_docs_have_console_examples():
    """The checker finds the examples (a renamed fence would otherwise silently check nothing)."""
    assert len([example for example in EXAMPLES if not example.skip]) >= 5
    assert all(example.command for example in EXAMPLES)


def test_a_marked_block_and_an_unchecked_file_are_skipped_with_their_reason(monkeypatch):
    """The marker before a fence exempts that block only; UNCHECKED_FILES exempts a whole file."""
    doc = REPO / "docs" / "example-for-the-checker.md"
    text = "<!-- console: not checked: needs a folder -->\n```console\n$ a\nA\n```\n\n```console\n$ b\nB\n\n$ c\n```\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text)
    examples = console_examples(doc)
    assert [(e.command, e.expected, e.skip) for e in examples] == [
        ("a", "A", "needs a folder"),
        ("b", "B", None),
        ("c", "", None),
    ]
    monkeypatch.setitem(UNCHECKED_FILES, "docs/example-for-the-checker.md", "a reason")
    assert {e.skip for e in console_examples(doc)} == {"a reason"}


def run_example(example: ConsoleExample, workdir: Path) -> str:
    """What the example's command prints, run by bash from the checkout's root: stdout and stderr interleaved as a
    terminal shows them, trailing spaces and blank lines dropped."""
    result = subprocess.run(
        ["bash", "-c", example.command],
        cwd=workdir,
        env=newcomer_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    return "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip("\n")


@pytest.fixture(scope="module")
def outputs(workdir: Path) -> dict[ConsoleExample, str]:
    """Every runnable example's output, run side by side on all cores (the evaluations take seconds each)."""
    runnable = [e for e in EXAMPLES if not e.skip and (SHARED.is_dir() or "../shared" not in e.command)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(runnable, pool.map(lambda example: run_example(example, workdir), runnable), strict=True))


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_console_example_prints_what_the_docs_show(example: ConsoleExample, outputs: dict[ConsoleExample, str]):
    """The command prints exactly the lines the docs show after it."""
    if example.skip:
        pytest.skip(f"not checked: {example.skip}")
    if "../shared" in example.command:
        require_shared()
    assert outputs[example] == example.expected, f"{example}: `{example.command}` printed something else"


def table_names(text: str) -> list[str]:
    """The names in the first column of the markdown tables in ``text``, written as `NAME`."""
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, flags=re.MULTILINE)


def settings_doc_sections() -> tuple[str, str]:
    """docs/settings.md split at "## Other environment variables": the settings, and the variables read directly."""
    text = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    settings, _, others = text.partition("## Other environment variables")
    return settings, others


def env_example_names() -> list[str]:
    return re.findall(r"^([A-Z][A-Z0-9_]*)=", (REPO / ".env.example").read_text(encoding="utf-8"), re.MULTILINE)


def test_settings_doc_code_and_env_example_list_the_same_settings():
    """Every setting in docs/settings.md exists in bot/settings.py and .env.example, and the reverse."""
    documented = table_names(settings_doc_sections()[0])
    assert len(documented) == len(set(documented)), "a setting is documented twice"
    assert sorted(documented) == sorted(setting_names()), "docs/settings.md and bot/settings.py differ"
    assert sorted(env_example_names()) == sorted(setting_names()), ".env.example and bot/settings.py differ"


def test_settings_doc_lists_the_variables_read_outside_the_settings():
    """The variables that are not settings but are never warned about (QABOT_DENSE...) are the ones documented."""
    assert sorted(table_names(settings_doc_sections()[1])) == sorted(OTHER_NAMES)
