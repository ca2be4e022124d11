"""Messages of the ``/source`` commands (moderators, ephemeral): an edit's report, the library list, one source's
details. Built on :mod:`bot.render`'s guards (:func:`~bot.render.safe`, :func:`~bot.render.code`, limits); file
names are shown, host paths never."""

from __future__ import annotations

from bot.library_edits import EditReport
from bot.render import (
    NAME_CHARS,
    STALE_MARK,
    TITLE_CHARS,
    URL_CHARS,
    _fit,
    _pack,
    code,
    drop_controls,
    neutralize_mentions,
    one_line,
    plural,
    refusal_line,
    render_reload,
    safe,
)
from retrieval.corpus import Corpus
from retrieval.models import Source

SHARED_SHOWN = 10


def _counts(corpus: Corpus, source_id: str) -> tuple[int, int]:
    passages = corpus.passages_of(source_id)
    return len({p.paragraph for p in passages}), len(passages)


def render_edit(report: EditReport) -> str:
    """What an addition or removal did: the source, then the library's reload report (what changed, what is
    refused)."""
    corpus = report.reload.corpus
    if report.action == "added" and report.source is not None:
        paragraphs, passages = _counts(corpus, report.source_id)
        head = (
            f"Added {code(report.source_id)}: *{safe(one_line(report.source.title, TITLE_CHARS))}* "
            f"({report.source.format}, {plural(paragraphs, 'paragraph')}, {plural(passages, 'passage')})."
        )
    else:
        title = f": *{safe(one_line(report.source.title, TITLE_CHARS))}*" if report.source else ""
        head = f"Removed {code(report.source_id)}{title} (its file is kept in the library's removed/ folder)."
    return _fit(head + "\n" + render_reload(report.reload.change, corpus, report.reload.seconds))


def render_library(corpus: Corpus) -> list[str]:
    """This server's library for its moderators: each own source (format, title, counts, stale mark), the refused
    files with their reasons, then the shared library's sources."""
    own = [s for s in corpus.sources if s.id not in corpus.shared_ids]
    shared = [s for s in corpus.sources if s.id in corpus.shared_ids]
    lines = [f"**This server's library: {plural(len(own), 'source')}**"]
    if not own:
        lines.append("Empty: add articles with `/source add file:` or `/source add url:`.")
    for source in own:
        paragraphs, passages = _counts(corpus, source.id)
        stale = f" · {STALE_MARK}" if source.id in corpus.stale else ""
        lines.append(
            f"- {code(source.id)}: *{safe(one_line(source.title, TITLE_CHARS))}*, {source.format}, "
            f"{plural(paragraphs, 'paragraph')}, {plural(passages, 'passage')}{stale}"
        )
    own_refused = [r for r in corpus.refused if r.source_id not in corpus.shared_ids]
    if own_refused:
        lines.append(f"**Refused ({len(own_refused)})**: fix the file and `/reload`, or `/source remove` it")
        lines += [f"- {code(r.source_id)} {refusal_line(r)}" for r in own_refused]
    if shared:
        lines.append(f"**Shared library: {plural(len(shared), 'source')}** (managed by the bot's host)")
        lines += [f"- {code(s.id)}: *{safe(one_line(s.title, TITLE_CHARS))}*" for s in shared[:SHARED_SHOWN]]
        if len(shared) > SHARED_SHOWN:
            lines.append(f"- …and {len(shared) - SHARED_SHOWN} more")
    return _pack(lines)


def render_source_details(source: Source, corpus: Corpus) -> str:
    """One source's metadata and how it was parsed."""
    paragraphs, passages = _counts(corpus, source.id)
    library = "the shared library" if source.id in corpus.shared_ids else "this server's library"
    lines = [
        f"**{code(source.id)}**: *{safe(one_line(source.title, TITLE_CHARS))}*",
        f"- library: {library}; file {safe(one_line(source.file_name, NAME_CHARS))}",
        f"- format: {source.format}",
    ]
    if source.url and len(source.url) <= URL_CHARS:
        lines.append(f"- link: <{neutralize_mentions(drop_controls(source.url))}>")
    for label, value in (("author", source.author), ("published", source.published), ("origin", source.origin)):
        if value:
            lines.append(f"- {label}: {safe(one_line(value, NAME_CHARS))}")
    lines.append(
        f"- {plural(paragraphs, 'paragraph')}, {plural(passages, 'passage')}, "
        f"{plural(len(source.text), 'character')}, sha256 {source.sha256[:12]}"
        + (", photo caption first" if source.has_caption else "")
    )
    if source.parse_notes:
        lines.append("- parsed: " + "; ".join(safe(one_line(n, NAME_CHARS)) for n in source.parse_notes))
    if source.id in corpus.stale:
        refusal = next((r for r in corpus.refused if r.source_id == source.id), None)
        why = f" ({refusal_line(refusal)})" if refusal else ""
        lines.append(f"- {STALE_MARK}{why}")
    return _fit("\n".join(lines))
