"""Privacy and help: /sources, /passage and /help answer ephemerally; /passage autocompletes ids; the small
mismatches the issue named are gone (/summary's hint, /sources's console advice)."""

from __future__ import annotations

from tests.bot.fake_discord import EPHEMERAL, autocomplete, dispatch, slash_command

SEED_ID = "trump-sheinbaum-call-after-el-mencho-raid"


async def test_sources_and_passage_are_ephemeral(bot, discord_api):
    """/sources and /passage reply only to the member who asked."""
    await dispatch(bot, slash_command("sources"))
    await dispatch(bot, slash_command("passage", id=f"{SEED_ID}:3"))
    sources, passage = discord_api.callbacks()
    assert sources.body["data"]["flags"] & EPHEMERAL and passage.body["data"]["flags"] & EPHEMERAL
    assert SEED_ID in sources.body["data"]["content"]
    assert "about eight minutes" in passage.body["data"]["content"]


async def test_a_long_source_list_points_to_discord_not_the_console(bot, discord_api, seeds_copy):
    """When the list is cut, the last line tells a Discord user what to do in Discord, not to run `qabot sources`."""
    from tests.bot.fake_discord import MANAGE_GUILD

    for i in range(120):
        (seeds_copy / f"article-{i:03}.txt").write_text(f"Paragraph {i} about the harbour.\n", encoding="utf-8")
        (seeds_copy / f"article-{i:03}.meta.yaml").write_text(f"title: {'Long title ' * 9}{i}\n", encoding="utf-8")
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    sent_before = len(discord_api.bodies_with_content())
    await dispatch(bot, slash_command("sources"))
    last = discord_api.bodies_with_content()[-1]
    assert len(discord_api.bodies_with_content()) - sent_before == 5
    assert "more message(s) of sources not shown" in last["content"] and "qabot sources" not in last["content"]
    assert last["flags"] & EPHEMERAL


async def test_passage_autocomplete_offers_ids_by_id_or_text(bot, discord_api):
    """Typing in /passage's id option offers passage ids: those containing the typed text, then passages whose text
    holds it ("eight minutes" finds paragraph 3), each choice within Discord's 100 characters."""
    await dispatch(bot, autocomplete("passage", "id", f"{SEED_ID}:1"))
    await dispatch(bot, autocomplete("passage", "id", "eight minutes"))
    by_id, by_text = (c.body["data"]["choices"] for c in discord_api.callbacks())
    assert [c["value"] for c in by_id] == [f"{SEED_ID}:1", *(f"{SEED_ID}:{n}" for n in range(10, 20))]
    assert [c["value"] for c in by_text] == [f"{SEED_ID}:3"]
    assert all(len(c["name"]) <= 100 and c["name"].startswith(c["value"]) for c in by_id + by_text)


async def test_summary_hint_says_what_an_empty_source_does(bot):
    """/summary's source option says it summarizes the 3 most recent sources when empty (what it does), not
    "every"."""
    options = {o["name"]: o for o in bot.tree.get_command("summary").to_dict(bot.tree)["options"]}
    assert "the 3 most recent" in options["source"]["description"]
    assert "every source" not in options["source"]["description"]


async def test_help_is_ephemeral_explains_each_command_with_examples_from_the_sources(bot, discord_api):
    """/help answers only the asker: how to ask, every command and button, privacy, and example questions built from
    the loaded sources that qabot does answer."""
    await dispatch(bot, slash_command("help"))
    (callback,) = discord_api.callbacks()
    assert callback.body["data"]["flags"] & EPHEMERAL
    (followup,) = discord_api.followups()
    assert followup.body["flags"] & EPHEMERAL
    (embed,) = followup.body["embeds"]
    names = " ".join(f["name"] for f in embed["fields"])
    for command in ("/ask", "/summary", "/sources", "/passage", "Ask qabot about this", "Buttons", "/gaps"):
        assert command in names
    assert "Who is Nemesio Rubén Oseguera Cervantes?" in embed["description"]
    assert "keyed hash" in embed["footer"]["text"]
