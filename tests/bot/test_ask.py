"""/ask through discord.py's own dispatch: gateway payload in, REST request bodies out."""

from __future__ import annotations

import logging

import discord

import bot.answering as answering_module
from bot.limits import CONTENT_LIMIT, EMBED_AUTHOR_NAME_LIMIT
from tests.bot.conftest import make_settings
from tests.bot.fake_discord import EPHEMERAL, custom_ids, dispatch, message_text, slash_command

NO_MENTIONS = {"parse": []}
QUESTION = "How long did Trump and Sheinbaum talk?"
NO_EMBED_LINKS = discord.Permissions.text().value & ~discord.Permissions(embed_links=True).value


async def test_ask_defers_then_answers_with_an_embed_citing_the_article(bot, discord_api):
    """/ask acknowledges at once (a thinking defer), then posts an embed: the question as its author line, the article
    title as its title, the quote, "paragraph 3" and the passage id to type back."""
    await dispatch(bot, slash_command("ask", question=QUESTION))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL
    (followup,) = discord_api.followups()
    (embed,) = followup.body["embeds"]
    assert "content" not in followup.body or not followup.body["content"]
    assert embed["author"]["name"] == QUESTION
    assert embed["title"].startswith("Trump and Sheinbaum talk")
    assert embed["description"].startswith("> The cordial conversation Monday lasted about eight minutes")
    assert "paragraph 3 · `trump-sheinbaum-call-after-el-mencho-raid:3`" in embed["description"]
    assert 1 <= len(embed["fields"]) <= 2 and all(f["name"].startswith("Also in paragraph ") for f in embed["fields"])
    assert all("`trump-sheinbaum-call-after-el-mencho-raid:" in f["value"] for f in embed["fields"])
    assert followup.body["allowed_mentions"] == NO_MENTIONS


async def test_ask_without_embed_links_sends_the_console_text_and_logs_once(bot, discord_api, caplog):
    """Where the bot lacks Embed Links, the answer is the plain text the console prints, with the same buttons, and
    the log says so once for that channel, not once per answer."""
    caplog.set_level(logging.WARNING, logger="bot.views.answer_message")
    await dispatch(bot, slash_command("ask", question=QUESTION, app_permissions=NO_EMBED_LINKS))
    await dispatch(bot, slash_command("ask", question=QUESTION, app_permissions=NO_EMBED_LINKS))
    first, second = discord_api.followups()
    for followup in (first, second):
        assert "embeds" not in followup.body or not followup.body["embeds"]
        assert followup.body["content"].startswith(f"**Q:** {QUESTION}\n\n> ")
        assert "qabot:more" in custom_ids(followup.body)
    assert sum("No Embed Links" in r.getMessage() for r in caplog.records) == 1


async def test_ask_private_answers_ephemerally(bot, discord_api):
    """/ask private:true defers ephemerally and sends the answer with the ephemeral flag: only the asker sees it."""
    await dispatch(bot, slash_command("ask", question=QUESTION, private=True))
    (callback,) = discord_api.callbacks()
    assert callback.body["data"]["flags"] & EPHEMERAL
    (followup,) = discord_api.followups()
    assert followup.body["flags"] & EPHEMERAL
    assert "about eight minutes" in message_text(followup.body)


async def test_ask_about_something_absent_quotes_nothing_and_has_no_buttons(bot, discord_api):
    """A question the sources don't cover gets an embed saying what is missing, no quote, no title, no buttons."""
    await dispatch(bot, slash_command("ask", question="What is the capital of France?"))
    (followup,) = discord_api.followups()
    (embed,) = followup.body["embeds"]
    assert "don't mention" in embed["description"] and "> " not in embed["description"]
    assert "title" not in embed
    assert not followup.body.get("components")


