"""/reload: moderators only, enforced when it runs; a transaction that reports what changed or what failed."""

from __future__ import annotations

from pathlib import Path

from bot.audit import AuditLog
from bot.limits import CONTENT_LIMIT
from bot.render import RELOAD_FAILED_LINE
from tests.bot.fake_discord import (
    EPHEMERAL,
    GUILD_ID,
    MANAGE_GUILD,
    MODERATOR_ROLE_ID,
    OTHER_ROLE_ID,
    dispatch,
    message_text,
    slash_command,
)

NEW_ARTICLE = "A new article about the Jalisco cartel.\n\nIt has a second paragraph about Guadalajara.\n"


def _add_article(seeds: Path, name: str = "new-article.txt", text: str = NEW_ARTICLE) -> None:
    (seeds / name).write_text(text, encoding="utf-8")


async def test_non_moderator_is_refused_ephemerally_and_nothing_changes(bot, discord_api, seeds_copy):
    """A member without Manage Server or a moderator role is refused, even though Discord let the command through
    (an admin can override default_permissions), and the served sources stay as they were."""
    before = (await bot.service_for(GUILD_ID)).corpus
    _add_article(seeds_copy)
    await dispatch(bot, slash_command("reload", permissions=0, roles=[OTHER_ROLE_ID]))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert "Only moderators" in callback.body["data"]["content"]
    assert (await bot.service_for(GUILD_ID)).corpus is before
    assert "new-article" not in {s.id for s in (await bot.service_for(GUILD_ID)).corpus.sources}


async def test_reload_is_refused_in_direct_messages(bot, discord_api):
    """/reload in a DM is refused ephemerally."""
    await dispatch(bot, slash_command("reload", in_guild=False))
    (callback,) = discord_api.callbacks()
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert "only in a server" in callback.body["data"]["content"]


async def test_moderator_role_reloads_and_is_told_what_changed(bot, discord_api, seeds_copy):
    """A member with a MODERATOR_ROLE_IDS role reloads: ephemeral defer, then a report naming the added source; the
    reload is in the audit log (the server's reload history)."""
    _add_article(seeds_copy)
    await dispatch(bot, slash_command("reload", roles=[MODERATOR_ROLE_ID]))
    (callback,) = discord_api.callbacks()
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    (followup,) = discord_api.followups()
    assert "Added (1): `new-article`" in followup.body["content"]
    assert "new-article" in {s.id for s in (await bot.service_for(GUILD_ID)).corpus.sources}
    (entry,) = AuditLog(bot.settings.libraries_dir / "audit.jsonl").entries()
    assert (entry["action"], entry["guild_id"], entry["ok"]) == ("reload", GUILD_ID, True)
    assert entry["detail"].startswith("added ['new-article'], changed [], removed []")


async def test_manage_server_permission_is_enough_to_reload(bot, discord_api, seeds_copy):
    """A member with Manage Server and no moderator role may reload; an unchanged folder says so."""
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    (followup,) = discord_api.followups()
    assert "No source changed." in followup.body["content"]


async def test_a_bad_file_is_refused_by_name_and_the_rest_still_answer(bot, discord_api, seeds_copy):
    """A file that is not UTF-8 beside a new good one: the moderator is told which file was refused and why, the new
    one is added, and questions are still answered from the rest."""
    (seeds_copy / "broken.txt").write_bytes("caf\xe9 in Latin-1".encode("latin-1"))
    _add_article(seeds_copy)
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    (followup,) = discord_api.followups()
    content = followup.body["content"]
    assert "Added (1): `new-article`" in content
    assert "Refused 1 file (every other source is served):\n- broken.txt: is not valid UTF-8" in content
    await dispatch(bot, slash_command("ask", question="How long did Trump and Sheinbaum talk?"))
    assert "about eight minutes" in message_text(discord_api.followups()[-1].body)


async def test_refused_files_are_listed_for_moderators_only_and_shown_safely(bot, discord_api, seeds_copy):
    """/sources (ephemeral) shows refused files (name and reason) to moderators only, in messages within Discord's
    limit, with a hostile file name's bidi override dropped and its markdown and mentions neutralised."""
    for i in range(60):
        (seeds_copy / f"article-{i:02}.txt").write_text(f"Paragraph {i} about the harbour.\n", encoding="utf-8")
        (seeds_copy / f"article-{i:02}.meta.yaml").write_text(f"title: {'Long title ' * 9}{i}\n", encoding="utf-8")
    (seeds_copy / "\u202e@everyone **x**.txt").write_bytes("caf\xe9".encode("latin-1"))
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    sent_before = len(discord_api.bodies_with_content())
    await dispatch(bot, slash_command("sources"))
    member = [body["content"] for body in discord_api.bodies_with_content()[sent_before:]]
    assert len(member) >= 2 and all(0 < len(m) <= CONTENT_LIMIT for m in member)
    assert not any("refused" in m or "UTF-8" in m for m in member)
    sent_before = len(discord_api.bodies_with_content())
    await dispatch(bot, slash_command("sources", permissions=MANAGE_GUILD))
    moderator = "\n".join(body["content"] for body in discord_api.bodies_with_content()[sent_before:])
    assert "- refused @\u200beveryone \\*\\*x\\*\\*.txt: is not valid UTF-8" in moderator
    assert "\u202e" not in moderator


async def test_sources_after_a_failed_reload_say_so_without_the_error(bot, discord_api, seeds_copy):
    """When a reload fails whole (the server's library folder is gone), /sources says the list is from before
    it and does not show the error, which names a server path."""
    folder = (await bot.service_for(GUILD_ID)).folder
    folder.rename(folder.with_name("gone"))
    await dispatch(bot, slash_command("reload", permissions=MANAGE_GUILD))
    assert "Reload failed" in discord_api.followups()[-1].body["content"]
    await dispatch(bot, slash_command("sources"))
    content = discord_api.callbacks()[-1].body["data"]["content"]
    assert content.split("\n")[1] == RELOAD_FAILED_LINE
    assert str(folder.parent) not in content
