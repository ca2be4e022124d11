"""Topic summaries: only sentences that speak of the topic, from every source that does, verbatim and cited, ordered
by source date then position, no near-duplicates across sources, and a clear "not covered"."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from retrieval.corpus import Corpus, load_corpus
from retrieval.errors import UnknownSource
from retrieval.models import Source
from retrieval.sources.splitting import split_passages
from retrieval.summaries.topics import MAX_TOPIC_CHARS, EmptyTopic, TopicTooLong, summarize_topic

WIRE = "Voss, 27, had been out for four months with a stress fracture in her left foot."

# Four hand-written articles. "voss-injury" (published first) and "voss-win" (published later) are about the runner
# Mara Voss; "city-budget" has no date and mentions her once, plus the same wire sentence as "voss-injury";
# "harbour" never names her. Sentences about the topic are exactly those that say "Voss".
ARTICLES = {
    "voss-win": (
        "2026-03-02",
        "Mara Voss crossed the line first in the city marathon on Sunday.\n\n"
        "The race started in heavy rain, and thousands of people lined the route along the river.\n\n"
        "Voss ran the final ten kilometres alone, well clear of the chasing group of four runners.\n\n"
        "Organisers said the course would be the same next year.",
    ),
    "voss-injury": (
        "2026-02-20",
        "A photo of Voss training on the track in the snow.\n\n"
        "Mara Voss will miss the indoor season, her coach told reporters on Friday.\n\n"
        f"{WIRE}\n\n"
        "The indoor championships are held in March, in a hall beside the old railway station.",
    ),
    "city-budget": (
        None,
        "The city council approved its budget for the coming year after a long debate on Tuesday.\n\n"
        f"Funding for the marathon, which Voss won last spring, was kept. {WIRE}\n\n"
        "Councillor Brantweil argued about the cost of the new library for most of the evening.",
    ),
    "harbour": (
        "2026-03-05",
        "The harbour reopened to fishing boats after the storm damaged two piers last week.\n\n"
        "Repairs to the piers will cost the port authority about two million pounds, said harbour master Ade Okonjo.",
    ),
}


def write_library(folder: Path) -> Path:
    folder.mkdir()
    for name, (published, text) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        meta = [f"title: {name.replace('-', ' ').title()}"]
        if published:
            meta.append(f"published: {published}")
        if name == "voss-injury":
            meta.append("caption: true")
        (folder / f"{name}.meta.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The four hand-written articles, loaded from a folder with sidecars as a moderator would drop them."""
    return load_corpus(write_library(tmp_path_factory.mktemp("topic") / "seeds"))


def test_every_sentence_speaks_of_the_topic_and_every_source_that_does_is_heard(library: Corpus):
    """Each returned sentence names Voss; the three sources that mention her all contribute, the harbour never."""
    summary = summarize_topic("Voss", library, 10)
    assert summary.covered and summary.not_covered_reason is None
    assert all(re.search(r"\bVoss\b", s.text) for s in summary.sentences)
    assert {s.source_id for s in summary.sentences} == {"voss-win", "voss-injury", "city-budget"}
    voss_sentences = {
        "Mara Voss crossed the line first in the city marathon on Sunday.",
        "Voss ran the final ten kilometres alone, well clear of the chasing group of four runners.",
        "Mara Voss will miss the indoor season, her coach told reporters on Friday.",
        WIRE,
        "Funding for the marathon, which Voss won last spring, was kept.",
    }
    assert {s.text for s in summary.sentences} == voss_sentences


def test_sentences_are_verbatim_and_cite_their_source_and_paragraph(library: Corpus):
    """Each sentence is ``source.text[start:end]`` of the source it names, inside the paragraph it cites."""
    for sentence in summarize_topic("Voss", library, 10).sentences:
        source = library.source(sentence.source_id)
        assert source.text[sentence.start : sentence.end] == sentence.text
        (passage,) = [p for p in split_passages(source) if p.start <= sentence.start and sentence.end <= p.end]
        assert passage.paragraph == sentence.paragraph


def test_order_is_by_source_date_then_position_with_undated_sources_last(library: Corpus):
    """The February article comes before the March one, each in paragraph order; the undated source comes last."""
    summary = summarize_topic("Voss", library, 10)
    assert [(s.source_id, s.paragraph) for s in summary.sentences] == [
        ("voss-injury", 2),
        ("voss-injury", 3),
        ("voss-win", 1),
        ("voss-win", 3),
        ("city-budget", 2),
    ]


def test_the_same_wire_sentence_in_two_sources_is_quoted_once(library: Corpus):
    """The wire sentence printed by two sources appears once, not once a source."""
    texts = [s.text for s in summarize_topic("Voss", library, 10).sentences]
    assert texts.count(WIRE) == 1


def test_at_most_n_sentences(library: Corpus):
    """Asking for two sentences gives two, though five speak of the topic."""
    assert len(summarize_topic("Mara Voss", library, 2).sentences) == 2


