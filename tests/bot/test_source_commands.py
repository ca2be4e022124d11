"""/source add|remove|list|show through discord.py's dispatch: attachments and links in, ephemeral reports out, the
library changed whole or not at all, one guild's library never seen from another."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import sqlite3
import threading
import zipfile

import pytest

import bot.answering as answering_module
import bot.library_edits as library_edits
from bot.client import QaBot
from bot.libraries import LibraryRegistry
from bot.library_edits import remove_source
from tests.bot.conftest import make_settings
from tests.bot.fake_discord import (
    EPHEMERAL,
    GUILD_ID,
    MANAGE_GUILD,
    MEMBER_ID,
    MODERATOR_ROLE_ID,
    attachment,
    autocomplete,
    dispatch,
    message_text,
    settle,
    slash_command,
)
from tests.retrieval.sources.article_pages import start_article_server

OTHER_GUILD_ID = 900000000000000099


def _zip_of_zeros(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", bytes(size))
    return buffer.getvalue()


ZIP_BOMB = _zip_of_zeros(20_000_000)
"""20 MB of zeros in a 20 kB zip: never unpacked, refused as binary or by its extension."""
STORM_TXT = (
    "Storm warning for the northern isles\n\n"
    "The Met Office issued an amber warning for gales across the northern isles on Thursday, with gusts of up to "
    "90 miles an hour expected overnight.\n\n"
    "Ferry operators cancelled all Friday sailings between Lerwick and Aberdeen.\n"
)
MARKET_MD = """---
title: Covered market doubles visitors
author: Ana Ferreira
---
# Covered market doubles visitors

The **covered market** in the old town *doubled* its visitors in its first month, the town hall said on Friday.

- Forty stalls sell fish, cheese and bread.
- It opens six days a week.
"""


@pytest.fixture
async def article_server():
    """Real-looking article pages on 127.0.0.1."""
    runner, port = await start_article_server()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def empty_server_bot(discord_api, tmp_path):
    """A bot for a server with an empty library and no shared library attached, that may fetch from 127.0.0.1."""
    shared = tmp_path / "shared"
    shared.mkdir()
    settings = make_settings(shared, shared_library_guilds="none", fetch_allow_private_addresses=True)
    client = QaBot(settings, LibraryRegistry.from_settings(settings))
    await client.login("test-token-not-real")
    yield client
    await client.close()


def moderator(name: str, subcommand: str, **options) -> dict:
    return slash_command(name, subcommand=subcommand, permissions=MANAGE_GUILD, **options)


def last_reply(discord_api) -> str:
    """The text of the last message the bot sent (content, or an answer embed's parts)."""
    return message_text(discord_api.message_bodies()[-1])


async def test_a_moderator_builds_a_library_of_three_articles_and_gets_an_answer(
    empty_server_bot, discord_api, article_server
):
    """From an empty server: a .txt attachment, a link and a Markdown attachment are added from Discord, each
    reported ephemerally; /source list shows the three; /ask answers from the linked article and quotes the Markdown
    one's words without its markup."""
    bot = empty_server_bot
    await dispatch(bot, slash_command("ask", question="When did the harbour reopen?"))
    assert "No sources are loaded" in last_reply(discord_api)

    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    assert last_reply(discord_api).startswith("Added `storm`: *")
    await dispatch(bot, moderator("source", "add", url=f"{article_server}/harbour"))
    added_url = last_reply(discord_api)
    assert added_url.startswith("Added `harbour-reopens-after-three-day-storm`: *Harbour reopens after three-day")
    assert "(text, 4 paragraphs, 4 passages)" in added_url
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "market.md", MARKET_MD.encode())))
    assert last_reply(discord_api).startswith("Added `market`: *Covered market doubles visitors* (markdown,")
    assert all(f.body["flags"] & EPHEMERAL for f in discord_api.followups()[1:])

    await dispatch(bot, moderator("source", "list"))
    listing = last_reply(discord_api)
    assert "**This server's library: 3 sources**" in listing
    assert all(f"`{i}`" in listing for i in ("storm", "market", "harbour-reopens-after-three-day-storm"))

    await dispatch(bot, slash_command("ask", question="How much will the breakwater repairs cost?"))
    (embed,) = discord_api.message_bodies()[-1]["embeds"]
    assert embed["title"] == "Harbour reopens after three-day storm"
    assert "2 million pounds" in message_text(discord_api.message_bodies()[-1])
    await dispatch(bot, slash_command("ask", question="How many stalls does the covered market have?"))
    answer = last_reply(discord_api)
    assert "Forty stalls sell fish" in answer
    assert "The covered market in the old town doubled its visitors" in answer and "\\*" not in answer


