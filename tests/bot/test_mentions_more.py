"""Mentions beyond <@bot>: the bot's managed role, DMs, the typing indicator; threads (ANSWER_IN_THREADS)."""

from __future__ import annotations

from bot.client import QaBot
from bot.libraries import LibraryRegistry
from tests.bot.conftest import make_settings
from tests.bot.fake_discord import (
    BOT_ID,
    BOT_ROLE_ID,
    CHANNEL_ID,
    OTHER_ROLE_ID,
    bot_message,
    dispatch,
    guild_create,
    message_create,
    message_text,
    slash_command,
    thread_create,
    thread_payload,
)

QUESTION = "how long did Trump and Sheinbaum talk?"


async def test_the_bots_managed_role_counts_as_mentioning_it(bot, discord_api):
    """Picking the bot's role from the @ list (a common slip) is answered like a mention; another role is not."""
    await dispatch(bot, guild_create())
    await dispatch(bot, message_create(f"<@&{BOT_ROLE_ID}> {QUESTION}", role_mentions=[BOT_ROLE_ID]))
    await dispatch(bot, message_create(f"<@&{OTHER_ROLE_ID}> {QUESTION}", role_mentions=[OTHER_ROLE_ID]))
    (sent,) = discord_api.channel_messages()
    assert "about eight minutes" in message_text(sent.body)
    assert sent.body["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_a_plain_message_in_a_dm_is_a_question(bot, discord_api):
    """In a DM no mention is needed: the message is the question; an empty one (an attachment) is left alone."""
    await dispatch(bot, message_create(QUESTION, in_dm=True))
    await dispatch(bot, message_create("", in_dm=True))
    (sent,) = discord_api.channel_messages()
    assert "about eight minutes" in message_text(sent.body)


async def test_typing_shows_while_a_mention_question_is_answered(bot, discord_api):
    """The bot triggers the typing indicator in the channel before its answer arrives."""
    await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    paths = [(r.method, r.path) for r in discord_api.requests if r.path.startswith(f"/channels/{CHANNEL_ID}/")]
    assert paths[:2] == [("POST", f"/channels/{CHANNEL_ID}/typing"), ("POST", f"/channels/{CHANNEL_ID}/messages")]


async def test_a_failing_typing_indicator_does_not_stop_the_answer(bot, discord_api):
    """If Discord refuses the typing request, the answer is still sent."""
    discord_api.fail_routes["/typing"] = (403, 50013)
    await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    (sent,) = discord_api.channel_messages()
    assert "about eight minutes" in message_text(sent.body)


async def _threaded_bot(discord_api, seeds_copy) -> QaBot:
    settings = make_settings(seeds_copy, answer_in_threads=True)
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login("test-token-not-real")
    await dispatch(client, guild_create())
    return client


async def test_with_threads_a_mention_is_answered_in_a_new_thread_named_after_it(discord_api, seeds_copy):
    """ANSWER_IN_THREADS: the question message gets a thread named after the question (mentions removed), and the
    answer is posted inside it."""
    client = await _threaded_bot(discord_api, seeds_copy)
    try:
        await dispatch(client, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    finally:
        await client.close()
    (created,) = discord_api.sent("POST", "/threads")
    assert created.path.startswith(f"/channels/{CHANNEL_ID}/messages/") and created.body["name"] == QUESTION
    thread_id = created.response["id"]
    (answer,) = discord_api.channel_messages()
    assert answer.path == f"/channels/{thread_id}/messages"
    assert "about eight minutes" in message_text(answer.body)


async def test_with_threads_slash_ask_posts_the_question_and_answers_in_its_thread(discord_api, seeds_copy):
    """/ask with ANSWER_IN_THREADS: the channel gets the question, a thread is opened on it, the answer goes in."""
    client = await _threaded_bot(discord_api, seeds_copy)
    try:
        await dispatch(client, slash_command("ask", question=QUESTION))
    finally:
        await client.close()
    (header,) = discord_api.followups()
    assert header.body["content"].startswith(f"**Q:** {QUESTION}")
    (created,) = discord_api.sent("POST", "/threads")
    assert created.body["name"] == QUESTION
    (answer,) = discord_api.channel_messages()
    assert answer.path == f"/channels/{created.response['id']}/messages"
    assert answer.body["embeds"][0]["author"]["name"] == QUESTION


async def test_a_question_inside_the_bots_thread_needs_no_mention(discord_api, seeds_copy):
    """In a thread the bot opened, a message that asks something is answered without a mention; chat is not."""
    client = await _threaded_bot(discord_api, seeds_copy)
    thread = thread_payload(CHANNEL_ID, QUESTION)
    try:
        await dispatch(client, thread_create(thread))
        await dispatch(client, message_create("thanks!", channel_id=int(thread["id"])))
        await dispatch(client, message_create("and who led the cartel?", channel_id=int(thread["id"])))
    finally:
        await client.close()
    (answer,) = discord_api.channel_messages()
    assert answer.path == f"/channels/{thread['id']}/messages"
    assert "cartel" in message_text(answer.body).lower()


async def test_without_thread_permission_the_answer_goes_in_the_channel(discord_api, seeds_copy):
    """If Discord refuses to open the thread (no Create Public Threads), the bot answers in the channel instead."""
    client = await _threaded_bot(discord_api, seeds_copy)
    discord_api.fail_routes["/threads"] = (403, 50013)
    try:
        await dispatch(client, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    finally:
        await client.close()
    (answer,) = discord_api.channel_messages()
    assert answer.path == f"/channels/{CHANNEL_ID}/messages" and "message_reference" in answer.body


async def test_the_earlier_question_is_found_from_a_reply_or_the_bots_thread(discord_api, seeds_copy):
    """For follow-ups: a reply to an answer yields that answer's question; a message in the bot's thread yields the
    question the thread is named after; other messages yield None."""
    from bot.followups import question_in_context

    client = await _threaded_bot(discord_api, seeds_copy)
    seen: list[str | None] = []

    async def capture(message):
        seen.append(question_in_context(message, BOT_ID))

    client.add_listener(capture, "on_message")
    thread = thread_payload(CHANNEL_ID, QUESTION)
    answer = bot_message("") | {"embeds": [{"author": {"name": "Who led the cartel?"}, "description": "> …"}]}
    try:
        await dispatch(client, thread_create(thread))
        await dispatch(client, message_create("and when?", channel_id=int(thread["id"])))
        await dispatch(client, message_create("and where was he?", replying_to=answer))
        await dispatch(client, message_create(f"<@{BOT_ID}> who is Trump?", mentions=[BOT_ID]))
    finally:
        await client.close()
    assert seen == [QUESTION, "Who led the cartel?", None]
