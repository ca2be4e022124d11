"""Load sources from a folder of UTF-8 text files, each with an optional ``NAME.meta.yaml`` sidecar.

Rules (each failure is a :class:`SourceError` naming the file, so a moderator can fix it):

- Sources are the ``.txt`` and ``.md`` files directly in the folder, in name order. Hidden files, editor backups
  (``~``, ``.swp``, ``.bak``, ``#name#`` ...), sub-folders and other file types are skipped and reported.
- Text is UTF-8 (a BOM is removed); CRLF and CR become LF. Not UTF-8, a NUL byte (binary), empty or whitespace-only,
  larger than ``max_bytes``, or a link that leads outside the folder: error.
- The source id is the file name's stem, lower-cased; two files with the same id are an error.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from retrieval.errors import SourceError, SourceFolderMissing
from retrieval.models import Source, SourceMeta

SOURCE_SUFFIXES = (".txt", ".md")
META_SUFFIX = ".meta.yaml"
DEFAULT_MAX_BYTES = 2_000_000
_BACKUP_PATTERN = re.compile(r"(~|\.swp|\.swo|\.swx|\.bak|\.orig|\.tmp|\.part)$|^#.*#$", re.IGNORECASE)


@dataclass(frozen=True)
class LoadResult:
    """The sources loaded from a folder, and the entries skipped as (file name, reason)."""

    sources: tuple[Source, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())


def load_sources(folder: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Load every source in ``folder``.

    Raises
    ------
    SourceFolderMissing
        ``folder`` does not exist or is not a directory.
    SourceError
        A source file (or its sidecar) cannot be loaded; the first such file in name order.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceFolderMissing(folder)
    root = folder.resolve()
    sources: list[Source] = []
    skipped: list[tuple[str, str]] = []
    seen_ids: dict[str, str] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        reason = _skip_reason(path)
        if reason:
            if reason != "sidecar":
                skipped.append((path.name, reason))
            continue
        source = load_source(path, root=root, max_bytes=max_bytes)
        if source.id in seen_ids:
            raise SourceError(path, f"has the same id {source.id!r} as {seen_ids[source.id]}; rename one of them")
        seen_ids[source.id] = path.name
        sources.append(source)
    return LoadResult(tuple(sources), tuple(skipped))


def _skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("."):
        return "hidden file"
    if _BACKUP_PATTERN.search(name):
        return "editor backup"
    if name.endswith(META_SUFFIX):
        return "sidecar"
    if path.is_dir():
        return "folder (sources are read from the top level only)"
    if path.suffix.lower() not in SOURCE_SUFFIXES:
        return f"not a source type ({', '.join(SOURCE_SUFFIXES)})"
    return None


def load_source(path: Path, *, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Load one source file and its sidecar. ``root``, when given, is the folder a link must not lead out of.

    Raises
    ------
    SourceError
        See the module docstring for the rules.
    """
    if root is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root):
            raise SourceError(path, f"is a link to {target}, outside the sources folder; copy the file in instead")
    raw = _read_bytes(path, max_bytes)
    text = decode_text(raw, path)
    meta = read_meta(path)
    source_id = path.stem.lower()
    return Source(
        id=source_id,
        file_name=path.name,
        title=meta.title.strip() or _title_from_stem(path.stem),
        url=meta.url or None,
        published=meta.published or None,
        author=meta.author or None,
        has_caption=meta.caption,
        text=text,
        sha256=hashlib.sha256(raw + _meta_bytes(path)).hexdigest(),
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(path, f"is {size:,} bytes, over the {max_bytes:,}-byte limit (MAX_SOURCE_BYTES)")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError(path, "disappeared while loading; try again") from None
    except PermissionError:
        raise SourceError(path, "cannot be read: permission denied") from None
    except IsADirectoryError:
        raise SourceError(path, "is a folder, not a file") from None
    except OSError as error:
        raise SourceError(path, f"cannot be read: {error.strerror or error}") from None
    if len(raw) > max_bytes:  # grew after stat
        raise SourceError(path, f"is over the {max_bytes:,}-byte limit (MAX_SOURCE_BYTES)")
    return raw


def decode_text(raw: bytes, path: Path | str) -> str:
    """Decode UTF-8 (with or without BOM) and normalise line ends to LF.

    Raises
    ------
    SourceError
        The bytes contain NUL (a binary file), are not UTF-8 (the message gives the byte offset), or hold no text.
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SourceError(path, f"is a binary file (NUL byte at offset {nul}), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 1].hex()
        raise SourceError(
            path, f"is not valid UTF-8 (byte 0x{bad} at offset {error.start}); save it as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(path, "is empty (no text)")
    return text


def meta_path(path: Path) -> Path:
    return path.with_name(path.stem + META_SUFFIX)


def read_meta(path: Path) -> SourceMeta:
    """Read the ``NAME.meta.yaml`` sidecar of a source file; a missing sidecar gives empty metadata.

    Raises
    ------
    SourceError
        The sidecar is not valid YAML, not a mapping, or has unknown or mistyped fields.
    """
    sidecar = meta_path(path)
    raw = _meta_bytes(path)
    if not raw:
        return SourceMeta()
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SourceError(sidecar, f"is not valid UTF-8 YAML: {error}") from None
    if data is None:
        return SourceMeta()
    if not isinstance(data, dict):
        raise SourceError(sidecar, "must be a mapping of fields (title, url, published, author, caption)")
    try:
        return SourceMeta.model_validate({key: _as_text(key, value) for key, value in data.items()})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise SourceError(sidecar, f"has bad fields ({problems})") from None


def _as_text(key: object, value: object) -> object:
    # YAML reads `published: 2026-02-25` as a date; the model keeps what the moderator wrote, as text.
    if key in ("title", "url", "published", "author") and value is not None and not isinstance(value, str):
        return str(value)
    return value


def _meta_bytes(path: Path) -> bytes:
    try:
        return meta_path(path).read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as error:
        raise SourceError(meta_path(path), f"cannot be read: {error.strerror or error}") from None


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem
