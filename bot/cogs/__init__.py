"""The bot's cogs: questions (/ask and mentions), library (/summary, /sources, /passage), moderation (/reload),
sources (/source add|remove|list|show)."""

from bot.cogs.library import Library
from bot.cogs.moderation import Moderation
from bot.cogs.questions import Questions
from bot.cogs.sources import Sources

ALL_COGS = (Questions, Library, Moderation, Sources)

__all__ = ["ALL_COGS", "Library", "Moderation", "Questions", "Sources"]
