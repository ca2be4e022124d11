"""Sentence spans: exact offsets into the text, in order, trimmed, losing nothing, and abbreviations kept whole."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from retrieval.sources.sentences import sentence_spans

# Letters, punctuation that ends or fakes sentence ends, and the white space pysbd or str.strip treat specially.
ALPHABET = st.sampled_from(
    [
        *"ab Z.!?\"'()…-\n\r\t\u2028\u2029\u00a0\u3000\x0b\x0c\x85",
        "é",
        "中",
        "🙂",
        "U.S.",
        "Feb.",
        " no.",
        " a.",
        " ſt.",
        "\u212at.",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(ALPHABET, max_size=80).map("".join),
    st.lists(st.sampled_from(["Mr. Smith went.", " ", "\n", "U.S. troops.", "x" * 50, "Yes!", "?", "\u2028"])).map(
        "".join
    ),
)


def texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[start:end] for start, end in spans]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example(" !!")  # pysbd returns no segment at all
@example("Words here in a sentence. !!")  # pysbd drops the trailing "!!"
def test_spans_are_valid_ordered_trimmed_and_lose_nothing(text):
    """Every span indexes the text, is non-empty and trimmed, follows the previous one, and together they hold
    every visible character (so a passage cut on them never drops words)."""
    spans = sentence_spans(text)
    previous_end = 0
    covered = [False] * len(text)
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered[start:end] = [True] * (end - start)
        previous_end = end
    assert all(covered[i] for i, char in enumerate(text) if not char.isspace())


def test_whitespace_only_text_has_no_sentences():
    """Text with no visible characters gives no sentences (not one empty one)."""
    assert sentence_spans("") == []
    assert sentence_spans(" \n\t\u00a0\u2028") == []


def test_text_pysbd_drops_stays_in_the_sentence_before():
    """Stray punctuation pysbd leaves out of every segment is kept, in the sentence before it."""
    text = "Words here in a sentence. !!"
    assert texts(sentence_spans(text), text) == [text]
    assert texts(sentence_spans(" !!"), " !!") == ["!!"]


def test_abbreviations_do_not_end_sentences():
    """ "U.S." and "Feb. 23" stay inside their sentence, as in the seed article."""
    text = "The U.S. said so. It happened on Feb. 23, 2026, in Jalisco. Then it ended."
    assert texts(sentence_spans(text), text) == [
        "The U.S. said so.",
        "It happened on Feb. 23, 2026, in Jalisco.",
        "Then it ended.",
    ]


def test_single_line_breaks_do_not_end_sentences_but_offsets_keep_them():
    """Hard-wrapped text stays one sentence, and its span still covers the original line break."""
    text = "  President Trump telephoned\nhis counterpart. She   answered.\n"
    spans = sentence_spans(text)
    assert texts(spans, text) == ["President Trump telephoned\nhis counterpart.", "She   answered."]
    assert spans[0][0] == 2


def test_question_and_exclamation_marks_end_sentences():
    """ "?" and "!" end sentences like full stops, and quotes stay with the sentence they close."""
    text = "He asked: \u201cWhat\u2019s going on?\u201d Nobody knew! Fine."
    assert texts(sentence_spans(text), text) == ["He asked: \u201cWhat\u2019s going on?\u201d", "Nobody knew!", "Fine."]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example("Mr. Smith went. Mr. Smith went. Mr. Smith went.")  # the same sentence again: the next occurrence
@example("Yes! Yes!  Yes!\nYes!")
@example("He was first at \u017ft. mary church. Then he left.")  # "ſ" matches "s" case-insensitively, lowered or not
@example("He paused . . . Then left.")  # ellipses without three full stops in a row
@example("It ended. . . . Then more.")
@example("Later... Much later.... The end")
@example("Signs: &ᓴ& and ∯ and ☉ already in the text? Yes!")  # symbols pysbd substitutes back, typed in the text
def test_sentence_offsets_found_by_find_equal_pysbds_own(text):
    """Our segmenter places each sentence where pysbd's regular-expression search places it (same segments)."""
    import pysbd

    from retrieval.sources.sentences import _Segmenter

    flat = text.replace("\n", " ")
    ours, theirs = _Segmenter(clean=False), pysbd.Segmenter(language="en", clean=False)
    assert ours.segment(flat) == theirs.segment(flat)
    ours.original_text = theirs.original_text = flat
    sentences = [flat[i : i + 7] for i in range(0, len(flat), 5)] + ["", flat[:3]]
    found = [(s.sent, s.start, s.end) for s in ours.sentences_with_char_spans(sentences)]
    assert found == [(s.sent, s.start, s.end) for s in theirs.sentences_with_char_spans(sentences)]


def test_segments_equal_pysbds_own_on_news_paragraphs(shared_dir):
    """The faster abbreviation pass gives pysbd's own segments on real paragraphs full of abbreviations ("U.S.",
    "Mr.", "Feb.", "a.m."): every XQuAD context and the paragraphs of the first 40 BBC articles."""
    import json

    import pysbd

    from retrieval.sources.sentences import _Segmenter

    xquad = json.loads((shared_dir / "data" / "xquad-en" / "xquad.en.json").read_text(encoding="utf-8"))
    paragraphs = [p["context"] for article in xquad["data"] for p in article["paragraphs"]]
    with (shared_dir / "data" / "bbc-news-summary-100" / "bbc_news_summary_100.jsonl").open(encoding="utf-8") as lines:
        for _, line in zip(range(40), lines, strict=False):
            paragraphs += json.loads(line)["paragraphs"]
    ours, theirs = _Segmenter(clean=False), pysbd.Segmenter(language="en", clean=False)
    assert len(paragraphs) > 300
    for paragraph in paragraphs:
        flat = paragraph.replace("\n", " ")
        assert ours.segment(flat) == theirs.segment(flat)


LIST_PIECES = st.sampled_from(
    [*"ab iv x1 2 9 0 . ) ( - \u2043 \n \r \t \u00a0".split(" "), " ", "1.", "2.", "a.", "b.", "i.", "ii.", "(c)", "3)"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LIST_PIECES, max_size=40).map("".join))
@example("a. one b. two c. three")  # a letter list at the very start (no white space before "a")
@example("1. one 2. two 3. three")
@example("-1. one -2. two")
@example("1.) one 2.) two")  # no white space after the full stops
@example("\u0661. one \u0662. two")  # digits that ``\d`` matches and ``[0-9]`` does not
@example("see \u20431. one \u20432. two")
@example("(a) one (b) two (c) three")
@example("1) one 2) two 3) three")
@example("(i) one (ii) two")
@example("a) one b) two")
def test_list_items_marked_as_pysbd_marks_them(text):
    """The list-item pass that skips searches which cannot find a marker marks what pysbd's own marks."""
    from pysbd.lists_item_replacer import ListItemReplacer

    from retrieval.sources.sentences import _ListItemReplacer

    assert _ListItemReplacer(text).add_line_break() == ListItemReplacer(text).add_line_break()


@settings(max_examples=300, deadline=None)
@given(st.lists(LIST_PIECES, max_size=40).map("".join))
@example("(a) b) (c)d) é)")
def test_letters_in_parentheses_found_where_pysbds_pattern_finds_them(text):
    import re

    from pysbd.lists_item_replacer import ListItemReplacer

    from retrieval.sources.sentences import _LETTERS_IN_PARENTHESES

    assert re.findall(_LETTERS_IN_PARENTHESES, text) == re.findall(ListItemReplacer.ALPHABETICAL_LIST_WITH_PARENS, text)