async def test_show_says_how_a_source_was_parsed(empty_server_bot, discord_api, article_server):
    """/source show gives a linked article's format, link, author, date, origin and parse notes."""
    await dispatch(empty_server_bot, moderator("source", "add", url=f"{article_server}/harbour"))
    await dispatch(empty_server_bot, moderator("source", "show", id="harbour-reopens-after-three-day-storm"))
    shown = discord_api.callbacks()[-1].body["data"]
    assert shown["flags"] & EPHEMERAL
    content = shown["content"]
    assert "- format: text" in content and f"- link: <{article_server}/harbour>" in content
    assert "- author: Morag Campbell" in content and "- published: 2026-03-01" in content
    assert "- origin: fetched from a link (article extracted with trafilatura), added by" in content
    assert "sidecar read: author, origin, published, title, url" in content


async def test_edits_are_kept_in_the_store_beside_the_reloads(bot, discord_api):
    """/source add and remove are kept in the feedback store as changes of this server's library: who (hashed),
    what was added or removed, and why a refused edit changed nothing."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    await dispatch(bot, moderator("source", "remove", id="nope"))
    await dispatch(bot, moderator("source", "remove", id="storm"))
    with sqlite3.connect(bot.store.path) as db:
        rows = db.execute(
            "SELECT guild_id, user_hash, ok, added, removed, error FROM reloads WHERE user_hash IS NOT NULL ORDER BY id"
        ).fetchall()
    moderator_hash = bot.store.hash_user(MEMBER_ID)
    assert [(r[0], r[1]) for r in rows] == [(GUILD_ID, moderator_hash)] * 3
    assert [r[2] for r in rows] == [1, 0, 1]
    (added, refused, removed) = rows
    assert (json.loads(added[3]), json.loads(removed[4])) == (["storm"], ["storm"])
    assert refused[5].startswith("remove refused: no source has the id 'nope'")


async def test_the_same_link_is_refused_without_the_loopback_allowance(bot, discord_api, article_server):
    """With FETCH_ALLOW_PRIVATE_ADDRESSES off (the default), the local link is refused, nothing is added, and the
    refusal is audited."""
    before = (await bot.service_for(GUILD_ID)).corpus
    await dispatch(bot, moderator("source", "add", url=f"{article_server}/harbour"))
    reply = last_reply(discord_api)
    assert reply.startswith("Nothing was added: that link points at a private, local or metadata address")
    assert (await bot.service_for(GUILD_ID)).corpus is before
    (entry,) = bot.get_cog("Sources").audit.entries()
    assert (entry["action"], entry["ok"], entry["guild_id"]) == ("add", False, GUILD_ID)


async def test_members_without_moderation_rights_cannot_change_the_library(bot, discord_api):
    """/source add by a member without Manage Server or a moderator role is refused ephemerally; nothing is
    downloaded or added."""
    file = attachment(discord_api, "x.txt", STORM_TXT.encode())
    await dispatch(bot, slash_command("source", subcommand="add", file=file))
    callback = discord_api.callbacks()[-1].body
    assert callback["data"]["flags"] & EPHEMERAL and "Only moderators" in callback["data"]["content"]
    assert discord_api.sent("GET", "/attachments/") == []
    assert "x" not in {s.id for s in (await bot.service_for(GUILD_ID)).corpus.sources}


async def test_a_moderator_role_may_add(bot, discord_api):
    """A member with a MODERATOR_ROLE_IDS role may add a source."""
    file = attachment(discord_api, "storm.txt", STORM_TXT.encode())
    await dispatch(bot, slash_command("source", subcommand="add", roles=[MODERATOR_ROLE_ID], file=file))
    assert last_reply(discord_api).startswith("Added `storm`")


@pytest.mark.parametrize(
    ("name", "content", "options", "words"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {}, "is a binary file"),
        ("article.txt", ZIP_BOMB, {}, "is a binary file"),
        ("article.zip", ZIP_BOMB, {}, "this one is .zip"),
        ("tool.exe", b"MZ\x90\x00", {}, "only .htm, .html, .md, .txt files can be added; this one is .exe"),
        ("data.txt", b'{"title": "x"}', {}, "holds JSON data, not an article"),
        ("latin.txt", "caf\xe9".encode("latin-1"), {}, "is not valid UTF-8"),
        ("big.txt", b"x", {"size": 10**9}, "over the 2,000,000-byte limit"),
        ("empty.html", b"<html><body><nav>Home</nav></body></html>", {}, "has no article text"),
    ],
)
async def test_bad_attachments_are_refused_with_their_reason(bot, discord_api, name, content, options, words):
    """Attachments that lie about their type, are not articles, are not UTF-8 or are too big are refused with a
    clear reason, and the library keeps exactly what it had."""
    service = await bot.service_for(GUILD_ID)
    before = service.corpus
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, name, content, **options)))
    reply = last_reply(discord_api)
    assert reply.startswith("Nothing was added:") and words in reply
    assert service.corpus is before
    assert list(service.folder.iterdir()) == []


async def test_a_declared_oversize_attachment_is_not_downloaded(bot, discord_api):
    """An attachment whose declared size is over the limit is refused without fetching it."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "big.txt", b"x", size=10**9)))
    assert discord_api.sent("GET", "/attachments/") == []


