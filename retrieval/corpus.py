"""A corpus: the loaded sources, their passages and the BM25 index, built together and never changed afterwards.

Reloading builds a new :class:`Corpus` and swaps it in whole, so a reader never sees a half-built one.
:func:`load_corpus` saves what it builds as a snapshot in a cache folder beside the sources (``.qabot-cache/NAME/``
next to the folder ``NAME``, :func:`snapshot_path`) and, next time, loads that instead of rebuilding when the sources,
the settings and the code are the same (:mod:`retrieval.snapshot`).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from retrieval.errors import UnknownSource
from retrieval.models import Passage, Source
from retrieval.passage_table import COLUMNS, PassageTable
from retrieval.search.dense import DENSE_MAX_PASSAGES, DenseIndex, SentenceEncoder, default_encoder
from retrieval.search.dense import log as dense_log
from retrieval.search.index import Bm25Index, Bm25Params, IndexArrays
from retrieval.search.merge import merge_units
from retrieval.search.source_units import SourceUnit, analyse_source, analyse_sources, unit_key
from retrieval.snapshot import SnapshotUnusable, Strings, read_snapshot, snapshot_key, write_snapshot
from retrieval.source_cache import SOURCES_FILE, load_sources_cache, save_if_changed
from retrieval.sources.loading import DEFAULT_MAX_BYTES, SNAPSHOT_FOLDER, Refusal, load_sources
from retrieval.sources.splitting import MAX_PASSAGE_CHARS
from retrieval.text.tokenizer import Tokenizer
from retrieval.text.vocabulary import Vocabulary
from retrieval.unit_cache import UNITS_FILE, load_units, save_units
from retrieval.vector_cache import VECTORS_FILE, load_vectors, save_vectors

log = logging.getLogger(__name__)

DEFAULT_TOKENIZER = Tokenizer()
SNAPSHOT_FILE = "corpus.snapshot"
BUILD_WORKERS = os.cpu_count() or 1
"""Worker processes that read sources into units when a build has many to read (one per core)."""
BATCH_CHARS = 500_000
"""Characters of sources per batch a worker process reads (about 600 passages)."""
PARALLEL_BUILD_CHARS = 250_000
"""Sources holding at least this many characters still to read are read in worker processes (about 250 passages);
fewer are read in this process, faster than workers start (each imports the package and warms its own caches)."""


@dataclass(frozen=True)
class Corpus:
    """Sources, their passages (in source then paragraph order) and the index over them.

    ``refused`` lists the files that could not be loaded; ``stale`` the ids of sources served from their last good
    version because their file now fails; ``shared_ids`` the ids that come from the shared library (see
    :mod:`retrieval.library`).
    """

    sources: tuple[Source, ...]
    passages: Sequence[Passage]
    index: Bm25Index
    skipped: tuple[tuple[str, str], ...] = field(default=())
    refused: tuple[Refusal, ...] = field(default=())
    stale: frozenset[str] = field(default=frozenset())
    shared_ids: frozenset[str] = field(default=frozenset())
    dense: DenseIndex | None = None
    """Sentence vectors of the passages, or None (no encoder, or more than ``DENSE_MAX_PASSAGES`` passages)."""
    entity_aliases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """Nicknames linked to full names, both ways, as index terms (:func:`~retrieval.text.aliases.nickname_aliases`)."""
    units: tuple[SourceUnit, ...] = field(default=(), repr=False, compare=False)
    """Each source's unit (:mod:`retrieval.search.source_units`), when this process built the library; empty when it
    was loaded from a snapshot (a reload then reads them from the unit cache)."""
    units_key: str = field(default="", repr=False, compare=False)
    """The settings and code the units were made with (:func:`units_cache_key`); "" when unknown."""
    _by_id: dict[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {source.id: source for source in self.sources})

    @classmethod
    def build(
        cls,
        sources: Sequence[Source],
        *,
        tokenizer: Tokenizer = DEFAULT_TOKENIZER,
        params: Bm25Params | None = None,
        skipped: Sequence[tuple[str, str]] = (),
        refused: Sequence[Refusal] = (),
        stale: frozenset[str] = frozenset(),
        shared_ids: frozenset[str] = frozenset(),
        encoder: SentenceEncoder | Literal["default"] | None = "default",
        units: Mapping[str, SourceUnit] | None = None,
        units_key: str = "",
        workers: int = 1,
        parallel_chars: int = PARALLEL_BUILD_CHARS,
        known_vectors: Mapping[bytes, np.ndarray] | None = None,
    ) -> Corpus:
        """Split and index ``sources``; encode their sentences when an encoder is given (``"default"``: the
        process's, :func:`~retrieval.search.dense.default_encoder`) and there are at most ``DENSE_MAX_PASSAGES``
        passages. CPU-bound: run it off the event loop.

        Each source is read into a unit (:func:`~retrieval.search.source_units.analyse_source`) unless ``units``
        (by :func:`~retrieval.search.source_units.unit_key`, made with the same tokenizer) has it; with ``workers``
        > 1 and at least ``parallel_chars`` characters to read, in that many worker processes. The units are then
        merged (:func:`~retrieval.search.merge.merge_units`): the library is the same whichever units were kept."""
        sources = tuple(sources)
        params = params or Bm25Params()
        built = source_units(sources, tokenizer, units or {}, workers=workers, parallel_chars=parallel_chars)
        merged = merge_units(built, params)
        table = PassageTable(sources, merged.columns)
        if encoder == "default":
            encoder = default_encoder()
        dense = None
        if encoder is not None and 0 < len(table) <= DENSE_MAX_PASSAGES:
            dense = _dense_index(table, encoder, known_vectors)
        return cls(
            sources,
            table,
            Bm25Index.from_arrays(table, tokenizer, params, merged.arrays, merged.vocabulary),
            tuple(skipped),
            tuple(refused),
            stale,
            shared_ids,
            dense=dense,
            entity_aliases=merged.entity_aliases,
            units=tuple(built),
            units_key=units_key,
        )

    @classmethod
    def empty(cls) -> Corpus:
        return cls.build((), encoder=None)

    def source(self, source_id: str) -> Source:
        """The source with this id.

        Raises
        ------
        UnknownSource
            No source has that id.
        """
        wanted = source_id.strip().lower()  # ids are lower-case (source_id_for); a typed "ONE " still finds "one"
        found = self._by_id.get(wanted)
        if found is None:
            raise UnknownSource(source_id, [s.id for s in self.sources])
        return found

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id (``"source-id:3"``, ``"source-id:3.2"``), or None."""
        if isinstance(self.passages, PassageTable):
            return self.passages.find(passage_id)
        return next((p for p in self.passages if p.id == passage_id), None)

    def passages_of(self, source_id: str) -> list[Passage]:
        if isinstance(self.passages, PassageTable):
            return self.passages.of_source(source_id)
        return [p for p in self.passages if p.source_id == source_id]


def source_units(
    sources: Sequence[Source],
    tokenizer: Tokenizer,
    known: Mapping[str, SourceUnit],
    *,
    workers: int = 1,
    parallel_chars: int = PARALLEL_BUILD_CHARS,
) -> list[SourceUnit]:
    """The unit of each source, in order: from ``known`` when it has the source's key, else read now (in ``workers``
    processes when they have at least ``parallel_chars`` characters to read)."""
    keys = [unit_key(source) for source in sources]
    missing = {key: source for key, source in zip(keys, sources, strict=True) if key not in known}
    fresh: dict[str, SourceUnit] = {}
    if workers > 1 and len(missing) > 1 and sum(len(s.text) for s in missing.values()) >= parallel_chars:
        try:
            fresh = _analyse_in_processes(list(missing.values()), tokenizer, workers)
        except (OSError, RuntimeError, BrokenProcessPool) as error:  # no processes here (a sandbox, a frozen app)
            log.warning("Reading sources in worker processes failed (%s); reading them here", error)
    fresh = fresh or {key: analyse_source(source, tokenizer) for key, source in missing.items()}
    return [known[key] if key in known else fresh[key] for key in keys]


def _analyse_in_processes(sources: list[Source], tokenizer: Tokenizer, workers: int) -> dict[str, SourceUnit]:
    """Units of ``sources`` read by ``workers`` spawned processes, in batches of about equal text."""
    batches: list[list[Source]] = [[]]
    # Small batches: each batch's units come back pickled and are unpickled in this process, one batch at a time.
    target = min(sum(len(s.text) for s in sources) / (4 * workers), BATCH_CHARS)
    size = 0
    for source in sources:
        if size >= target:
            batches.append([])
            size = 0
        batches[-1].append(source)
        size += len(source.text)
    # "spawn": a fork of a process running an event loop and discord.py's threads is not safe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(batches)), mp_context=context, initializer=_start_worker, initargs=(tokenizer,)
    ) as pool:
        done = pool.map(_analyse_batch, batches)
        return {unit.key: unit for units in done for unit in units}


