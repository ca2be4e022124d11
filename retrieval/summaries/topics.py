"""Topic summaries: what every source in the library says about a topic, in sentences quoted verbatim.

Method
------
1. **Topic terms.** The topic goes through the index's own tokenizer (the answer pipeline's stems and stopwords), so
   "the raids" looks for ``raid``. A topic of stopwords only is refused (:class:`EmptyTopic`).
2. **Passages.** BM25 (:meth:`~retrieval.search.index.Bm25Index.search`) finds the passages holding a topic term,
   in every source; the :data:`MAX_TOPIC_PASSAGES` best go on.
3. **Sentences that speak of the topic.** The candidate sentences of those passages (as single-source summaries take
   them: captions, credit lines and page furniture left out) are kept when they hold enough of the topic: the
   IDF-weighted share of its terms they contain, its *coverage*, is over :data:`MIN_TOPIC_COVERAGE`. A term no
   source holds weighs as much as the rarest possible term, so "the raid in Paris" is not covered by sentences about
   a raid elsewhere. Every sentence returned therefore names the topic (or its weightiest part) in so many words.
4. **Ranking.** ``coverage * (1 + centrality) / 2 * length factor * voice factor``, where centrality is the degree
   centrality of the sentence among the kept sentences of all sources (normalised to [0, 1]): what the sources agree
   on about the topic, as in topic-biased LexRank (Otterbacher, Erkan & Radev, 2005). Length and voice factors are
   those of single-source summaries (:mod:`retrieval.summaries.scoring`).
5. **Selection.** Score times novelty (:func:`~retrieval.summaries.scoring.select_novel`), so no two chosen
   sentences are near-duplicates, even from two sources carrying the same wire copy.
6. **Order.** By source date when known (oldest first, :func:`~retrieval.summaries.recency.published_date`), then the
   undated sources in library order, then position in the source.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from retrieval.corpus import Corpus
from retrieval.errors import RetrievalError
from retrieval.models import Passage, SummarySentence, TopicSummary
from retrieval.summaries.recency import oldest_first_key
from retrieval.summaries.scoring import VOICE_FACTOR, degree_centrality, in_own_voice, length_factor, select_novel
from retrieval.summaries.summarizing import DEFAULT_SENTENCES, candidate_sentences, is_credit_line, is_page_furniture
from retrieval.text.tokenizer import Token

MIN_TOPIC_COVERAGE = 0.6
"""A sentence speaks of the topic when it holds more than this IDF-weighted share of the topic's terms: for a
one-word topic the word itself; of two words, both, unless one weighs over 1.5 times the other, when it alone is
enough (in "Trump call" on a library about Trump, "call"). Set by that rule, not measured."""
MAX_TOPIC_PASSAGES = 300
"""Only the passages BM25 ranks highest for the topic, up to this many, are split into sentences: a topic word that
is everywhere ("said") would otherwise send the whole library through the sentence splitter. 300 passages are
about 40 articles' worth of paragraphs that mention the topic."""
MAX_TOPIC_CHARS = 200
"""Topics longer than this are refused: a topic names a subject, it is not a document."""


