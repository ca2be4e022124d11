"""/summary (with autocomplete), /sources and /passage through discord.py's dispatch."""

from __future__ import annotations

from tests.bot.fake_discord import GUILD_ID, autocomplete, dispatch, slash_command

SEED_ID = "trump-sheinbaum-call-after-el-mencho-raid"


async def test_summary_defers_and_cites_paragraphs(bot, discord_api):
    """/summary defers, then posts sentences from the source, each with its paragraph number."""
    await dispatch(bot, slash_command("summary", source=SEED_ID, sentences=3))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 5
    (followup,) = discord_api.followups()
    content = followup.body["content"]
    assert content.count("(paragraph ") == 3
    assert followup.body["allowed_mentions"] == {"parse": []}


async def test_summary_of_an_unknown_source_is_a_clear_error(bot, discord_api):
    """An unknown source id gets a message listing known ids, through the followup after the defer."""
    await dispatch(bot, slash_command("summary", source="nope"))
    assert len(discord_api.callbacks()) == 1
    (followup,) = discord_api.followups()
    assert "no source has the id 'nope'" in followup.body["content"]
    assert SEED_ID in followup.body["content"]


async def test_autocomplete_offers_matching_sources(bot, discord_api):
    """Typing part of a title in /summary's source option offers that source (id as value, title as name)."""
    await dispatch(bot, autocomplete("summary", "source", "mencho"))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    choices = callback.body["data"]["choices"]
    assert [c["value"] for c in choices] == [SEED_ID]
    assert all(len(c["name"]) <= 100 for c in choices)


async def test_autocomplete_names_drop_control_characters(bot, discord_api, seeds_copy):
    """A title with a right-to-left override or a control character is offered without them, within 100
    characters."""
    (seeds_copy / "odd.txt").write_text("A paragraph about the odd source.\n", encoding="utf-8")
    title = "Odd \u202etitle\x07 " + "x" * 200
    (seeds_copy / "odd.meta.yaml").write_text(f'title: "{title}"\n'.replace("\u202e", "\\u202e").replace("\x07", "\\a"))
    await (await bot.service_for(GUILD_ID)).reload()
    await dispatch(bot, autocomplete("summary", "source", "odd"))
    (callback,) = discord_api.callbacks()
    (choice,) = callback.body["data"]["choices"]
    assert choice["name"].startswith("Odd title xxx") and len(choice["name"]) == 100
    assert "\u202e" not in choice["name"] and "\x07" not in choice["name"]


async def test_autocomplete_with_no_match_offers_nothing(bot, discord_api):
    """Text that matches no source gives an empty choice list."""
    await dispatch(bot, autocomplete("summary", "source", "zzz-no-such"))
    (callback,) = discord_api.callbacks()
    assert callback.body["data"]["choices"] == []


async def test_sources_lists_the_seed(bot, discord_api):
    """/sources answers at once with each source's id, title and passage count."""
    await dispatch(bot, slash_command("sources"))
    (callback,) = discord_api.callbacks()
    content = callback.body["data"]["content"]
    assert SEED_ID in content and "21 passages" in content


async def test_passage_shows_one_passage_in_full(bot, discord_api):
    """/passage with an id from a citation shows that passage with its source."""
    await dispatch(bot, slash_command("passage", id=f"{SEED_ID}:3"))
    (callback,) = discord_api.callbacks()
    content = callback.body["data"]["content"]
    assert "about eight minutes" in content and "paragraph 3" in content


async def test_passage_with_an_unknown_id_is_refused_ephemerally(bot, discord_api):
    """A wrong passage id gets an ephemeral message saying what ids look like."""
    await dispatch(bot, slash_command("passage", id="nothing:99"))
    (callback,) = discord_api.callbacks()
    assert callback.body["data"]["flags"] & 64
    content = callback.body["data"]["content"]
    assert "no passage has the id" in content and "ids look like source-id:3" in content  # no escaped backticks


async def test_passage_id_is_found_whatever_its_case(bot, discord_api):
    """Ids are lower-case; one typed in capitals, with spaces around it, still finds its passage."""
    await dispatch(bot, slash_command("passage", id=f" {SEED_ID.upper()}:3 "))
    (callback,) = discord_api.callbacks()
    assert "about eight minutes" in callback.body["data"]["content"]


async def test_summary_of_every_source_is_capped_and_says_what_it_left_out(bot, discord_api, seeds_copy):
    """/summary with no source on a large folder posts a few summaries and says how many sources it left out,
    rather than flooding the channel."""
    for i in range(5):
        (seeds_copy / f"extra-{i}.txt").write_text(f"Extra article {i} about markets.\n\nMore text.\n", "utf-8")
    await (await bot.service_for(GUILD_ID)).reload()
    await dispatch(bot, slash_command("summary", sentences=1))
    contents = [f.body["content"] for f in discord_api.followups()]
    assert sum(c.startswith("**Summary of") for c in contents) == 3
    assert contents[-1].startswith("…and 3 more source(s)")


async def test_summary_shares_the_per_user_limit(bot, discord_api):
    """/summary posts publicly and costs work, so it counts against the same per-user limit as questions: over it,
    the user is told ephemerally to wait and nothing is summarized."""
    bot.cooldown.rate = 1
    await dispatch(bot, slash_command("summary", source=SEED_ID, sentences=1))
    await dispatch(bot, slash_command("summary", source=SEED_ID, sentences=1))
    deferred, refused = discord_api.callbacks()
    assert deferred.body["type"] == 5
    assert refused.body["data"]["flags"] & 64 and "try again in" in refused.body["data"]["content"]
    assert len(discord_api.followups()) == 1
