"""The console command: same engine and renderer as Discord, JSON shapes, clear errors."""

from __future__ import annotations

import io
import json
import re

import discord
import pytest

from bot.cli import main
from tests.bot.fake_discord import dispatch, slash_command
from tests.conftest import SEEDS

QUESTION = "How long did Trump and Sheinbaum talk?"


@pytest.fixture(autouse=True)
def _isolated_settings(isolated_settings):
    """Every CLI test runs with fresh settings from an empty folder (tests/bot/conftest.py)."""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


async def test_console_prints_exactly_what_discord_would_post(capsys, bot, discord_api, seeds_copy):
    """`qabot ask` output equals the content of the bot's /ask followup for the same question and sources where
    the bot may not embed links (its plain-text fallback; with Embed Links it sends the same answer as an embed)."""
    code, out, _ = run(capsys, "ask", "--seeds", str(seeds_copy), QUESTION)
    no_embeds = discord.Permissions.text().value & ~discord.Permissions(embed_links=True).value
    await dispatch(bot, slash_command("ask", question=QUESTION, app_permissions=no_embeds))
    assert code == 0
    assert out.rstrip("\n") == discord_api.followups()[0].body["content"]


def test_ask_json_has_the_documented_shape(capsys):
    """--json prints one object: question, answered, quotes (source_id, source_title, 1-based paragraph, text,
    score, url) and the rendered message."""
    code, out, _ = run(capsys, "ask", "--json", "--seeds", str(SEEDS), QUESTION)
    assert code == 0
    row = json.loads(out)
    assert {"question", "answered", "quotes", "message"} <= set(row)
    assert row["question"] == QUESTION and row["answered"] is True
    first = row["quotes"][0]
    assert {"source_id", "source_title", "paragraph", "text", "score", "url"} <= set(first)
    assert first["paragraph"] >= 1 and first["text"] in (SEEDS / f"{first['source_id']}.txt").read_text("utf-8")
    assert first["text"].split()[0] in row["message"]


def test_ask_after_reads_the_question_as_a_follow_up(capsys):
    """--after PREVIOUS: "who is she?" after a question about Lilly Tellez quotes the passage introducing her."""
    code, out, _ = run(capsys, "ask", "--seeds", str(SEEDS), "--after", "what did lilly tellez say", "who is she?")
    assert code == 0 and "an opposition Mexican senator" in out


def test_eval_asks_a_line_with_after_as_a_follow_up(capsys, tmp_path):
    """An eval line's "after" is the question it follows up: the hit needs the previous question's subject."""
    path = tmp_path / "followups.jsonl"
    row = {"after": "what did lilly tellez say", "question": "who is she?", "answers": ["opposition Mexican senator"]}
    path.write_text(json.dumps(row) + "\n", "utf-8")
    code, out, _ = run(capsys, "eval", "--seeds", str(SEEDS), str(path), "--json")
    assert code == 0 and json.loads(out)["metrics"]["hit_at_1"] == 1.0


def test_ask_json_reads_questions_from_stdin(capsys, monkeypatch):
    """`qabot ask --json -` answers one question a line (blank lines skipped), one JSON object a line."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{QUESTION}\n\nWhat is the capital of France?\n"))
    code, out, _ = run(capsys, "ask", "--json", "--seeds", str(SEEDS), "-")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["answered"] for r in rows] == [True, False]
    assert rows[1]["quotes"] == [] and [r["error"] for r in rows] == [None, None]


def test_empty_seeds_path_is_refused_not_read_as_the_current_folder(capsys):
    """`--seeds ""` exits 2 with a usage error; it does not index (and cache) the current folder."""
    with pytest.raises(SystemExit) as exited:
        main(["sources", "--seeds", ""])
    assert exited.value.code == 2 and "empty path" in capsys.readouterr().err


def test_an_unknown_option_shows_the_commands_own_usage(capsys):
    """`qabot ask --bogus ...` exits 2 with `qabot ask`'s usage (its options), not the top-level one."""
    with pytest.raises(SystemExit) as exited:
        main(["ask", "--bogus", QUESTION])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("usage: qabot ask") and "--after" in err and "unrecognized arguments: --bogus" in err


def test_missing_seeds_folder_is_one_clear_error(capsys, tmp_path):
    """A wrong --seeds path exits 2 with one line naming the folder."""
    code, out, err = run(capsys, "ask", "--seeds", str(tmp_path / "nope"), QUESTION)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "nope does not exist" in err


