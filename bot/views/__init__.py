"""How answers look on Discord: the embed, the buttons under it, and the message that carries them."""

from bot.views.answer_embed import answer_embed, hits_embed
from bot.views.answer_message import AnswerMessage, answer_message, embeds_allowed, message_permissions
from bot.views.buttons import DYNAMIC_ITEMS, answer_view

__all__ = [
    "DYNAMIC_ITEMS",
    "AnswerMessage",
    "answer_embed",
    "answer_message",
    "answer_view",
    "embeds_allowed",
    "hits_embed",
    "message_permissions",
]
