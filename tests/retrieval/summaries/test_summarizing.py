"""The extractive summarizer: verbatim sentences with offsets and paragraph citations, in source order, no repeats,
captions and credit lines left out, and degree centrality computed as its formula says."""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.corpus import Corpus
from retrieval.models import Source
from retrieval.sources.splitting import split_passages
from retrieval.summaries.scoring import degree_centrality
from retrieval.summaries.summarizing import is_credit_line, is_page_furniture, reattach_closing_quotes, summarize


def make_source(text: str, *, source_id: str = "article", has_caption: bool = False) -> Source:
    return Source(
        id=source_id,
        file_name=f"{source_id}.txt",
        title="A test article",
        text=text,
        has_caption=has_caption,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def summary_of(text: str, sentences: int = 5, **kwargs):
    source = make_source(text, **kwargs)
    return source, summarize(source, split_passages(source), sentences)


# A lede that shares few words with the rest, then paragraphs about a budget vote, whose sentences are central.
BUDGET = (
    "Rain fell on Tuesday morning.\n\n"
    "The city council approved the budget for schools after a long vote on the budget. "
    "Parents had asked the council to raise the school budget.\n\n"
    "A spokesman thanked the gardeners.\n\n"
    "The mayor said the council budget vote gives schools more money for teachers. "
    "The council will vote again on the budget next year."
)


def test_sentences_are_verbatim_slices_of_the_source():
    """Every summary sentence is exactly ``source.text[start:end]`` and names its source."""
    source, summary = summary_of(BUDGET, 3)
    assert summary.sentences
    for sentence in summary.sentences:
        assert source.text[sentence.start : sentence.end] == sentence.text
        assert sentence.source_id == source.id
    assert summary.source_id == source.id and summary.source_title == source.title


def test_sentences_come_in_source_order_even_when_ranked_otherwise():
    """The chosen sentences are returned in the order they appear, not in score order."""
    _, summary = summary_of(BUDGET, 3)
    starts = [s.start for s in summary.sentences]
    assert starts == sorted(starts)
    texts = [s.text for s in summary.sentences]
    assert "Rain fell on Tuesday morning." not in texts  # not just the lead: ranking happened
    assert "A spokesman thanked the gardeners." not in texts


def test_each_sentence_cites_the_paragraph_it_comes_from():
    """A sentence's ``paragraph`` is the 1-based number of the paragraph whose span contains it."""
    source, summary = summary_of(BUDGET, 10)
    passages = split_passages(source)
    for sentence in summary.sentences:
        (passage,) = [p for p in passages if p.start <= sentence.start and sentence.end <= p.end]
        assert sentence.paragraph == passage.paragraph
    assert {s.paragraph for s in summary.sentences} == {1, 2, 3, 4}


def test_abbreviations_and_dates_do_not_end_a_sentence():
    """Abbreviations such as "U.S." and "Feb. 23" stay inside their sentence (pysbd), not cut into two."""
    text = (
        "The U.S. Congress met on Feb. 23 to vote on the border bill. "
        "Senators from the U.S. Senate said the border bill would pass. "
        "The vote on the border bill was close."
    )
    _, summary = summary_of(text, 3)
    texts = [s.text for s in summary.sentences]
    assert "The U.S. Congress met on Feb. 23 to vote on the border bill." in texts
    assert "Senators from the U.S. Senate said the border bill would pass." in texts
    assert not any(t.endswith(("U.S.", "Feb.")) for t in texts)


def test_a_sentence_is_never_repeated_nor_nearly_repeated():
    """A sentence that appears twice, or again with one word changed, is quoted once."""
    text = (
        "The council approved the school budget on Monday after a long debate.\n\n"
        "The council approved the school budget on Monday after a long debate.\n\n"
        "The council approved the school budget on Monday after a lengthy debate.\n\n"
        "Teachers welcomed the extra money for books."
    )
    _, summary = summary_of(text, 4)
    texts = [s.text for s in summary.sentences]
    assert len(texts) == len(set(texts)) == 2
    assert sum("approved the school budget" in t for t in texts) == 1


def test_a_short_article_is_quoted_whole():
    """An article with fewer sentences than asked returns all of them; one sentence returns that sentence."""
    _, one = summary_of("Only one sentence here.", 5)
    assert [s.text for s in one.sentences] == ["Only one sentence here."]
    _, two = summary_of("First point.\n\nSecond point about something else.", 5)
    assert [s.text for s in two.sentences] == ["First point.", "Second point about something else."]
    assert (one.requested, two.requested) == (5, 5)


def test_photo_caption_is_left_out():
    """The caption paragraph is not summarized even when its words are the article's most central."""
    text = (
        "The council budget vote on schools, the council budget, schools.\n\n"
        "The council approved the budget for schools.\n\n"
        "Parents welcomed the school budget."
    )
    source, summary = summary_of(text, 5, has_caption=True)
    assert split_passages(source)[0].kind == "caption"
    assert [s.paragraph for s in summary.sentences] == [2, 3]


@pytest.mark.parametrize(
    "credit",
    [
        "Special correspondent Cecilia Sánchez Vidal contributed to this report.",
        "Reporting by Jane Doe in Mexico City; Editing by John Roe.",
        "(Additional reporting by Ana Ruiz; Writing by Tom Lee)",
    ],
)
def test_credit_lines_are_left_out_of_the_summary(credit):
    """Bylines and credit lines are not summary sentences, even when every sentence is asked for."""
    text = f"The council approved the budget for schools.\n\nParents welcomed the school budget.\n\n{credit}"
    _, summary = summary_of(text, 10)
    assert [s.text for s in summary.sentences] == [
        "The council approved the budget for schools.",
        "Parents welcomed the school budget.",
    ]


@pytest.mark.parametrize(
    ("sentence", "credit"),
    [
        ("Special correspondent Cecilia Sánchez Vidal contributed to this report.", True),
        ("Reporting by Jane Doe; Editing by John Roe", True),
        ("By Jane Doe, Associated Press", True),
        ("Copyright 2026 The Associated Press.", True),
        ("By then, prices had risen.", False),
        ("By Tuesday, the army had withdrawn.", False),
        ("The agency contributed to the report on climate change.", False),
        ("He said the reporting by the BBC was unfair.", False),
    ],
)
def test_credit_line_pattern_tells_credits_from_news(sentence, credit):
    """The credit-line pattern catches bylines and credits but not news sentences that share their words."""
    assert is_credit_line(sentence) is credit


def test_fewer_than_one_sentence_is_an_error():
    """Asking for 0 sentences raises ValueError saying how many are allowed."""
    source = make_source("One sentence.")
    with pytest.raises(ValueError, match="at least 1"):
        summarize(source, split_passages(source), 0)


def test_passages_of_another_source_are_rejected():
    """Passages split from a different source raise ValueError instead of quoting wrong offsets."""
    source = make_source("One sentence.")
    other = make_source("Something else entirely.", source_id="other")
    with pytest.raises(ValueError, match="split_passages"):
        summarize(source, split_passages(other), 3)


def test_closing_quote_goes_back_to_its_sentence():
    """A closing quotation mark pysbd puts at the start of the next sentence is returned to the one it closes."""
    text = 'He said: "It is fun.\n"It is the best."\nA great deal of evidence proves it.'
    _, summary = summary_of(text, 5)
    texts = [s.text for s in summary.sentences]
    assert texts[-1] == "A great deal of evidence proves it."
    assert texts[-2].endswith('best."')


def test_reattach_closing_quotes_leaves_opening_quotes_alone():
    """A sentence that opens with a quotation mark followed by a word keeps it."""
    text = 'He left. "Go now," she said.'
    spans = [(0, 8), (9, len(text))]
    assert reattach_closing_quotes(text, spans) == spans


def test_seed_summary_skips_caption_and_credit(seed_corpus: Corpus):
    """On the seed article the summary quotes body sentences only: no photo caption, no contributor line."""
    source = seed_corpus.sources[0]
    summary = summarize(source, seed_corpus.passages_of(source.id), 5)
    assert len(summary.sentences) == 5
    caption_paragraphs = {p.paragraph for p in seed_corpus.passages_of(source.id) if p.kind == "caption"}
    assert caption_paragraphs and not caption_paragraphs & {s.paragraph for s in summary.sentences}
    assert not any("contributed to this report" in s.text for s in summary.sentences)
    assert all(source.text[s.start : s.end] == s.text for s in summary.sentences)


def test_seed_summary_leads_with_what_happened(seed_corpus: Corpus):
    """One sentence is the call (paragraph 2, the story's first body paragraph), and five leave out the reaction
    quote “What cynicism from Trump,” that centrality alone used to pick."""
    source = seed_corpus.sources[0]
    passages = seed_corpus.passages_of(source.id)
    (lede,) = summarize(source, passages, 1).sentences
    assert lede.paragraph == 2 and lede.text.startswith("President Trump telephoned his Mexican counterpart")
    five = summarize(source, passages, 5).sentences
    assert not any("cynicism" in s.text or "Mexican heroes died" in s.text for s in five)
    assert five[0] == lede


# A lede with the facts, then a reaction quote that repeats the story's words more often than the lede does.
FIRE = (
    "Firefighters rescued twelve guests from a burning hotel in Leeds early on Monday, and no one was hurt.\n\n"
    "The fire started in the hotel kitchen shortly after two in the morning, the fire service said.\n\n"
    "“The hotel fire was terrible, the fire spread through the hotel so fast, and the firefighters saved us,” "
    "one guest said.\n\n"
    "The hotel will stay closed while the fire service investigates the cause of the kitchen fire.\n\n"
    "Scroll down for video.\n\n"
    "Guests were moved to other hotels in the city centre by the owners, who thanked the fire crews."
)


def test_the_lede_and_reported_facts_come_before_a_reaction_quote():
    """Asked for two sentences, the summary keeps the lede and a reported fact, not the guest's quote, though the
    quote repeats "fire" and "hotel" most."""
    _, summary = summary_of(FIRE, 2)
    texts = [s.text for s in summary.sentences]
    assert texts[0].startswith("Firefighters rescued twelve guests")
    assert not any(t.startswith("“The hotel fire was terrible") for t in texts)


def test_page_furniture_is_never_quoted():
    """ "Scroll down for video." is left out even when every sentence is asked for."""
    _, summary = summary_of(FIRE, 15)
    assert len(summary.sentences) == 5
    assert "Scroll down for video." not in [s.text for s in summary.sentences]


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("Scroll down for video .", True),
        ("READ MORE: The future of transportation will blow your hair back .", True),
        ("Follow @CNNPhotos on Twitter to join the conversation about photography.", True),
        ("Click here to read the full report.", True),
        ("Police said they would read more of the messages before deciding.", False),
        ("Viewers were told to scroll down the page to vote.", False),
    ],
)
def test_page_furniture_pattern_tells_navigation_from_news(sentence, furniture):
    """Navigation pasted into an article is furniture; the same words inside a news sentence are not."""
    assert is_page_furniture(sentence) is furniture


