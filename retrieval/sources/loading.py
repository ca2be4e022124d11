"""Load sources from a folder of UTF-8 text files, each with an optional ``NAME.meta.yaml`` sidecar.

Rules (each failure is a :class:`SourceError` naming the file, so a moderator can fix it):

- Sources are the ``.txt`` and ``.md`` files directly in the folder, in name order. Hidden files, editor backups
  (``~``, ``.swp``, ``.bak``, ``#name#`` ...), sub-folders and other file types are skipped and reported.
- Text is UTF-8 (a BOM is removed); CRLF and CR become LF. Not UTF-8 (UTF-16 included), a NUL byte (binary), empty
  or whitespace-only, larger than ``max_bytes``, not a regular file (a FIFO would block the read), or a link, source
  or sidecar, that leads outside the folder: error.
- The source id is the file name's stem, lower-cased; two files with the same id are an error.
- A sidecar's values are kept as the moderator wrote them (``published: 2026-02-25`` is the text "2026-02-25",
  ``title: Yes`` is "Yes"); a blank field counts as not given. A sidecar with no source beside it is reported.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from retrieval.errors import SourceError, SourceFolderMissing
from retrieval.models import Source, SourceMeta
from retrieval.sources.headline import headline_span

SOURCE_SUFFIXES = (".txt", ".md")
META_SUFFIX = ".meta.yaml"
DEFAULT_MAX_BYTES = 2_000_000
SNAPSHOT_FOLDER = ".qabot-cache"
"""The folder beside the sources where a built library's snapshot is kept; loading passes over it in silence."""
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
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    names = {path.name for path in entries}
    for path in entries:
        if path.name == SNAPSHOT_FOLDER:
            continue
        reason = _skip_reason(path)
        if reason == "sidecar":
            stem = path.name[: -len(META_SUFFIX)]
            if not any(stem + suffix in names for suffix in SOURCE_SUFFIXES):
                skipped.append((path.name, f"sidecar with no source file ({stem}.txt or {stem}.md) beside it"))
            continue
        if reason:
            skipped.append((shown_name(path.name), reason))
            continue
        source = load_source(path, root=root, max_bytes=max_bytes)
        if source.id in seen_ids:
            raise SourceError(path, f"has the same id {source.id!r} as {seen_ids[source.id]}; rename one of them")
        seen_ids[source.id] = path.name
        sources.append(source)
    return LoadResult(tuple(sources), tuple(skipped))


def _skip_reason(path: Path) -> str | None:
    name = path.name
    if name != shown_name(name):
        return "its name is not valid UTF-8; rename the file"
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


def shown_name(name: str) -> str:
    """A file name that can be printed: bytes that are not UTF-8 (kept by the OS as surrogates) shown as ``\\xff``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load_source(path: Path, *, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Load one source file and its sidecar. ``root``, when given, is the folder a link must not lead out of.

    Raises
    ------
    SourceError
        See the module docstring for the rules.
    """
    _refuse_link_out(path, root)
    raw = _read_bytes(path, max_bytes)
    text = decode_text(raw, path)
    sidecar = meta_path(path)
    _refuse_link_out(sidecar, root)
    meta_raw = _meta_bytes(path)  # read once: the metadata and the hash see the same bytes
    meta = _parse_meta(sidecar, meta_raw)
    source_id = source_id_for(path)
    headline = headline_span(text)
    headline_text = text[headline[0] : headline[1]].strip() if headline else None
    return Source(
        id=source_id,
        file_name=path.name,
        title=meta.title.strip() or headline_text or _title_from_stem(path.stem),
        headline=headline_text,
        body_start=headline[1] if headline else 0,
        url=meta.url or None,
        published=meta.published or None,
        author=meta.author or None,
        has_caption=meta.caption,
        text=text,
        sha256=_fingerprint(raw, meta_raw),
    )


_ID_UNSAFE = re.compile(r"[^\w.-]+")


def source_id_for(path: Path) -> str:
    """The source id of a file: its stem (NFC), lower-cased, with every run of characters other than letters,
    digits, ``_``, ``.`` and ``-`` turned into "-" (``"Trump & Sheinbaum`s call.txt"`` -> ``"trump-sheinbaum-s-call"``).
    Ids appear in citations and are typed back into commands, so they hold nothing Discord markdown or mentions
    could act on (no backtick, ``@``, ``<``, ``*`` or space)."""
    slug = _ID_UNSAFE.sub("-", unicodedata.normalize("NFC", path.stem).lower()).strip("-.")
    # A name of symbols only ("!!!.txt") still gets an id of its own.
    return slug or "source-" + hashlib.sha256(path.name.encode()).hexdigest()[:8]


