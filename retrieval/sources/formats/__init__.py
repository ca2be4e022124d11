"""Source formats: plain text, Markdown and HTML, each parsed to the plain text that is split, indexed and quoted."""

from retrieval.sources.formats.document import (
    FORMAT_SUFFIXES,
    DocumentRefused,
    ParsedDocument,
    SourceFormat,
    detect_format,
    parse_document,
)

__all__ = [
    "FORMAT_SUFFIXES",
    "DocumentRefused",
    "ParsedDocument",
    "SourceFormat",
    "detect_format",
    "parse_document",
]