async def test_give_a_file_or_a_link_not_both_nor_neither(bot, discord_api, article_server):
    """/source add with both options, or neither, says what to give."""
    file = attachment(discord_api, "storm.txt", STORM_TXT.encode())
    await dispatch(bot, moderator("source", "add", file=file, url=f"{article_server}/harbour"))
    await dispatch(bot, moderator("source", "add"))
    for callback in discord_api.callbacks()[-2:]:
        assert "Give either file: (an attachment) or url: (a link)" in callback.body["data"]["content"]


async def test_duplicate_adds_are_refused(bot, discord_api):
    """The same file twice, or the same text under another name, is refused the second time, naming the source
    already there."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", b"Other text.\n")))
    assert "already has a source with the id 'storm'; remove it first" in last_reply(discord_api)
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "copy.txt", STORM_TXT.encode())))
    assert "the same text is already in the library as 'storm'" in last_reply(discord_api)


async def test_two_moderators_adding_at_once_are_applied_one_after_the_other(bot, discord_api):
    """Two adds of the same file dispatched together: one is added, the other refused as a duplicate, and the
    library holds the file once."""
    first = moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode()))
    second = moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode()))
    bot._connection.parsers[first["t"]](first["d"])
    bot._connection.parsers[second["t"]](second["d"])
    await settle()
    replies = sorted(f.body["content"][:12] for f in discord_api.followups())
    assert replies == ["Added `storm", "Nothing was "]
    service = await bot.service_for(GUILD_ID)
    assert sorted(p.name for p in service.folder.iterdir()) == ["storm.meta.yaml", "storm.txt"]


async def test_a_full_disk_while_saving_changes_nothing(bot, discord_api, monkeypatch):
    """A disk that fills up while the file is saved: the moderator is told, and the library folder and served
    sources are exactly as before (no partial file, no staging left)."""

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(library_edits, "_write_synced", disk_full)
    service = await bot.service_for(GUILD_ID)
    before = service.corpus
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    assert "the bot's disk is full, so nothing was added" in last_reply(discord_api)
    assert service.corpus is before and list(service.folder.iterdir()) == []
    assert list((service.folder.parent / "staging").iterdir()) == []


async def test_remove_moves_the_file_aside_and_reports_it(bot, discord_api):
    """/source remove takes the source out of the library (it is no longer answered from), keeps its file in
    removed/, and says so; the audit log has both changes."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    await dispatch(bot, moderator("source", "remove", id="STORM "))
    reply = last_reply(discord_api)
    assert reply.startswith("Removed `storm`: *") and "Removed (1): `storm`" in reply
    service = await bot.service_for(GUILD_ID)
    assert "storm" not in {s.id for s in service.corpus.sources}
    removed = bot.libraries.removed_folder_of(GUILD_ID)
    assert sorted(p.name.split("-", 1)[1] for p in removed.iterdir()) == ["storm.meta.yaml", "storm.txt"]
    assert [(e["action"], e["source_id"], e["ok"]) for e in bot.get_cog("Sources").audit.entries()] == [
        ("add", "storm", True),
        ("remove", "storm", True),
    ]


async def test_shared_and_unknown_sources_cannot_be_removed(bot, discord_api):
    """Removing a shared-library source is refused (the host manages it); an unknown id names the library's ids."""
    await dispatch(bot, moderator("source", "remove", id="trump-sheinbaum-call-after-el-mencho-raid"))
    assert "is in the shared library, which the bot's host manages" in last_reply(discord_api)
    await dispatch(bot, moderator("source", "remove", id="nope"))
    assert "no source has the id 'nope' (known: none are loaded)" in last_reply(discord_api)


async def test_remove_autocomplete_offers_only_this_servers_sources(bot, discord_api):
    """The id option of /source remove offers this server's sources, not the shared library's."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    await dispatch(bot, autocomplete("source", "id", "", subcommand="remove"))
    choices = discord_api.callbacks()[-1].body["data"]["choices"]
    assert [c["value"] for c in choices] == ["storm"]


async def test_a_guilds_library_is_never_searched_from_another_guild_or_a_dm(bot, discord_api):
    """A source added in one server answers there only: another server and a DM search the shared library."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    question = "Which sailings did the ferry operators cancel?"
    await dispatch(bot, slash_command("ask", question=question))
    assert "Lerwick and Aberdeen" in last_reply(discord_api)
    await dispatch(bot, slash_command("ask", question=question, guild_id=OTHER_GUILD_ID))
    assert "Lerwick" not in last_reply(discord_api)
    await dispatch(bot, slash_command("ask", question=question, in_guild=False))
    assert "Lerwick" not in last_reply(discord_api)
    await dispatch(bot, slash_command("sources", guild_id=OTHER_GUILD_ID))
    assert "storm" not in discord_api.callbacks()[-1].body["data"]["content"]


