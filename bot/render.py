"""Render answers, summaries and reports as Discord message content. The console prints the same strings.

Every string from a question, a source or a file name passes through :func:`safe`: control characters and
bidirectional overrides are dropped (no terminal escapes, no reversed lines), markdown is escaped and mentions are
broken (a zero-width space after "@"), so quoted text can never ping, whatever ``allowed_mentions`` says.
Every function returns content within :data:`bot.limits.CONTENT_LIMIT` and never an empty string; functions that
can produce more return a list of messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from discord.utils import escape_markdown

from bot.limits import CONTENT_LIMIT
from retrieval.answers.query import WEB_LINK
from retrieval.corpus import Corpus, CorpusChange
from retrieval.models import Answer, Hit, Passage, Source, Summary, TopicSummary
from retrieval.sources.loading import Refusal
from retrieval.sources.sentences import sentence_spans

ELLIPSIS = "…"
QUESTION_ECHO_CHARS = 300
TITLE_CHARS = 120
URL_CHARS = 300
FIRST_QUOTE_CHARS = 1100
MIN_SUPPORTING_QUOTE_CHARS = 160
# discord.utils.escape_mentions only breaks ids of 17-20 digits; any <@…> or <@&…> is broken here.
_MENTION = re.compile(r"@(everyone|here)|<@([!&]?)(\d+)>", re.IGNORECASE)


# C0 and C1 control characters other than tab and newline (a terminal escape starts with ESC), and the bidirectional
# embeddings, overrides and isolates, with which a line of a source or a question can display reversed.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Terminal escape sequences (ECMA-48 CSI and OSC, and two-character ESC sequences), in a question or a source:
# dropping only the ESC would leave "[31m" behind in a quote, or the word "31mwho" in a question.
ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
)


def drop_controls(text: str) -> str:
    """``text`` without terminal escape sequences, control characters (tab and newline kept) and bidirectional
    overrides."""
    return _CONTROLS.sub("", ESCAPE_SEQUENCES.sub("", text))


def neutralize_mentions(text: str) -> str:
    """Break ``@everyone``, ``@here`` and user/role mention tokens so Discord shows them as text and pings no one."""
    return _MENTION.sub(lambda m: "@\u200b" + m.group(1) if m.group(1) else f"<@\u200b{m.group(2)}{m.group(3)}>", text)


def safe(text: str) -> str:
    """``text`` with control characters and bidirectional overrides dropped, Discord markdown escaped and mentions
    broken."""
    return neutralize_mentions(escape_markdown(drop_controls(text)))


def echo(text: str, limit: int = QUESTION_ECHO_CHARS) -> str:
    """A member's question or topic shown back: :func:`one_line` and :func:`safe`, with any web link in it as inline
    code, which Discord does not make a link: the bot never posts a clickable link a member typed."""
    flat = one_line(text, limit)
    parts, last = [], 0
    for link in WEB_LINK.finditer(flat):
        parts += [safe(flat[last : link.start()]), code(link.group())]
        last = link.end()
    return "".join([*parts, safe(flat[last:])])


def code(text: str) -> str:
    """``text`` as inline code, for ids a user types back: no markdown escaping (Discord would show the backslashes
    inside code), backticks removed so the span cannot close early, mentions broken. Source ids hold none of these
    (:func:`retrieval.sources.loading.source_id_for`); this is the guard for anything else."""
    return f"`{neutralize_mentions(drop_controls(text).replace('`', ''))}`"


def plural(count: int, noun: str) -> str:
    """``"1 sentence"``, ``"3 sentences"``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` as one printable line: escape sequences, control characters and bidi overrides dropped
    (:func:`drop_controls`), white space runs (line breaks included) made one space, and cut to ``limit`` characters
    with "…" when given. A title, file name or question holding a line break must not forge a line of output."""
    flat = " ".join(drop_controls(text).split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1].rstrip() + ELLIPSIS


def citation(source: Source, passage: Passage) -> str:
    """``— *Title*, paragraph N (photo caption) · <url>``; the URL in angle brackets so Discord shows no preview."""
    where = f"paragraph {passage.paragraph}" + (f", part {passage.part}" if passage.part else "")
    if passage.kind == "caption":
        where += " (photo caption)"
    line = f"— *{safe(one_line(source.title, TITLE_CHARS))}*, {where}"
    if source.url and len(source.url) <= URL_CHARS and not any(c.isspace() for c in source.url):
        line += f" · <{neutralize_mentions(drop_controls(source.url))}>"
    return line


def _blockquote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))


def render_quote(text: str, budget: int, focus: tuple[int, int] | None = None) -> tuple[str, bool]:
    """Quote ``text`` as a Discord block quote of at most ``budget`` characters, the ``focus`` span in bold.

    When the whole text does not fit, whole sentences around the focus (or from the start) are kept, with "…"
    where text was left out; a single sentence too long is cut at a word. Returns (rendered, shortened).
    """
    spans = sentence_spans(text) or [(0, len(text))]
    full = _render_window(text, spans, 0, len(spans), focus)
    if len(full) <= budget:
        return full, False
    centre = next((i for i, s in enumerate(spans) if focus and s[0] <= focus[0] < s[1]), 0)
    lo, hi = centre, centre + 1
    best = _render_window(text, spans, lo, hi, focus)
    if len(best) > budget:
        return _cut_sentence(text, spans[centre], budget), True
    grew = True
    while grew:
        grew = False
        for new_lo, new_hi in ((lo, hi + 1), (lo - 1, hi)):
            if new_lo >= 0 and new_hi <= len(spans):
                candidate = _render_window(text, spans, new_lo, new_hi, focus)
                if len(candidate) <= budget:
                    lo, hi, best, grew = new_lo, new_hi, candidate, True
                    break
    return best, True


def _render_window(text: str, spans, lo: int, hi: int, focus) -> str:
    start, end = spans[lo][0], spans[hi - 1][1]
    if lo == 0:
        start = 0
    if hi == len(spans):
        end = len(text)
    body = _emphasize(text, start, end, focus)
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(text) else ""
    return _blockquote(prefix + body + suffix)


def _emphasize(text: str, start: int, end: int, focus) -> str:
    if not focus or focus[1] <= start or focus[0] >= end:
        return safe(text[start:end])
    f0, f1 = max(focus[0], start), min(focus[1], end)
    return safe(text[start:f0]) + "**" + safe(text[f0:f1]) + "**" + safe(text[f1:end])


def _cut_sentence(text: str, span: tuple[int, int], budget: int) -> str:
    sentence = text[span[0] : span[1]]
    words = sentence.split()
    kept: list[str] = []
    for word in words:
        candidate = _blockquote(ELLIPSIS + " " + safe(" ".join([*kept, word])) + " " + ELLIPSIS)
        if len(candidate) > budget:
            break
        kept.append(word)
    if not kept:  # not even one word fits: a bare ellipsis still says something was here
        return _blockquote(ELLIPSIS)[:budget]
    return _blockquote(ELLIPSIS + " " + safe(" ".join(kept)) + " " + ELLIPSIS)


def _see_all(passage: Passage) -> str:
    return f"(shortened; {code(f'/passage id:{passage.id}')} shows it all)"


def render_answer(answer: Answer, corpus: Corpus) -> str:
    """The reply to a question: the question echoed, the best passage quoted with its source, then up to two
    supporting passages; or the reason the sources don't cover it. At most CONTENT_LIMIT characters."""
    header = f"**Q:** {echo(answer.question)}"
    if not answer.hits:
        reason = answer.not_covered_reason or "The sources don't cover that."
        return _fit(f"{header}\n\n{safe(reason)}")
    parts = [header]
    used = len(header)
    for rank, hit in enumerate(answer.hits):
        cite = citation(corpus.source(hit.passage.source_id), hit.passage)
        label = "**Also in the sources:**\n" if rank == 1 else ""
        reserve = sum(_min_quote_cost(h, corpus) for h in answer.hits[rank + 1 :])
        room = CONTENT_LIMIT - used - reserve - len(label) - len(cite) - len(_see_all(hit.passage)) - 6
        budget = min(room, FIRST_QUOTE_CHARS if rank == 0 else room)
        if rank > 0 and budget < MIN_SUPPORTING_QUOTE_CHARS:
            break
        focus = answer.best_sentence if rank == 0 else None
        quote, shortened = render_quote(hit.passage.text, budget, focus)
        block = f"{label}{quote}\n{cite}" + (f"\n{_see_all(hit.passage)}" if shortened else "")
        parts.append(block)
        used += len(block) + 2
    return _fit("\n\n".join(parts))


def _min_quote_cost(hit: Hit, corpus: Corpus) -> int:
    cite = citation(corpus.source(hit.passage.source_id), hit.passage)
    return MIN_SUPPORTING_QUOTE_CHARS + len(cite) + len(_see_all(hit.passage)) + 40


def render_passage(passage: Passage, source: Source) -> str:
    """One passage in full (passages are at most 900 characters) with its citation."""
    quote, _ = render_quote(passage.text, CONTENT_LIMIT - 400)
    return _fit(f"{quote}\n{citation(source, passage)}\n{code(passage.id)}")


def render_summary(summary: Summary, source: Source) -> list[str]:
    """A summary as one or more messages: a title line, then one line a sentence with its paragraph number."""
    count = plural(len(summary.sentences), "sentence")
    if summary.requested and len(summary.sentences) < summary.requested:
        count += f", not {summary.requested}: the source has no more distinct sentences to quote"
    title = f"**Summary of *{safe(one_line(source.title, TITLE_CHARS))}*** ({count})"
    if source.url and len(source.url) <= URL_CHARS and not any(c.isspace() for c in source.url):
        title += f" · <{neutralize_mentions(drop_controls(source.url))}>"
    lines = [title]
    for sentence in summary.sentences:
        lines.append(_sentence_line(sentence.text, f" *(paragraph {sentence.paragraph})*"))
    return _pack(lines)


def _sentence_line(text: str, cite: str) -> str:
    """``- sentence cite`` for a summary: white space folded, markdown made safe, the sentence cut to fit one
    message beside its citation."""
    text = " ".join(text.split())
    body = safe(text)
    if len(body) + len(cite) + 2 > CONTENT_LIMIT:
        body = _cut_sentence(text, (0, len(text)), CONTENT_LIMIT - len(cite) - 2).removeprefix("> ")
    return f"- {body}{cite}"


def render_topic_summary(summary: TopicSummary, corpus: Corpus) -> list[str]:
    """A topic summary as one or more messages: the topic echoed, then one line a sentence cited with its source's
    title and paragraph (and link); or the topic and the reason the sources don't cover it."""
    topic = echo(summary.topic)
    if not summary.sentences:
        return [_fit(f"**Topic:** {topic}\n\n{safe(summary.not_covered_reason or 'The sources say nothing of it.')}")]
    sources = {s.source_id for s in summary.sentences}
    count = f"{plural(len(summary.sentences), 'sentence')} from {plural(len(sources), 'source')}"
    if summary.sources_searched > len(sources):
        count += f" of {summary.sources_searched:,}"
    lines = [f"**What the sources say about “{topic}”** ({count})"]
    for sentence in summary.sentences:
        source = corpus.source(sentence.source_id)
        cite = f" *({safe(one_line(source.title, TITLE_CHARS))}, paragraph {sentence.paragraph})*"
        if source.url and len(source.url) <= URL_CHARS and not any(c.isspace() for c in source.url):
            cite += f" <{neutralize_mentions(drop_controls(source.url))}>"
        lines.append(_sentence_line(sentence.text, cite))
    return _pack(lines)


SKIPPED_SHOWN = 20
NAME_CHARS = 200
"""A skipped file's name or reason is shown on one line of at most this many characters: a line break in a file name
must not forge a line of the listing."""
RELOAD_FAILED_LINE = "The last reload failed, so these are the sources from before it: `/reload` says why."


STALE_MARK = "**stale**: its file now fails, this is the last good version"


def render_sources(corpus: Corpus, *, last_reload_failed: bool = False, moderator: bool = False) -> list[str]:
    """The loaded sources, one line each (id, title, format, counts), as one or more messages; with
    ``last_reload_failed``, a second line saying so (not the error itself: it can name server paths, and this list
    is public; the moderator who reloads sees it). For a ``moderator`` (and the console), stale sources are marked
    and refused files listed with their reasons."""
    if corpus.sources:
        lines = [f"**{plural(len(corpus.sources), 'source')}, {plural(len(corpus.passages), 'passage')}**"]
    else:
        lines = [
            "No sources are loaded. A moderator can add articles with `/source add`, or put them in the sources "
            "folder and `/reload`."
        ]
    if last_reload_failed:
        lines.append(RELOAD_FAILED_LINE)
    if moderator and corpus.refused:
        lines += [f"- refused {refusal_line(r)}" for r in corpus.refused[:SKIPPED_SHOWN]]
        if len(corpus.refused) > SKIPPED_SHOWN:
            lines.append(f"- …and {plural(len(corpus.refused) - SKIPPED_SHOWN, 'more refused file')}")
    passages_of: dict[str, list[Passage]] = {}  # one pass: corpus.passages_of per source would be O(sources x passages)
    for passage in corpus.passages:
        passages_of.setdefault(passage.source_id, []).append(passage)
    for source in corpus.sources:
        passages = passages_of.get(source.id, [])
        paragraphs = len({p.paragraph for p in passages})
        stale = f" · {STALE_MARK}" if moderator and source.id in corpus.stale else ""
        lines.append(
            f"- {code(source.id)}: *{safe(one_line(source.title, TITLE_CHARS))}*, {source.format}, "
            f"{plural(paragraphs, 'paragraph')}, {plural(len(passages), 'passage')}, "
            f"{plural(len(source.text), 'character')}, sha256 {source.sha256[:12]}{stale}"
        )
    if corpus.skipped:
        lines += [
            f"- skipped {safe(one_line(name, NAME_CHARS))}: {safe(one_line(reason, NAME_CHARS))}"
            for name, reason in corpus.skipped[:SKIPPED_SHOWN]
        ]
        if len(corpus.skipped) > SKIPPED_SHOWN:
            lines.append(f"- …and {plural(len(corpus.skipped) - SKIPPED_SHOWN, 'more skipped file')}")
    return _pack(lines)


def refusal_line(refusal: Refusal) -> str:
    """``name: reason`` on one line, for moderators: the file name, never a host path."""
    return f"{safe(one_line(refusal.file_name, NAME_CHARS))}: {safe(one_line(refusal.reason, NAME_CHARS))}"


def render_reload(change: CorpusChange, corpus: Corpus, seconds: float) -> str:
    """What a reload changed, and the files it refused (the rest are served), for the moderator who ran it."""
    counts = f"{plural(len(corpus.sources), 'source')}, {plural(len(corpus.passages), 'passage')}"
    lines = [f"Reloaded in {seconds:.2f} s: {counts}."]
    for label, ids in (("Added", change.added), ("Changed", change.changed), ("Removed", change.removed)):
        if ids:
            lines.append(f"{label} ({len(ids)}): " + ", ".join(code(i) for i in ids))
    if not change.any:
        lines.append("No source changed.")
    if corpus.refused:
        lines.append(f"Refused {plural(len(corpus.refused), 'file')} (every other source is served):")
        lines += [f"- {refusal_line(r)}" for r in corpus.refused[:10]]
        if len(corpus.refused) > 10:
            lines.append(f"- …and {len(corpus.refused) - 10} more: `/source list` shows them all")
    if corpus.stale:
        kept = ", ".join(code(i) for i in sorted(corpus.stale)[:10])
        lines.append(f"Stale (last good version kept until the file is fixed or removed): {kept}")
    if corpus.skipped:
        shown = ", ".join(
            f"{safe(one_line(n, NAME_CHARS))} ({safe(one_line(r, NAME_CHARS))})" for n, r in corpus.skipped[:10]
        )
        lines.append(f"Skipped {plural(len(corpus.skipped), 'file')}: {shown}")
    return _fit("\n".join(lines))


def render_error(message: str) -> str:
    """A short error message for the user."""
    return _fit(safe(message) or "Something went wrong.")


def pack_lines(lines: Sequence[str]) -> list[str]:
    """``lines`` joined into as few messages within :data:`CONTENT_LIMIT` as fit, never splitting a line."""
    return _pack(lines)


def _pack(lines: Sequence[str]) -> list[str]:
    """Join lines into as few messages as fit the limit, never splitting a line."""
    messages: list[str] = []
    current = ""
    for line in lines:
        line = _fit(line)
        if current and len(current) + 1 + len(line) > CONTENT_LIMIT:
            messages.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        messages.append(current)
    return messages or ["(nothing to show)"]


def _fit(text: str) -> str:
    """Last guard: never over the limit, never empty (Discord rejects both)."""
    text = text.strip() or "(nothing to show)"
    if len(text) <= CONTENT_LIMIT:
        return text
    cut = text.rfind("\n", 0, CONTENT_LIMIT - 2)
    if cut < CONTENT_LIMIT // 2:
        cut = CONTENT_LIMIT - 2
    return text[:cut].rstrip() + "\n" + ELLIPSIS
