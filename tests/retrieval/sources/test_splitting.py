"""Splitting sources into passages: paragraphs on blank lines, long paragraphs cut on sentences, exact offsets."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from retrieval.models import Source
from retrieval.sources.splitting import MAX_PASSAGE_CHARS, paragraph_spans, split_passages


def source_of(text: str, *, has_caption: bool = False) -> Source:
    return Source(id="s", file_name="s.txt", title="S", text=text, sha256="0" * 64, has_caption=has_caption)


def sentence(n: int, words: int = 8) -> str:
    return f"Sentence {n} " + " ".join(["word"] * words) + "."


# --- examples ----------------------------------------------------------------------------------------------------


def test_paragraphs_split_on_blank_lines_including_lines_of_spaces_and_tabs():
    """A blank line, or a line of only spaces/tabs, ends a paragraph; a single line break does not."""
    text = "One\nstill one.\n\nTwo.\n   \nThree.\n\t \t\nFour.\n\n\n\nFive."
    passages = split_passages(source_of(text))
    assert [p.text for p in passages] == ["One\nstill one.", "Two.", "Three.", "Four.", "Five."]
    assert [p.paragraph for p in passages] == [1, 2, 3, 4, 5]
    assert [p.id for p in passages] == ["s:1", "s:2", "s:3", "s:4", "s:5"]
    assert all(p.part is None and p.kind == "body" and p.source_id == "s" for p in passages)


def test_lines_of_other_white_space_are_blank_too():
    """A line holding only a no-break space or form feed (pasted from a web page or PDF) still ends a paragraph."""
    text = "One.\n\u00a0\nTwo.\n\x0c\nThree."
    assert [p.text for p in split_passages(source_of(text))] == ["One.", "Two.", "Three."]


def test_paragraph_spans_trim_and_skip_leading_and_trailing_blank_lines():
    """Leading/trailing blank lines make no empty paragraphs, and spans exclude surrounding white space."""
    text = "\n\n  First.  \n\n\nSecond.\n\n"
    spans = paragraph_spans(text)
    assert [text[s:e] for s, e in spans] == ["First.", "Second."]
    assert spans[0] == (4, 10)


def test_long_paragraph_is_split_into_numbered_parts_at_sentence_boundaries():
    """A paragraph over max_chars becomes parts `source:N.P` of whole sentences, each within the limit."""
    long = " ".join(sentence(i) for i in range(1, 7))  # ~6 x 49 characters
    text = f"Short intro.\n\n{long}\n\nShort outro."
    passages = split_passages(source_of(text), max_chars=120)
    assert [p.id for p in passages] == ["s:1", "s:2.1", "s:2.2", "s:2.3", "s:3"]
    middle = passages[1:4]
    assert [p.part for p in middle] == [1, 2, 3] and {p.paragraph for p in middle} == {2}
    assert all(len(p.text) <= 120 and p.text.startswith("Sentence") and p.text.endswith(".") for p in middle)
    assert " ".join(p.text for p in middle) == long
    assert passages[4].paragraph == 3


def test_paragraph_at_exactly_max_chars_stays_whole():
    """The limit is inclusive: a paragraph of exactly max_chars is one passage with no part number."""
    text = "x" * 59 + "."
    (passage,) = split_passages(source_of(text), max_chars=60)
    assert passage.id == "s:1" and passage.part is None and passage.text == text


def test_sentence_longer_than_the_limit_is_cut_at_spaces():
    """One sentence over max_chars is cut at spaces, never mid-word when a space is available."""
    words = " ".join(f"w{i:02d}" for i in range(60))  # 239 characters, no full stop
    passages = split_passages(source_of(words), max_chars=50)
    assert all(len(p.text) <= 50 for p in passages)
    assert " ".join(p.text for p in passages) == words


def test_sentence_longer_than_the_limit_is_cut_at_any_white_space():
    """Words separated by line breaks or tabs (a list, one item per line) are cut between words, not inside them."""
    words = [f"item{i:02d}" for i in range(40)]
    text = "\n".join(words[:20]) + "\t" + "\t".join(words[20:])
    passages = split_passages(source_of(text), max_chars=45)
    assert all(len(p.text) <= 45 for p in passages)
    assert [w for p in passages for w in p.text.split()] == words


def test_default_limit_fits_three_quotes_in_a_discord_message():
    """MAX_PASSAGE_CHARS is the documented 900 and is what split_passages uses by default."""
    assert MAX_PASSAGE_CHARS == 900
    text = " ".join(sentence(i, words=20) for i in range(40))
    assert max(len(p.text) for p in split_passages(source_of(text))) <= 900
    assert len(split_passages(source_of(text))) > 1


@pytest.mark.parametrize("has_caption", [True, False])
def test_first_paragraph_is_a_caption_only_when_the_source_says_so(has_caption):
    """With has_caption the first paragraph (all its parts) is kind "caption"; the rest, and all without it, "body"."""
    caption = " ".join(sentence(i) for i in range(3))
    passages = split_passages(source_of(f"{caption}\n\nBody one.\n\nBody two.", has_caption=has_caption), max_chars=60)
    first = [p for p in passages if p.paragraph == 1]
    assert len(first) > 1
    assert {p.kind for p in first} == ({"caption"} if has_caption else {"body"})
    assert {p.kind for p in passages if p.paragraph > 1} == {"body"}


def test_max_chars_below_forty_is_refused():
    """A limit too small to hold a sentence raises ValueError saying the minimum."""
    with pytest.raises(ValueError, match="at least 40"):
        split_passages(source_of("Text."), max_chars=39)


def test_seed_article_splits_into_its_paragraphs(seed_corpus):
    """The seed article's passages are its 21 paragraphs, the first a caption, each quoting the text exactly."""
    (source,) = seed_corpus.sources
    passages = split_passages(source)
    assert len(passages) == 21
    assert passages[0].kind == "caption" and passages[0].text.startswith("Cartel boss")
    assert all(source.text[p.start : p.end] == p.text for p in passages)


