"""Questions asked by mentioning the bot or replying to its answers (MESSAGE_CREATE through discord.py)."""

from __future__ import annotations

from tests.bot.fake_discord import BOT_ID, bot_message, dispatch, message_create, message_text

QUESTION = "how long did Trump and Sheinbaum talk?"


async def test_direct_mention_is_answered_as_a_reply_without_pings(bot, discord_api):
    """<@bot> question: the bot replies to that message, quoting the answer, pinging no one."""
    await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    (sent,) = discord_api.channel_messages()
    assert "about eight minutes" in message_text(sent.body)
    assert "message_reference" in sent.body
    assert sent.body["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert f"<@{BOT_ID}>" not in message_text(sent.body)


async def test_nickname_mention_form_is_answered(bot, discord_api):
    """The nickname form <@!bot> counts as a direct mention."""
    await dispatch(bot, message_create(f"<@!{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    (sent,) = discord_api.channel_messages()
    assert "about eight minutes" in message_text(sent.body)


async def test_everyone_and_here_never_trigger_the_bot(bot, discord_api):
    """@everyone / @here messages are not addressed to the bot: it sends nothing."""
    await dispatch(bot, message_create(f"@everyone {QUESTION}", mention_everyone=True))
    await dispatch(bot, message_create(f"@here {QUESTION}", mention_everyone=True))
    assert discord_api.channel_messages() == []


async def test_unaddressed_messages_are_ignored(bot, discord_api):
    """Ordinary chat, even about the article, gets no reply."""
    await dispatch(bot, message_create(QUESTION))
    assert discord_api.channel_messages() == []


async def test_reply_to_an_answer_is_answered(bot, discord_api):
    """Replying to one of the bot's messages, without mentioning it, asks a question."""
    answer = bot_message("**Q:** earlier question")
    await dispatch(bot, message_create("what did the commentator on X say?", replying_to=answer))
    (sent,) = discord_api.channel_messages()
    assert "cynicism" in message_text(sent.body)


async def test_a_reply_to_an_answer_is_read_with_the_question_it_answered(bot, discord_api):
    """ "who is she?" as a reply to the answer to "what did lilly tellez say" is a follow-up: "she" is Lilly Tellez,
    and the passage that introduces her is quoted; asked alone, "she" points nowhere and nothing is quoted."""
    answer = bot_message("**Q:** what did lilly tellez say\n\n> Sheinbaum, wrote Lilly Tellez …")
    await dispatch(bot, message_create("who is she?", replying_to=answer))
    (sent,) = discord_api.channel_messages()
    assert "an opposition Mexican senator" in message_text(sent.body)
    await dispatch(bot, message_create(f"<@{BOT_ID}> who is she?", mentions=[BOT_ID]))
    assert "only common words" in message_text(discord_api.channel_messages()[-1].body)


async def test_a_reply_that_asks_nothing_gets_no_answer(bot, discord_api):
    """A reply to the bot that asks nothing ("thanks!", an emoji, an image, or any reply when the Message Content
    intent is off, which Discord delivers with empty content) is left alone; a reply with "?" or opening with a
    question word is answered."""
    answer = bot_message("**Q:** earlier question")
    for content in ("", "   ", "<:thumbsup:123>", "👍", "!!!", "thanks!", "lol", "ok cool"):
        await dispatch(bot, message_create(content, replying_to=answer))
    assert discord_api.channel_messages() == []
    await dispatch(bot, message_create("and when did they talk?", replying_to=answer))
    await dispatch(bot, message_create("Who was visiting the capo", replying_to=answer))
    assert len(discord_api.channel_messages()) == 2


async def test_other_bots_are_ignored(bot, discord_api):
    """Messages from bots, even mentioning qabot, are ignored (no bot loops)."""
    await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID], author_is_bot=True))
    assert discord_api.channel_messages() == []


async def test_mention_with_no_question_gets_help(bot, discord_api):
    """A bare mention gets a short hint on how to ask."""
    await dispatch(bot, message_create(f"<@{BOT_ID}>", mentions=[BOT_ID]))
    (sent,) = discord_api.channel_messages()
    assert "Ask me about the sources" in message_text(sent.body)


async def test_mention_questions_share_the_cooldown(bot, discord_api):
    """Past the per-user limit, a mention question gets a short notice instead of an answer."""
    bot.get_cog("Questions").cooldown.rate = 1
    await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    first, second = discord_api.channel_messages()
    assert "about eight minutes" in message_text(first.body)
    assert "try again in" in message_text(second.body)


async def test_a_burst_over_the_limit_gets_one_notice_not_one_each(bot, discord_api):
    """Twenty quick mentions from one user at a limit of one: one answer and one notice, not twenty messages."""
    bot.get_cog("Questions").cooldown.rate = 1
    for _ in range(20):
        await dispatch(bot, message_create(f"<@{BOT_ID}> {QUESTION}", mentions=[BOT_ID]))
    contents = [message_text(m.body) for m in discord_api.channel_messages()]
    assert len(contents) == 2 and "try again in" in contents[1]
