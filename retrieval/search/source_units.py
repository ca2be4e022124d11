"""What a library's index needs of one source, worked out from that source alone: its :class:`SourceUnit`.

Splitting a source into passages, tokenizing them and reading their tokens is nearly all of a build's time (pysbd,
the tokenizer, the vocabulary and alias passes). None of it depends on the other sources, so each source is read
once into a unit, and a library is a merge of units (:mod:`retrieval.search.merge`, NumPy and one pass over small
per-source tables). A reload reads again only the sources whose bytes changed and merges the kept units of the rest;
a cold build can read sources in several processes. A unit holds no object per word: strings are NUL-joined, counts
and offsets are NumPy arrays, so keeping a library's units costs about as much as its index.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.models import Source
from retrieval.sources.splitting import split_passages
from retrieval.text.aliases import TITLE_WORDS, NicknameMention, _definitions, appositive_names, nickname_mentions
from retrieval.text.tokenizer import Tokenizer, fold
from retrieval.text.vocabulary import Vocabulary

SEPARATOR = "\x00"
"""Joins a unit's strings (terms, words): none of them holds a NUL."""
TERM_SEPARATOR = "\x01"


@dataclass(frozen=True, eq=False)
class SourceUnit:
    """One source's passages and the per-source inputs of the index, vocabulary and aliases.

    ``key`` names what the unit was made from (:func:`unit_key`). Passage ``p`` (0-based within the source) spans
    ``start[p]:end[p]`` of the source's text; its terms are ``row_terms[row_start[p]:row_start[p + 1]]`` (ids into
    ``terms``, first-occurrence order, before title aliases) with ``row_counts``. ``words[i]`` (each surface word with
    a term, first-seen order) first had term ``word_terms[i]``; ``pair_words``/``pair_terms`` list the further (word,
    term) pairs of a word seen with more than one term. ``acronyms`` (first-seen order) spell ``acronym_terms``
    (each ``TERM_SEPARATOR``-joined). ``titles``: distinct (title words, name terms) definitions in order;
    ``mentions``: (passage, words from the first "the" on, space-joined; capitalisation flags) of passages that
    may mention a bare title; ``nicknames`` and ``appositives``: :func:`~retrieval.text.aliases.nickname_mentions`
    of every passage in order and the union of their :func:`~retrieval.text.aliases.appositive_names`.
    """

    key: str
    paragraph: np.ndarray
    part: np.ndarray
    start: np.ndarray
    end: np.ndarray
    caption: np.ndarray
    terms: str
    row_start: np.ndarray
    row_terms: np.ndarray
    row_counts: np.ndarray
    words: str
    word_terms: np.ndarray
    pair_words: np.ndarray
    pair_terms: np.ndarray
    token_count: int
    acronyms: str
    acronym_terms: str
    titles: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    mentions: tuple[tuple[int, str, bytes], ...]
    nicknames: tuple[NicknameMention, ...]
    appositives: dict[str, frozenset[tuple[str, ...]]]

    def __len__(self) -> int:
        """Passages."""
        return len(self.row_start) - 1

    def term_list(self) -> list[str]:
        return _split(self.terms)

    def word_list(self) -> list[str]:
        return _split(self.words)


def _split(joined: str) -> list[str]:
    return joined.split(SEPARATOR) if joined else []


def count_joined(joined: str) -> int:
    """How many strings ``joined`` (SEPARATOR-joined) holds, without splitting it."""
    return joined.count(SEPARATOR) + 1 if joined else 0


def check_unit(unit: SourceUnit) -> None:
    """Raise ValueError when the unit's arrays disagree with each other (a damaged cache entry)."""
    n = len(unit)
    sizes = {len(getattr(unit, c)) for c in ("paragraph", "part", "start", "end", "caption")}
    if sizes != {n} and not (sizes == {0} and not unit.key):  # only read_passages' keyless units have no columns
        raise ValueError("passage columns disagree")
    terms = count_joined(unit.terms)
    if unit.row_start[-1] != len(unit.row_terms) or len(unit.row_terms) != len(unit.row_counts):
        raise ValueError("rows disagree")
    if len(unit.row_terms) and (unit.row_terms.max() >= terms or unit.row_terms.min() < 0):
        raise ValueError("a term that is not there")
    words = count_joined(unit.words)
    if len(unit.word_terms) != words or (len(unit.word_terms) and unit.word_terms.max() >= terms):
        raise ValueError("words disagree")
    if len(unit.pair_words) != len(unit.pair_terms) or (
        len(unit.pair_words) and (unit.pair_words.max() >= words or unit.pair_terms.max() >= terms)
    ):
        raise ValueError("word pairs disagree")
    if any(not 0 <= position < n for position, _, _ in unit.mentions):
        raise ValueError("a mention in a passage that is not there")


