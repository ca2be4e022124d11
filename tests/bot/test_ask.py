"""/ask through discord.py's own dispatch: gateway payload in, REST request bodies out."""

from __future__ import annotations

import bot.cogs.questions as questions_module
from bot.limits import CONTENT_LIMIT
from tests.bot.conftest import make_settings
from tests.bot.fake_discord import EPHEMERAL, dispatch, slash_command

NO_MENTIONS = {"parse": []}


async def test_ask_defers_then_quotes_the_answer_with_its_source(bot, discord_api):
    """/ask acknowledges at once (a thinking defer), then posts the quote with title and paragraph."""
    await dispatch(bot, slash_command("ask", question="How long did Trump and Sheinbaum talk?"))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL
    (followup,) = discord_api.followups()
    content = followup.body["content"]
    assert "about eight minutes" in content
    assert "paragraph 3" in content
    assert "Trump and Sheinbaum talk" in content
    assert followup.body["allowed_mentions"] == NO_MENTIONS


async def test_ask_about_something_absent_quotes_nothing(bot, discord_api):
    """A question the sources don't cover gets a plain 'don't mention' reply and no block quote."""
    await dispatch(bot, slash_command("ask", question="What is the capital of France?"))
    (followup,) = discord_api.followups()
    content = followup.body["content"]
    assert "don't mention" in content
    assert "\n> " not in content


async def test_ask_never_pings_even_when_the_question_does(bot, discord_api):
    """@everyone, @here and mention tokens in a question are echoed broken, and allowed_mentions is empty."""
    question = "@everyone @here <@&123> <@456> how long did Trump and Sheinbaum talk?"
    await dispatch(bot, slash_command("ask", question=question))
    for body in discord_api.bodies_with_content():
        assert "@everyone" not in body["content"] and "@here" not in body["content"]
        assert "<@&123>" not in body["content"] and "<@456>" not in body["content"]
        assert body["allowed_mentions"] == NO_MENTIONS


async def test_a_question_of_2000_characters_fits_in_one_message(bot, discord_api):
    """The echoed question is shortened: the reply stays within Discord's 2000-character limit and keeps the quote."""
    question = ("How long did Trump and Sheinbaum talk? " * 60)[:2000]
    await dispatch(bot, slash_command("ask", question=question))
    (followup,) = discord_api.followups()
    assert 0 < len(followup.body["content"]) <= CONTENT_LIMIT
    assert "about eight minutes" in followup.body["content"]


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

    monkeypatch.setattr(questions_module, "reply_to_question", broken)
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
    assert "No sources are loaded" in followup.body["content"]


async def test_a_question_of_only_mentions_gets_a_clear_error(bot, discord_api):
    """A question that is empty once mention tokens are removed is answered with a fix, not a crash."""
    await dispatch(bot, slash_command("ask", question="@everyone"))
    (followup,) = discord_api.followups()
    assert "question is empty" in followup.body["content"]