async def test_removing_a_source_while_a_question_is_answered(bot, discord_api, monkeypatch):
    """A question being answered when its source is removed still gets its answer (from the corpus it started
    with); the next question no longer finds the source."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    started, go_on = threading.Event(), threading.Event()
    real_answer = answering_module.answer_for

    def slow_answer(question, corpus, previous=None):
        started.set()
        go_on.wait(timeout=5)
        return real_answer(question, corpus, previous)

    monkeypatch.setattr(answering_module, "answer_for", slow_answer)
    envelope = slash_command("ask", question="Which sailings did the ferry operators cancel?")
    bot._connection.parsers[envelope["t"]](envelope["d"])
    while not started.is_set():
        await asyncio.sleep(0.01)
    await remove_source(bot.libraries, GUILD_ID, "storm", user="test")
    go_on.set()
    await settle()
    assert "Lerwick and Aberdeen" in last_reply(discord_api)
    monkeypatch.setattr(answering_module, "answer_for", real_answer)
    await dispatch(bot, slash_command("ask", question="Which sailings did the ferry operators cancel?"))
    assert "Lerwick" not in last_reply(discord_api)


async def test_stale_sources_are_marked_for_moderators_only(bot, discord_api):
    """A server source whose file breaks on the host keeps answering from its last good version; /sources marks it
    stale for moderators, not for other members, and /source list names the reason."""
    await dispatch(bot, moderator("source", "add", file=attachment(discord_api, "storm.txt", STORM_TXT.encode())))
    service = await bot.service_for(GUILD_ID)
    (service.folder / "storm.txt").write_bytes(b"\x00 a bad copy")
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    assert "Stale (last good version kept until the file is fixed or removed): `storm`" in last_reply(discord_api)
    await dispatch(bot, slash_command("sources"))
    assert "stale" not in discord_api.callbacks()[-1].body["data"]["content"]
    await dispatch(bot, slash_command("sources", permissions=MANAGE_GUILD))
    (line,) = [x for x in discord_api.callbacks()[-1].body["data"]["content"].split("\n") if "`storm`" in x]
    assert ", text, " in line and line.endswith("**stale**: its file now fails, this is the last good version")
    await dispatch(bot, moderator("source", "list"))
    assert "- `storm` storm.txt: is a binary file" in last_reply(discord_api)


async def test_a_refused_file_can_be_removed(bot, discord_api):
    """/source remove takes a refused file (by the id it would have) out of the library folder."""
    service = await bot.service_for(GUILD_ID)
    (service.folder / "broken.txt").write_bytes(b"")
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    assert [r.file_name for r in service.corpus.refused] == ["broken.txt"]
    await dispatch(bot, moderator("source", "remove", id="broken"))
    assert last_reply(discord_api).startswith("Removed `broken` (its file is kept")
    assert not (service.folder / "broken.txt").exists() and service.corpus.refused == ()


async def test_the_same_link_twice_is_refused(empty_server_bot, discord_api, article_server):
    """Adding a link already in the library (directly or through a redirect to it) is refused, naming the source."""
    await dispatch(empty_server_bot, moderator("source", "add", url=f"{article_server}/harbour"))
    await dispatch(empty_server_bot, moderator("source", "add", url=f"{article_server}/redirect/0"))
    reply = last_reply(discord_api)
    assert reply == "Nothing was added: that link is already in the library as 'harbour-reopens-after-three-day-storm'"


async def test_a_long_library_list_stays_within_five_messages(bot, discord_api):
    """/source list of a large library sends at most five messages, the last saying how to see the rest."""
    service = await bot.service_for(GUILD_ID)
    for i in range(150):
        (service.folder / f"article-{i:03}.txt").write_text(f"Article {i} about the harbour.\n", encoding="utf-8")
        (service.folder / f"article-{i:03}.meta.yaml").write_text(f"title: {'A long title ' * 6}{i}\n", "utf-8")
    await service.reload()
    await dispatch(bot, moderator("source", "list"))
    messages = [f.body["content"] for f in discord_api.followups()]
    assert len(messages) == 5 and messages[-1].startswith("…and ")
    assert f"`qabot sources --guild {GUILD_ID}`" in messages[-1]
