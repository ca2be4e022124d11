"""``WATCH_SOURCES=true``: reload a library when files in its folder change (watchfiles, debounced).

A change in the shared folder reloads the shared library and every loaded guild library that attaches it; a change
in ``LIBRARIES_DIR/<guild>/sources/`` reloads that guild's library if it is loaded (an unloaded one is read fresh on
its first request anyway). Changes elsewhere (``removed/``, ``staging/``, the audit log) are ignored. A burst of
changes (a copy of fifty files) is one reload: watchfiles waits until the folder has been quiet for ``debounce_ms``.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.libraries import LibraryRegistry
from retrieval.errors import RetrievalError

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1600
"""How long the folders must be quiet before a reload (watchfiles' default)."""


def touched(registry: LibraryRegistry, paths: set[Path]) -> tuple[bool, set[int]]:
    """Whether ``paths`` touch the shared folder, and which guilds' sources folders they touch."""
    shared_root = registry.shared_folder.resolve()
    libraries_root = registry.libraries_dir.resolve()
    shared = False
    guilds: set[int] = set()
    for path in paths:
        path = path.resolve()
        if path.parent == shared_root:
            shared = True
        elif path.is_relative_to(libraries_root):
            parts = path.relative_to(libraries_root).parts
            if len(parts) >= 3 and parts[0].isdigit() and parts[1] == "sources":
                guilds.add(int(parts[0]))
    return shared, guilds


async def watch_libraries(
    registry: LibraryRegistry, *, debounce_ms: int = DEBOUNCE_MS, stop_event: asyncio.Event | None = None
) -> None:
    """Reload libraries as their folders change, until cancelled or ``stop_event`` is set. Never raises for a
    failed reload (it is logged; the library keeps serving)."""
    from watchfiles import awatch

    registry.libraries_dir.mkdir(parents=True, exist_ok=True)
    roots = [p for p in (registry.shared_folder, registry.libraries_dir) if p.is_dir()]
    log.info("Watching %s for changes", ", ".join(str(p) for p in roots))
    async for changes in awatch(*roots, debounce=debounce_ms, stop_event=stop_event, recursive=True):
        shared, guilds = touched(registry, {Path(path) for _, path in changes})
        try:
            if shared:
                await registry.reload_sharing()
            for guild_id in sorted(guilds):
                service = registry.loaded().get(guild_id)
                if service is not None and not (shared and service.shared_folder is not None):
                    await service.reload()
        except RetrievalError as error:
            log.error("Reload after a change failed: %s", error)
        except Exception:
            log.exception("Reload after a change failed unexpectedly")
