"""Buttons under an answer, pressed through discord.py's dispatch (MESSAGE_COMPONENT interactions, type 3)."""

from __future__ import annotations

import logging
import sqlite3

from bot.client import QaBot
from bot.libraries import LibraryRegistry
from tests.bot.fake_discord import (
    EPHEMERAL,
    MANAGE_GUILD,
    component,
    custom_ids,
    dispatch,
    message_text,
    slash_command,
)

QUESTION = "How long did Trump and Sheinbaum talk?"
FIRST_ID = "trump-sheinbaum-call-after-el-mencho-raid:3"


async def _answer(bot, discord_api, question: str = QUESTION) -> dict:
    """Ask ``question`` with /ask and return the answer message as the fake Discord stored it."""
    await dispatch(bot, slash_command("ask", question=question))
    return discord_api.sent_messages()[-1]


def _replies(discord_api, since: int) -> list[dict]:
    """Message replies to interactions (callback type 4, its ``data``) sent after request number ``since``."""
    return [
        r.body["data"] for r in discord_api.requests[since:] if r.path.endswith("/callback") and r.body["type"] == 4
    ]


async def test_an_answer_has_vote_passage_and_more_buttons_with_stable_ids(bot, discord_api):
    """Under an answer: 👍, 👎, Full passage (naming the quoted passage id), More results; the seed has no URL, so
    no Open article button."""
    answer = await _answer(bot, discord_api)
    assert custom_ids(answer) == ["qabot:vote:up", "qabot:vote:down", f"qabot:passage:{FIRST_ID}", "qabot:more"]
    buttons = [c for row in answer["components"] for c in row["components"]]
    assert [b.get("label") for b in buttons] == [None, None, "Full passage", "More results"]
    assert not any(b["style"] == 5 for b in buttons)  # LINK


async def test_open_article_is_a_link_button_when_the_source_has_a_url(bot, discord_api, seeds_copy):
    """A source with a URL gets an "Open article" link button (style 5) to it, and the embed title links there."""
    (sidecar,) = seeds_copy.glob("*.meta.yaml")
    text = sidecar.read_text(encoding="utf-8").replace("\nurl:\n", "\nurl: https://example.org/article\n")
    sidecar.write_text(text, encoding="utf-8")
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    answer = await _answer(bot, discord_api)
    (link,) = [c for row in answer["components"] for c in row["components"] if c["style"] == 5]
    assert link == {"type": 2, "style": 5, "label": "Open article", "url": "https://example.org/article"} | {
        k: link[k] for k in link if k not in ("type", "style", "label", "url")
    }
    assert answer["embeds"][0]["url"] == "https://example.org/article"


async def test_votes_count_once_per_user_are_changeable_and_acknowledged_ephemerally(bot, discord_api):
    """👍 is counted and acknowledged ephemerally; a double click says it counts once; 👎 changes it; another user's
    vote is separate. The store holds one row per user, with the latest vote."""
    answer = await _answer(bot, discord_api)
    since = len(discord_api.requests)
    await dispatch(bot, component("qabot:vote:up", answer))
    await dispatch(bot, component("qabot:vote:up", answer))
    await dispatch(bot, component("qabot:vote:down", answer))
    await dispatch(bot, component("qabot:vote:up", answer, user_id=42))
    replies = _replies(discord_api, since)
    assert all(r["flags"] & EPHEMERAL for r in replies)
    assert ["counted" in replies[0]["content"], "already" in replies[1]["content"]] == [True, True]
    assert "Changed your vote" in replies[2]["content"] and "counted" in replies[3]["content"]
    report = await bot.store.gaps(days=1)
    (downvoted,) = report.downvoted
    assert (downvoted.message_id, downvoted.down, downvoted.up) == (int(answer["id"]), 1, 1)
    assert downvoted.passage_ids[0] == FIRST_ID and downvoted.question == QUESTION


async def test_full_passage_shows_the_passage_ephemerally(bot, discord_api):
    """ "Full passage" replies, only to the presser, with the whole passage, its citation and its id."""
    answer = await _answer(bot, discord_api)
    since = len(discord_api.requests)
    await dispatch(bot, component(f"qabot:passage:{FIRST_ID}", answer, user_id=77))
    (reply,) = _replies(discord_api, since)
    assert reply["flags"] & EPHEMERAL
    assert "about eight minutes" in reply["content"] and f"`{FIRST_ID}`" in reply["content"]


async def test_more_results_lists_the_next_passages_not_those_shown(bot, discord_api):
    """ "More results" replies ephemerally with passages the answer did not quote."""
    answer = await _answer(bot, discord_api, "What did Sheinbaum say about Trump?")
    shown = {f["value"].rsplit("`", 2)[-2] for f in answer["embeds"][0]["fields"]} | {
        answer["embeds"][0]["description"].rsplit("`", 2)[-2]
    }
    since = len(discord_api.requests)
    await dispatch(bot, component("qabot:more", answer))
    (reply,) = _replies(discord_api, since)
    assert reply["flags"] & EPHEMERAL
    (embed,) = reply["embeds"]
    listed = {f["value"].rsplit("`", 2)[-2] for f in embed["fields"]}
    assert listed and not listed & shown


