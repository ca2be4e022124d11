"""The sparse index against rank_bm25, the scorer of record: same scores (to 1e-6) and same rankings, at several
library sizes, on real English passages (XQuAD) and the questions asked of them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from retrieval.corpus import Corpus
from retrieval.models import Source
from retrieval.search.index import Bm25Params

SIZES = (1, 12, 60, 240)


@pytest.fixture(scope="module")
def xquad(shared_dir):
    return json.loads((shared_dir / "data/xquad-en/xquad.en.json").read_text(encoding="utf-8"))["data"]


def library(xquad, paragraphs: int) -> tuple[Corpus, list[str]]:
    """A library of the first ``paragraphs`` XQuAD paragraphs (one source per article) and their questions."""
    sources, questions, left = [], [], paragraphs
    for number, article in enumerate(xquad):
        taken = article["paragraphs"][:left]
        left -= len(taken)
        text = "\n\n".join(p["context"] for p in taken)
        name = f"a{number}"
        sources.append(Source(id=name, file_name=f"{name}.txt", title=article["title"], text=text, sha256=""))
        questions += [qa["question"] for p in taken for qa in p["qas"]]
        if not left:
            break
    return Corpus.build(sources, params=Bm25Params(k1=1.2, b=0.75)), questions


@pytest.mark.parametrize("paragraphs", SIZES)
def test_scores_and_rankings_equal_rank_bm25_with_our_idf(xquad, paragraphs):
    """For every question, each passage's score equals rank_bm25's BM25Okapi.get_scores (our IDF, same passage
    terms) to 1e-6, and search returns rank_bm25's ranking (score order, ties by passage order, positives only)."""
    corpus, questions = library(xquad, paragraphs)
    index = corpus.index
    passage_terms = [index.passage_terms_of(p) for p in corpus.passages]
    reference = BM25Okapi(passage_terms, k1=1.2, b=0.75)
    reference.idf = {term: index.idf(term) for term in reference.idf}
    checked = 0
    for question in questions[:150]:
        query = [t for t in dict.fromkeys(index.tokenizer.terms(question)) if index.document_frequency(t)]
        if not query:
            continue
        expected = reference.get_scores(query)
        np.testing.assert_allclose(index.scores(query), expected, rtol=0, atol=1e-6)
        order = [int(i) for i in np.argsort(-expected, kind="stable") if expected[i] > 0][:12]
        hits = index.search(query, k=12)
        assert [corpus.passages.position_of(h.passage) for h in hits] == order
        np.testing.assert_allclose([h.score for h in hits], expected[order], rtol=0, atol=1e-6)
        checked += 1
    assert checked >= min(20, len(questions) // 2)


def test_document_frequency_and_postings_agree_with_the_passages(xquad):
    """document_frequency(t) and passages_containing([t]) count exactly the passages whose terms hold t."""
    corpus, _ = library(xquad, 60)
    index = corpus.index
    passage_terms = [set(index.passage_terms_of(p)) for p in corpus.passages]
    for term in ["french", "normandi", "duke", "the", "nowhere"]:
        holding = [i for i, terms in enumerate(passage_terms) if term in terms]
        assert index.document_frequency(term) == len(holding)
        assert index.passages_containing([term]).tolist() == holding