def test_a_bad_source_file_is_named_and_the_rest_served(capsys, tmp_path):
    """A source that isn't UTF-8 is a warning naming the file and what to do; `qabot sources` lists it as refused
    and lists the good source beside it, with its format."""
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 not utf-8")
    (tmp_path / "good.md").write_text("# Good news\n\nThe *harbour* reopened.\n", encoding="utf-8")
    code, out, err = run(capsys, "sources", "--seeds", str(tmp_path))
    assert code == 0 and err.startswith("qabot: warning: refused bad.txt: is not valid UTF-8")
    assert "`good`: *Good news*, markdown, 1 paragraph" in out
    assert "- refused bad.txt: is not valid UTF-8" in out


def test_sources_json_lists_counts_and_hash(capsys):
    """`qabot sources --json` gives id, title, paragraph and passage counts, characters and sha256."""
    code, out, _ = run(capsys, "sources", "--json", "--seeds", str(SEEDS))
    (source,) = json.loads(out)["sources"]
    assert code == 0
    assert source["id"] == "trump-sheinbaum-call-after-el-mencho-raid"
    assert source["paragraphs"] == 21 and source["passages"] == 21 and len(source["sha256"]) == 64
    assert source["url"] is None


def test_seeds_dir_comes_from_the_environment(capsys, monkeypatch):
    """Without --seeds, SEEDS_DIR from the environment is used."""
    monkeypatch.setenv("SEEDS_DIR", str(SEEDS))
    code, out, _ = run(capsys, "sources")
    assert code == 0 and "trump-sheinbaum-call-after-el-mencho-raid" in out


def test_eval_reports_metrics_and_misses(capsys, tmp_path):
    """`qabot eval` on a small file prints hit@1 and lists the question it missed."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps({"question": "What did the commentator on X say?", "answers": ["What cynicism"], "answerable": True})
        + "\n"
        + json.dumps({"question": "What did the commentator on X say?", "answers": ["zebra"], "answerable": True})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "eval", "--seeds", str(SEEDS), "--json", str(cases))
    result = json.loads(out)
    assert code == 0
    assert result["metrics"]["hit_at_1"] == 0.5
    assert [m["question"] for m in result["misses"]] == ["What did the commentator on X say?"]


@pytest.mark.parametrize(
    ("second_line", "reason"),
    [("not json", "not JSON"), ('{"question": "q?", "answers": ["a", " "]}', "empty string")],
    ids=["malformed", "blank-answer"],
)
def test_eval_file_errors_name_the_line(capsys, tmp_path, second_line, reason):
    """A malformed eval line, or an answer string of "" or spaces (it can never be checked), is reported with file,
    line number and what is wrong."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(f'{{"question": "ok?", "answers": ["a"]}}\n{second_line}\n', encoding="utf-8")
    code, _, err = run(capsys, "eval", "--seeds", str(SEEDS), str(cases))
    assert code == 2 and "cases.jsonl:2" in err and reason in err


def test_eval_warns_of_source_ids_not_in_the_library(capsys, tmp_path):
    """A line whose "sources" names an id the library lacks ("bakry") can never hit: eval says so, once, on stderr."""
    cases = tmp_path / "cases.jsonl"
    line = '{"question": "What did the commentator on X say?", "answers": ["What cynicism"], "sources": ["%s"]}\n'
    cases.write_text(line % "bakry" + line % "bakry", encoding="utf-8")
    code, out, err = run(capsys, "eval", "--seeds", str(SEEDS), str(cases))
    assert code == 0 and "hit_at_1             0.000" in out
    warning = 'qabot: warning: 1 source id in "sources" not in the library (their questions count as misses): bakry\n'
    assert err.count(warning) == 1
    seed_id = next(SEEDS.glob("*.txt")).stem
    cases.write_text(line % seed_id, encoding="utf-8")
    code, out, err = run(capsys, "eval", "--seeds", str(SEEDS), str(cases))
    assert code == 0 and "not in the library" not in err and "hit_at_1             1.000" in out


def test_no_command_prints_help(capsys):
    """`qabot` alone shows the commands and examples and exits 0."""
    code, out, _ = run(capsys)
    assert code == 0 and "qabot ask" in out and "eval-summary" in out


