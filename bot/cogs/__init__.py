"""The bot's cogs: questions (/ask, mentions, DMs, threads), context menus, library (/summary, /sources, /passage),
help (/help), moderation (/reload, /gaps), sources (/source add|remove|list|show)."""

from bot.cogs.context_menus import ContextMenus
from bot.cogs.help import Help
from bot.cogs.library import Library
from bot.cogs.moderation import Moderation
from bot.cogs.questions import Questions
from bot.cogs.sources import Sources

ALL_COGS = (Questions, ContextMenus, Library, Help, Moderation, Sources)

__all__ = ["ALL_COGS", "ContextMenus", "Help", "Library", "Moderation", "Questions", "Sources"]
