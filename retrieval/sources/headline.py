"""Headlines of plain-text articles: a news file dropped in as-is often starts with its headline on a line of its own.

The rule (one place, used by loading): the text's first paragraph is a headline when it is a single line of at most
``MAX_HEADLINE_WORDS`` words and ``MAX_HEADLINE_CHARS`` characters that does not end like a sentence (no final
``.``, ``!``, ``?``, ``:`` or ``;``, quotes and brackets aside), and at least one more paragraph follows it after a
blank line. "Telegraph newspapers axe 90 jobs" is one; the seed article's photo caption ("... on Feb. 23, 2026.")
is not. A headline becomes the source's title when its sidecar gives none; it is never quoted as a paragraph of the
body, and paragraph numbers count the body.
"""

from __future__ import annotations

import re

MAX_HEADLINE_CHARS = 150
MAX_HEADLINE_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]»]*$")
_FIRST_PARAGRAPH = re.compile(r"\s*(?P<line>[^\n]*\S)[^\S\n]*\n[^\S\n]*\n\s*(?=\S)")


def headline_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the headline in ``text`` (the whole source text, LF line ends), or None when it has none.

    The end is where the body starts: past the headline and the blank line(s) after it.
    """
    match = _FIRST_PARAGRAPH.match(text)
    if not match:
        return None
    line = match.group("line")
    if len(line) > MAX_HEADLINE_CHARS or len(line.split()) > MAX_HEADLINE_WORDS or _SENTENCE_END.search(line):
        return None
    if not any(c.isalpha() for c in line):
        return None
    return match.start("line"), match.end()


def headline_of(text: str) -> str | None:
    """The headline's text (see :func:`headline_span`), or None."""
    span = headline_span(text)
    return text[span[0] : span[1]].strip() if span else None