def test_the_sentence_sharing_most_words_is_most_central():
    """Degree centrality ranks the sentence that overlaps the others most first; a sentence with no terms scores 0."""
    counts = [Counter({"budget": 1, "vote": 1}), Counter({"budget": 1, "school": 1}), Counter({"rain": 1}), Counter()]
    scores = degree_centrality(counts, length_exponent=0.0)
    assert scores[0] == pytest.approx(scores[1]) and scores[0] > scores[2]
    assert scores[2] == 0.0 and scores[3] == 0.0


@given(
    st.lists(
        st.dictionaries(st.sampled_from("abcdef"), st.integers(min_value=1, max_value=4), min_size=1),
        min_size=1,
        max_size=8,
    )
)
def test_degree_centrality_equals_the_pairwise_cosine_sum(rows):
    """The linear-time formula gives the same scores as summing cosine similarity over every other sentence."""
    counts = [Counter(row) for row in rows]

    def cosine(a: Counter, b: Counter) -> float:
        dot = sum(v * b[t] for t, v in a.items())
        return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))

    expected = [sum(cosine(a, b) for j, b in enumerate(counts) if j != i) for i, a in enumerate(counts)]
    assert degree_centrality(counts, length_exponent=0.0) == pytest.approx(expected, abs=1e-9)