_worker_tokenizer: Tokenizer | None = None
"""A worker process's tokenizer, set once when it starts and kept for all its batches: a tokenizer passed with each
batch would arrive without its memo of known words (it pickles as its settings) and stem every word again."""


def _start_worker(tokenizer: Tokenizer) -> None:
    global _worker_tokenizer
    _worker_tokenizer = tokenizer


def _analyse_batch(sources: list[Source]) -> list[SourceUnit]:
    assert _worker_tokenizer is not None, "run in a process started by _start_worker"
    return analyse_sources(sources, _worker_tokenizer)


def _dense_index(
    passages: PassageTable, encoder: SentenceEncoder, known: Mapping[bytes, np.ndarray] | None = None
) -> DenseIndex:
    texts: list[str] = []
    owners: list[int] = []
    for position, passage in enumerate(passages):
        for start, end in passages.sentence_spans(position) or [(0, len(passage.text))]:
            texts.append(passage.text[start:end])
            owners.append(position)
    return DenseIndex(texts, np.asarray(owners), len(passages), encoder, known)


def _encoder_for(sources: Sequence[Source]) -> SentenceEncoder | None:
    """The sentence encoder a build of ``sources`` uses: none when they hold more text than ``DENSE_MAX_PASSAGES``
    passages can (they will have more passages than the dense leg takes), so a large library never loads the model
    (seconds) just to find it unused."""
    if sum(len(source.text) for source in sources) > DENSE_MAX_PASSAGES * MAX_PASSAGE_CHARS:
        dense_log.info(
            "The library is answered by its words alone: sentence vectors are kept for libraries of up to %d "
            "passages (encoding costs about 1.4 ms a token)",
            DENSE_MAX_PASSAGES,
        )
        return None
    return default_encoder()


