"""The Discord client: services are passed in, cogs added and commands synced once in ``setup_hook``."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands

from bot.cogs import ALL_COGS
from bot.cooldown import UserCooldown
from bot.corpus_service import CorpusService
from bot.errors import CommandSyncRefused
from bot.settings import Settings
from bot.store import FeedbackStore, ReloadRecord, store_from_settings
from bot.store.sqlite import DAY_SECONDS
from bot.tree import QaCommandTree
from bot.views import DYNAMIC_ITEMS

log = logging.getLogger(__name__)


def make_intents(settings: Settings) -> discord.Intents:
    """Default intents, plus Message Content when enabled. Without it, questions asked by mentioning the bot still
    work (Discord sends the text of messages that mention the bot), but replies to its answers that don't ping it
    arrive without text and go unanswered."""
    intents = discord.Intents.default()
    intents.message_content = settings.message_content_intent
    return intents


class QaBot(commands.Bot):
    """qabot on Discord. Slash commands only: text commands are off, and messages reach the Questions cog."""

    def __init__(self, settings: Settings, service: CorpusService, store: FeedbackStore | None = None) -> None:
        # A text bot needs no voice: without this, discord.py warns at start-up that the voice libraries (PyNaCl,
        # davey) are not installed, which reads like a problem to fix.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # required by commands.Bot; unused, see on_message
            help_command=None,
            intents=make_intents(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=QaCommandTree,
        )
        self.settings = settings
        self.service = service
        self.store: FeedbackStore = store if store is not None else store_from_settings(settings)
        self._retention_task: asyncio.Task | None = None
        # One per-user limit for everything that posts publicly and costs work: /ask, mentions and /summary.
        self.cooldown = UserCooldown(settings.ask_cooldown_rate, settings.ask_cooldown_seconds)

    async def setup_hook(self) -> None:
        if not self.settings.message_content_intent:
            log.warning(
                "MESSAGE_CONTENT_INTENT is off: questions that mention the bot work, replies to its answers "
                "without a ping are not seen."
            )
        await self.store.open()  # never raises: without a usable store the bot answers and records nothing
        self._retention_task = asyncio.create_task(self._purge_daily(), name="qabot-store-retention")
        await self.service.load_initial()
        corpus = self.service.corpus
        await self.store.record_reload(
            ReloadRecord(
                guild_id=None,
                user_id=None,
                ok=self.service.last_error is None,
                added=tuple(source.id for source in corpus.sources),
                error=self.service.last_error,
            )
        )
        # Buttons are matched by their custom_id templates, so those under answers sent before a restart still work.
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for cog in ALL_COGS:
            await self.add_cog(cog(self))
        await self.sync_commands()

    async def _purge_daily(self) -> None:
        """Delete store rows past ``STORE_RETENTION_DAYS`` once a day (also done when the store opens)."""
        while True:
            await asyncio.sleep(DAY_SECONDS)
            await self.store.purge_expired()

    async def close(self) -> None:
        if self._retention_task is not None:
            self._retention_task.cancel()
        await super().close()
        await self.store.close()

    async def sync_commands(self) -> None:
        """Sync once per start: to GUILD_ID when set (instant, for development), else globally.

        Raises
        ------
        CommandSyncRefused
            Discord answered 403: the bot is not in that server, or lacks the applications.commands scope.
        """
        guild = discord.Object(id=self.settings.guild_id) if self.settings.guild_id else None
        if guild:
            self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.Forbidden as error:
            raise CommandSyncRefused(self.settings.guild_id) from error
        if guild:
            log.info("Synced %d commands to guild %s", len(synced), self.settings.guild_id)
        else:
            log.info("Synced %d commands globally (may take up to an hour to appear)", len(synced))

    async def on_message(self, message: discord.Message) -> None:
        """Overrides commands.Bot's text-command processing: questions are handled by the Questions cog."""

    async def on_ready(self) -> None:
        log.info(
            "Logged in as %s (id %s) in %d guild(s)", self.user, self.user.id if self.user else "?", len(self.guilds)
        )
