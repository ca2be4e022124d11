"""Message commands ("Apps" menu) and the moderators' /gaps, through discord.py's dispatch; what the store keeps."""

from __future__ import annotations

import sqlite3

from tests.bot.fake_discord import (
    BOT_ID,
    EPHEMERAL,
    GUILD_ID,
    MANAGE_GUILD,
    component,
    dispatch,
    member_message,
    message_command,
    message_create,
    slash_command,
)

QUESTION = "How long did Trump and Sheinbaum talk?"


async def test_ask_about_this_answers_the_messages_text_and_links_it(bot, discord_api):
    """ "Ask qabot about this" on a member's message answers its text publicly; the answer links that message."""
    target = member_message(QUESTION)
    await dispatch(bot, message_command("Ask qabot about this", target))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 5 and not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL
    (followup,) = discord_api.followups()
    (embed,) = followup.body["embeds"]
    jump = f"https://discord.com/channels/{GUILD_ID}/{target['channel_id']}/{target['id']}"
    assert embed["description"].startswith(f"About [this message]({jump}):")
    assert "about eight minutes" in embed["description"] and embed["author"]["name"] == QUESTION


async def test_ask_about_a_message_without_text_says_so(bot, discord_api):
    """A message with no text (an image only) gets an ephemeral explanation, not an error."""
    await dispatch(bot, message_command("Ask qabot about this", member_message("")))
    (callback,) = discord_api.callbacks()
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert "no text to ask about" in callback.body["data"]["content"]


async def test_summarize_sources_on_this_lists_the_nearest_passages(bot, discord_api):
    """ "Summarize sources on this" answers with the passages nearest to the message's subject, each cited."""
    await dispatch(bot, message_command("Summarize sources on this", member_message("the raid on El Mencho")))
    (followup,) = discord_api.followups()
    (embed,) = followup.body["embeds"]
    assert embed["description"].startswith("Sources on [this message](")
    assert 1 <= len(embed["fields"]) <= 5 and all("paragraph " in f["name"] for f in embed["fields"])


async def test_questions_and_reloads_are_recorded_with_hashed_users(bot, discord_api):
    """Every question (slash, mention) is kept with guild, channel, hashed user, answered or refused and why, the
    passages quoted, a latency, the answer's message id; a reload with who ran it and what changed."""
    await dispatch(bot, slash_command("ask", question=QUESTION))
    await dispatch(bot, message_create(f"<@{BOT_ID}> What is the capital of France?", mentions=[BOT_ID]))
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    with sqlite3.connect(bot.store.path) as db:
        rows = db.execute(
            "SELECT guild_id, user_hash, question, answered, refusal, passage_ids, latency_ms, message_id, via "
            "FROM questions ORDER BY id"
        ).fetchall()
        reloads = db.execute("SELECT user_hash, ok, added, changed, removed FROM reloads ORDER BY id").fetchall()
    (slash, mention) = rows
    answer_id = int(discord_api.followups()[0].response["id"])
    assert slash[:4] == (GUILD_ID, bot.store.hash_user(900000000000000005), QUESTION, 1)
    assert slash[5].startswith('["trump-sheinbaum-call-after-el-mencho-raid:3"') and slash[6] > 0
    assert (slash[7], slash[8]) == (answer_id, "slash")
    assert (mention[3], mention[8]) == (0, "mention") and "France" in mention[4]
    assert [r[1] for r in reloads] == [1, 1]  # the load at start-up, then /reload
    assert reloads[0][0] is None and reloads[1][0] == bot.store.hash_user(900000000000000005)


async def test_gaps_is_for_moderators_only_and_ephemeral(bot, discord_api):
    """/gaps refuses a member without Manage Server or a moderator role (ephemerally) and shows a moderator the
    refused questions with counts and the 👎 answers with the passages quoted, only to them."""
    for _ in range(2):
        await dispatch(bot, slash_command("ask", question="Who is the Canadian prime minister?"))
    await dispatch(bot, slash_command("ask", question=QUESTION))
    answer = discord_api.sent_messages()[-1]
    await dispatch(bot, component("qabot:vote:down", answer))
    since = len(discord_api.requests)
    await dispatch(bot, slash_command("gaps"))
    await dispatch(bot, slash_command("gaps", permissions=MANAGE_GUILD, days=7))
    refused, deferred = [r for r in discord_api.requests[since:] if r.path.endswith("/callback")]
    assert refused.body["data"]["flags"] & EPHEMERAL and "Only moderators" in refused.body["data"]["content"]
    assert deferred.body["data"]["flags"] & EPHEMERAL
    (report,) = [r.body for r in discord_api.followups() if "Gaps of the last" in (r.body.get("content") or "")]
    assert report["flags"] & EPHEMERAL
    assert "**Gaps of the last 7 days** (3 questions asked)" in report["content"]
    assert "- 2× “Who is the Canadian prime minister?”: The sources don't mention “Canadian”" in report["content"]
    assert "- 👎 1 · 👍 0: “How long did Trump and Sheinbaum talk?” quoted `trump-sheinbaum" in report["content"]