def build_settings(tokenizer: Tokenizer, params: Bm25Params, encoder: SentenceEncoder | None) -> dict[str, object]:
    """The settings that shape a build, as recorded in a snapshot's key."""
    return {
        "dense": None if encoder is None else {"encoder": encoder.name, "max_passages": DENSE_MAX_PASSAGES},
        "bm25": asdict(params),
        "tokenizer": {
            "class": type(tokenizer).__qualname__,
            "stem": tokenizer.stem,
            "stopwords": hashlib.sha256("\n".join(sorted(tokenizer.stopwords)).encode()).hexdigest(),
        },
        "max_passage_chars": MAX_PASSAGE_CHARS,
    }


def corpus_snapshot_key(
    sources: Sequence[Source], tokenizer: Tokenizer, params: Bm25Params, encoder: SentenceEncoder | None
) -> str:
    return snapshot_key(((s.id, s.sha256) for s in sources), build_settings(tokenizer, params, encoder))


def units_cache_key(tokenizer: Tokenizer, params: Bm25Params, encoder: SentenceEncoder | None) -> str:
    """The key of a library's unit cache (:mod:`retrieval.unit_cache`): the settings and code, not the sources."""
    return snapshot_key((), build_settings(tokenizer, params, encoder) | {"cache": "source units"})