async def test_ask_never_pings_even_when_the_question_does(bot, discord_api):
    """@everyone, @here and mention tokens in a question are never sent as live mentions, and allowed_mentions is
    empty (the author line of an embed renders no mention; the plain text breaks them)."""
    question = "@everyone @here <@&123> <@456> how long did Trump and Sheinbaum talk?"
    await dispatch(bot, slash_command("ask", question=question))
    await dispatch(bot, slash_command("ask", question=question, app_permissions=NO_EMBED_LINKS))
    embedded, plain = discord_api.followups()
    assert embedded.body["allowed_mentions"] == NO_MENTIONS and plain.body["allowed_mentions"] == NO_MENTIONS
    description = embedded.body["embeds"][0]["description"]
    assert "@everyone" not in description and "<@456>" not in description
    for mention in ("@everyone", "@here", "<@&123>", "<@456>"):
        assert mention not in plain.body["content"]


async def test_a_question_of_2000_characters_fits_in_the_embed_limits(bot, discord_api):
    """The echoed question is shortened to the author line's 256 characters; the quote stays."""
    question = (QUESTION + " ") * 60
    question = question[:2000]
    await dispatch(bot, slash_command("ask", question=question))
    await dispatch(bot, slash_command("ask", question=question, app_permissions=NO_EMBED_LINKS))
    embedded, plain = discord_api.followups()
    (embed,) = embedded.body["embeds"]
    assert len(embed["author"]["name"]) <= EMBED_AUTHOR_NAME_LIMIT and embed["author"]["name"].endswith("…")
    assert "about eight minutes" in embed["description"]
    assert 0 < len(plain.body["content"]) <= CONTENT_LIMIT and "about eight minutes" in plain.body["content"]


async def test_ask_is_rate_limited_per_user_with_an_ephemeral_notice(discord_api, seeds_copy):
    """Over the cooldown, /ask answers at once, ephemerally, with how long to wait, and does no retrieval."""
    from bot.client import QaBot
    from bot.libraries import LibraryRegistry

    settings = make_settings(seeds_copy, ask_cooldown_rate=1, ask_cooldown_seconds=60)
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login("test-token-not-real")
    try:
        await dispatch(client, slash_command("ask", question="Who is Sheinbaum?"))
        await dispatch(client, slash_command("ask", question="Who is Trump?"))
        await dispatch(client, slash_command("ask", question="Who is Trump?", user_id=42))
    finally:
        await client.close()
    first, second, other_user = discord_api.callbacks()
    assert first.body["type"] == 5 and other_user.body["type"] == 5
    assert second.body["type"] == 4
    assert second.body["data"]["flags"] & EPHEMERAL
    assert "try again in" in second.body["data"]["content"]
    assert len(discord_api.followups()) == 2


async def test_an_error_after_the_defer_is_reported_by_followup_not_a_second_response(bot, discord_api, monkeypatch):
    """An unexpected failure after deferring: one callback only (no 40060), then a generic followup message."""

    def broken(question, corpus):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(answering_module, "answer_for", broken)
    await dispatch(bot, slash_command("ask", question="How long did they talk?"))
    assert len(discord_api.callbacks()) == 1
    (followup,) = discord_api.followups()
    assert "Something went wrong" in followup.body["content"]
    assert "index exploded" not in followup.body["content"]


async def test_ask_with_no_sources_says_so(discord_api, tmp_path):
    """With a missing sources folder the bot still starts, and /ask says no sources are loaded."""
    from bot.client import QaBot
    from bot.libraries import LibraryRegistry

    settings = make_settings(tmp_path / "nowhere")
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login("test-token-not-real")
    try:
        await dispatch(client, slash_command("ask", question="How long did they talk?"))
    finally:
        await client.close()
    (followup,) = discord_api.followups()
    assert "No sources are loaded" in message_text(followup.body)


async def test_a_question_of_only_mentions_says_so_not_empty(bot, discord_api):
    """A question that is only mentions is answered (ephemerally) with what is wrong: it has only mentions, not
    "the question is empty", which the user who typed "@everyone" would not understand."""
    await dispatch(bot, slash_command("ask", question="@everyone <@123>"))
    (followup,) = discord_api.followups()
    assert "only mentions" in followup.body["content"] and "empty" not in followup.body["content"]
    assert followup.body["flags"] & EPHEMERAL
