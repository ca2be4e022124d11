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
from bot.libraries import LibraryRegistry
from bot.settings import Settings
from bot.store import FeedbackStore, ReloadRecord, store_from_settings
from bot.store.sqlite import DAY_SECONDS
from bot.tree import QaCommandTree
from bot.views import DYNAMIC_ITEMS
from bot.watching import watch_libraries

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

    def __init__(self, settings: Settings, libraries: LibraryRegistry, store: FeedbackStore | None = None) -> None:
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
        self.libraries = libraries
        self.store: FeedbackStore = store if store is not None else store_from_settings(settings)
        self._retention_task: asyncio.Task | None = None
        # One per-user limit for everything that posts publicly and costs work: /ask, mentions and /summary.
        self.cooldown = UserCooldown(settings.ask_cooldown_rate, settings.ask_cooldown_seconds)
        self._watcher: asyncio.Task | None = None

    async def setup_hook(self) -> None:
        if not self.settings.message_content_intent:
            log.warning(
                "MESSAGE_CONTENT_INTENT is off: questions that mention the bot work, replies to its answers "
                "without a ping are not seen."
            )
        await self.store.open()  # never raises: without a usable store the bot answers and records nothing
        self._retention_task = asyncio.create_task(self._purge_daily(), name="qabot-store-retention")
        await self.libraries.load_initial()
        # The start-up load of each library (the shared one as guild None) is the first entry of its reload history.
        started: list[tuple[int | None, CorpusService]] = [(None, self.libraries.shared)]
        for guild_id, service in [*started, *sorted(self.libraries.loaded().items())]:
            await self.store.record_reload(
                ReloadRecord(
                    guild_id=guild_id,
                    user_id=None,
                    ok=service.last_error is None,
                    added=tuple(source.id for source in service.corpus.sources),
                    error=service.last_error,
                )
            )
        # Buttons are matched by their custom_id templates, so those under answers sent before a restart still work.
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for cog in ALL_COGS:
            await self.add_cog(cog(self))
        await self.sync_commands()
        if self.settings.watch_sources:
            self._watcher = asyncio.create_task(watch_libraries(self.libraries), name="qabot-watch-sources")

    async def _purge_daily(self) -> None:
        """Delete store rows past ``STORE_RETENTION_DAYS`` once a day (also done when the store opens)."""
        while True:
            await asyncio.sleep(DAY_SECONDS)
            await self.store.purge_expired()

    async def close(self) -> None:
        for task in (self._watcher, self._retention_task):
            if task is not None:
                task.cancel()
        await super().close()
        self.libraries.close()
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

    async def service_for(self, guild_id: int | None) -> CorpusService:
        """The library a request from ``guild_id`` (None: a DM) is answered from; see :mod:`bot.libraries`."""
        return await self.libraries.service_for(guild_id)

    async def on_message(self, message: discord.Message) -> None:
        """Overrides commands.Bot's text-command processing: questions are handled by the Questions cog."""

    async def on_ready(self) -> None:
        log.info(
            "Logged in as %s (id %s) in %d guild(s)", self.user, self.user.id if self.user else "?", len(self.guilds)
        )
