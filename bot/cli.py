"""The console: ``qabot ask|summary|sources|passage|eval|eval-summary|run|gaps|forget|doctor`` and ``qabot --version``.

It runs the same engine and the same renderer as the Discord bot, so ``qabot ask`` prints exactly the message the
bot would post. Exit status: 0 on success (an answer that says the sources don't cover a question is a success),
2 for a usage or input error (message on stderr, one line, saying what to fix), 1 when Discord refuses to connect
or ``qabot doctor`` finds something that would stop ``qabot run``.
``qabot ask -`` answers every stdin line it can and exits 2 afterwards if any line could not be asked.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from pydantic import ValidationError

from bot.render import one_line, plural, render_sources
from bot.replies import (
    DEFAULT_SUMMARY_SENTENCES,
    MAX_SUMMARY_SENTENCES,
    clean_question,
    passage_reply,
    reply_to_question,
    summaries,
    summary_messages,
    topic_summary,
    topic_summary_messages,
)
from bot.settings import Settings, get_settings
from bot.unknown_settings import unknown_settings
from retrieval.corpus import Corpus, load_corpus
from retrieval.errors import RetrievalError
from retrieval.library import load_library
from retrieval.memory import use_small_pages
from retrieval.models import Answer
from retrieval.search import dense

EXAMPLES = """examples:
  qabot ask "How long did Trump and Sheinbaum talk?"
  qabot ask --json "Who led the cartel?"
  printf 'q1\\nq2\\n' | qabot ask --json -
  qabot summary --sentences 3
  qabot summary --topic "the raid"
  qabot sources
  qabot ask --guild 123456789012345678 "Who won?"   (a server's library)
  qabot eval ../shared/eval/seed-dev.jsonl
  qabot eval --squad ../shared/data/xquad-en/xquad.en.json
  qabot eval-summary ../shared/data/bbc-news-summary-100/bbc_news_summary_100.jsonl --sentences 7
  qabot doctor                   (what `qabot run` would find; exit 1 if it would fail)
  qabot run                      (needs DISCORD_TOKEN)
  qabot gaps --days 7
  qabot forget --user 123456789012345678
"""


_PRETTY = {"ensure_ascii": False, "indent": 2}


class CliError(Exception):
    """A problem the user fixes; printed as one line, exit status 2."""


def _print_error(text: str) -> None:
    """Print ``qabot: error: {text}`` to stderr as one line (:func:`bot.render.one_line`): ``text`` may quote a file
    name or a line of input, which must not recolour, clear or reorder the user's terminal, nor add a line."""
    print(f"qabot: error: {one_line(text)}", file=sys.stderr)


def _print_warning(text: str) -> None:
    """``qabot: warning: {text}`` on stderr, one clean line (see :func:`_print_error`)."""
    print(f"qabot: warning: {one_line(text)}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qabot",
        description=(
            "Answer questions about news articles by quoting them (BM25 and sentence vectors). "
            "Same engine as the Discord bot."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def with_seeds(sub: argparse.ArgumentParser, *, guild: bool = True) -> argparse.ArgumentParser:
        sub.add_argument(
            "--seeds", type=_folder_path, metavar="DIR", help="shared sources folder (default: SEEDS_DIR or seeds/)"
        )
        if guild:
            sub.add_argument(
                "--guild",
                type=_guild_id,
                metavar="ID",
                help="a server's library (LIBRARIES_DIR/ID/sources, with the shared one when SHARED_LIBRARY_GUILDS "
                "attaches it); default: the shared library alone",
            )
        return sub

    ask = with_seeds(commands.add_parser("ask", help="answer a question, quoting the sources"))
    ask.add_argument(
        "question",
        nargs="+",
        help="the question; '-' reads one question a line from stdin (blank lines skipped); a line that cannot be "
        'asked gets its error (on stderr, naming the line; under --json also an object with "error") and the '
        "rest are still answered, then the exit status is 2",
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object a question")
    ask.add_argument(
        "--after",
        metavar="PREVIOUS",
        help="the question this one follows up, as a reply to the bot's answer in Discord: "
        "pronouns and 'that' point back to it",
    )

    summary = with_seeds(commands.add_parser("summary", help="extractive summary of one source or all"))
    summary.add_argument("--source", metavar="ID", help="source id (see `qabot sources`); default: every source")
    summary.add_argument("--topic", metavar="TEXT", help="what the sources say about this topic, across sources")
    summary.add_argument("--sentences", type=int, default=DEFAULT_SUMMARY_SENTENCES, metavar="N")
    summary.add_argument("--json", action="store_true")

    sources = with_seeds(commands.add_parser("sources", help="list the loaded sources"))
    sources.add_argument("--json", action="store_true")

    passage = with_seeds(commands.add_parser("passage", help="show one passage in full by id"))
    passage.add_argument("id", help="passage id, e.g. source-id:3")

    evaluate = with_seeds(commands.add_parser("eval", help="measure answers: hit@1, hit@3, MRR@3, abstention"))
    evaluate.add_argument(
        "file",
        type=Path,
        help="JSONL questions, or SQuAD JSON with --squad; each question is asked as `ask` asks it (mentions dropped)",
    )
    evaluate.add_argument("--squad", action="store_true", help="FILE is SQuAD JSON; each article indexed alone")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--misses", type=_count, default=20, metavar="N", help="how many misses to list (20)")

    eval_summary = commands.add_parser(
        "eval-summary", help="measure summaries: ROUGE-1/2/Lsum beside Lead-N and centrality alone"
    )
    eval_summary.add_argument("file", type=Path, help="JSONL with paragraphs/article and summary")
    eval_summary.add_argument("--sentences", type=int, required=True, metavar="N")
    eval_summary.add_argument("--json", action="store_true")

    with_seeds(commands.add_parser("run", help="connect to Discord (needs DISCORD_TOKEN)"), guild=False)

    def with_store(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--store", type=Path, metavar="FILE", help="feedback store (default: STORE_PATH)")
        return sub

    gaps = with_store(commands.add_parser("gaps", help="refused questions and 👎 answers (what /gaps shows)"))
    gaps.add_argument("--days", type=_positive, default=30, metavar="N", help="how many days back (30)")
    gaps.add_argument("--guild", type=int, metavar="ID", help="one server's rows only (default: every server)")
    forget = with_store(commands.add_parser("forget", help="delete a user's questions and votes from the store"))
    forget.add_argument("--user", type=int, required=True, metavar="ID", help="the Discord user id")
    with_seeds(
        commands.add_parser(
            "doctor", help="check settings, token shape, intents, sources and store: what `qabot run` would find"
        ),
        guild=False,
    )
    return parser


def _guild_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**64:
        raise argparse.ArgumentTypeError("must be a server (guild) id, a number")
    return int(text)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def version_line() -> str:
    """``qabot 0.1.0 (Python 3.11.7, discord.py 2.7.1)``: what a bug report needs."""
    import platform

    def installed(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return f"qabot {installed('qabot')} (Python {platform.python_version()}, discord.py {installed('discord.py')})"


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _command_parser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The parser of ``command`` (``parser`` itself when there is none)."""
    for action in parser._actions:  # argparse keeps sub-parsers only here
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser


def _folder_path(text: str) -> Path:
    """An argparse type: a non-empty path ("" would mean the current folder, which the user did not name)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the folder is an empty path; name a folder of articles")
    return Path(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the command's own parser, so its usage line is the one shown ("qabot ask [-h] ...")
        _command_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "doctor":  # reads the settings itself, to report every problem with them
        return _doctor(args)
    try:
        settings = get_settings()
    except ValidationError as error:
        first = error.errors()[0]
        _print_error(f"setting {str(first['loc'][0]).upper()}: {first['msg']}")
        return 2
    except UnicodeDecodeError:
        _print_error(".env is not UTF-8 text; save it as UTF-8")
        return 2
    for warning in unknown_settings(os.environ, Path(".env")):
        print(f"qabot: warning: {one_line(warning)}", file=sys.stderr)
    use_small_pages()  # a library's arrays of tens of MB, allocated again at each reload (retrieval.memory)
    if args.command != "run":  # `run` logs like a service (timestamps); the console commands like the rest of qabot
        _log_to_console()
    handlers = {
        "ask": _ask,
        "summary": _summary,
        "sources": _sources,
        "passage": _passage,
        "eval": _eval,
        "eval-summary": _eval_summary,
        "run": _run,
        "gaps": _gaps,
        "forget": _forget,
    }
    try:
        return handlers[args.command](args, settings)
    except (CliError, RetrievalError, ValueError) as error:
        _print_error(str(error))
        return 2
    except BrokenPipeError:  # e.g. `qabot sources | head -1`
        return 0


def _corpus(args: argparse.Namespace, settings: Settings) -> Corpus:
    """The library the command works on (the shared one, or ``--guild``'s with the shared one when attached); each
    refused file is a warning line on stderr (the rest are served)."""
    shared = args.seeds or settings.seeds_dir
    guild = getattr(args, "guild", None)
    if guild is None:
        corpus = load_corpus(shared, max_bytes=settings.max_source_bytes)
    else:
        folder = settings.libraries_dir / str(guild) / "sources"
        if not folder.is_dir():
            raise CliError(f"server {guild} has no library in {settings.libraries_dir} (no folder {folder})")
        attached = shared if settings.shares_with(guild) else None
        corpus = load_library(folder, shared=attached, max_bytes=settings.max_source_bytes)
    for refusal in corpus.refused:
        _print_warning(f"refused {refusal.file_name}: {refusal.reason}")
    return corpus


def answer_json(answer: Answer, message: str, corpus: Corpus) -> dict:
    """The ``--json`` shape of one answer; ``error`` is None (see :func:`refused_json`)."""
    quotes = []
    for hit in answer.hits:
        source = corpus.source(hit.passage.source_id)
        quotes.append(
            {
                "source_id": source.id,
                "source_title": source.title,
                "paragraph": hit.passage.paragraph,
                "passage_id": hit.passage.id,
                "text": hit.passage.text,
                "score": round(hit.score, 6),
                "url": source.url,
            }
        )
    return {
        "question": answer.question,
        "answered": answer.answered,
        "quotes": quotes,
        "not_covered_reason": answer.not_covered_reason,
        "message": message,
        "error": None,
    }


def refused_json(question: str, error: str) -> dict:
    """The ``--json`` shape of a question that could not be asked: the keys of :func:`answer_json`, ``question`` as
    read, ``answered`` false, no quotes, ``not_covered_reason`` and ``message`` None, and ``error`` the message the
    single-question path prints (e.g. "the question is empty; ask something about the sources")."""
    return {
        "question": question.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),  # bytes not UTF-8: U+FFFD
        "answered": False,
        "quotes": [],
        "not_covered_reason": None,
        "message": None,
        "error": error,
    }


def _json_line(value: object) -> str:
    """One JSON line; NEL, U+2028 and U+2029 escaped, since they are line breaks to many line readers."""
    text = json.dumps(value, ensure_ascii=False)
    for separator in ("\x85", "\u2028", "\u2029"):
        text = text.replace(separator, f"\\u{ord(separator):04x}")
    return text


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    """One question from the arguments, or one a line from stdin with ``-``.

    A stdin line that cannot be asked (e.g. empty once mentions are removed) does not stop the batch: its error goes
    to stderr with its 1-based line number, under ``--json`` also as a :func:`refused_json` object in its place,
    and the exit status is 2 once every line has been handled. A single question that cannot be asked raises, as
    every other command does.
    """
    previous = _utf8(args.after, "--after") if args.after is not None else None
    corpus = _corpus(args, settings)
    if args.question != ["-"]:
        question = " ".join(args.question)
        try:
            answer, message = reply_to_question(_utf8(question, "the question"), corpus, previous=previous)
        except (RetrievalError, CliError) as error:
            if args.json:  # stdout still gets one JSON object, as for a stdin line that cannot be asked
                print(_json_line(refused_json(question, str(error))))
            raise
        print(_json_line(answer_json(answer, message, corpus)) if args.json else message)
        return 0
    questions = [(number, line.strip()) for number, line in enumerate(sys.stdin, start=1) if line.strip()]
    status = 0
    for number, question in questions:
        try:
            answer, message = reply_to_question(_utf8(question, "the line"), corpus, previous=previous)
        except (RetrievalError, CliError) as error:
            status = 2
            _print_error(f"line {number}: {error}")
            if args.json:
                print(_json_line(refused_json(question, str(error))), flush=True)
            continue
        if args.json:
            print(_json_line(answer_json(answer, message, corpus)), flush=True)
        else:
            print(message, end="\n\n" if len(questions) > 1 else "\n", flush=True)
    return status


def _utf8(text: str, what: str) -> str:
    """``text`` (from the command line or stdin, which Python decodes with ``surrogateescape``) when it is UTF-8.

    Raises
    ------
    CliError
        It holds bytes that are not UTF-8 (a Latin-1 "é" typed in another terminal encoding): named, not answered.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        byte = ord(text[error.start]) - 0xDC00 if "\udc80" <= text[error.start] <= "\udcff" else None
        shown = f" (byte 0x{byte:02x})" if byte is not None else ""
        raise CliError(f"{what} is not UTF-8 text{shown}; type or save it as UTF-8") from None
    return text


def _summary(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.sentences <= MAX_SUMMARY_SENTENCES:
        raise CliError(f"--sentences must be between 1 and {MAX_SUMMARY_SENTENCES}")
    corpus = _corpus(args, settings)
    if args.topic is not None:
        if args.json:
            print(json.dumps(topic_summary(corpus, args.topic, args.sentences, args.source).model_dump(), **_PRETTY))
        else:
            print("\n\n".join(topic_summary_messages(corpus, args.topic, args.sentences, args.source)))
        return 0
    if args.json:
        rows = [s.model_dump() for s in summaries(corpus, args.source, args.sentences)]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(summary_messages(corpus, args.source, args.sentences)))
    return 0


def _sources(args: argparse.Namespace, settings: Settings) -> int:
    corpus = _corpus(args, settings)
    if args.json:
        rows = []
        for source in corpus.sources:
            passages = corpus.passages_of(source.id)
            rows.append(
                {
                    "id": source.id,
                    "title": source.title,
                    "file": source.file_name,
                    "url": source.url,
                    "published": source.published,
                    "author": source.author,
                    "format": source.format,
                    "parse_notes": list(source.parse_notes),
                    "origin": source.origin,
                    "library": "shared" if source.id in corpus.shared_ids else "own",
                    "stale": source.id in corpus.stale,
                    "paragraphs": len({p.paragraph for p in passages}),
                    "passages": len(passages),
                    "characters": len(source.text),
                    "sha256": source.sha256,
                }
            )
        refused = [{"file": r.file_name, "id": r.source_id, "reason": r.reason} for r in corpus.refused]
        payload = {"sources": rows, "skipped": [list(s) for s in corpus.skipped], "refused": refused}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("\n".join(render_sources(corpus, moderator=True)))
    return 0


def _passage(args: argparse.Namespace, settings: Settings) -> int:
    print(passage_reply(args.id, _corpus(args, settings)))
    return 0


def _fmt(value: float | None, scale: float = 1.0, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value * scale:.{digits}f}"


@contextmanager
def _format_hint(path: Path, expected: str) -> Iterator[None]:
    """Turn a read error on a file of another evaluation format into one that says which command reads it.
    (Imported here, as every evaluation module is: rouge-score configures logging when imported.)"""
    from retrieval.evaluation.files import EvalFileError, wrong_format_hint

    try:
        yield
    except EvalFileError as error:
        hint = wrong_format_hint(path, expected)
        if hint is None:
            raise
        raise CliError(f"{error.file}: {hint}") from None


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from retrieval.evaluation import evaluate_cross_article, evaluate_qa, evaluate_squad, read_qa_cases
    from retrieval.evaluation.squad import read_squad

    if args.squad:
        with _format_hint(args.file, "squad"):
            articles = read_squad(args.file, clean=clean_question)
        metrics, misses = evaluate_squad(articles)
        cross = evaluate_cross_article(articles)
        if args.json:
            payload = {
                "metrics": asdict(metrics),
                "cross_article": asdict(cross),
                "misses": [asdict(m) for m in misses],
            }
            print(json.dumps(payload, ensure_ascii=False))
            return 0
        counts = f"{plural(metrics.articles, 'article')}, {plural(metrics.questions, 'question')}"
        print(f"SQuAD eval: {one_line(str(args.file))} ({counts})")
        for name in ("paragraph_hit_at_1", "paragraph_hit_at_3", "answer_hit_at_1", "abstain_recall"):
            print(f"  {name:<22} {_fmt(getattr(metrics, name))}")
        print(f"  {'false_abstain_rate':<22} {_fmt(metrics.false_abstain_rate)}")
        refused = None if cross.answered_rate is None else 1 - cross.answered_rate
        print(
            f"  {'cross_article_abstain':<22} {_fmt(refused)}  (share of the {cross.questions} questions given no "
            "quote when each is asked of the next article instead of its own)"
        )
        print(f"paragraph@1 misses ({len(misses)}), first {min(args.misses, len(misses))}:")
        for miss in misses[: args.misses]:
            title, question = one_line(miss.title), one_line(miss.question)
            print(f"  [{title}] {question} (gold ¶{miss.gold_paragraph}, quoted {list(miss.quoted_paragraphs)})")
        return 0
    corpus = _corpus(args, settings)
    if not corpus.sources:
        skipped = f" ({plural(len(corpus.skipped), 'file')} skipped: see `qabot sources`)" if corpus.skipped else ""
        raise CliError(
            f"no sources are loaded from {args.seeds or settings.seeds_dir}{skipped}, so there is nothing to evaluate "
            "against; add .txt or .md articles there or point --seeds/SEEDS_DIR at a folder that has them"
        )
    with _format_hint(args.file, "qa"):
        cases = read_qa_cases(args.file, clean=clean_question)
    unknown = sorted({s for case in cases for s in case.sources} - {source.id for source in corpus.sources})
    if unknown:  # a typed-wrong id scores its questions as misses: say so rather than let the numbers mislead
        listed = ", ".join(one_line(s, 40) for s in unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        _print_warning(
            f'{plural(len(unknown), "source id")} in "sources" not in the library '
            f"(their questions count as misses): {listed}"
        )
    metrics, outcomes = evaluate_qa(cases, corpus)
    misses = [o for o in outcomes if (o.answerable and o.first_hit_rank != 1) or (not o.answerable and o.quotes)]
    if args.json:
        payload = {"metrics": asdict(metrics), "misses": [asdict(o) for o in misses]}
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    counts = f"{plural(len(corpus.sources), 'source')}, {plural(len(corpus.passages), 'passage')}"
    print(f"QA eval: {one_line(str(args.file))} on {counts}")
    print(f"  questions            {metrics.questions} ({metrics.answerable} answerable, {metrics.unanswerable} not)")
    for name in ("hit_at_1", "hit_at_3", "mrr_at_3", "abstain_recall", "false_abstain_rate"):
        print(f"  {name:<20} {_fmt(getattr(metrics, name))}")
    print(f"  {'mean_first_quote':<20} {_fmt(metrics.mean_first_quote_chars, digits=1)} characters")
    print(f"misses ({len(misses)}):")
    for outcome in misses[: args.misses]:
        first = outcome.quotes[0] if outcome.quotes else f"(no quote: {outcome.not_covered_reason})"
        kind = "answerable" if outcome.answerable else "unanswerable, but quoted"
        print(f"  - {one_line(outcome.question)} [{kind}]\n    first quote: {one_line(first)[:200]}")
    return 0


def _eval_summary(args: argparse.Namespace, settings: Settings) -> int:
    from retrieval.evaluation.summary import evaluate_summaries, read_summary_cases

    if args.sentences < 1:
        raise CliError("--sentences must be at least 1")
    with _format_hint(args.file, "summary"):
        cases = read_summary_cases(args.file)
    report = evaluate_summaries(cases, args.sentences)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False))
        return 0
    print(format_summary_report(report, one_line(str(args.file)), args.sentences))
    return 0


def format_summary_report(report, file: Path, sentences: int) -> str:
    lines = [
        f"Summary eval: {file}, {plural(report.cases, 'article')}, {plural(sentences, 'sentence')} "
        "(ROUGE F1 x100, Porter stemmer)"
    ]
    lines.append(f"  {'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>10}  qabot's ROUGE-1 lead (paired SE)")
    for system in report.systems:
        line = f"  {system.name:<10} {system.rouge1:>8.2f} {system.rouge2:>8.2f} {system.rouge_lsum:>10.2f}"
        if system is not report.systems[0]:
            line += f"  {system.rouge1_lead:+.2f} ({system.rouge1_lead_se:.2f})"
        lines.append(line)
    return "\n".join(lines)


class _ConsoleLogHandler(logging.Handler):
    """``qabot: warning: {message}`` on whatever ``sys.stderr`` is when a record comes (not when it was made)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"qabot: {record.levelname.lower()}: {one_line(record.getMessage())}", file=sys.stderr)


def _log_to_console() -> None:
    """Warnings and errors the engine logs (a snapshot that cannot be saved, a missing WordNet) as ``qabot: warning:
    ...`` lines on stderr, like the console's own, and the note that a library's sentences are being encoded
    (``qabot: info: ...``, tens of seconds on a first command over many articles); set once per process."""
    root = logging.getLogger()
    if not any(isinstance(h, _ConsoleLogHandler) for h in root.handlers):
        handler = _ConsoleLogHandler(logging.INFO)
        # Warnings and errors, and the one note of progress worth a line: a library's sentences being encoded.
        handler.addFilter(lambda record: record.levelno >= logging.WARNING or record.name == dense.__name__)
        root.addHandler(handler)
        logging.getLogger(dense.__name__).setLevel(logging.INFO)


def _log_format() -> logging.Formatter | None:
    """discord.py's coloured format on a terminal (None); plain text otherwise. discord.py colours inside any Docker
    container, which puts escape codes into `docker logs` and journald."""
    if sys.stderr.isatty():
        return None
    return logging.Formatter("{asctime} {levelname:<8} {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{")


def _doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_checks, verdict

    checks = run_checks(os.environ, Path(".env"), args.seeds)
    for check in checks:
        print(f"{check.status:<5} {check.topic:<9} {one_line(check.detail)}")
    status, closing = verdict(checks)
    print(closing)
    return status


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.discord_token is None:
        raise CliError("DISCORD_TOKEN is not set: put it in .env (see .env.example) or the environment")
    import aiohttp
    import discord

    from bot.client import QaBot
    from bot.errors import CommandSyncRefused
    from bot.libraries import LibraryRegistry
    from bot.store import store_from_settings

    folder = args.seeds or settings.seeds_dir
    discord.utils.setup_logging(level=logging.getLevelName(settings.log_level), formatter=_log_format())
    bot = QaBot(settings, LibraryRegistry.from_settings(settings, shared_folder=folder), store_from_settings(settings))
    try:
        bot.run(settings.discord_token.get_secret_value(), log_handler=None)
    except (aiohttp.ClientConnectionError, TimeoutError) as error:
        _print_error(f"cannot reach Discord ({type(error).__name__}); check the network and try again")
        return 1
    except discord.LoginFailure:
        _print_error("Discord rejected DISCORD_TOKEN; reset it in the Developer Portal (Bot tab)")
        return 1
    except CommandSyncRefused as error:
        _print_error(str(error))
        return 1
    except AttributeError as error:
        # discord.py 2.7 masks a failed first gateway handshake as this AttributeError (Rapptz/discord.py#10520).
        if "sequence" not in str(error):
            raise
        _print_error("cannot connect to Discord's gateway; check the network (or a proxy) and try again")
        return 1
    except discord.PrivilegedIntentsRequired:
        _print_error(
            "the Message Content intent is not enabled for this application: enable it in the Developer Portal "
            "(Bot tab) or set MESSAGE_CONTENT_INTENT=false"
        )
        return 1
    return 0


def _existing_store(args: argparse.Namespace, settings: Settings):
    """The bot's feedback store, opened; a missing file or key is an error, never silently created (``forget`` with
    a new key would find nobody)."""
    from bot.store import store_from_settings

    if args.store is not None:
        settings = settings.model_copy(update={"store_path": args.store})
    path = settings.store_path
    if not path.is_file():
        raise CliError(f"no feedback store at {path}; the bot creates it when it runs (STORE_PATH)")
    key_file = path.with_name(path.name + ".key")
    if settings.store_user_key is None and not key_file.is_file():
        raise CliError(f"the user-hash key {key_file} is missing (or set STORE_USER_KEY as the bot had it)")
    return store_from_settings(settings, existing_only=True)  # a report never moves or alters a file it can't read


def _with_store(args: argparse.Namespace, settings: Settings, work):
    import asyncio

    store = _existing_store(args, settings)

    async def session():
        await store.open()
        if not store.available:
            raise CliError(f"the feedback store {store.path} cannot be read, left as it is: {store.open_error}")
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(session())


def _gaps(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gaps import render_gaps

    report = _with_store(args, settings, lambda store: store.gaps(days=args.days, guild_id=args.guild))
    print("\n".join(render_gaps(report)))
    return 0


def _forget(args: argparse.Namespace, settings: Settings) -> int:
    deleted = _with_store(args, settings, lambda store: store.forget_user(args.user))
    print(f"Deleted {plural(deleted, 'row')} naming user {args.user} (questions, votes; reloads unnamed).")
    return 0