def save_snapshot(corpus: Corpus, path: Path, key: str) -> None:
    """Write ``corpus`` (all but its sources, which are read from their files) to ``path`` under ``key``.

    To keep more per-library data (aliases, titles, passage vectors), add its sections here and read them back in
    :func:`corpus_from_snapshot`; the code fingerprint in the key retires older snapshots by itself.

    Raises
    ------
    OSError
        The file cannot be written.
    """
    arrays = corpus.index.arrays
    vocabulary = corpus.index.vocabulary
    acronyms = vocabulary.acronyms
    sections: dict[str, object] = {f"passages.{name}": column for name, column in corpus.passages.columns.items()}
    sections |= {
        "index.terms": Strings(arrays.terms),
        "index.idf": arrays.idf,
        "index.row_start": arrays.row_start,
        "index.row_terms": arrays.row_terms,
        "index.row_counts": arrays.row_counts,
        "index.term_start": arrays.term_start,
        "index.postings": arrays.postings,
        "index.weights": arrays.weights,
        "vocabulary.words": Strings(vocabulary.terms_of_word),
        "vocabulary.word_terms": Strings(vocabulary.terms_of_word.values()),
        "vocabulary.acronyms": Strings(acronyms),
        "vocabulary.acronym_terms": Strings("\x01".join(terms) for terms in acronyms.values()),
    }
    positions, starts, ends = corpus.passages.known_sentence_spans()
    sections |= {"sentences.positions": positions, "sentences.starts": starts, "sentences.ends": ends}
    sections["entity_aliases"] = [[list(k), list(v)] for k, v in corpus.entity_aliases.items()]
    if corpus.dense is not None:
        sections["dense.vectors"] = corpus.dense.vectors
        sections["dense.sentence_passage"] = corpus.dense.sentence_passage
    write_snapshot(path, key, sections)


def corpus_from_snapshot(
    path: Path,
    key: str,
    sources: Sequence[Source],
    *,
    tokenizer: Tokenizer,
    params: Bm25Params,
    skipped: Sequence[tuple[str, str]] = (),
    refused: Sequence[Refusal] = (),
    stale: frozenset[str] = frozenset(),
    shared_ids: frozenset[str] = frozenset(),
    encoder: SentenceEncoder | None = None,
) -> Corpus:
    """The corpus saved at ``path`` by :func:`save_snapshot`, for ``sources``.

    Raises
    ------
    SnapshotUnusable
        The file is missing, truncated, corrupt, stale (``key`` differs) or does not fit ``sources``.
    """
    sections = read_snapshot(path, key)
    try:
        table = PassageTable(sources, {name: sections[f"passages.{name}"] for name in COLUMNS})
        arrays = IndexArrays(
            terms=sections["index.terms"],
            idf=sections["index.idf"],
            row_start=sections["index.row_start"],
            row_terms=sections["index.row_terms"],
            row_counts=sections["index.row_counts"],
            term_start=sections["index.term_start"],
            postings=sections["index.postings"],
            weights=sections["index.weights"],
        )
        _check(table, arrays, len(sources))
        vocabulary = _vocabulary(
            sections["vocabulary.words"],
            sections["vocabulary.word_terms"],
            sections["vocabulary.acronyms"],
            sections["vocabulary.acronym_terms"],
        )
        table.add_sentence_spans(
            sections["sentences.positions"], sections["sentences.starts"], sections["sentences.ends"]
        )
        dense = None
        if "dense.vectors" in sections:
            if encoder is None:
                raise ValueError("dense vectors but no encoder")
            dense = DenseIndex.__new__(DenseIndex)  # the vectors are there: no encoding again
            dense.encoder = encoder
            dense.vectors = sections["dense.vectors"]
            dense.sentence_passage = sections["dense.sentence_passage"]
            dense.passage_count = len(table)
        aliases = {tuple(k): tuple(v) for k, v in sections["entity_aliases"]}
    except (KeyError, ValueError, IndexError) as error:
        raise SnapshotUnusable(path, f"does not fit these sources ({error})") from None
    index = Bm25Index.from_arrays(table, tokenizer, params, arrays, vocabulary)
    return Corpus(
        tuple(sources),
        table,
        index,
        tuple(skipped),
        tuple(refused),
        stale,
        shared_ids,
        dense=dense,
        entity_aliases=aliases,
    )


def _check(table: PassageTable, arrays: IndexArrays, source_count: int) -> None:
    """Cheap consistency checks of arrays that passed the checksum: shapes and bounds agree."""
    n, terms = len(table), len(arrays.terms)
    if len(arrays.row_start) != n + 1 or len(arrays.term_start) != terms + 1 or len(arrays.idf) != terms:
        raise ValueError("array lengths disagree")
    if n and (table.columns["source"].max() >= source_count or table.columns["source"].min() < 0):
        raise ValueError("a passage of a source that is not there")
    if len(arrays.postings) != len(arrays.weights) or len(arrays.row_terms) != len(arrays.row_counts):
        raise ValueError("array lengths disagree")