# --- properties --------------------------------------------------------------------------------------------------

LONG_WORD = st.integers(1, 400).map(lambda n: "W" * n)
PIECES = st.one_of(
    st.sampled_from(
        [
            *["The U.S. said so.", "Feb. 23", " ", "  ", "\n", "\n\n", "\n \t\n", "\r", "\r\n", "\t", "\u2028"],
            *["\u2029", "\u00a0", "\x0c", "\x85", "Yes!", "?", "...", "é", "中文", "🙂", "\u200b", "Mr. Smith."],
        ]
    ),
    st.text(max_size=30),
    LONG_WORD,
)
TEXTS = st.lists(PIECES, max_size=60).map("".join).filter(lambda t: t.strip())


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, max_chars=st.integers(40, 300))
@example(text="a" * 1000, max_chars=40)
@example(text="A sentence long enough that the paragraph is split. !!", max_chars=40)  # pysbd drops the "!!"
@example(text="word\u2028" * 100, max_chars=40)
@example(text=("x\r" * 30 + ". ") * 10, max_chars=40)
def test_passages_quote_the_source_exactly_and_lose_nothing(text, max_chars):
    """For any text: each passage is source.text[start:end], non-empty, stripped, within max_chars; passages are in
    order, do not overlap, have unique ids; and every visible character of the source is in some passage."""
    source = source_of(text)
    passages = split_passages(source, max_chars=max_chars)
    covered = [False] * len(text)
    previous_end = 0
    for p in passages:
        assert source.text[p.start : p.end] == p.text
        assert p.text and p.text == p.text.strip()
        assert len(p.text) <= max_chars
        assert p.start >= previous_end
        previous_end = p.end
        covered[p.start : p.end] = [True] * (p.end - p.start)
    assert len({p.id for p in passages}) == len(passages)
    assert [p.paragraph for p in passages] == sorted(p.paragraph for p in passages)
    lost = [char for i, char in enumerate(text) if not char.isspace() and not covered[i]]
    assert not lost


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_paragraph_spans_are_ordered_trimmed_and_cover_the_text(text):
    """Paragraph spans are in order, non-empty, trimmed, and hold every visible character."""
    spans = paragraph_spans(text)
    previous_end = 0
    covered = [False] * len(text)
    for start, end in spans:
        assert previous_end <= start < end
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered[start:end] = [True] * (end - start)
        previous_end = end
    assert all(covered[i] for i, char in enumerate(text) if not char.isspace())


def test_a_huge_paragraph_is_split_at_sentence_starts_across_segmentation_windows():
    """A paragraph far over the segmentation window (pysbd is quadratic, so it is segmented in windows) still
    splits into passages that start at sentences, lose nothing and keep "U.S."/"Feb. 23" inside sentences."""
    from retrieval.sources.splitting import SENTENCE_WINDOW_CHARS

    sentence = "The U.S. envoy met officials on Feb. 23 in Jalisco. Officials said talks went well. "
    text = sentence * (3 * SENTENCE_WINDOW_CHARS // len(sentence))
    source = Source(id="s", file_name="s.txt", title="t", text=text.strip(), sha256="0")
    passages = split_passages(source)
    assert len(passages) > 3 * SENTENCE_WINDOW_CHARS // MAX_PASSAGE_CHARS
    for passage in passages:
        assert source.text[passage.start : passage.end] == passage.text
        assert passage.text.startswith(("The U.S. envoy", "Officials said"))
        assert passage.text.endswith(("Jalisco.", "went well."))
    assert "".join(p.text for p in passages).replace(" ", "") == source.text.replace(" ", "")