def test_squad_file_missing_nested_fields_is_a_clear_error(capsys, tmp_path):
    """A SQuAD-shaped file whose article lacks paragraphs is refused with where and what, not a traceback."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"data": [{"title": "T", "paragraphs": [{"context": "x", "qas": [{"answers": []}]}]}]}))
    code, _, err = run(capsys, "eval", "--squad", str(bad))
    assert code == 2
    assert "article 1, paragraph 1, question 1" in err and '"question"' in err


def test_an_empty_eval_file_is_an_error(capsys, tmp_path):
    """An eval file with no questions is refused instead of reporting n/a metrics."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    code, _, err = run(capsys, "eval", "--seeds", str(SEEDS), str(empty))
    assert code == 2 and "holds no questions" in err


def test_json_lines_escape_unicode_line_separators(capsys, tmp_path):
    """A passage holding U+2028 still prints as exactly one JSON line per question."""
    (tmp_path / "a.txt").write_text("The raid\u2028happened in Jalisco.\n", encoding="utf-8")
    code, out, _ = run(capsys, "ask", "--json", "--seeds", str(tmp_path), "Where was the raid?")
    assert code == 0 and len(out.splitlines()) == 1
    assert json.loads(out)["quotes"][0]["text"] == "The raid\u2028happened in Jalisco."


def test_run_without_network_is_one_line(capsys, monkeypatch):
    """`qabot run` that cannot reach Discord exits 1 with one line, not a traceback."""
    import aiohttp

    from bot.client import QaBot

    def unreachable(self, token, **kwargs):
        raise aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")

    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setattr(QaBot, "run", unreachable)
    code, _, err = run(capsys, "run", "--seeds", str(SEEDS))
    assert code == 1 and err.count("\n") == 1 and "cannot reach Discord" in err


def test_a_dotenv_that_is_not_utf8_is_one_line(capsys, tmp_path):
    """A .env in another encoding gives one line saying so, not a traceback."""
    (tmp_path / ".env").write_bytes(b"\xff\xfe=1\n")
    code, _, err = run(capsys, "sources", "--seeds", str(SEEDS))
    assert code == 2 and ".env is not UTF-8" in err


def test_json_lines_escape_next_line_too(capsys, tmp_path):
    """U+0085 (NEL) is a line break to str.splitlines: it is escaped in JSON lines."""
    (tmp_path / "a.txt").write_text("The raid\x85happened in Jalisco.\n", encoding="utf-8")
    code, out, _ = run(capsys, "ask", "--json", "--seeds", str(tmp_path), "Where was the raid?")
    assert code == 0 and len(out.splitlines()) == 1


def test_a_split_paragraph_id_points_to_its_parts(capsys, tmp_path):
    """Asking for paragraph N when it was split into parts names the part ids to use."""
    (tmp_path / "long.txt").write_text(" ".join(["This sentence is about the raid."] * 60) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "passage", "--seeds", str(tmp_path), "long:1")
    assert code == 2 and "long:1.1" in err and "split into parts" in err


def test_an_empty_summary_eval_file_is_named(capsys, tmp_path):
    """eval-summary on a file with no articles names the file."""
    empty = tmp_path / "none.jsonl"
    empty.write_text("\n", encoding="utf-8")
    code, _, err = run(capsys, "eval-summary", str(empty), "--sentences", "3")
    assert code == 2 and "none.jsonl" in err and "holds no articles" in err


def test_error_lines_drop_terminal_escapes_and_bidi_overrides(capsys, tmp_path):
    """A file name holding ESC and U+202E reaches stderr without them, so it cannot recolour or reorder the
    terminal; the rest of the name is kept so the file can still be found."""
    (tmp_path / "\x1b[31mred\u202eevil@everyone.txt").write_bytes(b"\x00\x01binary")
    code, _, err = run(capsys, "ask", "--seeds", str(tmp_path), QUESTION)
    assert code == 0
    assert err == "qabot: warning: refused redevil@everyone.txt: is a binary file (NUL byte at offset 0), not text\n"


def test_a_line_break_in_a_file_name_cannot_forge_an_error_line(capsys, tmp_path):
    """A warning naming a file whose name holds a line break is still one line on stderr."""
    (tmp_path / "x\nqabot: error: all fine.txt").write_bytes(b"\x00binary")
    _, _, err = run(capsys, "ask", "--seeds", str(tmp_path), QUESTION)
    assert err.count("\n") == 1 and err.startswith("qabot: warning: refused x qabot: error: all fine.txt: is a")


