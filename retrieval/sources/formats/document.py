"""One step per format: ``parse(text) -> ParsedDocument`` (plain text with its title, fields and parse notes).

The format comes from the file name's suffix, checked against the content: a ``.txt`` file that holds a whole HTML
page is parsed as HTML (saved-as-text web pages would otherwise be quoted tag by tag), and one that holds JSON is
refused (it is data, not an article). Every parser returns paragraphs separated by blank lines, which is what
:mod:`retrieval.sources.splitting` numbers.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field

from retrieval.models import SourceFormat

FORMAT_SUFFIXES: dict[str, SourceFormat] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
"""File suffixes (lower-case) read as sources, and the format each is parsed as."""


class DocumentRefused(ValueError):
    """The content cannot be a source; ``str(error)`` says why and how to fix it (the loader adds the file name)."""


@dataclass(frozen=True)
class ParsedDocument:
    """A source file's content, parsed.

    Attributes
    ----------
    format
        The format it was parsed as.
    text
        Plain text: markup removed, paragraphs separated by one blank line. Passages and quotes count characters in
        this text.
    title
        The title the document gives itself (Markdown's first ``#`` heading or front matter, HTML's title), or None.
    fields
        Sidecar fields the document itself carries (``author``, ``published``, ``url``, ``caption``, ``title``),
        from Markdown front matter or HTML metadata; the sidecar, when present, overrides them.
    notes
        How it was parsed, one short phrase each, shown by ``/source show`` and ``qabot sources --json``.
    body_start
        Offset in ``text`` where the body starts: past a headline kept in the text (plain text), else 0.
    """

    format: SourceFormat
    text: str
    title: str | None = None
    fields: dict[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    body_start: int = 0


_HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)


def detect_format(suffix: str, text: str) -> tuple[SourceFormat, str | None]:
    """The format to parse ``text`` as, given its file's ``suffix``, and a note when the content overrode it.

    Raises
    ------
    DocumentRefused
        A ``.txt`` or ``.md`` file that is a JSON document.
    """
    declared = FORMAT_SUFFIXES.get(suffix.lower(), "text")
    if declared != "html" and _HTML_START.match(text):
        return "html", f"holds an HTML page despite its {suffix} name, so it was parsed as HTML"
    if declared != "html" and text.lstrip()[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise DocumentRefused("holds JSON data, not an article; save the article's text as .txt, .md or .html")
    return declared, None


def parse_document(suffix: str, text: str) -> ParsedDocument:
    """Parse decoded ``text`` from a file with ``suffix`` (``".md"``) in its format.

    Raises
    ------
    DocumentRefused
        The content is not an article (JSON, an HTML page with no article text, Markdown with nothing but markup).
    """
    from retrieval.sources.formats import html, markdown, plain

    kind, note = detect_format(suffix, text)
    parser = {"text": plain.parse, "markdown": markdown.parse, "html": html.parse}[kind]
    parsed = parser(text)
    if note:
        parsed = dataclasses.replace(parsed, notes=(note, *parsed.notes))
    if not parsed.text.strip():
        raise DocumentRefused(f"has no text once its {kind} markup is removed")
    return parsed
