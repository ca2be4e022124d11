"""Sentence vectors saved beside a library's snapshot, so that a rebuild (one article edited, the console run again,
the bot restarted) encodes only the sentences it has not seen: about 1.4 ms a token on this project's machine,
which made every rebuild of 60 BBC articles take 28 s.

One snapshot file (:mod:`retrieval.snapshot`: checksummed, no pickle) under a key of the encoder's name: each
vector is found by its sentence's key (:func:`~retrieval.search.dense.sentence_key`, a BLAKE2b digest of the text).
A damaged or stale file is not used (every sentence is encoded again).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from retrieval.snapshot import SnapshotUnusable, read_snapshot, write_snapshot

log = logging.getLogger(__name__)

VECTORS_FILE = "vectors.snapshot"
KEY_BYTES = 16


def vectors_key(encoder_name: str) -> str:
    return f"sentence-vectors-1:{encoder_name}"


def load_vectors(path: Path, encoder_name: str) -> dict[bytes, np.ndarray]:
    """The vectors saved at ``path`` by :func:`save_vectors` for ``encoder_name``, by sentence key; empty when the
    file is missing, damaged or of another encoder (logged at debug level)."""
    try:
        sections = read_snapshot(path, vectors_key(encoder_name))
        keys, vectors = sections["keys"], sections["vectors"]
        if not isinstance(keys, np.ndarray) or not isinstance(vectors, np.ndarray):
            raise ValueError("sections of the wrong kind")
        if keys.ndim != 2 or keys.shape[1] != KEY_BYTES or vectors.ndim != 2 or len(vectors) != len(keys):
            raise ValueError(f"shapes {keys.shape} and {vectors.shape} disagree")
    except (SnapshotUnusable, KeyError, ValueError) as why:
        log.debug("Sentence vectors at %s not used: %s", path, why)
        return {}
    return {key.tobytes(): vector for key, vector in zip(keys, vectors, strict=True)}


def save_vectors(vectors: Mapping[bytes, np.ndarray], path: Path, encoder_name: str) -> None:
    """Write ``vectors`` (sentence key -> float32 vector, all of one length) to ``path`` (atomically).

    Raises
    ------
    OSError
        The file cannot be written.
    """
    keys = np.frombuffer(b"".join(vectors), dtype=np.uint8).reshape(len(vectors), KEY_BYTES)
    matrix = np.stack(list(vectors.values())) if vectors else np.zeros((0, 0), dtype=np.float32)
    write_snapshot(path, vectors_key(encoder_name), {"keys": keys, "vectors": matrix.astype(np.float32)})