def _vocabulary(words: list[str], word_terms: list[str], acronyms: list[str], acronym_terms: list[str]) -> Vocabulary:
    """A :class:`Vocabulary` with the state :func:`save_snapshot` saved (built by comprehensions, which let another
    thread run between items, rather than one long ``dict(zip(...))``)."""
    if len(words) != len(word_terms) or len(acronyms) != len(acronym_terms):
        raise ValueError("vocabulary lengths disagree")
    vocabulary = Vocabulary(())
    vocabulary.terms_of_word = {word: term for word, term in zip(words, word_terms, strict=True)}
    vocabulary.acronyms = {
        letters: tuple(terms.split("\x01")) if terms else ()
        for letters, terms in zip(acronyms, acronym_terms, strict=True)
    }
    by_first_letter: dict[str, list[str]] = {}
    for word in words:
        by_first_letter.setdefault(word[:1], []).append(word)
    vocabulary._by_first_letter = by_first_letter
    vocabulary._longest = max(map(len, words), default=0)  # bounds compound splits (Vocabulary.resolve)
    return vocabulary


def load_corpus(
    folder: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    params: Bm25Params | None = None,
    snapshot_dir: Path | str | None = None,
    use_snapshot: bool = True,
) -> Corpus:
    """Load every source in ``folder`` and index it, or load the snapshot of that same build; files that fail are in
    ``Corpus.refused``. Raises what :func:`~retrieval.sources.load_sources` raises (a missing folder).

    Parameters
    ----------
    snapshot_dir
        Where the snapshot lives (default: :func:`snapshot_path`, beside ``folder``).
    use_snapshot
        False: build, and neither read nor write a snapshot (nor the sources cache beside it,
        :mod:`retrieval.source_cache`, which spares reading files unchanged since they were last loaded).
    """
    if not use_snapshot:
        result = load_sources(folder, max_bytes=max_bytes)
        return built_or_loaded(result.sources, None, params=params, skipped=result.skipped, refused=result.refused)
    path = snapshot_path(folder, snapshot_dir)
    known = load_sources_cache(path.parent / SOURCES_FILE)
    result = load_sources(folder, max_bytes=max_bytes, known=known.own)
    corpus = built_or_loaded(result.sources, path, params=params, skipped=result.skipped, refused=result.refused)
    save_if_changed(corpus.sources, (), known, path.parent / SOURCES_FILE)
    return corpus


