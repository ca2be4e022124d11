"""Shared fixtures: where the shared material and the seed article are, and a corpus built once per module.

The optional knowledge sources are off unless a test turns them on, so every test sees the same engine on every
machine: dense vectors (``QABOT_DENSE=off``; tests of the dense leg build their own encoder) and the system's
WordNet (``QABOT_WORDNET_DIR`` points at an empty folder; tests of the lexicon use a small hand-made WordNet).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ["QABOT_DENSE"] = "off"
os.environ["QABOT_WORDNET_DIR"] = tempfile.mkdtemp(prefix="qabot-no-wordnet-")

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