def test_eval_report_headers_print_the_file_name_on_one_line(capsys, tmp_path):
    """The header of an eval report names the eval file: a name holding a line break, ESC or U+202E stays one clean
    line."""
    cases = tmp_path / "a\nFAKE\x1b[2J\u202e.jsonl"
    cases.write_text('{"question": "How long did they talk?", "answers": ["eight minutes"]}\n', encoding="utf-8")
    code, out, _ = run(capsys, "eval", "--seeds", str(SEEDS), str(cases), "--misses", "0")
    assert code == 0 and out.splitlines()[0] == f"QA eval: {tmp_path}/a FAKE.jsonl on 1 source, 21 passages"


def test_eval_report_prints_questions_and_quotes_without_controls_or_line_breaks(capsys, tmp_path):
    """The text report quotes eval questions and source text, either of which may hold terminal escapes, bidi
    overrides or line breaks: they come out as one clean line each."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "The bridge \u202e was opened \x1b[2J\x1b]0;owned\x07 by the mayor.\n", encoding="utf-8"
    )
    cases = tmp_path / "cases.jsonl"
    question = "Who opened the bridge\u202e\x07\x08?\u2028Then what?"
    cases.write_text(json.dumps({"question": question, "answers": ["nobody"]}, ensure_ascii=False) + "\n")
    code, out, _ = run(capsys, "eval", "--seeds", str(seeds), str(cases))
    assert code == 0
    assert (
        "  - Who opened the bridge? Then what? [answerable]\n    first quote: The bridge was opened by the mayor."
        in out
    )
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028]", out)


def test_ask_json_from_stdin_carries_on_past_a_line_it_cannot_ask(capsys, monkeypatch):
    """A stdin line that is empty once mentions are removed gets its own JSON object with "error" (the message the
    single-question path prints), the next line is still answered, and the exit status is 2."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"@everyone\n{QUESTION}\n"))
    code, out, err = run(capsys, "ask", "--json", "--seeds", str(SEEDS), "-")
    refused, answered = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert refused == {
        "question": "@everyone",
        "answered": False,
        "quotes": [],
        "not_covered_reason": None,
        "message": None,
        "error": "the question is empty; ask something about the sources",
    }
    assert answered["answered"] is True and answered["error"] is None and answered["question"] == QUESTION
    assert err == "qabot: error: line 1: the question is empty; ask something about the sources\n"


def test_ask_from_stdin_without_json_reports_the_bad_line_and_answers_the_rest(capsys, monkeypatch):
    """Plain `qabot ask -` prints the error for a bad line on stderr, naming its line, and answers the others."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{QUESTION}\n\n<@123> @here\n"))
    code, out, err = run(capsys, "ask", "--seeds", str(SEEDS), "-")
    assert code == 2 and out.startswith(f"**Q:** {QUESTION}") and "eight minutes" in out
    assert err == "qabot: error: line 3: the question is empty; ask something about the sources\n"


def test_the_single_question_path_gives_the_same_error_message(capsys):
    """`qabot ask @everyone` fails with the message a refused stdin line carries."""
    code, out, err = run(capsys, "ask", "--seeds", str(SEEDS), "@everyone")
    assert code == 2 and out == ""
    assert err == "qabot: error: the question is empty; ask something about the sources\n"


def test_a_squad_file_with_no_questions_is_an_error(capsys, tmp_path):
    """`qabot eval --squad` on articles with no questions exits 2 naming the file, instead of all-n/a metrics."""
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"data": [{"title": "T", "paragraphs": [{"context": "Hello world."}]}]}))
    code, out, err = run(capsys, "eval", "--squad", str(bare))
    assert code == 2 and out == "" and "bare.json: holds no questions" in err


def test_eval_on_a_folder_with_no_sources_is_an_error(capsys, tmp_path):
    """`qabot eval --seeds DIR` with no sources in DIR exits 2 naming the folder, instead of reporting zeros."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"question": QUESTION, "answers": ["eight minutes"]}) + "\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    code, out, err = run(capsys, "eval", "--seeds", str(tmp_path / "empty"), str(cases))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"no sources are loaded from {tmp_path / 'empty'}" in err and "1 file skipped" in err


