"""Shared fixtures: where the shared material and the seed article are, and a corpus built once per module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.corpus import Corpus, load_corpus

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("QABOT_SHARED_DIR", REPO.parent / "shared"))
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only shared material (``../shared`` beside the checkout, or ``QABOT_SHARED_DIR``)."""
    if not SHARED.is_dir():
        pytest.fail(f"shared material not found at {SHARED}; set QABOT_SHARED_DIR")
    return SHARED


@pytest.fixture(scope="module")
def seed_corpus() -> Corpus:
    """The project's seeds/ folder (the seed article), loaded and indexed once per module."""
    return load_corpus(SEEDS)
