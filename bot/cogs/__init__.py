"""The bot's cogs: questions (/ask and mentions), library (/summary, /sources, /passage), moderation (/reload)."""

from bot.cogs.library import Library
from bot.cogs.moderation import Moderation
from bot.cogs.questions import Questions

ALL_COGS = (Questions, Library, Moderation)

__all__ = ["ALL_COGS", "Library", "Moderation", "Questions"]
