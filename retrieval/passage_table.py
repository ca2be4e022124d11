"""Passages stored compactly: each source's text once, every passage's offsets and numbers in NumPy arrays.

A library of 100,000 passages held as 100,000 pydantic :class:`~retrieval.models.Passage` objects, each with its own
copy of its text, costs about 1.5 KB per passage before any index. :class:`PassageTable` keeps one ``int32`` or
``int64`` per field per passage (29 bytes) and makes the :class:`Passage` when one is asked for, its text sliced from
its source's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np

from retrieval.models import Passage, Source
from retrieval.sources.sentences import sentence_spans

_KINDS = ("body", "caption")


class PassageTable(Sequence[Passage]):
    """The passages of ``sources``, in source then paragraph order, as a read-only sequence of :class:`Passage`.

    Parameters
    ----------
    sources
        The sources, in order.
    columns
        ``source`` (index into ``sources``), ``paragraph``, ``part`` (0 when the paragraph is whole), ``start``,
        ``end`` (code-point offsets into the source's text) and ``caption`` (1 for a caption passage): one entry per
        passage, equal lengths, passages of one source contiguous and in the sources' order.
    """

    __slots__ = ("_columns", "_first", "_sentences", "_source_index", "sources")

    def __init__(self, sources: Sequence[Source], columns: dict[str, np.ndarray]) -> None:
        self.sources = tuple(sources)
        self._columns = {name: np.ascontiguousarray(columns[name]) for name in COLUMNS}
        counts = np.bincount(self._columns["source"], minlength=len(self.sources)) if len(self) else None
        self._first = np.zeros(len(self.sources) + 1, dtype=np.int64)
        if counts is not None:
            np.cumsum(counts, out=self._first[1:])
        self._source_index = {source.id: i for i, source in enumerate(self.sources)}
        self._sentences: dict[int, tuple[tuple[int, int], ...]] = {}

    @classmethod
    def from_passages(cls, sources: Sequence[Source], passages: Sequence[Passage]) -> PassageTable:
        """The table of ``passages`` (each of one of ``sources``, in their order)."""
        position = {source.id: i for i, source in enumerate(sources)}
        columns = {
            "source": np.fromiter((position[p.source_id] for p in passages), np.int32, len(passages)),
            "paragraph": np.fromiter((p.paragraph for p in passages), np.int32, len(passages)),
            "part": np.fromiter((p.part or 0 for p in passages), np.int32, len(passages)),
            "start": np.fromiter((p.start for p in passages), np.int64, len(passages)),
            "end": np.fromiter((p.end for p in passages), np.int64, len(passages)),
            "caption": np.fromiter((p.kind == "caption" for p in passages), np.int8, len(passages)),
        }
        return cls(sources, columns)

    @property
    def columns(self) -> dict[str, np.ndarray]:
        """The arrays behind the table (read them, don't change them); what a snapshot stores."""
        return dict(self._columns)

    def __len__(self) -> int:
        return len(self._columns["start"])

    @overload
    def __getitem__(self, position: int) -> Passage: ...
    @overload
    def __getitem__(self, position: slice) -> list[Passage]: ...
    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(f"passage position {position} out of range (0..{len(self) - 1})")
        c = self._columns
        source = self.sources[c["source"][position]]
        start, end, part = int(c["start"][position]), int(c["end"][position]), int(c["part"][position])
        paragraph = int(c["paragraph"][position])
        return Passage.model_construct(
            id=f"{source.id}:{paragraph}" + (f".{part}" if part else ""),
            source_id=source.id,
            paragraph=paragraph,
            part=part or None,
            start=start,
            end=end,
            text=source.text[start:end],
            kind=_KINDS[c["caption"][position]],
        )

    def text_of(self, position: int) -> str:
        """The text of the passage at ``position`` (0 <= position < len(self)), without making its :class:`Passage`."""
        c = self._columns
        return self.sources[c["source"][position]].text[int(c["start"][position]) : int(c["end"][position])]

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PassageTable({len(self)} passages of {len(self.sources)} sources)"

    def range_of(self, source_id: str) -> range:
        """Positions of the passages of the source with this id (empty for an unknown id)."""
        i = self._source_index.get(source_id)
        return range(0) if i is None else range(int(self._first[i]), int(self._first[i + 1]))

    def of_source(self, source_id: str) -> list[Passage]:
        """The passages of one source, in paragraph order (empty for an unknown id)."""
        return [self[i] for i in self.range_of(source_id)]

    def known_sentence_spans(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The sentence spans found so far, flat: (passage position, start, end) of each sentence, int64 arrays."""
        rows = [(p, a, b) for p, spans in sorted(self._sentences.items()) for a, b in spans]
        table = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
        return table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy()

    def add_sentence_spans(self, positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        """Keep sentence spans found before (as :meth:`known_sentence_spans` gives them).

        Raises
        ------
        ValueError
            The arrays differ in length or name a passage this table does not have.
        """
        if not (len(positions) == len(starts) == len(ends)) or (len(positions) and positions.max() >= len(self)):
            raise ValueError("sentence spans do not fit the passages")
        found: dict[int, list[tuple[int, int]]] = {}
        for p, a, b in zip(positions.tolist(), starts.tolist(), ends.tolist(), strict=True):
            found.setdefault(p, []).append((a, b))
        self._sentences.update((p, tuple(spans)) for p, spans in found.items())

    def find(self, passage_id: str) -> Passage | None:
        """The passage with this id (``"source:3"`` or ``"source:3.2"``), or None; without building the others."""
        source_id, _, number = passage_id.rpartition(":")
        paragraph, _, part = number.partition(".")
        if not (paragraph.isdecimal() and (not part or part.isdecimal())):
            return None
        span = self.range_of(source_id)
        c = self._columns
        paragraphs = c["paragraph"][span.start : span.stop]
        parts = c["part"][span.start : span.stop]
        hits = np.flatnonzero((paragraphs == int(paragraph)) & (parts == (int(part) if part else 0)))
        return self[span.start + int(hits[0])] if len(hits) else None

    def position_of(self, passage: Passage) -> int:
        """Position of ``passage`` in this table, found by its source and start offset (unique within a source).

        Raises
        ------
        KeyError
            ``passage`` is not one of this table's passages.
        """
        span = self.range_of(passage.source_id)
        starts = self._columns["start"][span.start : span.stop]
        offset = int(np.searchsorted(starts, passage.start))
        if offset == len(starts) or starts[offset] != passage.start:
            raise KeyError(passage.id)
        return span.start + offset

    def sentence_spans(self, position: int) -> tuple[tuple[int, int], ...]:
        """(start, end) of each sentence of the passage at ``position``, offsets into its text (see
        :func:`~retrieval.sources.sentence_spans`). Found once per passage and kept: pysbd takes about 1.5 ms per
        paragraph, so finding them for every passage at build time would triple a cold build."""
        spans = self._sentences.get(position)
        if spans is None:
            spans = self._sentences[position] = tuple(sentence_spans(self[position].text))
        return spans


COLUMNS = ("source", "paragraph", "part", "start", "end", "caption")
