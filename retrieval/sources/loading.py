"""Load sources from a folder of UTF-8 files (plain text, Markdown, HTML), each with an optional ``NAME.meta.yaml``
sidecar.

Rules (a file that cannot be loaded is refused with a reason naming what is wrong, and the others still load):

- Sources are the ``.txt``, ``.md`` and ``.html`` files directly in the folder, in name order. Hidden files, editor
  backups (``~``, ``.swp``, ``.bak``, ``#name#`` ...), sub-folders and other file types are skipped and reported.
- Text is UTF-8 (a BOM is removed); CRLF and CR become LF. Not UTF-8 (UTF-16 included), a NUL byte (binary), empty
  or whitespace-only, larger than ``max_bytes``, not a regular file (a FIFO would block the read), a link, source
  or sidecar, that leads outside the folder, or JSON data: refused. A file that changes while it is read is read
  again.
- Each format is parsed by :mod:`retrieval.sources.formats` (Markdown front matter and markup, HTML article
  extraction); the title is the sidecar's, else the document's own (front matter, first ``#`` heading, page title),
  else the file name. Sidecar fields override the document's.
- The source id is the file name's stem, lower-cased. Files whose ids clash (``UPPER.TXT`` beside ``upper.txt``,
  ``a.txt`` beside ``a.md``) get distinct ids: the first in name order whose stem is already lower-case (else the
  first in name order) keeps the plain id, each other gets a suffix from a hash of its file name.
- A sidecar's values are kept as the moderator wrote them (``published: 2026-02-25`` is the text "2026-02-25",
  ``title: Yes`` is "Yes"); a blank field counts as not given. A sidecar with no source beside it is reported.
"""

from __future__ import annotations

import codecs
import errno
import functools
import hashlib
import logging
import os
import re
import stat
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from retrieval.errors import SourceError, SourceFolderMissing
from retrieval.models import Source, SourceMeta
from retrieval.sources.fields import FieldsError, given, read_fields
from retrieval.sources.formats import FORMAT_SUFFIXES, DocumentRefused, parse_document

log = logging.getLogger(__name__)

SOURCE_SUFFIXES = tuple(FORMAT_SUFFIXES)
META_SUFFIX = ".meta.yaml"
DEFAULT_MAX_BYTES = 2_000_000
LINK_LOOP = "is a link that leads back to itself (a loop of links); point it at a file or remove it"
SNAPSHOT_FOLDER = ".qabot-cache"
"""The folder, beside a sources folder, where built libraries' snapshots are kept (``PARENT/.qabot-cache/NAME/``);
loading passes over it in silence should it be inside one."""
READ_ATTEMPTS = 3
"""Times a file that changes while it is read (an editor saving it, a copy in progress) is read before it is refused."""
RACY_NS = 2_000_000_000
"""A file (or sidecar) modified less than this many ns before it was read gets no ``Source.file_state``: a
modification time that coarse clocks (2 s on FAT, 1 s on some network mounts) or a second save within the same
tick would not move again cannot prove the file unchanged, so the next reload reads and hashes it."""
_BACKUP_PATTERN = re.compile(r"(~|\.swp|\.swo|\.swx|\.bak|\.orig|\.tmp|\.part)$|^#.*#$", re.IGNORECASE)


@dataclass(frozen=True)
class Refusal:
    """A source file that could not be loaded: its shown name, the id it has, and the error saying why."""

    file_name: str
    source_id: str
    error: SourceError

    @property
    def reason(self) -> str:
        """What is wrong, naming the sidecar when the fault is there ("its sidecar a.meta.yaml is not valid YAML")."""
        if self.error.file.name.endswith(META_SUFFIX):
            return f"its sidecar {shown_name(self.error.file.name)} {self.error.reason}"
        return self.error.reason


@dataclass(frozen=True)
class LoadResult:
    """The sources loaded from a folder, the entries skipped as (file name, reason), and the files refused."""

    sources: tuple[Source, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())
    refused: tuple[Refusal, ...] = field(default=())