def test_a_photo_caption_is_never_quoted(library: Corpus):
    """The caption names Voss but is not a sentence of the story, so a topic summary leaves it out."""
    texts = [s.text for s in summarize_topic("Voss training", library, 10).sentences]
    assert "A photo of Voss training on the track in the snow." not in texts


def test_a_topic_word_no_source_holds_is_named(library: Corpus):
    """A topic the sources never mention gets no sentences and a reason naming the missing word."""
    summary = summarize_topic("the Olympics", library, 5)
    assert not summary.covered and summary.sentences == ()
    assert summary.not_covered_reason == "The sources don't mention “Olympics”."


def test_a_rare_missing_word_is_not_covered_by_sentences_about_the_rest(library: Corpus):
    """ "Voss in Paris": Paris is in no source, so sentences about Voss elsewhere do not cover it."""
    summary = summarize_topic("Voss in Paris", library, 5)
    assert not summary.covered
    assert "“Paris”" in (summary.not_covered_reason or "")


def test_words_that_never_meet_in_one_sentence_say_so(library: Corpus):
    """Two names equally rare (one source each, unknown to general English), never in one sentence: neither
    sentence holds more than half the topic, and the reason says the words never meet."""
    assert library.index.idf("okonjo") == pytest.approx(library.index.idf("brantweil"), rel=1e-3)
    summary = summarize_topic("Okonjo Brantweil", library, 5)
    assert not summary.covered
    assert summary.not_covered_reason == "No sentence in the sources speaks of “Okonjo”, “Brantweil” together."


def test_a_word_only_a_photo_caption_holds_is_not_covered(library: Corpus):
    """ "snow" is only in a caption, which is never quoted: no sentences, and a reason without "together"."""
    summary = summarize_topic("snow", library, 5)
    assert not summary.covered
    assert summary.not_covered_reason == "No sentence in the sources speaks of “snow”."


def test_the_topic_can_be_limited_to_one_source(library: Corpus):
    """With a source id, only that source is searched and quoted."""
    summary = summarize_topic("Voss", library, 10, source_id="voss-win")
    assert {s.source_id for s in summary.sentences} == {"voss-win"}
    assert summary.sources_searched == 1
    with pytest.raises(UnknownSource):
        summarize_topic("Voss", library, 10, source_id="nope")


@pytest.mark.parametrize("topic", ["", "   ", "the of and"])
def test_a_topic_with_no_word_to_look_for_is_refused(library: Corpus, topic: str):
    """Blank or stopword-only topics raise EmptyTopic, whose message says what to type instead."""
    with pytest.raises(EmptyTopic, match="the raid"):
        summarize_topic(topic, library, 5)


def test_an_overlong_topic_and_zero_sentences_are_refused(library: Corpus):
    """A topic over the limit raises TopicTooLong; fewer than one sentence is a ValueError."""
    with pytest.raises(TopicTooLong):
        summarize_topic("Voss " * (MAX_TOPIC_CHARS // 5 + 1), library, 5)
    with pytest.raises(ValueError, match="at least 1"):
        summarize_topic("Voss", library, 0)


def test_seed_topic_quotes_only_sentences_about_the_raid(seed_corpus: Corpus):
    """On the seed article, "the raid" quotes only sentences that say "raid", each with its paragraph."""
    summary = summarize_topic("the raid", seed_corpus, 5)
    assert summary.sentences
    assert all("raid" in s.text.casefold() for s in summary.sentences)


def _bbc_source(path: Path) -> Source:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    text = body.strip()
    return Source(
        id=path.stem,
        file_name=path.name,
        title=title.strip(),
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def test_two_bbc_articles_on_one_athlete(shared_dir: Path):
    """Three BBC sport articles; two are about Susan Chepkemei's ban. Her topic summary quotes both of those and
    only sentences that name her; the third article (Radcliffe's decision) never names her and is not quoted."""
    folder = shared_dir / "data" / "bbc-news-summary-100" / "corpus" / "article" / "sport"
    corpus = Corpus.build([_bbc_source(folder / f"{n}.txt") for n in ("011", "013", "019")])
    summary = summarize_topic("Chepkemei", corpus, 6)
    assert len(summary.sentences) == 6
    assert all("Chepkemei" in s.text for s in summary.sentences)
    assert {s.source_id for s in summary.sentences} == {"013", "019"}


def test_only_the_best_passages_are_read(library: Corpus, monkeypatch: pytest.MonkeyPatch):
    """With the passage cap at one, every sentence comes from the body passage BM25 ranks first for the topic (the
    caption, ranked above it, is not a candidate)."""
    from retrieval.summaries import topics

    monkeypatch.setattr(topics, "MAX_TOPIC_PASSAGES", 1)
    hits = library.index.search(library.index.tokenizer.terms("Voss"), k=len(library.index))
    best = next(h for h in hits if h.passage.kind == "body")
    summary = summarize_topic("Voss", library, 10)
    assert summary.sentences
    assert {(s.source_id, s.paragraph) for s in summary.sentences} == {(best.passage.source_id, best.passage.paragraph)}
