"""Split a source into passages: one per paragraph, a paragraph too long to quote split on sentence boundaries."""

from __future__ import annotations

import re

from retrieval.models import Passage, Source
from retrieval.sources.sentences import sentence_spans, trim_span

MAX_PASSAGE_CHARS = 900
"""Longest passage, in characters. A paragraph over it is split into parts of whole sentences; one sentence over it
is cut at white space. 900 leaves room for three quotes and their citations in one 2000-character Discord message."""

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
"""A blank line: two line breaks with only white space between (spaces, tabs, a no-break space, a form feed)."""


def paragraph_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of ``text`` from offset ``start`` on: blocks separated by blank lines (lines
    of only white space count as blank), white space trimmed. Offsets index ``text``."""
    spans = []
    for match in _PARAGRAPH_BREAK.finditer(text, start):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [trimmed for span in spans if (trimmed := trim_span(text, *span))]


def split_passages(source: Source, max_chars: int = MAX_PASSAGE_CHARS) -> list[Passage]:
    """Split ``source.text`` into passages, in order.

    Returns
    -------
    list of Passage
        ``paragraph`` counts non-empty paragraphs of the body from 1 (a headline, ``source.body_start``, is not
        one); offsets index ``source.text``. When ``source.has_caption`` the first paragraph has ``kind="caption"``.

    Raises
    ------
    ValueError
        ``max_chars`` is below 40 (too short to hold a sentence).
    """
    if max_chars < 40:
        raise ValueError(f"max_chars must be at least 40, got {max_chars}")
    passages: list[Passage] = []
    for number, (start, end) in enumerate(paragraph_spans(source.text, source.body_start), start=1):
        kind = "caption" if source.has_caption and number == 1 else "body"
        parts = _chunk(source.text, start, end, max_chars)
        for part_number, (part_start, part_end) in enumerate(parts, start=1):
            part = part_number if len(parts) > 1 else None
            passages.append(
                Passage(
                    id=f"{source.id}:{number}" + (f".{part}" if part else ""),
                    source_id=source.id,
                    paragraph=number,
                    part=part,
                    start=part_start,
                    end=part_end,
                    text=source.text[part_start:part_end],
                    kind=kind,
                )
            )
    return passages


def _chunk(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    for s, e in _windowed_sentence_spans(text, start, end):
        pieces.extend(_cut_at_spaces(text, s, e, max_chars))
    chunks: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        if chunks and piece_end - chunks[-1][0] <= max_chars:
            chunks[-1] = (chunks[-1][0], piece_end)
        else:
            chunks.append((piece_start, piece_end))
    return chunks


SENTENCE_WINDOW_CHARS = 5000
"""pysbd's time grows with the square of its input (a 100 KB paragraph takes seconds, 2 MB would take half an
hour), so a huge paragraph is segmented in windows of about this many characters, each ending after a full stop,
question or exclamation mark followed by white space (else at a line break or any white space)."""
_WINDOW_END = re.compile(r"[.!?][\"')\]”’]*\s")


def _windowed_sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` as offsets into ``text``, segmenting at most a window at a time."""
    spans: list[tuple[int, int]] = []
    position = start
    while position < end:
        stop = end
        if end - position > SENTENCE_WINDOW_CHARS:
            limit = position + SENTENCE_WINDOW_CHARS
            ends = [m.end() for m in _WINDOW_END.finditer(text, position + SENTENCE_WINDOW_CHARS // 2, limit)]
            stop = (
                ends[-1] if ends else max(text.rfind("\n", position + 1, limit), _last_space(text, position + 1, limit))
            )
            if stop <= position:
                stop = limit
        spans.extend((position + s, position + e) for s, e in sentence_spans(text[position:stop]))
        position = stop
    return spans


def _cut_at_spaces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > max_chars:
        cut = _last_space(text, start + 1, start + max_chars + 1)
        if cut < 0:  # one word longer than the limit: cut it
            cut = start + max_chars
        pieces.append(trim_span(text, start, cut))
        start = cut
    pieces.append(trim_span(text, start, end))
    return [piece for piece in pieces if piece]


def _last_space(text: str, low: int, high: int) -> int:
    """Index of the last white space (space, tab, line break...) in ``text[low:high]``, or -1."""
    for i in range(high - 1, low - 1, -1):
        if text[i].isspace():
            return i
    return -1