def built_or_loaded(
    sources: Sequence[Source],
    snapshot: Path | None,
    *,
    params: Bm25Params | None = None,
    skipped: Sequence[tuple[str, str]] = (),
    refused: Sequence[Refusal] = (),
    stale: frozenset[str] = frozenset(),
    shared_ids: frozenset[str] = frozenset(),
    previous: Corpus | None = None,
    parallel_chars: int | None = None,
    pending_save: list[Callable[[], None]] | None = None,
) -> Corpus:
    """The corpus of ``sources``: from the snapshot file ``snapshot`` when it is of these sources, settings and code,
    else built (:meth:`Corpus.build`) and saved there. ``snapshot`` None: built, nothing read or written.

    A snapshot that is missing, stale or damaged is rebuilt and rewritten; a folder that cannot be written is
    logged, not raised (the library is still served, built). A rebuild reads again only the sources whose units
    are neither in ``previous`` (the library served until now) nor in the unit cache beside the snapshot
    (:mod:`retrieval.unit_cache`), in worker processes when they hold at least ``parallel_chars`` characters
    (default :data:`PARALLEL_BUILD_CHARS`), and saves the units with the snapshot; with ``pending_save`` given,
    the saving is appended to it instead, for the caller to run once the library serves: two callables, the
    snapshot's save then the unit cache's (each logs, never raises, an ``OSError``).
    """
    params = params or Bm25Params()
    encoder = _encoder_for(sources)
    extra = {"skipped": skipped, "refused": refused, "stale": stale, "shared_ids": shared_ids}
    building = {"encoder": encoder, "workers": BUILD_WORKERS}
    if parallel_chars is not None:
        building["parallel_chars"] = parallel_chars
    if snapshot is None:
        return Corpus.build(sources, params=params, **building, **extra)
    key = corpus_snapshot_key(sources, DEFAULT_TOKENIZER, params, encoder)
    try:
        return corpus_from_snapshot(
            snapshot, key, sources, tokenizer=DEFAULT_TOKENIZER, params=params, encoder=encoder, **extra
        )
    except SnapshotUnusable as why:
        log.debug("Building the library: snapshot unusable (%s)", why.reason)
    units_key = units_cache_key(DEFAULT_TOKENIZER, params, encoder)
    units_file = snapshot.parent / UNITS_FILE
    if previous is not None and previous.units and previous.units_key == units_key:
        known = {unit.key: unit for unit in previous.units}
    else:
        known = load_units(units_file, units_key)
    vectors_file = snapshot.parent / VECTORS_FILE
    if encoder is not None:
        building["known_vectors"] = load_vectors(vectors_file, encoder.name)
    corpus = Corpus.build(sources, params=params, units=known, units_key=units_key, **building, **extra)
    if previous is not None and isinstance(corpus.passages, PassageTable):
        _carry_sentence_spans(previous, corpus)

    def save_corpus() -> None:
        try:
            save_snapshot(corpus, snapshot, key)
        except OSError as error:
            log.warning("Could not save the library's snapshot to %s: %s", snapshot, error.strerror or error)

    def save_cache() -> None:
        try:
            save_units(corpus.units, units_file, units_key)
        except OSError as error:
            log.warning("Could not save the source units to %s: %s", units_file, error.strerror or error)
        dense = corpus.dense
        if dense is not None and getattr(dense, "keys", None) is not None:
            try:
                save_vectors(dict(zip(dense.keys, dense.vectors, strict=True)), vectors_file, dense.encoder.name)
            except OSError as error:
                log.warning("Could not save the sentence vectors to %s: %s", vectors_file, error.strerror or error)

    if pending_save is None:
        save_corpus()
        save_cache()
    else:
        pending_save += [save_corpus, save_cache]
    return corpus


def _carry_sentence_spans(previous: Corpus, corpus: Corpus) -> None:
    """Give ``corpus`` the sentence spans ``previous`` found for the passages of sources both hold unchanged (the
    same passages): pysbd need not find them again."""
    if previous.units_key != corpus.units_key or not isinstance(previous.passages, PassageTable):
        return
    positions, starts, ends = previous.passages.known_sentence_spans()
    if not len(positions):
        return
    old_hash = {s.id: s.sha256 for s in previous.sources}
    shift = np.zeros(len(previous.passages), dtype=np.int64)
    same = np.zeros(len(previous.passages), dtype=bool)
    for source in corpus.sources:
        if old_hash.get(source.id) == source.sha256 and source.sha256:
            old, new = previous.passages.range_of(source.id), corpus.passages.range_of(source.id)
            if len(old) == len(new):
                shift[old.start : old.stop] = new.start - old.start
                same[old.start : old.stop] = True
    kept = same[positions]
    corpus.passages.add_sentence_spans(positions[kept] + shift[positions[kept]], starts[kept], ends[kept])


def snapshot_path(folder: Path | str, snapshot_dir: Path | str | None = None) -> Path:
    """Where :func:`load_corpus` keeps the snapshot of ``folder``: ``snapshot_dir/corpus.snapshot`` when given, else
    ``.qabot-cache/NAME/corpus.snapshot`` beside the folder ``NAME`` (git-ignored)."""
    if snapshot_dir is not None:
        return Path(snapshot_dir) / SNAPSHOT_FILE
    folder = Path(folder).absolute()
    # Beside the folder, not in it: whatever lists or moves a library's files (moderators, /source) sees sources only.
    return folder.parent / SNAPSHOT_FOLDER / (folder.name or "root") / SNAPSHOT_FILE


@dataclass(frozen=True)
class CorpusChange:
    """What a reload changed: source ids added, changed (different bytes or metadata) and removed."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def compare(old: Corpus, new: Corpus) -> CorpusChange:
    """Source-level difference from ``old`` to ``new``, by id and SHA-256."""
    before = {s.id: s.sha256 for s in old.sources}
    after = {s.id: s.sha256 for s in new.sources}
    return CorpusChange(
        added=tuple(i for i in after if i not in before),
        changed=tuple(i for i in after if i in before and before[i] != after[i]),
        removed=tuple(i for i in before if i not in after),
    )