def test_eval_asks_questions_cleaned_as_ask_does(capsys, tmp_path):
    """Mentions in an eval question are dropped before it is asked, as `qabot ask` and the bot do: asked raw, the
    mention ids would count as missing words and the question would be refused; cleaned, it is answered."""
    mentioned = f"<@&111111111111111111> <#222222222222222222> {QUESTION}"
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"question": mentioned, "answers": ["eight minutes"]}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "eval", "--json", "--seeds", str(SEEDS), str(cases))
    assert code == 0 and json.loads(out)["metrics"]["hit_at_1"] == 1.0
    code, out, _ = run(capsys, "ask", "--json", "--seeds", str(SEEDS), mentioned)
    assert code == 0 and json.loads(out)["quotes"][0]["text"].startswith("The cordial conversation Monday lasted")


def test_an_eval_question_that_is_only_mentions_is_refused_with_its_line(capsys, tmp_path):
    """An eval question `qabot ask` would refuse as empty (only mentions) stops the eval, naming the line."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps({"question": QUESTION, "answers": ["eight minutes"]})
        + "\n"
        + json.dumps({"question": "@everyone", "answers": ["x"]})
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "eval", "--seeds", str(SEEDS), str(cases))
    assert code == 2 and out == "" and "cases.jsonl:2: the question '@everyone' is empty once cleaned" in err


def test_squad_eval_asks_questions_cleaned_as_ask_does(capsys, tmp_path):
    """`qabot eval --squad` drops mentions from its questions too before asking them."""
    squad = tmp_path / "squad.json"
    context = "Sheinbaum said the call lasted about eight minutes."
    qa = {
        "id": "1",
        "question": "<@&111111111111111111> <#222222222222222222> How long did Sheinbaum talk?",
        "answers": [{"text": "eight minutes", "answer_start": 38}],
    }
    squad.write_text(json.dumps({"data": [{"title": "T", "paragraphs": [{"context": context, "qas": [qa]}]}]}))
    code, out, _ = run(capsys, "eval", "--squad", "--json", str(squad))
    assert code == 0 and json.loads(out)["metrics"]["answer_hit_at_1"] == 1.0


def test_guild_selects_a_servers_library_with_the_shared_one(capsys, tmp_path, monkeypatch):
    """`--guild ID` answers from LIBRARIES_DIR/ID/sources plus the shared library; without it, the shared one alone;
    with SHARED_LIBRARY_GUILDS=none, the server's own library alone."""
    folder = tmp_path / "libraries" / "123" / "sources"
    folder.mkdir(parents=True)
    (folder / "ferries.md").write_text("# Ferries cancelled\n\nAll **Friday** sailings to Lerwick stopped.\n", "utf-8")
    monkeypatch.setenv("LIBRARIES_DIR", str(tmp_path / "libraries"))
    code, out, _ = run(capsys, "sources", "--json", "--seeds", str(SEEDS), "--guild", "123")
    rows = {row["id"]: row for row in json.loads(out)["sources"]}
    assert code == 0 and set(rows) == {"ferries", "trump-sheinbaum-call-after-el-mencho-raid"}
    assert (rows["ferries"]["format"], rows["ferries"]["library"], rows["ferries"]["title"]) == (
        "markdown",
        "own",
        "Ferries cancelled",
    )
    _, out, _ = run(capsys, "ask", "--seeds", str(SEEDS), "Which sailings stopped?")
    assert "Lerwick" not in out
    monkeypatch.setenv("SHARED_LIBRARY_GUILDS", "none")
    from bot import settings as settings_module

    settings_module.get_settings.cache_clear()
    _, out, _ = run(capsys, "sources", "--json", "--seeds", str(SEEDS), "--guild", "123")
    assert [row["id"] for row in json.loads(out)["sources"]] == ["ferries"]


def test_a_guild_without_a_library_is_a_clear_error(capsys, tmp_path):
    """`--guild` naming a server with no library folder says so (exit 2); a non-number is a usage error."""
    code, _, err = run(capsys, "sources", "--guild", "42")
    assert code == 2 and err.startswith("qabot: error: server 42 has no library in libraries")
    with pytest.raises(SystemExit):
        run(capsys, "sources", "--guild", "abc")