class EmptyTopic(RetrievalError):
    """The topic holds no word to look for (blank, or only stopwords such as "the")."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        super().__init__(
            f"the topic {topic.strip()!r} has no word to look for (only words like 'the' or 'of'); "
            'name a subject, e.g. "the raid"'
            if topic.strip()
            else 'the topic is empty; name a subject, e.g. "the raid"'
        )


class TopicTooLong(RetrievalError):
    """The topic is over :data:`MAX_TOPIC_CHARS` characters."""

    def __init__(self, length: int) -> None:
        self.length = length
        super().__init__(f"the topic is {length} characters long; name a subject in at most {MAX_TOPIC_CHARS}")


def summarize_topic(
    topic: str, corpus: Corpus, sentences: int = DEFAULT_SENTENCES, *, source_id: str | None = None
) -> TopicSummary:
    """Summarize what the sources in ``corpus`` say about ``topic`` (method: module docstring).

    Parameters
    ----------
    topic
        A subject in a few words ("the raid", "Sheinbaum's call").
    corpus
        The library: its sources, passages and BM25 index.
    sentences
        At most this many sentences (>= 1), from any number of sources.
    source_id
        Only this source, when given (what one article says about the topic).

    Returns
    -------
    TopicSummary
        Sentences verbatim (``text == source.text[start:end]`` of the source ``source_id`` names), each with its
        1-based paragraph, ordered by source date when known, then library order, then position; no two
        near-duplicates. Empty, with ``not_covered_reason`` set, when no sentence speaks of the topic.

    Raises
    ------
    EmptyTopic
        The topic has no word to look for.
    TopicTooLong
        Over :data:`MAX_TOPIC_CHARS` characters.
    UnknownSource
        ``source_id`` names no loaded source.
    ValueError
        ``sentences`` < 1.
    """
    if sentences < 1:
        raise ValueError(f"sentences must be at least 1, got {sentences}; ask for 1 or more sentences")
    if len(topic) > MAX_TOPIC_CHARS:
        raise TopicTooLong(len(topic))
    only = corpus.source(source_id).id if source_id is not None else None
    index = corpus.index
    tokens = [t for t in index.tokenizer.tokens(topic) if t.term]
    terms = list(dict.fromkeys(t.term for t in tokens))
    if not terms:
        raise EmptyTopic(topic)
    weights = {term: index.idf(term) if index.document_frequency(term) else index.idf_ceiling() for term in terms}
    total_weight = sum(weights.values()) or 1.0
    known = [term for term in terms if index.document_frequency(term)]
    hits = index.search(known, k=len(index)) if known else []

    relevant = [h.passage for h in hits if h.passage.kind == "body" and only in (None, h.passage.source_id)]
    by_source: dict[str, list[Passage]] = defaultdict(list)
    for passage in relevant[:MAX_TOPIC_PASSAGES]:
        by_source[passage.source_id].append(passage)
    sources = {source.id: source for source in corpus.sources}
    kept: list[tuple[SummarySentence, Counter[str], float]] = []
    for owner, passages in by_source.items():
        for sentence in candidate_sentences(sources[owner], passages):
            if is_credit_line(sentence.text) or is_page_furniture(sentence.text):
                continue  # candidate_sentences keeps them when nothing else is left; a topic summary never does
            counts = Counter(index.tokenizer.terms(sentence.text))
            coverage = sum(weights[term] for term in terms if term in counts) / total_weight
            if coverage > MIN_TOPIC_COVERAGE:
                kept.append((sentence, counts, coverage))

    searched = 1 if only else len(corpus.sources)
    summary = TopicSummary(topic=topic, requested=sentences, sources_searched=searched)
    if not kept:
        return summary.model_copy(update={"not_covered_reason": _not_covered(tokens, index)})
    place = {source.id: position for position, source in enumerate(corpus.sources)}

    def output_order(sentence: SummarySentence) -> tuple[int, int, int, int]:
        return (*oldest_first_key(sources[sentence.source_id], place[sentence.source_id]), sentence.start)

    kept.sort(key=lambda row: output_order(row[0]))  # equal scores (one wire sentence twice): the earlier copy wins
    texts = [s.text for s, _, _ in kept]
    counts = [c for _, c, _ in kept]
    degrees = degree_centrality(counts)
    top = max(degrees) or 1.0
    scores = [
        coverage * (1.0 + degree / top) / 2.0 * length_factor(len(text.split())) * _voice(text)
        for (_, _, coverage), degree, text in zip(kept, degrees, texts, strict=True)
    ]
    chosen = sorted(select_novel(texts, counts, scores, sentences))
    return summary.model_copy(update={"sentences": tuple(kept[i][0] for i in chosen)})


def _voice(text: str) -> float:
    return VOICE_FACTOR if in_own_voice(text) else 1.0


def _not_covered(tokens: list[Token], index) -> str:
    """Which words of the topic no source holds, or, when each is somewhere (perhaps only in a photo caption), that
    no sentence holds enough of them."""
    missing = [_display(t) for t in tokens if not index.document_frequency(t.term)]
    if missing:
        return f"The sources don't mention {_quoted(missing)}."
    words = list(dict.fromkeys(_display(t) for t in tokens))
    together = " together" if len(words) > 1 else ""
    return f"No sentence in the sources speaks of {_quoted(words)}{together}."


def _display(token: Token) -> str:
    if token.acronym:
        return token.word.upper()
    return token.word.title() if token.capitalized else token.word


def _quoted(words: list[str], limit: int = 3) -> str:
    return ", ".join(f"“{word}”" for word in list(dict.fromkeys(words))[:limit])
