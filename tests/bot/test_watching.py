"""WATCH_SOURCES: a change in a library's folder reloads it, debounced; changes elsewhere are ignored."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.libraries import LibraryRegistry
from bot.watching import touched, watch_libraries

ARTICLE = "A new article about the ferry timetable.\n"


def registry(tmp_path: Path) -> LibraryRegistry:
    shared = tmp_path / "shared"
    shared.mkdir(exist_ok=True)
    return LibraryRegistry(shared_folder=shared, libraries_dir=tmp_path / "libraries", max_source_bytes=100_000)


def test_changes_are_mapped_to_the_libraries_they_touch(tmp_path):
    """A file in the shared folder touches it; one in a guild's sources touches that guild; removed/ and staging/
    touch nothing."""
    libraries = registry(tmp_path)
    root = libraries.libraries_dir
    paths = {
        libraries.shared_folder / "a.txt",
        root / "5" / "sources" / "b.md",
        root / "6" / "removed" / "c.txt",
        root / "7" / "staging" / "x" / "d.txt",
        root / "audit.jsonl",
    }
    assert touched(libraries, paths) == (True, {5})


async def test_a_new_file_is_served_without_a_reload_command(tmp_path):
    """With the watcher running, a file dropped into the shared folder and one into a guild's folder are served by
    that guild within a few seconds, without /reload."""
    libraries = registry(tmp_path)
    service = await libraries.service_for(5)
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_libraries(libraries, debounce_ms=50, stop_event=stop))
    try:
        await asyncio.sleep(0.5)  # let the watcher start
        (libraries.shared_folder / "shared-news.txt").write_text(ARTICLE, encoding="utf-8")
        (libraries.folder_of(5) / "guild-news.txt").write_text("Guild news about the harbour.\n", encoding="utf-8")
        for _ in range(100):
            if {"shared-news", "guild-news"} <= {s.id for s in service.corpus.sources}:
                break
            await asyncio.sleep(0.05)
        assert {s.id for s in service.corpus.sources} == {"shared-news", "guild-news"}
        assert [s.id for s in libraries.shared.corpus.sources] == ["shared-news"]
    finally:
        stop.set()
        await asyncio.wait_for(watcher, timeout=5)
