"""The renderer: Discord's limits, no pings, bold best sentence, shortening at sentence boundaries."""

from __future__ import annotations

import hashlib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.limits import CONTENT_LIMIT
from bot.render import neutralize_mentions, render_answer, render_quote, render_sources, render_summary
from retrieval.corpus import Corpus
from retrieval.models import Answer, Hit, Source, Summary, SummarySentence

PINGS = re.compile(r"@(everyone|here)|<@[!&]?\d+>")
HOSTILE = ["@everyone", "@here", "<@&123>", "<@!456>", "<@789>", "**", "> ", "\n", "\n\n", "`", "_", "U.S.", " "]
HOSTILE += ["\u202e", "\u2066", "\x1b[2J", "\x9b31m", "\x00", "\r"]  # bidi override and isolate, terminal escapes
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
words = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE)), max_size=400).map("".join)


def _source(text: str, title: str = "Title", url: str | None = None, sid: str = "s") -> Source:
    return Source(
        id=sid,
        file_name=f"{sid}.txt",
        title=title,
        url=url,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def assert_sendable(content: str) -> None:
    assert 0 < len(content) <= CONTENT_LIMIT
    assert content.strip()
    assert not PINGS.search(content), content
    assert not CONTROLS.search(content), ascii(content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=words, question=st.text(max_size=2000) | words, title=st.text(max_size=500) | words, data=st.data())
def test_any_answer_renders_within_limits_without_pings(body, question, title, data):
    """Whatever the passages, question and title, the reply is non-empty, at most 2000 characters, pings no one."""
    text = body if body.strip() else "fallback text."
    corpus = Corpus.build([_source(text, title=title or "t", url=data.draw(st.none() | st.just("https://e.x/@here")))])
    hits = tuple(Hit(passage=p, score=1.0) for p in corpus.passages[:3])
    focus = None
    if hits and len(hits[0].passage.text) > 1:
        start = data.draw(st.integers(0, len(hits[0].passage.text) - 1))
        focus = (start, data.draw(st.integers(start + 1, len(hits[0].passage.text))))
    answer = Answer(question=question or "?", hits=hits, best_sentence=focus)
    if data.draw(st.booleans()):
        answer = Answer(question=question or "?", not_covered_reason=f"The sources don't mention “{question}”.")
    assert_sendable(render_answer(answer, corpus))


@settings(max_examples=60, deadline=None)
@given(sentences=st.lists(words.filter(str.strip), min_size=1, max_size=30), title=words)
def test_any_summary_renders_as_messages_within_limits(sentences, title):
    """A summary of any sentences is split into messages, each within limits, none empty, none pinging."""
    text = "\n\n".join(sentences)
    source = _source(text, title=title or "t")
    rows = tuple(
        SummarySentence(source_id="s", paragraph=i + 1, start=0, end=len(s), text=s) for i, s in enumerate(sentences)
    )
    for message in render_summary(Summary(source_id="s", source_title=source.title, sentences=rows), source):
        assert_sendable(message)


def test_a_summary_shorter_than_asked_says_why():
    """Asked for 5 sentences of a 2-sentence article, the summary says it has 2, not 5, and why; a full one does not."""
    from retrieval.sources.splitting import split_passages
    from retrieval.summaries.summarizing import summarize

    source = _source("First point.\n\nSecond point about something else.")
    (short,) = render_summary(summarize(source, split_passages(source), 5), source)
    assert "(2 sentences, not 5: the source has no more distinct sentences to quote)" in short
    (full,) = render_summary(summarize(source, split_passages(source), 2), source)
    assert "(2 sentences)" in full and "not 2" not in full


def test_many_sources_list_in_several_messages_each_within_limits():
    """A folder of 300 sources is listed in several messages, none over the limit, none lost."""
    sources = [
        _source(f"Text number {i}.", title=f"@everyone Title {i} " * 5, sid=f"source-{i:03}") for i in range(300)
    ]
    messages = render_sources(Corpus.build(sources))
    assert len(messages) > 1
    for message in messages:
        assert_sendable(message)
    assert sum(m.count("\n- `source-") + m.startswith("- `source-") for m in messages) == 300


def test_a_line_break_in_a_skipped_file_name_cannot_forge_a_listing_line():
    """A skipped file named "evil\n- `fake`: *Fake source*" is listed on one line, so it cannot pose as a source."""
    skipped = [("evil\n- `fake`: *Fake source*, 9 paragraphs.png", "not a source type (.txt, .md)")]
    (message,) = render_sources(Corpus.build([_source("Text.")], skipped=skipped))
    lines = message.split("\n")
    assert len(lines) == 3 and lines[2].startswith("- skipped evil - \\`fake\\`: \\*Fake source\\*, 9")


def test_skipped_files_past_twenty_are_counted_not_dropped():
    """/sources lists twenty skipped files and says how many more there are, so a mistyped sidecar is not hidden."""
    skipped = [(f"f{i:02}.pdf", "not a source type (.txt, .md)") for i in range(30)]
    messages = render_sources(Corpus.build([_source("Text.")], skipped=skipped))
    text = "\n".join(messages)
    assert text.count("- skipped ") == 20 and "- …and 10 more skipped files" in text


def test_mentions_are_neutralised_in_every_form():
    """@everyone, @here, role, user and nickname mentions all come out as text that pings no one."""
    text = "@everyone BREAKING <@&123> <@456> <@!789> @here"
    assert not PINGS.search(neutralize_mentions(text))
    assert neutralize_mentions("mail me at a@b.c") == "mail me at a@b.c"


def test_best_sentence_is_bold_and_a_long_quote_is_cut_at_sentence_boundaries():
    """A quote over its budget keeps whole sentences around the bold one, with ellipses where text was left out."""
    sentences = [f"Sentence number {i} says something about the raid in Jalisco state." for i in range(20)]
    text = " ".join(sentences)
    focus_start = text.index("Sentence number 10")
    focus = (focus_start, focus_start + len(sentences[10]))
    quote, shortened = render_quote(text, 300, focus)
    assert shortened and len(quote) <= 300
    assert f"**{sentences[10]}**" in quote
    assert quote.startswith("> …") and quote.endswith("…")
    inner = quote.removeprefix("> … ").removesuffix(" …").replace("**", "")
    assert all(part.strip().endswith("state.") for part in inner.split("Sentence")[1:])


def test_a_quote_that_fits_is_shown_whole():
    """A short passage is quoted whole, unshortened, markdown escaped."""
    quote, shortened = render_quote("A *short* passage.", 500)
    assert (quote, shortened) == ("> A \\*short\\* passage.", False)


def test_answer_cites_title_paragraph_and_url_without_preview():
    """The citation gives the title, the paragraph, and the URL in angle brackets (no link preview)."""
    corpus = Corpus.build([_source("First.\n\nSecond paragraph here.", url="https://example.org/a")])
    answer = Answer(question="q", hits=(Hit(passage=corpus.passages[1], score=2.0),))
    content = render_answer(answer, corpus)
    assert "— *Title*, paragraph 2 · <https://example.org/a>" in content


def test_ids_in_code_spans_cannot_close_the_span_or_ping():
    """An id shown as inline code loses backticks and breaks mentions, and is not markdown-escaped."""
    from bot.render import code

    assert code("000_309c:3") == "`000_309c:3`"
    assert code("x` @everyone `y") == "`x @\u200beveryone y`"


def test_controls_and_bidi_overrides_never_reach_the_reply():
    """A right-to-left override in a source would show the quoted line reversed, and ESC starts a terminal escape in
    the console: both are dropped from every rendered string, whole escape sequences with them ("\x1b[2J" leaves no
    "[2J"), the visible text kept."""
    corpus = Corpus.build([_source("Plain \u202eevil\u202c text \x1b[2Jhere.\n\nSecond.", title="T\u2066itle\x07")])
    answer = Answer(question="who\x1b[31m?", hits=(Hit(passage=corpus.passages[0], score=1.0),))
    content = render_answer(answer, corpus)
    assert "Plain evil text here." in content
    assert "*Title*" in content and "who?" in content
    assert not CONTROLS.search(content)


def test_question_cleaning_drops_discord_tokens():
    """Mentions, channel links, command mentions, custom emoji and timestamps are not words of a question."""
    from bot.replies import clean_question

    text = "<@1> <@!2> <@&3> <#4> </ask:5> <:wave:6> <t:1700000000:R> @everyone @here who led the cartel?"
    assert clean_question(text) == "who led the cartel?"


def test_question_cleaning_drops_terminal_escape_sequences_whole():
    """A colour code or screen clear pasted into a console question goes whole, not just its ESC: "\x1b[31mWho"
    would otherwise leave the word "31mWho" and the question be refused for it."""
    from bot.replies import clean_question

    assert clean_question("\x1b[2J\x1b[31mWho led the cartel?\x1b[0m") == "Who led the cartel?"
    assert clean_question("\x1b]0;a title\x07who led\x9b1m the cartel?") == "who led the cartel?"


def test_a_link_in_the_question_is_echoed_as_code_not_as_a_link():
    """The bot never posts a clickable link a member typed: in the echoed question a link is inline code (with
    its markdown left as typed), the rest escaped as before."""
    corpus = Corpus.build([_source("First.\n\nSecond paragraph here.")])
    question = "is *this* true? https://evil.example/a_b?x=1 see www.other.example"
    content = render_answer(Answer(question=question, hits=(Hit(passage=corpus.passages[1], score=2.0),)), corpus)
    header = content.splitlines()[0]
    assert header == r"**Q:** is \*this\* true? `https://evil.example/a_b?x=1` see `www.other.example`"
