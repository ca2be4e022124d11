"""The command tree, with the bot's one error handler for every slash command."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.errors import UserError
from bot.render import render_error
from retrieval.errors import RetrievalError

log = logging.getLogger(__name__)

GENERIC_ERROR = "Something went wrong on our side. It has been logged; please try again later."
OUT_OF_DATE = "That command has changed since Discord last loaded it. Please try again in a minute."


def user_message(error: app_commands.AppCommandError) -> str | None:
    """The message for an error the user can act on, or None for an unexpected one."""
    if isinstance(error, UserError | app_commands.CheckFailure):
        return str(error)
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(error.original, RetrievalError):
        return str(error.original)
    if isinstance(error, app_commands.TransformerError | app_commands.CommandSignatureMismatch):
        return OUT_OF_DATE
    if isinstance(error, app_commands.CommandNotFound):
        return OUT_OF_DATE
    return None


class QaCommandTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Report any slash-command error to the user, in this order of precedence:

        1. User errors (cooldown, a question of only mentions) and failed checks (not a moderator, in a DM): their
           own message.
        2. A :class:`~retrieval.errors.RetrievalError` raised by the command (a source failed to load, unknown
           source id, empty question): its message, which says how to fix it.
        3. A command Discord knows in another shape than ours (just synced, stale client): "try again".
        4. Anything else: a generic message, and the traceback in the log (never shown to the user).

        The reply is ephemeral. It is the interaction's initial response when none was sent yet, else a followup
        (after a defer), so an error never causes a second initial response (Discord error 40060) and never
        leaves "is thinking…" hanging.
        """
        message = user_message(error)
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("Unexpected error in /%s", command, exc_info=error)
            message = GENERIC_ERROR
        content = render_error(message)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(
                    content, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), suppress_embeds=True
                )
            else:
                await interaction.response.send_message(
                    content, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), suppress_embeds=True
                )
        except discord.HTTPException:
            log.warning("Could not report an error to the user (interaction expired?)", exc_info=True)