async def test_buttons_keep_working_after_a_restart(discord_api, settings):
    """A new bot process (persistent dynamic items, nothing kept in memory) answers presses on an earlier answer,
    and "More results" still knows the question (from the store, by message id)."""
    first = QaBot(settings, LibraryRegistry.from_settings(settings))
    await first.login("test-token-not-real")
    answer = await _answer(first, discord_api)
    await first.close()
    second = QaBot(settings, LibraryRegistry.from_settings(settings))
    await second.login("test-token-not-real")
    try:
        since = len(discord_api.requests)
        await dispatch(second, component(f"qabot:passage:{FIRST_ID}", answer))
        await dispatch(second, component("qabot:more", answer))
        await dispatch(second, component("qabot:vote:down", answer))
    finally:
        await second.close()
    passage, more, vote = _replies(discord_api, since)
    assert "about eight minutes" in passage["content"]
    assert more["embeds"][0]["title"] == "More results"
    assert "counted" in vote["content"]


async def test_a_passage_gone_after_a_reload_is_said_to_be_gone(bot, discord_api, seeds_copy):
    """When a reload removed the passage a button names, the press says so instead of failing."""
    answer = await _answer(bot, discord_api)
    for path in seeds_copy.iterdir():
        path.unlink()
    (seeds_copy / "other.txt").write_text("Another article entirely.\n", encoding="utf-8")
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    since = len(discord_api.requests)
    await dispatch(bot, component(f"qabot:passage:{FIRST_ID}", answer))
    (reply,) = _replies(discord_api, since)
    assert "no longer in the sources" in reply["content"] and reply["flags"] & EPHEMERAL


async def test_an_expired_interaction_is_one_log_line_not_an_error(bot, discord_api, caplog):
    """A press whose token expired (Discord answers 404 Unknown interaction, 10062) is logged on one line; nothing
    is raised into discord.py's view error handler."""
    answer = await _answer(bot, discord_api)
    discord_api.fail_routes["/callback"] = (404, 10062)
    caplog.set_level(logging.INFO)
    await dispatch(bot, component("qabot:vote:up", answer))
    assert any("expired" in r.getMessage() for r in caplog.records)
    assert not any(r.levelno >= logging.ERROR for r in caplog.records)


async def test_a_vote_when_the_store_cannot_write_is_still_acknowledged(bot, discord_api, caplog):
    """With the store file locked by another process past the busy timeout, a vote is acknowledged politely, the
    write is dropped with one warning, and answering goes on."""
    answer = await _answer(bot, discord_api)
    bot.store.busy_timeout = 0.05
    await bot.store._db.execute("PRAGMA busy_timeout = 50")
    locker = sqlite3.connect(bot.store.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    caplog.set_level(logging.WARNING, logger="bot.store.sqlite")
    try:
        since = len(discord_api.requests)
        await dispatch(bot, component("qabot:vote:up", answer))
        await dispatch(bot, component("qabot:vote:down", answer, user_id=42))
        await dispatch(bot, slash_command("ask", question=QUESTION))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    first, second = _replies(discord_api, since)[:2]
    assert "couldn't be saved" in first["content"] and "couldn't be saved" in second["content"]
    assert "about eight minutes" in message_text(discord_api.followups()[-1].body)
    assert sum("dropped a write" in r.getMessage() for r in caplog.records) == 1


async def test_a_vote_on_an_answer_whose_record_was_deleted_is_still_taken(bot, discord_api):
    """After the asker's rows were deleted (`qabot forget`), a vote on that answer is acknowledged and kept; /gaps
    leaves it out, having no question to show for it."""
    answer = await _answer(bot, discord_api)
    await bot.store.forget_user(900000000000000005)
    since = len(discord_api.requests)
    await dispatch(bot, component("qabot:vote:down", answer, user_id=42))
    (reply,) = _replies(discord_api, since)
    assert "counted" in reply["content"]
    assert (await bot.store.gaps(days=1)).downvoted == ()


async def test_more_results_without_embed_links_is_plain_text(bot, discord_api):
    """Where the bot may not embed, "More results" lists the passages as block quotes with their ids."""
    answer = await _answer(bot, discord_api, "What did Sheinbaum say about Trump?")
    no_embeds = 0x4_0000_0000 | (1 << 11)  # send messages (in threads) only: no Embed Links
    since = len(discord_api.requests)
    await dispatch(bot, component("qabot:more", answer, app_permissions=no_embeds))
    (reply,) = _replies(discord_api, since)
    assert reply["content"].startswith("> ") and "`trump-sheinbaum-call-after-el-mencho-raid:" in reply["content"]
    assert "embeds" not in reply or not reply["embeds"]
