"""Markdown: YAML front matter read as sidecar fields, the first ``#`` heading as the title, and markup reduced to
the words a reader sees (CommonMark with tables and strikethrough, parsed by markdown-it-py).

Each block (paragraph, list item, sub-heading, block quote paragraph, code block, table) becomes one paragraph of
the plain text; inline markup (emphasis, links, code spans, images) is replaced by its text (a link's words, an
image's alt text); raw HTML is dropped. So a quote shows ``bold``, never ``**bold**`` or ``\\*\\*bold\\*\\*``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from retrieval.sources.fields import FieldsError, given, read_fields
from retrieval.sources.formats.document import DocumentRefused, ParsedDocument

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

KNOWN_FIELDS = ("title", "url", "published", "author", "caption")
FIELD_ALIASES = {"date": "published", "authors": "author", "link": "url", "source": "url"}
"""Front-matter names static-site generators use (Jekyll, Hugo), read as the sidecar field they mean."""


def split_front_matter(text: str) -> tuple[dict, str, tuple[str, ...]]:
    """(fields, body, notes): the known fields of a leading ``---`` YAML block, the text after it, and notes on what
    was ignored. Unknown fields (``tags``, ``layout``) are ignored and named in a note rather than refused: front
    matter is written for other tools too.

    Raises
    ------
    DocumentRefused
        The front matter is not valid YAML or not a mapping.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, ()
    try:
        data = read_fields(match.group(1) or "", line_offset=1) or {}
    except FieldsError as error:
        raise DocumentRefused(f"front matter {error}") from None
    fields: dict = {}
    ignored: list[str] = []
    for key, value in given(data).items():
        name = FIELD_ALIASES.get(str(key).lower(), str(key).lower())
        if name not in KNOWN_FIELDS or name in fields or not isinstance(value, str | bool):
            ignored.append(str(key))
            continue
        fields[name] = value
    notes = ["front matter read: " + (", ".join(sorted(fields)) or "no known fields")]
    if ignored:
        notes.append("front matter fields ignored: " + ", ".join(ignored))
    return fields, text[match.end() :], tuple(notes)


def parse(text: str) -> ParsedDocument:
    """A Markdown document as plain text (see the module docstring).

    Raises
    ------
    DocumentRefused
        Bad front matter.
    """
    fields, body, notes = split_front_matter(text)
    tokens = _PARSER.parse(body)
    title: str | None = None
    blocks: list[str] = []
    dropped_html = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            words = _inline_text(tokens[i + 1].children or [])
            if token.tag == "h1" and title is None:
                title = " ".join(words.split())
            elif words.strip():
                blocks.append(words)
            i += 3
            continue
        if token.type == "paragraph_open":
            words = _inline_text(tokens[i + 1].children or [])
            if words.strip():
                blocks.append(words)
            i += 3
            continue
        if token.type in ("fence", "code_block"):
            if token.content.strip():
                blocks.append(token.content.strip("\n"))
        elif token.type == "table_open":
            rows, i = _table(tokens, i)
            blocks.append("\n".join(rows))
        elif token.type == "html_block":
            dropped_html = True
        i += 1
    notes += ("markup reduced to plain text",)
    if title is not None:
        notes += ("title from the first # heading",)
    if dropped_html:
        notes += ("raw HTML blocks dropped",)
    paragraphs = [_tidy(b) for b in blocks if _tidy(b)]
    if not paragraphs and title is None:
        raise DocumentRefused("has no text once its Markdown markup is removed")
    return ParsedDocument("markdown", "\n\n".join(paragraphs) + "\n" if paragraphs else "", title, fields, notes)


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type == "image":
            parts.append(_inline_text(child.children or []) or child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _table(tokens: list[Token], start: int) -> tuple[list[str], int]:
    rows: list[str] = []
    cells: list[str] = []
    i = start
    while i < len(tokens) and tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "inline":
            cells.append(" ".join(_inline_text(token.children or []).split()))
        elif token.type == "tr_close":
            rows.append(" | ".join(cells))
            cells = []
        i += 1
    return rows, i


def _tidy(block: str) -> str:
    """One paragraph: no blank lines inside (they would split it), no trailing spaces."""
    lines = [line.rstrip() for line in block.split("\n")]
    return "\n".join(line for line in lines if line.strip()).strip("\n")
