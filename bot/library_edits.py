"""Adding and removing a guild's sources: each edit is a transaction that reports what changed, like a reload.

An addition is validated before it touches the library: the file (and its sidecar) is written to a staging folder
beside the library, loaded there exactly as a reload would load it, checked for duplicates, and only then moved
into the library with ``os.replace`` (atomic on one file system) and the library reloaded. A failure at any step (a
bad file, a duplicate, a full disk) leaves the library as it was and says why. A removal moves the file and its
sidecar to ``removed/`` (nothing is deleted) and reloads. Edits to one guild's library are serialised by
:meth:`~bot.libraries.LibraryRegistry.edit_lock`.

Questions being answered while an edit runs keep the corpus they started with (a corpus is never changed, only
replaced), so removing a source never breaks an answer in progress.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.corpus_service import ReloadReport
from bot.libraries import LibraryRegistry
from retrieval.errors import RetrievalError, SourceError, UnknownSource
from retrieval.models import URL_PATTERN, Source
from retrieval.sources.fetching import FetchPolicy, fetch_page
from retrieval.sources.formats import FORMAT_SUFFIXES, DocumentRefused, html, plain
from retrieval.sources.loading import META_SUFFIX, load_source, source_id_for

log = logging.getLogger(__name__)

MAX_ID_CHARS = 60
"""Ids made from a page's title are cut to this many characters (at a hyphen when there is one)."""


class EditRefused(RetrievalError):
    """An addition or removal that was refused; nothing changed. ``str(error)`` says why and what to do."""


@dataclass(frozen=True)
class EditReport:
    """A completed edit: ``action`` ("added" or "removed"), the source concerned, and the reload that applied it."""

    action: str
    source: Source | None
    source_id: str
    reload: ReloadReport


def _origin(what: str, user: str) -> str:
    return f"{what}, added by {user} on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