def load_sources(
    folder: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES, known: Mapping[str, Source] | None = None
) -> LoadResult:
    """Load every source in ``folder``. A file that cannot be loaded is refused (in ``LoadResult.refused``), and the
    others load all the same. ``known`` (sources loaded before, by file name) spares parsing a file whose bytes and
    sidecar are unchanged (same SHA-256): extracting an HTML article costs far more than reading it; and reading and
    hashing one whose size and modification time, and its sidecar's, are those recorded in ``Source.file_state``.

    Raises
    ------
    SourceFolderMissing
        ``folder`` does not exist, is not a directory, or cannot be listed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceFolderMissing(folder)
    root = folder.resolve()
    sources: list[Source] = []
    skipped: list[tuple[str, str]] = []
    refused: list[Refusal] = []
    try:
        # One listing whose entries know, without a stat each, which are links and folders (os.scandir): at
        # 16,000 files, pathlib's per-file checks were most of a start from the sources cache.
        with os.scandir(folder) as listing:
            entries = {entry.name: entry for entry in listing}
    except OSError as error:  # a folder the process may not list (permissions), or one gone mid-listing
        raise SourceFolderMissing(folder, f"cannot be read ({error.strerror or error})") from error
    candidates: list[Path] = []
    for name in sorted(entries):
        if name == SNAPSHOT_FOLDER:
            continue
        reason = _skip_reason(name, entries[name])
        if reason == "sidecar":
            stem = name[: -len(META_SUFFIX)]
            if not any(stem + suffix in entries for suffix in SOURCE_SUFFIXES):
                skipped.append((name, f"sidecar with no source file ({stem}.txt, .md or .html) beside it"))
            continue
        if reason:
            skipped.append((shown_name(name), reason))
            continue
        candidates.append(folder / name)
    for path, source_id in assign_ids(candidates):
        try:
            name = path.name
            previous = (known or {}).get(name)
            listed = _listed_state(entries[name], entries.get(_stem(name) + META_SUFFIX), max_bytes)
            sources.append(
                load_source(
                    path, root=root, max_bytes=max_bytes, source_id=source_id, known=previous, listed_state=listed
                )
            )
        except SourceError as error:
            refused.append(Refusal(shown_name(path.name), source_id, error))
        except Exception:  # a bug must cost one file, not the library
            log.exception("Unexpected error loading %s", shown_name(path.name))
            error = SourceError(path, "could not be loaded: an unexpected error (see the bot's log)")
            refused.append(Refusal(shown_name(path.name), source_id, error))
    return LoadResult(tuple(sources), tuple(skipped), tuple(refused))


def _listed_state(entry: os.DirEntry, sidecar: os.DirEntry | None, max_bytes: int) -> tuple[int, int, int, int] | None:
    """:func:`_file_state` from the folder's listing (one ``stat`` for a file without a sidecar); None when the file
    or its sidecar is a link (their targets are checked the long way), not a regular file, over ``max_bytes``, or
    cannot be read."""
    try:
        if entry.is_symlink() or (sidecar is not None and sidecar.is_symlink()):
            return None
        status = entry.stat()
        meta = sidecar.stat() if sidecar is not None else None
    except OSError:
        return None
    return _state(status, meta, max_bytes)


def assign_ids(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each path (in the given order) with a distinct source id: :func:`source_id_for`, and for all but one file of
    each clashing group (see the module docstring) that id plus "-" and 6 hex digits of the SHA-256 of its name."""
    naturals = [source_id_for(path) for path in paths]
    groups: dict[str, list[Path]] = {}
    for path, natural in zip(paths, naturals, strict=True):
        groups.setdefault(natural, []).append(path)
    keeper = {
        natural: group[0] if len(group) == 1 else next((p for p in group if p.stem == p.stem.lower()), group[0])
        for natural, group in groups.items()
    }
    assigned = []
    for path, natural in zip(paths, naturals, strict=True):
        if keeper[natural] is path:
            assigned.append((path, natural))
        else:
            digest = hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:6]
            assigned.append((path, f"{natural}-{digest}"))
    return assigned


