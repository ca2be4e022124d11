"""Sentence boundaries with character offsets, by pysbd (Sadvilkar & Neumann, 2020: "PySBD: Pragmatic Sentence
Boundary Disambiguation"), which keeps abbreviations such as "U.S." and "Feb. 23" inside their sentence."""

from __future__ import annotations

import threading

import pysbd

_local = threading.local()


def _segmenter() -> pysbd.Segmenter:
    # One segmenter per thread: index builds run in worker threads.
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        segmenter = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences.

    Returns
    -------
    list of (start, end)
        Offsets into ``text`` (code points, end exclusive), in order, each sentence with surrounding white space
        trimmed. Single line breaks count as spaces (hard-wrapped text stays whole; pysbd still ends a sentence at
        a full stop before a break). Empty for text with no visible characters.
    """
    if not text.strip():
        return []
    # Same length as ``text``, so offsets found in it are offsets into ``text``.
    flat = text.replace("\n", " ")
    spans: list[tuple[int, int]] = []
    cursor = 0
    for segment in _segmenter().segment(flat):
        piece = segment.strip()
        if not piece:
            continue
        # pysbd returns the text's own characters; find each piece from the cursor to get exact offsets.
        found = flat.find(piece, cursor)
        if found < 0:  # pysbd altered the text: keep the rest as one sentence rather than lose it
            rest = flat[cursor:]
            stripped = rest.strip()
            if stripped:
                start = cursor + rest.index(stripped)
                spans.append((start, start + len(stripped)))
            return spans
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    return spans
