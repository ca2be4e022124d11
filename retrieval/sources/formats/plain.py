"""Plain text: the text as written, and its headline (:mod:`retrieval.sources.headline`, the one rule): a short
first line without final punctuation, followed by a blank line, is the title and not a paragraph of the body. The
headline stays in the text (offsets count the file's text); ``body_start`` says where the body begins."""

from __future__ import annotations

from retrieval.sources.formats.document import ParsedDocument
from retrieval.sources.headline import headline_span


def parse(text: str) -> ParsedDocument:
    """``text`` (decoded, line ends normalised) as a plain-text document: its headline as title when it has one."""
    span = headline_span(text)
    if span is None:
        return ParsedDocument(format="text", text=text)
    headline = text[span[0] : span[1]].strip()
    return ParsedDocument(format="text", text=text, title=headline, body_start=span[1], notes=("headline on line 1",))