def unit_key(source: Source) -> str:
    """What a unit of ``source`` depends on besides the settings and code (which key the whole unit cache): the
    source's SHA-256 (file bytes and sidecar) and how its text was read (format, body start, caption)."""
    suffix = source.file_name.rpartition(".")[2].lower()
    document = f"{source.sha256}|{suffix}|{source.body_start}|{source.has_caption}|{len(source.text)}"
    return hashlib.sha256(document.encode("utf-8", "surrogateescape")).hexdigest()


def analyse_source(source: Source, tokenizer: Tokenizer) -> SourceUnit:
    """Split ``source`` into passages (:func:`~retrieval.sources.splitting.split_passages`) and read each passage's
    tokens once into a :class:`SourceUnit`. CPU-bound, pure: the same source and tokenizer give the same unit."""
    passages = split_passages(source)
    return read_passages(
        [p.text for p in passages],
        tokenizer,
        key=unit_key(source),
        paragraph=np.fromiter((p.paragraph for p in passages), np.int32, len(passages)),
        part=np.fromiter((p.part or 0 for p in passages), np.int32, len(passages)),
        start=np.fromiter((p.start for p in passages), np.int64, len(passages)),
        end=np.fromiter((p.end for p in passages), np.int64, len(passages)),
        caption=np.fromiter((p.kind == "caption" for p in passages), np.int8, len(passages)),
    )


def read_passages(texts: Sequence[str], tokenizer: Tokenizer, **columns: object) -> SourceUnit:
    """A :class:`SourceUnit` of passages with these ``texts`` (each tokenized once, its tokens dropped after);
    ``columns`` gives the key and the passage columns (empty when not given)."""
    term_id: dict[str, int] = {}
    row_start = [0]
    row_terms: list[int] = []
    row_counts: list[int] = []
    word_term: dict[str, int] = {}
    extra_pairs: dict[tuple[str, int], None] = {}
    acronyms = Vocabulary(())
    titles: dict[tuple[tuple[str, ...], tuple[str, ...]], None] = {}
    mentions: list[tuple[int, str, bytes]] = []
    nicknames: list[NicknameMention] = []
    appositives: dict[str, set[tuple[str, ...]]] = {}
    token_count = 0
    for position, text in enumerate(texts):
        folded = fold(text)
        tokens = tokenizer.folded_tokens(folded)
        token_count += len(tokens)
        counts = Counter(t.term for t in tokens if t.term)
        for term, count in counts.items():
            i = term_id.get(term)
            if i is None:
                i = term_id[term] = len(term_id)
            row_terms.append(i)
            row_counts.append(count)
        row_start.append(len(row_terms))
        for token in tokens:
            if token.term:
                i = term_id[token.term]
                if word_term.setdefault(token.word, i) != i:
                    extra_pairs[(token.word, i)] = None
        acronyms._add_acronyms(tokens)
        words = [t.word for t in tokens]
        if not TITLE_WORDS.isdisjoint(words):  # a definition's run of capitalised words holds a title word
            titles.update(dict.fromkeys(_definitions(tokens)))
        if "the" in words and not TITLE_WORDS.isdisjoint(words[words.index("the") + 1 :]):
            first_the = words.index("the")
            capitalized = bytes(t.capitalized for t in tokens[first_the:])
            mentions.append((position, " ".join(words[first_the:]), capitalized))
        nicknames += nickname_mentions(folded, tokenizer)
        for head, names in appositive_names(folded, tokenizer).items():
            appositives.setdefault(head, set()).update(names)
    word_index = {word: i for i, word in enumerate(word_term)}
    empty = {
        "key": "",
        "paragraph": np.zeros(0, np.int32),
        "part": np.zeros(0, np.int32),
        "start": np.zeros(0, np.int64),
        "end": np.zeros(0, np.int64),
        "caption": np.zeros(0, np.int8),
    }
    return SourceUnit(
        **(empty | columns),  # type: ignore[arg-type]
        terms=SEPARATOR.join(term_id),
        row_start=np.asarray(row_start, dtype=np.int32),
        row_terms=np.asarray(row_terms, dtype=np.int32),
        row_counts=np.asarray(row_counts, dtype=np.int32),
        words=SEPARATOR.join(word_term),
        word_terms=np.fromiter(word_term.values(), np.int32, len(word_term)),
        pair_words=np.fromiter((word_index[w] for w, _ in extra_pairs), np.int32, len(extra_pairs)),
        pair_terms=np.fromiter((t for _, t in extra_pairs), np.int32, len(extra_pairs)),
        token_count=token_count,
        acronyms=SEPARATOR.join(acronyms.acronyms),
        acronym_terms=SEPARATOR.join(TERM_SEPARATOR.join(terms) for terms in acronyms.acronyms.values()),
        titles=tuple(titles),
        mentions=tuple(mentions),
        nicknames=tuple(nicknames),
        appositives={head: frozenset(names) for head, names in appositives.items()},
    )


def analyse_sources(sources: list[Source], tokenizer: Tokenizer) -> list[SourceUnit]:
    """:func:`analyse_source` of each source, in order (what a worker process of a parallel build runs)."""
    return [analyse_source(source, tokenizer) for source in sources]
