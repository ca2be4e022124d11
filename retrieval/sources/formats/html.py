"""HTML: the article's text, title, author and date, extracted with trafilatura (Barbaresi 2021, "Trafilatura: A Web
Scraping Library and Command-Line Tool for Text Discovery and Extraction", ACL System Demonstrations).

trafilatura's extraction works on the given string only; it fetches nothing (fetching a URL is
:mod:`retrieval.sources.fetching`'s job, with its own safety rules). Navigation, footers, comments and
boilerplate are left out; each paragraph of the article becomes one paragraph of the plain text.
"""

from __future__ import annotations

import logging

from retrieval.sources.formats.document import DocumentRefused, ParsedDocument

MIN_ARTICLE_CHARS = 80
"""Less extracted text than this is navigation or a form (trafilatura falls back to any text it finds), not an
article: about one sentence."""
MAX_TAGS = 100_000
"""Tags (counted as "<" characters) beyond which a page is refused before extraction: a news page has a few
thousand; a 3.7 MB page of 300,000 elements took trafilatura 27 s (in a worker thread, but holding the GIL much of
that time) before it gave up."""
MAX_TREE_SIZE = 200_000
"""Elements in the parsed page beyond which trafilatura itself gives up."""

logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it logs each page it finds no article in, at WARNING
_config = None


def _trafilatura_config():
    """trafilatura's default settings with :data:`MAX_TREE_SIZE` (built once)."""
    global _config
    if _config is None:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))
        _config = config
    return _config


def parse(text: str, *, url: str | None = None) -> ParsedDocument:
    """The article in the HTML page ``text`` (``url``, when known, helps resolve metadata).

    Raises
    ------
    DocumentRefused
        No article text could be found (an empty page, a page of links or scripts only, an error page), or the page
        has more than :data:`MAX_TAGS` tags.
    """
    import trafilatura  # imported here: it loads lxml and its language data, which the rest of the bot never needs

    tags = text.count("<")
    if tags > MAX_TAGS:
        raise DocumentRefused(
            f"is an HTML page of about {tags:,} tags, over the {MAX_TAGS:,} read; save the article's text instead"
        )
    document = trafilatura.bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        config=_trafilatura_config(),
    )
    lines = [" ".join(line.split()) for line in (document.text if document else "").split("\n")]
    lines = [line for line in lines if line]
    title = " ".join((document.title or "").split()) if document else ""
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]  # the page's <h1> repeats its title: a title, not a passage
    if sum(len(line) for line in lines) < MIN_ARTICLE_CHARS:
        raise DocumentRefused("has no article text that could be extracted (an empty page, or links and scripts only)")
    fields: dict[str, object] = {}
    if document and document.author:
        fields["author"] = " ".join(document.author.split())
    if document and document.date:
        fields["published"] = document.date
    notes = ["article text extracted with trafilatura"]
    if title:
        notes.append("title from the page")
    return ParsedDocument("html", "\n\n".join(lines) + "\n", title or None, fields, tuple(notes))
