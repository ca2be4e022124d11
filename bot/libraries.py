"""Per-guild libraries: one :class:`~bot.corpus_service.CorpusService` per guild, plus the shared one.

- The shared library is ``SEEDS_DIR``. DMs search it alone. A guild searches its own library, with the shared one
  attached when ``SHARED_LIBRARY_GUILDS`` says so (every guild by default), indexed together.
- A guild's library is the folder ``LIBRARIES_DIR/<guild id>/sources/``. Libraries already on disk are loaded at
  start-up; a guild without one gets it on its first request (the folder is created then).
- Answers in a guild never see another guild's sources: each guild's corpus is built from its folder (and the shared
  one) only.
- :meth:`LibraryRegistry.edit_lock` serialises a guild's edits (``/source add`` and ``remove``): two moderators
  adding at once are applied one after the other, each against the library the other left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from bot.corpus_service import CorpusService
from retrieval.corpus import Corpus
from retrieval.errors import RetrievalError

log = logging.getLogger(__name__)


class LibraryUnavailable(RetrievalError):
    """A guild's library folder cannot be created on the host (the log names the path; Discord users never see it)."""

    def __init__(self) -> None:
        super().__init__("this server's library cannot be created on the bot's host (a disk or permission problem)")


class LibraryRegistry:
    """The shared library and each guild's own.

    Parameters
    ----------
    shared_folder
        The shared library's folder (``SEEDS_DIR``).
    libraries_dir
        Where guild libraries live (``LIBRARIES_DIR``).
    max_source_bytes
        Largest source file loaded.
    shares_with
        Whether a guild id searches the shared library too.
    """

    def __init__(
        self,
        *,
        shared_folder: Path,
        libraries_dir: Path,
        max_source_bytes: int,
        shares_with: Callable[[int], bool] = lambda guild_id: True,
    ) -> None:
        self.shared_folder = Path(shared_folder)
        self.libraries_dir = Path(libraries_dir)
        self.max_source_bytes = max_source_bytes
        self.shares_with = shares_with
        self.shared = CorpusService(self.shared_folder, max_source_bytes=max_source_bytes)
        self._guilds: dict[int, CorpusService] = {}
        self._edit_locks: dict[int, asyncio.Lock] = {}
        self._create_lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings, shared_folder: Path | None = None) -> LibraryRegistry:
        """A registry configured by :class:`bot.settings.Settings` (``shared_folder`` overrides SEEDS_DIR)."""
        return cls(
            shared_folder=shared_folder or settings.seeds_dir,
            libraries_dir=settings.libraries_dir,
            max_source_bytes=settings.max_source_bytes,
            shares_with=settings.shares_with,
        )

    def guild_dir(self, guild_id: int) -> Path:
        return self.libraries_dir / str(guild_id)

    def folder_of(self, guild_id: int) -> Path:
        """The sources folder of ``guild_id``'s library."""
        return self.guild_dir(guild_id) / "sources"

    def removed_folder_of(self, guild_id: int) -> Path:
        """Where ``/source remove`` moves a guild's removed files (nothing is deleted)."""
        return self.guild_dir(guild_id) / "removed"

    async def load_initial(self) -> None:
        """Load the shared library and every guild library on disk at start-up. Never fatal (see
        :meth:`CorpusService.load_initial`): each library serves what loads."""
        await self.shared.load_initial()
        try:
            guild_ids = sorted(int(p.name) for p in self.libraries_dir.iterdir() if p.name.isdigit() and p.is_dir())
        except OSError:
            guild_ids = []
        for guild_id in guild_ids:
            try:
                await self.service_for(guild_id)
            except LibraryUnavailable:
                continue

    def close(self) -> None:
        """Let every library's worker process go (:meth:`CorpusService.close`)."""
        for service in [self.shared, *self._guilds.values()]:
            service.close()

    def loaded(self) -> dict[int, CorpusService]:
        """The guild libraries loaded so far, by guild id."""
        return dict(self._guilds)

    async def service_for(self, guild_id: int | None) -> CorpusService:
        """The library searched for a request from ``guild_id`` (None: a DM, the shared library), loading it first
        if this is the guild's first request.

        Raises
        ------
        LibraryUnavailable
            The guild's folder cannot be created.
        """
        if guild_id is None:
            return self.shared
        service = self._guilds.get(guild_id)
        if service is not None:
            return service
        async with self._create_lock:
            service = self._guilds.get(guild_id)
            if service is None:
                folder = self.folder_of(guild_id)
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError:
                    log.exception("Cannot create the library folder %s", folder)
                    raise LibraryUnavailable() from None
                shared = self.shared_folder if self.shares_with(guild_id) else None
                service = CorpusService(folder, max_source_bytes=self.max_source_bytes, shared_folder=shared)
                await service.load_initial()
                self._guilds[guild_id] = service
        return service

    async def corpus_for(self, guild_id: int | None) -> Corpus:
        """The corpus questions from ``guild_id`` are answered from (read it once per request)."""
        return (await self.service_for(guild_id)).corpus

    def edit_lock(self, guild_id: int) -> asyncio.Lock:
        """The lock that serialises edits to ``guild_id``'s library."""
        return self._edit_locks.setdefault(guild_id, asyncio.Lock())

    async def reload_sharing(self) -> None:
        """Reload the shared library and every loaded guild library that attaches it (the shared folder changed)."""
        await self.shared.reload()
        for guild_id, service in self.loaded().items():
            if service.shared_folder is not None:
                try:
                    await service.reload()
                except RetrievalError as error:
                    log.error("Reloading guild %s's library failed: %s", guild_id, error)
