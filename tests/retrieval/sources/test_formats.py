"""Source formats: Markdown (front matter, first heading as title, markup reduced to words), HTML (article
extraction), plain text, and content that contradicts its file name."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from retrieval.sources.formats import DocumentRefused, parse_document
from retrieval.sources.formats import markdown as markdown_format
from retrieval.sources.loading import load_sources
from tests.retrieval.sources.article_pages import HARBOUR_PAGE, NO_ARTICLE_PAGE

MARKDOWN = """---
title: Storm closes the harbour
date: 2026-02-27
author: Morag Campbell
tags: [weather, ferries]
---

# A heading that is not the title, since front matter gives one

The harbour at **Port Ellen** closed on *Friday*, the [port authority](https://example.com/pa) said.
The `ferry` did not sail.

## What happens next

- Crews will inspect the breakwater.
- The council meets on **Monday**.

<div class="ad">Buy now</div>

> Nobody was hurt, a spokesman said.

![A fishing boat tied up at the quay](boat.jpg)
"""


def test_markdown_front_matter_heading_and_markup():
    """Front matter gives the fields (date as published; tags ignored and noted), markup is reduced to the words,
    raw HTML is dropped, each block is a paragraph, and an image keeps its alt text."""
    parsed = markdown_format.parse(MARKDOWN)
    assert parsed.fields == {"title": "Storm closes the harbour", "published": "2026-02-27", "author": "Morag Campbell"}
    assert parsed.title == "A heading that is not the title, since front matter gives one"
    assert parsed.text.split("\n\n") == [
        "The harbour at Port Ellen closed on Friday, the port authority said.\nThe ferry did not sail.",
        "What happens next",
        "Crews will inspect the breakwater.",
        "The council meets on Monday.",
        "Nobody was hurt, a spokesman said.",
        "A fishing boat tied up at the quay\n",
    ]
    assert "front matter fields ignored: tags" in parsed.notes and "raw HTML blocks dropped" in parsed.notes


def test_markdown_without_front_matter_takes_the_first_heading_as_title(tmp_path):
    """Loaded from a folder, a Markdown file's first # heading is its title (not paragraph 1), its format is
    markdown, and a sidecar's fields override the document's own."""
    (tmp_path / "storm.md").write_text("# Storm closes the harbour\n\nBoats stayed in *port*.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("---\nauthor: A. Writer\n---\nA **bold** claim.\n", encoding="utf-8")
    (tmp_path / "notes.meta.yaml").write_text("author: The Sidecar\n", encoding="utf-8")
    notes, storm = load_sources(tmp_path).sources
    assert (storm.title, storm.format, storm.text) == (
        "Storm closes the harbour",
        "markdown",
        "Boats stayed in port.\n",
    )
    assert "title from the first # heading" in storm.parse_notes
    assert (notes.author, notes.text, notes.title) == ("The Sidecar", "A bold claim.\n", "Notes")


def test_a_front_matter_title_is_the_one_the_notes_name(tmp_path):
    """With a title in the front matter and a # heading, the front matter's is used, and the notes do not also say
    "title from the first # heading"."""
    (tmp_path / "a.md").write_text("---\ntitle: Front Title\n---\n# Heading Title\n\nBody.\n", encoding="utf-8")
    (source,) = load_sources(tmp_path).sources
    assert source.title == "Front Title"
    assert "front matter read: title" in source.parse_notes
    assert not [note for note in source.parse_notes if note.startswith("title from")]


def test_markdown_with_bad_front_matter_is_refused_naming_the_line(tmp_path):
    """Front matter that is not YAML refuses the file with the line of the problem; the other files load."""
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    (tmp_path / "good.md").write_text("Text.\n", encoding="utf-8")
    result = load_sources(tmp_path)
    assert [s.id for s in result.sources] == ["good"]
    (refusal,) = result.refused
    assert refusal.reason.startswith("front matter is not valid YAML at line 3")


def test_markdown_of_markup_only_is_refused():
    """A Markdown file with nothing but an HTML block has no text to quote."""
    with pytest.raises(DocumentRefused, match="no text"):
        parse_document(".md", "<div>only html</div>\n")


def test_html_file_is_the_article_with_its_metadata(tmp_path):
    """An .html source is the article's paragraphs, titled, dated and credited from the page."""
    (tmp_path / "harbour.html").write_text(HARBOUR_PAGE, encoding="utf-8")
    (source,) = load_sources(tmp_path).sources
    assert (source.format, source.title, source.author) == (
        "html",
        "Harbour reopens after three-day storm",
        "Morag Campbell",
    )
    assert source.published == "2026-03-01"
    assert source.text.startswith("The harbour at Port Ellen reopened") and "<p>" not in source.text


def test_html_with_no_article_is_refused():
    """A login page has no article text, and is refused saying so."""
    with pytest.raises(DocumentRefused, match="no article text"):
        parse_document(".html", NO_ARTICLE_PAGE)


def test_html_extraction_opens_no_network_connection(monkeypatch):
    """trafilatura extracts from the string it is given: with every socket connection failing, the page still parses."""

    def no_network(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert parse_document(".html", HARBOUR_PAGE).title == "Harbour reopens after three-day storm"


def test_a_txt_file_holding_a_web_page_is_parsed_as_html():
    """A page saved with a .txt name is parsed as HTML, and the note says why."""
    parsed = parse_document(".txt", HARBOUR_PAGE)
    assert parsed.format == "html" and "<p>" not in parsed.text
    assert parsed.notes[0].startswith("holds an HTML page despite its .txt name")


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_json_saved_as_text_is_refused(suffix):
    """JSON saved as .txt or .md is data, not an article: refused with what to do."""
    with pytest.raises(DocumentRefused, match="holds JSON data"):
        parse_document(suffix, '{"title": "x", "body": "y"}\n')


def test_text_that_merely_starts_with_a_bracket_is_plain_text():
    """A plain-text article opening with "[" that is not JSON is kept as text, as written."""
    parsed = parse_document(".txt", "[Updated] The harbour reopened.\n")
    assert (parsed.format, parsed.text, parsed.title) == ("text", "[Updated] The harbour reopened.\n", None)


def test_plain_text_is_kept_as_written(tmp_path: Path):
    """A .txt source keeps its text byte for byte (after decoding) and is titled from its file name."""
    (tmp_path / "harbour-news.txt").write_text("Line one *not markdown*.\n\nTwo.\n", encoding="utf-8")
    (source,) = load_sources(tmp_path).sources
    assert (source.format, source.text, source.title) == ("text", "Line one *not markdown*.\n\nTwo.\n", "Harbour news")


def test_a_page_of_too_many_tags_is_refused_before_extraction(monkeypatch):
    """A page of hundreds of thousands of elements is refused by its tag count, without running the extractor."""
    import trafilatura

    def no_extraction(*args, **kwargs):
        raise AssertionError("the extractor ran")

    monkeypatch.setattr(trafilatura, "bare_extraction", no_extraction)
    page = "<html><body>" + "<div><span>x</span></div>" * 60_000 + "<p>The harbour reopened.</p></body></html>"
    with pytest.raises(DocumentRefused, match="about 240,006 tags, over the 100,000 read"):
        parse_document(".html", page)


def test_an_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    """Reloading a folder whose HTML file did not change reuses the source parsed before (same SHA-256); a changed
    file is parsed again."""
    from retrieval.sources.formats import html as html_format

    (tmp_path / "harbour.html").write_text(HARBOUR_PAGE, encoding="utf-8")
    (first,) = load_sources(tmp_path).sources
    calls = []
    real_parse = html_format.parse
    monkeypatch.setattr(html_format, "parse", lambda text, **kw: calls.append(1) or real_parse(text, **kw))
    (again,) = load_sources(tmp_path, known={first.file_name: first}).sources
    assert again is first and calls == []
    (tmp_path / "harbour.html").write_text(HARBOUR_PAGE.replace("Tuesday", "Wednesday"), encoding="utf-8")
    (changed,) = load_sources(tmp_path, known={first.file_name: first}).sources
    assert calls == [1] and "Wednesday" in changed.text


def test_the_headline_rule_applies_to_plain_text_only(tmp_path: Path):
    """A .txt file's short unpunctuated first line is its title (noted in parse_notes, kept out of the paragraphs);
    the same text as Markdown is parsed by Markdown's rules (no # heading: no title, every block a paragraph)."""
    text = "Ferries cancelled in the gale\n\nAll Friday sailings to Lerwick stopped.\n"
    (tmp_path / "ferries.txt").write_text(text, encoding="utf-8")
    (tmp_path / "ferries-md.md").write_text(text, encoding="utf-8")
    markdown_source, text_source = sorted(load_sources(tmp_path).sources, key=lambda s: s.format)
    assert (text_source.title, text_source.headline, text_source.parse_notes[0]) == (
        "Ferries cancelled in the gale",
        "Ferries cancelled in the gale",
        "headline on line 1",
    )
    assert text_source.text[text_source.body_start :] == "All Friday sailings to Lerwick stopped.\n"
    assert (markdown_source.title, markdown_source.headline, markdown_source.body_start) == ("Ferries md", None, 0)
