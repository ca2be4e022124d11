"""A built library saved to one file and loaded back instead of rebuilt, never served when it is not the same build.

File layout (little-endian)::

    b"QABOTSNP" | u32 format version | u64 header length | header (UTF-8 JSON) | sections | sha256 of all before it

The header holds the snapshot's key and, for each named section, its kind (``array``: a NumPy array of a given dtype
and shape; ``strings``: a list of strings, NUL-joined UTF-8; ``json``), offset and length. Sections start at 8-byte
boundaries, so arrays are read in place (:func:`numpy.frombuffer`, no copy).

What makes a snapshot usable is its key (:func:`snapshot_key`): the format version, the sources' ids and SHA-256s,
the settings that shape the index (BM25 parameters, tokenizer, passage length), the versions of the libraries that
shape it (PyStemmer, pysbd, wordfreq, NumPy, SciPy), and a fingerprint of the ``retrieval`` package's own code, so
any change to how a library is built invalidates every old snapshot by itself. A file that is truncated, corrupt
(checksum), of another format or another key raises :class:`SnapshotUnusable`; the caller rebuilds.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from retrieval.yielding import let_others_run

MAGIC = b"QABOTSNP"
FORMAT_VERSION = 1
_CHECKSUM_BYTES = 32
_ALIGN = 8
LIBRARIES = ("PyStemmer", "pysbd", "wordfreq", "numpy", "scipy")
"""Packages whose version changes what a build produces (stems, sentence bounds, background IDF, float rounding)."""


class SnapshotUnusable(Exception):
    """A snapshot file that must not be served: missing, truncated, corrupt, or built from other sources, settings or
    code. ``reason`` says which."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Strings(list):
    """A list of strings that :func:`write_snapshot` stores compactly (NUL-joined UTF-8); strings hold no NUL."""


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the path and bytes of every ``.py`` file of the ``retrieval`` package, in path order."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def snapshot_key(sources: Iterable[tuple[str, str]], settings: Mapping[str, object]) -> str:
    """The key a snapshot of these sources, built with these settings by this code, is stored under (hex SHA-256).

    Parameters
    ----------
    sources
        (source id, SHA-256 of its bytes) of each source, in library order.
    settings
        Everything else that shapes the build (JSON-serialisable).
    """
    document = {
        "format": FORMAT_VERSION,
        "code": code_fingerprint(),
        "libraries": _library_versions(),
        "settings": settings,
        "sources": [list(pair) for pair in sources],
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def write_snapshot(path: Path, key: str, sections: Mapping[str, object]) -> None:
    """Write ``sections`` (NumPy arrays, :class:`Strings`, or JSON-serialisable values) under ``key`` to ``path``,
    atomically: a reader sees the old file or the whole new one, never part of it.

    Raises
    ------
    OSError
        The folder cannot be written.
    """
    blobs: list[bytes | memoryview] = []
    table = []
    offset = 0
    for name, value in sections.items():
        let_others_run()
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            blob = memoryview(array).cast("B") if array.size else b""  # no copy: hashed and written in place
            entry = {"name": name, "kind": "array", "dtype": array.dtype.str, "shape": list(array.shape)}
        elif isinstance(value, Strings):
            blob = "\x00".join(value).encode("utf-8")
            entry = {"name": name, "kind": "strings", "count": len(value)}
        else:
            blob = json.dumps(value, ensure_ascii=False).encode("utf-8")
            entry = {"name": name, "kind": "json"}
        padding = -offset % _ALIGN
        blobs.append(b"\x00" * padding)
        offset += padding
        entry |= {"offset": offset, "length": len(blob)}
        table.append(entry)
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps({"key": key, "sections": table}).encode("utf-8")
    prefix = MAGIC + FORMAT_VERSION.to_bytes(4, "little") + len(header).to_bytes(8, "little") + header
    prefix += b"\x00" * (-len(prefix) % _ALIGN)
    digest = hashlib.sha256(prefix)
    for blob in blobs:
        let_others_run()
        digest.update(blob)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        os.fchmod(handle, 0o644)  # mkstemp's 0600 would hide it from a console run by another user of the host
        with os.fdopen(handle, "wb") as out:
            out.write(prefix)
            for blob in blobs:
                let_others_run()
                out.write(blob)
            out.write(digest.digest())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_snapshot(path: Path, key: str) -> dict[str, object]:
    """The sections of the snapshot at ``path``, checked whole (checksum) and against ``key``.

    Arrays are read-only views of the file's bytes; :class:`Strings` sections come back as plain lists.

    Raises
    ------
    SnapshotUnusable
        Missing, unreadable, truncated, corrupt, of another format version, or of another key.
    """
    found = snapshot_key_of(path)
    if found is not None and found != key:  # told by the header alone: a stale file is not read and hashed whole
        raise SnapshotUnusable(path, "stale: built from other sources, settings or code")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SnapshotUnusable(path, "no snapshot yet") from None
    except OSError as error:
        raise SnapshotUnusable(path, f"cannot be read ({error.strerror or error})") from None
    fixed = len(MAGIC) + 12
    if len(data) < fixed + _CHECKSUM_BYTES or not data.startswith(MAGIC):
        raise SnapshotUnusable(path, "not a snapshot, or truncated")
    version = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
    if version != FORMAT_VERSION:
        raise SnapshotUnusable(path, f"format {version}, this code reads {FORMAT_VERSION}")
    if hashlib.sha256(memoryview(data)[:-_CHECKSUM_BYTES]).digest() != data[-_CHECKSUM_BYTES:]:
        raise SnapshotUnusable(path, "checksum mismatch (truncated or corrupt)")
    header_length = int.from_bytes(data[len(MAGIC) + 4 : fixed], "little")
    try:
        header = json.loads(data[fixed : fixed + header_length])
    except ValueError:
        raise SnapshotUnusable(path, "unreadable header") from None
    if header.get("key") != key:
        raise SnapshotUnusable(path, "stale: built from other sources, settings or code")
    body = fixed + header_length + (-(fixed + header_length) % _ALIGN)
    sections: dict[str, object] = {}
    for entry in header["sections"]:
        start = body + entry["offset"]
        raw = memoryview(data)[start : start + entry["length"]]
        if entry["kind"] == "array":
            dtype = np.dtype(entry["dtype"])
            sections[entry["name"]] = np.frombuffer(raw, dtype=dtype).reshape(entry["shape"])
        elif entry["kind"] == "strings":
            sections[entry["name"]] = _split(bytes(raw).decode("utf-8"), entry["count"])
        else:
            sections[entry["name"]] = json.loads(bytes(raw).decode("utf-8"))
    return sections


def snapshot_key_of(path: Path) -> str | None:
    """The key in the header of the snapshot at ``path`` (not checked any further), or None when there is none."""
    try:
        with path.open("rb") as handle:
            fixed = handle.read(len(MAGIC) + 12)
            if len(fixed) < len(MAGIC) + 12 or not fixed.startswith(MAGIC):
                return None
            header = json.loads(handle.read(int.from_bytes(fixed[len(MAGIC) + 4 :], "little")))
    except (OSError, ValueError):
        return None
    key = header.get("key") if isinstance(header, dict) else None
    return key if isinstance(key, str) else None


def _split(joined: str, count: int) -> list[str]:
    if count == 0:
        return []
    # In slices, so that no single C call holds the GIL for long while an event loop waits in another thread.
    out: list[str] = []
    start = 0
    while len(out) < count:
        cut = joined.find("\x00", start + 1_000_000)
        piece = joined[start:] if cut < 0 else joined[start:cut]
        out.extend(piece.split("\x00"))
        if cut < 0:
            break
        start = cut + 1
    return out


def put_texts(sections: dict[str, object], name: str, texts: list[str]) -> None:
    """Store ``texts`` as one byte array and their lengths (each encoded and later decoded alone: no single long
    call holds the GIL, as one join of all of them would)."""
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
    flat = np.empty(int(lengths.sum()), dtype=np.uint8)
    # Copied text by text, not by one b"".join: joining 700 MB of texts (a 1M-passage library's sources) is one C
    # call that held the GIL for a quarter of a second beside the event loop.
    position = 0
    for piece in encoded:
        let_others_run()
        flat[position : position + len(piece)] = np.frombuffer(piece, dtype=np.uint8)
        position += len(piece)
    sections[f"{name}.lengths"] = lengths
    sections[name] = flat


def texts_of(sections: Mapping[str, object], name: str, count: int) -> list[str]:
    """The ``count`` texts :func:`put_texts` stored as ``name``.

    Raises
    ------
    KeyError, ValueError
        The section is missing, or its lengths disagree with ``count`` or the bytes.
    UnicodeDecodeError
        A text is not UTF-8.
    """
    texts = []
    for piece in pieces_of(sections[name], sections[f"{name}.lengths"], count):
        let_others_run()
        texts.append(bytes(piece).decode("utf-8", "surrogatepass"))
    return texts


def pieces_of(flat: np.ndarray, lengths: np.ndarray, count: int) -> list[np.ndarray]:
    """``flat`` cut into ``count`` consecutive pieces of ``lengths``; ValueError when they disagree."""
    if len(lengths) != count or int(lengths.sum()) != len(flat) or (count and lengths.min() < 0):
        raise ValueError("lengths disagree")
    ends = np.cumsum(lengths).tolist()
    starts = [0, *ends[:-1]]
    return [flat[a:b] for a, b in zip(starts, ends, strict=True)]
