"""A corpus: the loaded sources, their passages and the BM25 index, built together and never changed afterwards.

Reloading builds a new :class:`Corpus` and swaps it in whole, so a reader never sees a half-built one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from retrieval.errors import UnknownSource
from retrieval.models import Passage, Source
from retrieval.search.dense import DENSE_MAX_PASSAGES, DenseIndex, SentenceEncoder, default_encoder
from retrieval.search.index import Bm25Index, Bm25Params
from retrieval.sources.loading import DEFAULT_MAX_BYTES, Refusal, load_sources
from retrieval.sources.sentences import sentence_spans
from retrieval.sources.splitting import split_passages
from retrieval.text.aliases import nickname_aliases
from retrieval.text.tokenizer import Tokenizer

DEFAULT_TOKENIZER = Tokenizer()


@dataclass(frozen=True)
class Corpus:
    """Sources, their passages (in source then paragraph order) and the index over them.

    ``refused`` lists the files that could not be loaded; ``stale`` the ids of sources served from their last good
    version because their file now fails; ``shared_ids`` the ids that come from the shared library (see
    :mod:`retrieval.library`).
    """

    sources: tuple[Source, ...]
    passages: tuple[Passage, ...]
    index: Bm25Index
    skipped: tuple[tuple[str, str], ...] = field(default=())
    refused: tuple[Refusal, ...] = field(default=())
    stale: frozenset[str] = field(default=frozenset())
    shared_ids: frozenset[str] = field(default=frozenset())
    dense: DenseIndex | None = None
    """Sentence vectors of the passages, or None (no encoder, or more than ``DENSE_MAX_PASSAGES`` passages)."""
    entity_aliases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """Nicknames linked to full names, both ways, as index terms (:func:`~retrieval.text.aliases.nickname_aliases`)."""

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
    ) -> Corpus:
        """Split and index ``sources``; encode their sentences when an encoder is given (``"default"``: the
        process's, :func:`~retrieval.search.dense.default_encoder`) and there are at most ``DENSE_MAX_PASSAGES``
        passages. CPU-bound: run it off the event loop."""
        passages = tuple(p for source in sources for p in split_passages(source))
        index = Bm25Index(passages, tokenizer, params)
        if encoder == "default":
            encoder = default_encoder()
        dense = None
        if encoder is not None and 0 < len(passages) <= DENSE_MAX_PASSAGES:
            dense = _dense_index(passages, encoder)
        aliases = nickname_aliases([p.text for p in passages], tokenizer)
        return cls(
            tuple(sources),
            passages,
            index,
            tuple(skipped),
            tuple(refused),
            stale,
            shared_ids,
            dense=dense,
            entity_aliases=aliases,
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
        for source in self.sources:
            if source.id == wanted:
                return source
        raise UnknownSource(source_id, [s.id for s in self.sources])

    def passages_of(self, source_id: str) -> list[Passage]:
        return [p for p in self.passages if p.source_id == source_id]


def _dense_index(passages: Sequence[Passage], encoder: SentenceEncoder) -> DenseIndex:
    texts: list[str] = []
    owners: list[int] = []
    for position, passage in enumerate(passages):
        for start, end in sentence_spans(passage.text) or [(0, len(passage.text))]:
            texts.append(passage.text[start:end])
            owners.append(position)
    return DenseIndex(texts, np.asarray(owners), len(passages), encoder)


def load_corpus(folder: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES, params: Bm25Params | None = None) -> Corpus:
    """Load every source in ``folder`` and index it; files that fail are in ``Corpus.refused``. Raises what
    :func:`~retrieval.sources.load_sources` raises (a missing folder)."""
    result = load_sources(folder, max_bytes=max_bytes)
    return Corpus.build(result.sources, params=params, skipped=result.skipped, refused=result.refused)


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
