"""Shared fixtures: where the shared material and the seed article are, and a corpus built once per module.

The optional knowledge sources are off unless a test turns them on, so every test sees the same engine on every
machine: dense vectors (``QABOT_DENSE=off``; tests of the dense leg build their own encoder) and the system's
WordNet (``QABOT_WORDNET_DIR`` points at an empty folder; tests of the lexicon use a small hand-made WordNet).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path

os.environ["QABOT_DENSE"] = "off"
os.environ["QABOT_WORDNET_DIR"] = tempfile.mkdtemp(prefix="qabot-no-wordnet-")

import pytest

from retrieval.corpus import Corpus, load_corpus

atexit.register(shutil.rmtree, os.environ["QABOT_WORDNET_DIR"], ignore_errors=True)  # an empty folder, made above

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("QABOT_SHARED_DIR", REPO.parent / "shared"))
SEEDS = REPO / "seeds"
SHARED_MISSING = (
    f"shared material not found at {SHARED}: copy the team's shared/ folder (Discord API payload samples and "
    "evaluation data, listed in its data/README.md) beside the checkout as ../shared, or set QABOT_SHARED_DIR"
)


def require_shared(*parts: str) -> Path:
    """``SHARED / parts``; when it is missing the test is skipped with :data:`SHARED_MISSING`, and pytest's summary
    prints one line for all such skips (see :func:`pytest_runtest_makereport`)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(SHARED_MISSING)
    return path


def pytest_configure(config: pytest.Config) -> None:
    """With ``QABOT_REQUIRE_SHARED=1`` (CI sets it) a missing shared folder stops the run with one line before any
    test, so tests that need it cannot be skipped unnoticed."""
    if os.environ.get("QABOT_REQUIRE_SHARED") == "1" and not SHARED.is_dir():
        raise pytest.UsageError(f"QABOT_REQUIRE_SHARED=1 and {SHARED_MISSING}")


def pytest_report_header() -> str:
    """One line at the top of every run saying where the shared material is, or that it is missing."""
    found = "found" if SHARED.is_dir() else "MISSING: tests that need it are skipped"
    return f"qabot shared material: {SHARED} ({found})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Report every skip for missing shared material from one place, so ``-ra`` prints one line for all of them
    (pytest gives a skip raised in a fixture the test's own location, one line per test)."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and SHARED_MISSING in report.longrepr[2]:
        report.longrepr = (__file__, require_shared.__code__.co_firstlineno, SHARED_MISSING)
    return report


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only shared material (``../shared`` beside the checkout, or ``QABOT_SHARED_DIR``)."""
    return require_shared()


@pytest.fixture(autouse=True)
def _restore_root_logging():
    """Undo handlers a test leaves on the root logger (``qabot run`` installs discord.py's): one left pointing at a
    closed capture stream prints a "Logging error" block for every later log line."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="module")
def seed_corpus() -> Corpus:
    """The project's seeds/ folder (the seed article), loaded and indexed once per module."""
    return load_corpus(SEEDS)