def _stem(name: str) -> str:
    """``Path(name).stem`` without making a path (pathlib's rule: the last suffix, unless the name starts or ends
    with its dot)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _skip_reason(name: str, entry: os.DirEntry) -> str | None:
    if name != shown_name(name):
        return "its name is not valid UTF-8; rename the file"
    if name.startswith("."):
        return "hidden file"
    if _BACKUP_PATTERN.search(name):
        return "editor backup"
    if name.endswith(META_SUFFIX):
        return "sidecar"
    if _is_dir(entry):
        return "folder (sources are read from the top level only)"
    if name[len(_stem(name)) :].lower() not in SOURCE_SUFFIXES:  # Path(name).suffix
        return f"not a source type ({', '.join(SOURCE_SUFFIXES)})"
    return None


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a loop of links: loading the file says so
        return False


def shown_name(name: str) -> str:
    """A file name that can be printed: bytes that are not UTF-8 (kept by the OS as surrogates) shown as ``\\xff``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load_source(
    path: Path,
    *,
    root: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    source_id: str | None = None,
    known: Source | None = None,
    listed_state: tuple[int, int, int, int] | None = None,
) -> Source:
    """Load one source file and its sidecar. ``root``, when given, is the folder a link must not lead out of;
    ``source_id`` overrides the id from the file name (:func:`assign_ids` gives clashing files distinct ids);
    ``known`` is returned as it is when it has this file's id and either the same ``file_state`` (size and
    modification time of the file and its sidecar: nothing is read) or the same SHA-256 (the file is then not parsed
    again). ``listed_state``: the file's state from the folder's listing (:func:`_listed_state`, which gives none
    for a link), matched against ``known`` before the file is looked at again.

    Raises
    ------
    SourceError
        See the module docstring for the rules.
    """
    source_id = source_id or source_id_for(path)
    known = known if known is not None and (known.id, known.file_name) == (source_id, path.name) else None
    if known is not None and listed_state is not None and listed_state == known.file_state:
        return known  # neither it nor its sidecar is a link (_listed_state): nothing to check outside the folder
    _refuse_link_out(path, root)
    sidecar = meta_path(path)
    if known is not None and known.file_state is not None and _file_state(path, max_bytes) == known.file_state:
        _refuse_link_out(sidecar, root)
        return known
    raw, file_stat = _read_bytes(path, max_bytes)
    text = decode_text(raw, path)
    _refuse_link_out(sidecar, root)
    meta_raw, meta_stat = _meta_bytes(path)  # read once: the metadata and the hash see the same bytes
    fingerprint = _fingerprint(raw, meta_raw)
    state = _trusted((*file_stat, *meta_stat))
    if known is not None and known.sha256 == fingerprint:
        return known if known.file_state == state else known.model_copy(update={"file_state": state})
    meta = _parse_meta(sidecar, meta_raw)
    try:
        document = parse_document(path.suffix, text)
    except DocumentRefused as error:
        raise SourceError(path, str(error)) from None
    try:
        fields = SourceMeta.model_validate(document.fields)
    except ValidationError as error:
        raise SourceError(path, f"has bad front matter ({_problems(error)})") from None
    given_in_sidecar = meta.model_fields_set
    merged = fields.model_copy(update={k: getattr(meta, k) for k in given_in_sidecar})
    notes = list(document.notes)
    if given_in_sidecar:
        notes.append("sidecar read: " + ", ".join(sorted(given_in_sidecar)))
    title = merged.title.strip()
    if title:  # the front matter's or sidecar's title is used, not the heading or page title the parser noted
        notes = [note for note in notes if not note.startswith("title from")]
    elif document.title:
        title = document.title
    else:
        notes.append("title from the file name")
    return Source(
        id=source_id,
        file_name=path.name,
        title=title or _title_from_stem(path.stem),
        headline=document.title if document.body_start else None,
        body_start=document.body_start,
        url=merged.url or None,
        published=merged.published or None,
        author=merged.author or None,
        has_caption=merged.caption,
        modified=_modified(path),
        text=document.text,
        sha256=fingerprint,
        file_state=state,
        format=document.format,
        parse_notes=tuple(notes),
        origin=merged.origin or None,
    )