def test_sources_json_lists_refused_files_and_parse_notes(capsys, tmp_path):
    """`qabot sources --json` lists refused files (name, id, reason) and each source's parse notes."""
    (tmp_path / "a.md").write_text("---\nauthor: Ana\n---\n# Title A\n\nText.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    _, out, _ = run(capsys, "sources", "--json", "--seeds", str(tmp_path))
    payload = json.loads(out)
    assert payload["refused"] == [{"file": "b.txt", "id": "b", "reason": "is empty (no text)"}]
    (source,) = payload["sources"]
    assert source["parse_notes"] == [
        "front matter read: author",
        "markup reduced to plain text",
        "title from the first # heading",
    ]


def test_an_engine_warning_prints_as_a_qabot_warning_line(capsys, monkeypatch):
    """A snapshot that cannot be saved is one `qabot: warning:` line on stderr, and the question is still answered."""
    import retrieval.corpus
    from retrieval.snapshot import SnapshotUnusable

    def unusable(path, *_args, **_kwargs):
        raise SnapshotUnusable(path, "forced by the test")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(retrieval.corpus, "corpus_from_snapshot", unusable)
    monkeypatch.setattr(retrieval.corpus, "save_snapshot", refuse)
    code, out, err = run(capsys, "ask", "--seeds", str(SEEDS), QUESTION)
    assert code == 0 and out.startswith("**Q:**")
    lines = [line for line in err.splitlines() if "snapshot" in line]
    assert len(lines) == 1 and lines[0].startswith("qabot: warning: Could not save the library's snapshot to ")


def test_a_stdin_line_that_is_not_utf8_is_refused_and_the_rest_answered(capsys, monkeypatch):
    """A line of Latin-1 bytes (Python reads stdin with surrogateescape) gets its own error, naming the byte; the
    lines after it are still answered."""
    raw = f"{QUESTION}\n\xff\xfe how many troops\nwho is el mencho\n".encode("latin-1")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="surrogateescape"))
    code, out, err = run(capsys, "ask", "--json", "--seeds", str(SEEDS), "-")
    first, refused, third = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and first["answered"] and third["answered"]
    assert refused["question"] == "\ufffd\ufffd how many troops" and "not UTF-8 text (byte 0xff)" in refused["error"]
    assert err == "qabot: error: line 2: the line is not UTF-8 text (byte 0xff); type or save it as UTF-8\n"


def test_a_question_argument_that_is_not_utf8_is_one_clear_line(capsys):
    code, out, err = run(capsys, "ask", "--seeds", str(SEEDS), b"caf\xe9 where".decode("utf-8", "surrogateescape"))
    assert code == 2 and out == ""
    assert err == "qabot: error: the question is not UTF-8 text (byte 0xe9); type or save it as UTF-8\n"


def test_ask_json_of_one_question_it_cannot_ask_still_prints_an_object(capsys):
    """`qabot ask --json @everyone`: stdout gets the error object a stdin line would, stderr the error, exit 2."""
    code, out, err = run(capsys, "ask", "--json", "--seeds", str(SEEDS), "@everyone")
    assert code == 2 and json.loads(out)["error"] == "the question is empty; ask something about the sources"
    assert err == "qabot: error: the question is empty; ask something about the sources\n"


def test_a_question_of_only_invisible_characters_is_empty(capsys):
    code, _out, err = run(capsys, "ask", "--seeds", str(SEEDS), "\u200b\u200b\ufeff")
    assert code == 2 and err == "qabot: error: the question is empty; ask something about the sources\n"


@pytest.mark.parametrize("reply", ["thanks", "ok cool", "👍"])
def test_a_reply_that_asks_nothing_does_not_quote_the_previous_answer_again(capsys, reply):
    code, out, _err = run(capsys, "ask", "--seeds", str(SEEDS), "--after", QUESTION, reply)
    assert code == 0 and "\n> " not in out
    assert ("Glad to help" in out) if reply != "👍" else ("no words to search for" in out)


def test_the_console_shows_the_encoding_note_and_warnings_but_no_other_info(capsys):
    import logging

    from bot.cli import _log_to_console

    _log_to_console()
    logging.getLogger("retrieval.search.dense").info("Encoding %d sentences", 300)
    logging.getLogger("retrieval.corpus").info("not for the console")
    logging.getLogger("retrieval.corpus").warning("a warning")
    assert capsys.readouterr().err == "qabot: info: Encoding 300 sentences\nqabot: warning: a warning\n"