async def add_file(
    registry: LibraryRegistry,
    guild_id: int,
    name: str,
    raw: bytes,
    *,
    user: str,
    fields: dict[str, str] | None = None,
) -> EditReport:
    """Add the file ``name`` with content ``raw`` to ``guild_id``'s library, with sidecar ``fields`` when given.

    The stored file is named by its id (``source_id_for(name)`` plus its lower-case suffix), so a name cannot place
    it elsewhere, hide it or clash with a backup pattern.

    Raises
    ------
    EditRefused
        Not a .txt, .md or .html file; over MAX_SOURCE_BYTES; cannot be loaded (the reason, as a reload gives it);
        the id, the text or the link is already in the library (or the shared one); the disk is full.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in FORMAT_SUFFIXES:
        kinds = ", ".join(sorted({s for s in FORMAT_SUFFIXES if len(s) <= 5}))
        raise EditRefused(f"only {kinds} files can be added; this one is {suffix or 'without an extension'}")
    if len(raw) > registry.max_source_bytes:
        raise EditRefused(
            f"the file is {len(raw):,} bytes, over the {registry.max_source_bytes:,}-byte limit (MAX_SOURCE_BYTES)"
        )
    source_id = source_id_for(Path(name))
    file_name = source_id + suffix
    fields = dict(fields or {})
    fields.setdefault("origin", _origin(f"uploaded as {Path(name).name}", user))
    async with registry.edit_lock(guild_id):
        service = await registry.service_for(guild_id)
        folder = service.folder
        _refuse_taken_id(service.corpus, folder, source_id)
        staging = registry.guild_dir(guild_id) / "staging" / uuid.uuid4().hex
        try:
            staged = await asyncio.to_thread(_stage, staging, file_name, raw, fields)
            try:
                source = await asyncio.to_thread(
                    load_source, staged, root=staging, max_bytes=registry.max_source_bytes, source_id=source_id
                )
            except SourceError as error:
                raise EditRefused(f"{Path(name).name}: {error.reason}") from None
            _refuse_duplicate(service.corpus, source)
            await asyncio.to_thread(_move_in, staged, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        report = await service.reload()
        if source_id not in {s.id for s in report.corpus.sources} or source_id in report.corpus.stale:
            # Changed on disk between the check and the reload (a host edit): take it out again, whole.
            await asyncio.to_thread(_move_out, folder / file_name, registry.removed_folder_of(guild_id))
            await service.reload()
            raise EditRefused("the file changed while it was being added; nothing was added, try again")
    return EditReport("added", report.corpus.source(source_id), source_id, report)


async def add_url(registry: LibraryRegistry, guild_id: int, link: str, policy: FetchPolicy, *, user: str) -> EditReport:
    """Fetch ``link`` (see :mod:`retrieval.sources.fetching`), extract its article, and add it as a ``.txt`` file
    with a sidecar holding its title, link, author and date.

    Raises
    ------
    FetchRefused
        The link may not or could not be fetched.
    EditRefused
        No article text, or the link (or its text) is already in the library; see :func:`add_file`.
    """
    page = await fetch_page(link, policy)
    try:
        if page.content_type == "text/plain":
            parsed = plain.parse(page.text.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            parsed = await asyncio.to_thread(html.parse, page.text, url=page.url)
    except DocumentRefused as error:
        raise EditRefused(f"the page {error}") from None
    fields: dict[str, str] = {}
    title = parsed.title or ""
    if title:
        fields["title"] = title
    for url in (page.url, link.strip()):
        if _valid_url(url):
            fields["url"] = url
            break
    for key in ("author", "published"):
        value = parsed.fields.get(key)
        if isinstance(value, str) and value.strip():
            fields[key] = value
    how = "article extracted with trafilatura" if parsed.format == "html" else "plain text"
    fields["origin"] = _origin(f"fetched from a link ({how})", user)
    for existing in (await registry.corpus_for(guild_id)).sources:
        if "url" in fields and existing.url in (fields["url"], link.strip()):
            raise EditRefused(f"that link is already in the library as '{existing.id}'")
    name = (_slug(title) or _slug(Path(page.url.split("?")[0]).name) or "article") + ".txt"
    return await add_file(registry, guild_id, name, parsed.text.encode("utf-8"), user=user, fields=fields)


async def remove_source(registry: LibraryRegistry, guild_id: int, source_id: str, *, user: str) -> EditReport:
    """Remove ``source_id`` (a loaded source, a stale one, or a refused file) from ``guild_id``'s library: its file
    and sidecar move to ``removed/``, and the library is reloaded.

    Raises
    ------
    UnknownSource
        No source of this guild's library has that id.
    EditRefused
        The source belongs to the shared library, or its file could not be moved.
    """
    wanted = source_id.strip().lower()
    async with registry.edit_lock(guild_id):
        service = await registry.service_for(guild_id)
        corpus = service.corpus
        if wanted in corpus.shared_ids:
            raise EditRefused(f"'{wanted}' is in the shared library, which the bot's host manages, not this server")
        own = {s.id: s.file_name for s in corpus.sources if s.id not in corpus.shared_ids}
        for refusal in corpus.refused:  # a refused file can be removed too (shared ones are not in this folder)
            if refusal.source_id not in corpus.shared_ids and (service.folder / refusal.file_name).exists():
                own.setdefault(refusal.source_id, refusal.file_name)
        if wanted not in own:
            raise UnknownSource(source_id, sorted(own))
        path = service.folder / own[wanted]
        if path.exists() or path.is_symlink():
            await asyncio.to_thread(_move_out, path, registry.removed_folder_of(guild_id))
        else:
            log.info("Removing %s from guild %s: its file is already gone", wanted, guild_id)
        removed = next((s for s in corpus.sources if s.id == wanted), None)
        report = await service.reload()
    return EditReport("removed", removed, wanted, report)


def _refuse_taken_id(corpus, folder: Path, source_id: str) -> None:
    if source_id in corpus.shared_ids:
        raise EditRefused(f"the shared library already has a source with the id '{source_id}'; rename the file")
    taken = {s.id for s in corpus.sources} | {r.source_id for r in corpus.refused}
    on_disk = {source_id_for(p) for p in _listing(folder)}
    if source_id in taken or source_id in on_disk:
        raise EditRefused(
            f"this server's library already has a source with the id '{source_id}'; remove it first "
            "(with /source remove) or rename the file"
        )


def _refuse_duplicate(corpus, source: Source) -> None:
    for existing in corpus.sources:
        if existing.text == source.text:
            raise EditRefused(f"the same text is already in the library as '{existing.id}'")
        if source.url and existing.url == source.url:
            raise EditRefused(f"that link is already in the library as '{existing.id}'")


def _listing(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.suffix.lower() in FORMAT_SUFFIXES]
    except OSError:
        return []


def _stage(staging: Path, file_name: str, raw: bytes, fields: dict[str, str]) -> Path:
    """Write the file and its sidecar into ``staging``; a full disk or another write error is an EditRefused."""
    try:
        staging.mkdir(parents=True)
        path = staging / file_name
        _write_synced(path, raw)
        if fields:
            sidecar_text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_style='"', width=10**6)
            _write_synced(path.with_name(path.stem + META_SUFFIX), sidecar_text.encode("utf-8"))
        return path
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise EditRefused("the bot's disk is full, so nothing was added; tell the bot's host") from None
        log.exception("Could not stage %s", file_name)
        raise EditRefused("the file could not be saved on the bot's host, so nothing was added") from None


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _move_in(staged: Path, folder: Path) -> None:
    """Move the staged sidecar, then the file, into ``folder``; if the file cannot follow, the sidecar goes back."""
    sidecar = staged.with_name(staged.stem + META_SUFFIX)
    moved: list[tuple[Path, Path]] = []
    try:
        for path in (sidecar, staged):
            if path.exists():
                os.replace(path, folder / path.name)
                moved.append((folder / path.name, path))
    except OSError:
        for target, origin in reversed(moved):
            os.replace(target, origin)
        log.exception("Could not move %s into %s", staged.name, folder)
        raise EditRefused("the file could not be saved on the bot's host, so nothing was added") from None


def _move_out(path: Path, removed_folder: Path) -> None:
    """Move ``path`` and its sidecar to ``removed_folder``, under a time-stamped name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    sidecar = path.with_name(path.stem + META_SUFFIX)
    try:
        removed_folder.mkdir(parents=True, exist_ok=True)
        for item in (path, sidecar):
            if item.exists() or item.is_symlink():
                os.replace(item, removed_folder / f"{stamp}-{item.name}")
    except OSError:
        log.exception("Could not move %s to %s", path.name, removed_folder)
        raise EditRefused("the file could not be moved out of the library on the bot's host; nothing changed") from None


def _slug(text: str) -> str:
    """An id made from a title or a URL's last path segment, at most MAX_ID_CHARS; "" when it holds no word."""
    if not any(c.isalnum() for c in text):
        return ""
    slug = source_id_for(Path(text.replace(".", " ").replace("/", " ") + ".txt"))
    if len(slug) > MAX_ID_CHARS:
        cut = slug.rfind("-", 0, MAX_ID_CHARS)
        slug = slug[: cut if cut > MAX_ID_CHARS // 2 else MAX_ID_CHARS]
    return slug


def _valid_url(url: str) -> bool:
    return len(url) <= 2000 and re.match(URL_PATTERN, url) is not None
