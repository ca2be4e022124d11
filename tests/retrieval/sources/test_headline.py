"""Headline detection: a short first line without final punctuation, then a blank line, is the title, not a passage."""

from __future__ import annotations

import pytest

from retrieval.sources.headline import headline_of, headline_span
from retrieval.sources.loading import load_sources
from retrieval.sources.splitting import split_passages


@pytest.mark.parametrize(
    "text",
    [
        "Telegraph newspapers axe 90 jobs\n\nThe Daily Telegraph is axing 90 jobs.",
        "Da Vinci Code is 'lousy history'\n\nA bishop said so.\n\nMore.",
        "  Kenya lift Chepkemei's suspension  \n \n\nBody text here.",
    ],
)
def test_a_short_unpunctuated_first_line_is_a_headline(text):
    """The BBC layout (headline, blank line, body) gives the headline, trimmed."""
    assert headline_of(text) == text.split("\n")[0].strip()


@pytest.mark.parametrize(
    "text",
    [
        "Cartel boss dies in a raid on Feb. 23, 2026.\n\nThe body.",  # a caption: ends like a sentence
        "What next for the euro?\n\nThe body.",
        "Only a headline-like line",  # nothing follows
        "First line\nsecond line of the same paragraph\n\nBody.",  # the paragraph has two lines
        " ".join(["word"] * 25) + "\n\nBody.",  # too long for a headline
        "2026\n\nBody.",  # no letters
    ],
)
def test_other_first_paragraphs_are_not_headlines(text):
    """Sentences, questions, lone lines, multi-line paragraphs, long lines and numbers are body text."""
    assert headline_span(text) is None


def test_a_headline_is_the_title_and_not_a_paragraph(tmp_path):
    """Loaded without a sidecar, the headline titles the source; paragraph 1 is the body's first paragraph."""
    (tmp_path / "business-014.txt").write_text(
        "Telegraph newspapers axe 90 jobs\n\nThe Daily and Sunday Telegraph are axing 90 jobs.\n\nSecond.\n"
    )
    (source,) = load_sources(tmp_path).sources
    assert source.title == "Telegraph newspapers axe 90 jobs"
    passages = split_passages(source)
    assert [(p.paragraph, p.text) for p in passages] == [
        (1, "The Daily and Sunday Telegraph are axing 90 jobs."),
        (2, "Second."),
    ]
    assert all(source.text[p.start : p.end] == p.text for p in passages)


def test_a_sidecar_title_wins_over_the_headline(tmp_path):
    """A moderator's sidecar title is kept; the headline is still not quoted as a paragraph."""
    (tmp_path / "a.txt").write_text("Short headline\n\nBody one.\n")
    (tmp_path / "a.meta.yaml").write_text("title: Given title\n")
    (source,) = load_sources(tmp_path).sources
    assert (source.title, source.headline) == ("Given title", "Short headline")
    assert [p.text for p in split_passages(source)] == ["Body one."]
