"""The summary score's parts: lede prior, length sweet spot, own-voice detection, and selection by novelty."""

from __future__ import annotations

from collections import Counter

import pytest

from retrieval.summaries.scoring import (
    LONG_SENTENCE_WORDS,
    SHORT_SENTENCE_WORDS,
    VOICE_FACTOR,
    cosine,
    in_own_voice,
    lede_prior,
    length_factor,
    select_novel,
    sentence_scores,
)


def test_lede_prior_is_one_at_the_start_and_half_at_the_nth_sentence():
    """1 for the first sentence, 1/2 at position N, 1/3 at 2N: a longer summary reaches further in."""
    assert lede_prior(0, 3) == 1.0
    assert lede_prior(3, 3) == pytest.approx(0.5)
    assert lede_prior(6, 3) == pytest.approx(1 / 3)
    assert lede_prior(3, 7) > lede_prior(3, 3)


def test_lede_prior_rejects_impossible_arguments():
    """A negative position or a summary of no sentences is a ValueError."""
    with pytest.raises(ValueError):
        lede_prior(-1, 3)
    with pytest.raises(ValueError):
        lede_prior(0, 0)


def test_length_factor_is_flat_in_the_sweet_spot_and_falls_outside_it():
    """Full weight from 14 to 40 words, in proportion below and above, nothing for no words."""
    assert length_factor(SHORT_SENTENCE_WORDS) == length_factor(LONG_SENTENCE_WORDS) == 1.0
    assert length_factor(7) == pytest.approx(0.5)
    assert length_factor(80) == pytest.approx(0.5)
    assert length_factor(0) == 0.0


@pytest.mark.parametrize(
    ("sentence", "own_voice"),
    [
        ("“What cynicism from Trump,” said one commentator on X.", True),
        ('"We will rebuild," the mayor said.', True),
        ("'Dad noticed the bruises around her finger,' Symantha told the paper.", True),
        ("I was much smaller than that.", True),
        ("Can they be held liable for his death?", True),
        ("Mexican heroes died!", True),
        ("The minister said the plan would cost $5m over two years.", False),
        ("U.S. officials agreed that no American forces were present.", False),
        ("The council approved the budget on Feb. 23 after a long debate.", False),
    ],
)
def test_own_voice_tells_quotes_and_reactions_from_reported_facts(sentence, own_voice):
    """Direct quotes, first/second person, questions and exclamations are own voice; reported speech is not."""
    assert in_own_voice(sentence) is own_voice


def test_a_quote_scores_below_the_same_words_reported():
    """Two sentences alike in position, length and centrality: the one in someone's voice keeps VOICE_FACTOR."""
    texts = [
        "The council will spend more money on schools and roads next year, the mayor said on Monday night.",
        '"The council will spend more money on schools and roads next year," the mayor said on Monday night.',
    ]
    counts = [Counter(t.lower().replace('"', "").split()) for t in texts]
    first, second = sentence_scores(texts, counts, sentences=100)
    assert second / first == pytest.approx(VOICE_FACTOR * (1 + 0 / 100) / (1 + 1 / 100), rel=1e-9)


def test_earlier_sentence_wins_between_equals():
    """Of sentences with the same words, the earlier scores higher (the lede prior)."""
    texts = ["Ships sail from the harbour at dawn every single day of the long summer season."] * 3
    counts = [Counter(texts[0].lower().split())] * 3
    scores = sentence_scores(texts, counts, sentences=1)
    assert scores[0] > scores[1] > scores[2]


def test_select_novel_prefers_a_new_sentence_to_a_close_repeat():
    """After the best sentence, a slightly lower one on another subject beats a close paraphrase of the best."""
    counts = [
        Counter("council budget school vote teacher".split()),
        Counter("council budget school vote money".split()),  # cosine 0.8 with the first
        Counter("river flood bridge closed".split()),
    ]
    texts = ["a", "b", "c"]
    assert cosine(counts[0], counts[1]) == pytest.approx(0.8)
    assert select_novel(texts, counts, [1.0, 0.9, 0.5], 2) == [0, 2]


def test_select_novel_skips_identical_text_and_near_duplicates_and_stops_at_the_limit():
    """The same text twice (case and spaces aside) is chosen once; a near-duplicate term set is skipped."""
    texts = ["Ships sail at dawn.", "ships  sail at DAWN.", "Ports close at night."]
    counts = [Counter(["ship", "sail", "dawn"]), Counter(["ship", "sail", "dawn"]), Counter(["port", "close", "night"])]
    assert select_novel(texts, counts, [1.0, 1.0, 0.1], 3) == [0, 2]
    assert select_novel(texts, counts, [1.0, 1.0, 0.1], 1) == [0]
