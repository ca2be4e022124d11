"""Plain text: the text as written. Headline detection (a short first line without final punctuation becoming the
title) belongs here, and only here, when it lands: fill in :func:`parse` and every ``.txt`` source gets it."""

from __future__ import annotations

from retrieval.sources.formats.document import ParsedDocument


def parse(text: str) -> ParsedDocument:
    """``text`` (decoded, line ends normalised) as a plain-text document: no title of its own, no fields."""
    return ParsedDocument(format="text", text=text)
