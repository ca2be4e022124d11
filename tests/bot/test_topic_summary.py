"""/summary topic: and `qabot summary --topic` through discord.py's dispatch and the console; /summary of many
sources, most recent first."""

from __future__ import annotations

import json

from bot.cli import main
from tests.bot.fake_discord import GUILD_ID, dispatch, slash_command
from tests.conftest import SEEDS


async def test_topic_summary_quotes_sentences_about_the_topic_with_title_and_paragraph(bot, discord_api):
    """/summary topic:"the raid" defers, then posts only sentences saying "raid", each cited with article and
    paragraph, and pings no one."""
    await dispatch(bot, slash_command("summary", topic="the raid", sentences=3))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 5
    (followup,) = discord_api.followups()
    header, *lines = followup.body["content"].split("\n")
    assert header.startswith("**What the sources say about “the raid”**")
    assert lines and all(line.startswith("- ") and "raid" in line.split(" *(")[0] for line in lines)
    assert all("Trump and Sheinbaum talk after the raid" in line and ", paragraph " in line for line in lines)
    assert followup.body["allowed_mentions"] == {"parse": []}


async def test_a_topic_the_sources_do_not_cover_says_so(bot, discord_api):
    """A topic no source mentions gets the topic echoed and a line naming the missing word, no quotes."""
    await dispatch(bot, slash_command("summary", topic="the Eiffel Tower"))
    (followup,) = discord_api.followups()
    content = followup.body["content"]
    assert content.startswith("**Topic:** the Eiffel Tower")
    assert "The sources don't mention “Eiffel”, “Tower”." in content and "- " not in content


async def test_a_topic_of_stopwords_is_an_ephemeral_error(bot, discord_api):
    """A topic with no word to look for gets the error's advice, ephemerally, after the defer."""
    await dispatch(bot, slash_command("summary", topic="the"))
    (followup,) = discord_api.followups()
    assert "no word to look for" in followup.body["content"]
    assert followup.body["flags"] & 64  # ephemeral


async def test_summary_of_many_sources_starts_with_the_most_recent(bot, discord_api, seeds_copy):
    """/summary with no source posts the newest sources by published date first, then says how many it left out."""
    for day in (1, 9, 5, 3):
        (seeds_copy / f"day-{day}.txt").write_text(f"Markets moved on day {day} of the month.\n", "utf-8")
        (seeds_copy / f"day-{day}.meta.yaml").write_text(f"title: Day {day}\npublished: 2026-03-0{day}\n", "utf-8")
    await (await bot.service_for(GUILD_ID)).reload()
    await dispatch(bot, slash_command("summary", sentences=1))
    contents = [f.body["content"] for f in discord_api.followups()]
    titles = [c.split("\n")[0] for c in contents if c.startswith("**Summary of")]
    assert titles == [
        "**Summary of *Day 9*** (1 sentence)",
        "**Summary of *Day 5*** (1 sentence)",
        "**Summary of *Day 3*** (1 sentence)",
    ]
    assert contents[-1].startswith("…and 2 more source(s), older, left out.")


async def test_console_topic_summary_is_what_discord_posts(isolated_settings, capsys, bot, discord_api, seeds_copy):
    """`qabot summary --topic` prints exactly the content of the bot's /summary topic: followup."""
    code = main(["summary", "--seeds", str(seeds_copy), "--topic", "the raid", "--sentences", "3"])
    out, _ = capsys.readouterr()
    await dispatch(bot, slash_command("summary", topic="the raid", sentences=3))
    assert code == 0
    assert out.rstrip("\n") == discord_api.followups()[0].body["content"]


def test_console_topic_summary_json_has_sentences_with_sources_and_paragraphs(isolated_settings, capsys):
    """`qabot summary --topic ... --json` gives the topic, sentences (source id, paragraph, offsets, text) and the
    reason when not covered."""
    seeds = str(SEEDS)
    assert main(["summary", "--seeds", seeds, "--topic", "raid", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["topic"] == "raid" and row["not_covered_reason"] is None and row["sources_searched"] == 1
    assert row["sentences"] and all(
        {"source_id", "paragraph", "start", "end", "text"} <= set(s) for s in row["sentences"]
    )
    assert main(["summary", "--seeds", seeds, "--topic", "France", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["sentences"] == [] and row["not_covered_reason"] == "The sources don't mention “France”."


def test_console_refuses_a_topic_with_no_word_in_one_line(isolated_settings, capsys):
    """A stopword-only topic is one error line on stderr with exit status 2."""
    seeds = str(SEEDS)
    assert main(["summary", "--seeds", seeds, "--topic", "of the"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qabot: error: the topic 'of the' has no word to look for") and err.count("\n") == 1