def _modified(path: Path) -> float | None:
    """The file's modification time, or None when it cannot be read (it vanished after being read)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return None


_ID_UNSAFE = re.compile(r"[^\w.-]+")


def source_id_for(path: Path) -> str:
    """The source id of a file: its stem (NFC), lower-cased, with every run of characters other than letters,
    digits, ``_``, ``.`` and ``-`` turned into "-" (``"Trump & Sheinbaum`s call.txt"`` -> ``"trump-sheinbaum-s-call"``).
    Ids appear in citations and are typed back into commands, so they hold nothing Discord markdown or mentions
    could act on (no backtick, ``@``, ``<``, ``*`` or space)."""
    return _id_of_name(path.name)


@functools.lru_cache(maxsize=1 << 17)
def _id_of_name(name: str) -> str:
    # Kept by name: a reload names every file of a library of thousands again.
    slug = _ID_UNSAFE.sub("-", unicodedata.normalize("NFC", _stem(name)).lower()).strip("-.")
    # A name of symbols only ("!!!.txt") still gets an id of its own.
    return slug or "source-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def _fingerprint(raw: bytes, meta_raw: bytes) -> str:
    # Source text never holds a NUL (decode_text refuses it), so the separator makes text+sidecar unambiguous:
    # moving a line from the text into the sidecar changes the hash. Without a sidecar: the file's own SHA-256.
    digest = hashlib.sha256(raw)
    if meta_raw:
        digest.update(b"\x00" + meta_raw)
    return digest.hexdigest()


def _file_state(path: Path, max_bytes: int) -> tuple[int, int, int, int] | None:
    """(size, mtime_ns) of the regular file ``path`` and of its sidecar ((-1, 0) when it has none), from ``stat``
    alone; None when either is not a regular file, the file is over ``max_bytes``, or either cannot be read (the
    caller then reads the file, which reports why)."""
    try:
        status = path.stat()
        try:
            meta = meta_path(path).stat()
        except FileNotFoundError:
            meta = None
    except OSError:
        return None
    return _state(status, meta, max_bytes)


def _state(status: os.stat_result, meta: os.stat_result | None, max_bytes: int) -> tuple[int, int, int, int] | None:
    if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
        return None
    if meta is None:
        return status.st_size, status.st_mtime_ns, -1, 0
    if not stat.S_ISREG(meta.st_mode):
        return None
    return status.st_size, status.st_mtime_ns, meta.st_size, meta.st_mtime_ns


def _trusted(state: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """``state`` when both modification times are at least ``RACY_NS`` old, else None."""
    return state if time.time_ns() - max(state[1], state[3]) >= RACY_NS else None


def _refuse_link_out(path: Path, root: Path | None) -> None:
    if root is not None and path.is_symlink():
        try:
            target = path.resolve(strict=False)
        except (RuntimeError, OSError):  # Python 3.11 and 3.12 raise RuntimeError for a loop of links
            raise SourceError(path, LINK_LOOP) from None
        if not target.is_relative_to(root):  # the target is not named: messages reach Discord, paths must not
            raise SourceError(path, "is a link to a file outside the sources folder; copy the file in instead")


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, tuple[int, int]]:
    """The file's bytes and its (size, mtime_ns), read again when its size or modification time changed during the
    read."""
    for _ in range(READ_ATTEMPTS):
        before, raw = _read_once(path, max_bytes)
        try:
            after = path.stat()
        except OSError:
            after = None
        if after is not None and (after.st_size, after.st_mtime_ns) == before and len(raw) == after.st_size:
            return raw, before
    raise SourceError(path, f"kept changing while it was read ({READ_ATTEMPTS} tries); reload once it is saved")


def _read_once(path: Path, max_bytes: int) -> tuple[tuple[int, int], bytes]:
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
        if error.errno == errno.ELOOP:  # Python 3.13's resolve() no longer raises for a loop: stat() does
            raise SourceError(path, LINK_LOOP) from None
        raise SourceError(path, f"cannot be read: {error.strerror or error}") from None
    if len(raw) > max_bytes:  # grew after stat
        raise SourceError(path, f"is over the {max_bytes:,}-byte limit (MAX_SOURCE_BYTES)")
    return (status.st_size, status.st_mtime_ns), raw


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
    return _parse_meta(meta_path(path), _meta_bytes(path)[0])


def _parse_meta(sidecar: Path, raw: bytes) -> SourceMeta:
    if not raw:
        return SourceMeta()
    try:
        data = read_fields(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise SourceError(sidecar, f"is not valid UTF-8 (byte offset {error.start}); save it as UTF-8") from None
    except FieldsError as error:
        raise SourceError(sidecar, str(error)) from None
    if data is None:
        return SourceMeta()
    try:
        return SourceMeta.model_validate(given(data))
    except ValidationError as error:
        raise SourceError(sidecar, f"has bad fields ({_problems(error)})") from None


def _problems(error: ValidationError) -> str:
    return "; ".join(_field_problem(e) for e in error.errors())


def _field_problem(error: dict) -> str:
    """One sidecar field's problem in a moderator's words: pydantic's own message for a URL would print the regular
    expression it failed."""
    name = ".".join(map(str, error["loc"]))
    if error["type"] == "string_pattern_mismatch" and name == "url":
        return (
            "url: must be one web link starting with http:// or https://, without spaces, < > ` or control characters"
        )
    if error["type"] == "extra_forbidden":
        return f"{name}: not a known field (the fields are {', '.join(SourceMeta.model_fields)})"
    if name == "caption":
        return "caption: must be true or false"
    return f"{name}: {error['msg']}"


def _meta_bytes(path: Path) -> tuple[bytes, tuple[int, int]]:
    """The sidecar's bytes and its (size, mtime_ns) taken before the read (a change during the read moves it again),
    or (b"", (-1, 0)) when there is none."""
    sidecar = meta_path(path)
    try:
        status = sidecar.stat()
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(sidecar, "is not a regular file; a sidecar must be a plain YAML file")
        return sidecar.read_bytes(), (status.st_size, status.st_mtime_ns)
    except FileNotFoundError:
        return b"", (-1, 0)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SourceError(sidecar, LINK_LOOP) from None
        raise SourceError(sidecar, f"cannot be read: {error.strerror or error}") from None


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem
