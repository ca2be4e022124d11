"""Typed, immutable domain models shared by loading, indexing, answering and summarizing.

Character offsets (``start``/``end``) always count Python ``str`` code points in ``Source.text``: the source's
body after UTF-8 decoding, BOM removal, CRLF/CR -> LF normalisation and its format's parsing (Markdown markup
reduced to plain text, HTML reduced to the article's text; plain text as written). ``Source.text[start:end] == text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PassageKind = Literal["body", "caption"]
SourceFormat = Literal["text", "markdown", "html"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


URL_PATTERN = r"^https?://[^\s<>`\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+$"
"""An http(s) URL with no white space, no character that would end Discord's <...> link or a code span, no control
character and no bidirectional override (which would show the link reversed)."""


class SourceMeta(_Frozen):
    """What a moderator can say about a source in its ``NAME.meta.yaml`` sidecar. Unknown fields stay empty."""

    title: str = ""
    url: str | None = Field(None, pattern=URL_PATTERN, description="An http(s) link, shown with quotes.")
    published: str | None = None
    author: str | None = None
    caption: bool = Field(False, description="The first paragraph is a photo caption (searchable, not summarized).")
    origin: str | None = Field(
        None, description="How the file came to be, written by /source add (where from, when, by whom); shown only."
    )


class Source(_Frozen):
    """One article: its id (from the file name, :func:`retrieval.sources.loading.source_id_for`), metadata, and text."""

    id: str
    file_name: str
    title: str
    url: str | None = None
    published: str | None = None
    author: str | None = None
    has_caption: bool = False
    modified: float | None = Field(
        None, description="The file's modification time when loaded (Unix seconds): when it was added or last changed."
    )
    headline: str | None = Field(
        None, description="The headline on the text's first line (retrieval.sources.headline), not part of the body."
    )
    body_start: int = Field(0, ge=0, description="Offset in ``text`` where the body starts (past the headline).")
    text: str
    format: SourceFormat = "text"
    parse_notes: tuple[str, ...] = Field((), description="How the file was parsed, for /source show.")
    origin: str | None = None
    sha256: str = Field(
        description="Hex SHA-256 of the file's bytes (followed by a NUL and the sidecar's bytes when it has one), "
        "to tell changed sources on reload."
    )
    file_state: tuple[int, int, int, int] | None = Field(
        None,
        description="(size in bytes, modification time in ns) of the file, then of its sidecar ((-1, 0) without "
        "one), as they were when read; None when unknown or too recent to trust (a file written in the same clock "
        "tick as its read could change again unseen). A reload whose stat finds the same four numbers takes the "
        "source as it is, without reading or hashing the file (retrieval.sources.loading.load_source).",
    )


class Passage(_Frozen):
    """A quotable unit: a paragraph, or one part of a paragraph too long to quote whole.

    ``id`` is ``"{source_id}:{paragraph}"`` or, for a split paragraph, ``"{source_id}:{paragraph}.{part}"``.
    ``paragraph`` is 1-based within the source; ``part`` is 1-based within the paragraph (None when whole).
    """

    id: str
    source_id: str
    paragraph: int = Field(ge=1)
    part: int | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    kind: PassageKind = "body"


class Hit(_Frozen):
    """A passage returned for a query, with its BM25 score (unitless, higher is better, comparable only within
    one query on one index) and the query terms (stems) it contains."""

    passage: Passage
    score: float
    matched_terms: tuple[str, ...] = ()


class Answer(_Frozen):
    """The reply to one question: the quoted hits, best first, or none with the reason the sources don't cover it.

    ``best_sentence`` is the (start, end) offset range, within ``hits[0].passage.text``, of the sentence that matches
    the question best; the renderer shows it in bold.
    """

    question: str
    hits: tuple[Hit, ...] = ()
    not_covered_reason: str | None = None
    best_sentence: tuple[int, int] | None = None

    @property
    def answered(self) -> bool:
        return bool(self.hits)


class SummarySentence(_Frozen):
    """One sentence of an extractive summary, verbatim from its source, with the paragraph it comes from."""

    source_id: str
    paragraph: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Summary(_Frozen):
    """An extractive summary of one source: sentences in source order. ``requested`` is how many were asked for;
    fewer come back when the source has no more (captions, credit lines and repeats left out)."""

    source_id: str
    source_title: str
    url: str | None = None
    sentences: tuple[SummarySentence, ...]
    requested: int | None = Field(None, ge=1)


class TopicSummary(_Frozen):
    """What the sources say about a topic: sentences from any source, ordered by source date when known, then source
    order, then position. Each sentence names its source and paragraph. ``not_covered_reason`` says why there are
    none when the sources don't speak of the topic; ``sources_searched`` is how many sources were looked at."""

    topic: str
    sentences: tuple[SummarySentence, ...] = ()
    requested: int | None = Field(None, ge=1)
    sources_searched: int = Field(0, ge=0)
    not_covered_reason: str | None = None

    @property
    def covered(self) -> bool:
        return bool(self.sentences)