def _fingerprint(raw: bytes, meta_raw: bytes) -> str:
    # Source text never holds a NUL (decode_text refuses it), so the separator makes text+sidecar unambiguous:
    # moving a line from the text into the sidecar changes the hash. Without a sidecar: the file's own SHA-256.
    digest = hashlib.sha256(raw)
    if meta_raw:
        digest.update(b"\x00" + meta_raw)
    return digest.hexdigest()


def _refuse_link_out(path: Path, root: Path | None) -> None:
    if root is not None and path.is_symlink():
        try:
            target = path.resolve(strict=False)
        except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop of links
            raise SourceError(path, "is a link that leads back to itself (a loop of links)") from None
        if not target.is_relative_to(root):
            raise SourceError(path, f"is a link to {target}, outside the sources folder; copy the file in instead")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a pipe, socket or device)"
            raise SourceError(path, f"is {kind}; sources must be plain text files")
        size = status.st_size
        if size > max_bytes:
            raise SourceError(path, f"is {size:,} bytes, over the {max_bytes:,}-byte limit (MAX_SOURCE_BYTES)")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        if path.is_symlink():
            raise SourceError(path, "is a link to a file that does not exist") from None
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
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # checked first: UTF-16 text is full of NULs
        raise SourceError(path, "is UTF-16 text; save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SourceError(path, f"is a binary file (NUL byte at offset {nul}), not text")
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = bom + error.start  # in the file's bytes, BOM included
        raise SourceError(
            path, f"is not valid UTF-8 (byte 0x{raw[offset : offset + 1].hex()} at offset {offset}); save it as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(path, "is empty (no text)")
    return text


def meta_path(path: Path) -> Path:
    return path.with_name(path.stem + META_SUFFIX)


def read_meta(path: Path) -> SourceMeta:
    """Read the ``NAME.meta.yaml`` sidecar of a source file; a missing sidecar gives empty metadata.

    Values are kept as written (YAML's implicit bool, number and date types are not applied; ``caption`` accepts
    true/false/yes/no); a blank value counts as not given.

    Raises
    ------
    SourceError
        The sidecar is not valid YAML, not a mapping, or has unknown or mistyped fields.
    """
    return _parse_meta(meta_path(path), _meta_bytes(path))


class _TextLoader(yaml.SafeLoader):
    """Safe YAML where every plain scalar but null stays text: ``published: 2026-02-25`` is "2026-02-25", not a
    date, and ``title: No`` is "No", not False. pydantic then parses ``caption`` as a bool."""


def _mapping_without_repeats(loader: _TextLoader, node: yaml.MappingNode) -> dict:
    """A mapping, refusing a key given twice: YAML would silently keep the last ``title:``, and the moderator would
    not know which one the bot uses."""
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str | None):
            raise yaml.constructor.ConstructorError(
                None, None, "a field name must be a word, not a list or a mapping", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the field {key!r} is given twice; keep one", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_TextLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)
_TextLoader.yaml_implicit_resolvers = {
    first: kept
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if (kept := [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"])
}


def _parse_meta(sidecar: Path, raw: bytes) -> SourceMeta:
    if not raw:
        return SourceMeta()
    try:
        data = yaml.load(raw.decode("utf-8-sig"), Loader=_TextLoader)  # a SafeLoader: builds no Python objects
    except RecursionError:
        raise SourceError(sidecar, "is nested too deeply to read; a sidecar is a flat list of fields") from None
    except UnicodeDecodeError as error:
        raise SourceError(sidecar, f"is not valid UTF-8 (byte offset {error.start}); save it as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise SourceError(sidecar, f"is not valid YAML{where}: {problem}") from None
    if data is None:
        return SourceMeta()
    if not isinstance(data, dict):
        raise SourceError(sidecar, "must be a mapping of fields (title, url, published, author, caption)")
    try:
        given = {
            key: value
            for key, value in data.items()
            if not (value is None or (isinstance(value, str) and not value.strip()))
        }
        return SourceMeta.model_validate(given)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise SourceError(sidecar, f"has bad fields ({problems})") from None


def _meta_bytes(path: Path) -> bytes:
    sidecar = meta_path(path)
    try:
        if not stat.S_ISREG(sidecar.stat().st_mode):
            raise SourceError(sidecar, "is not a regular file; a sidecar must be a plain YAML file")
        return sidecar.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as error:
        raise SourceError(sidecar, f"cannot be read: {error.strerror or error}") from None


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem
