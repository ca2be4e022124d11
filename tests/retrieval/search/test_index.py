"""Bm25Index: scores pinned to the formula and to rank_bm25, IDF smoothing, tiny corpora, repeated query terms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from retrieval.models import Passage
from retrieval.search.index import Bm25Index, Bm25Params, lucene_idf, smoothed_idf
from retrieval.text.background import document_probability
from retrieval.text.tokenizer import Tokenizer
from retrieval.text.vocabulary import damerau_levenshtein

PLAIN = Tokenizer(stem=False)
TOY = ["raid cartel boss", "cartel cartel violence streets", "minutes conversation"]


def passages(*texts: str) -> list[Passage]:
    """Body passages of one source, one per text, with offsets as if joined by blank lines."""
    out, start = [], 0
    for number, text in enumerate(texts, start=1):
        out.append(
            Passage(id=f"s:{number}", source_id="s", paragraph=number, start=start, end=start + len(text), text=text)
        )
        start += len(text) + 2
    return out


def test_score_matches_the_bm25_formula_to_five_places():
    """A BM25 score on a 3-passage toy corpus equals Okapi BM25 with Lucene's IDF computed by hand (k1=1.2, b=0.75,
    no background prior)."""
    index = Bm25Index(passages(*TOY), PLAIN, Bm25Params(k1=1.2, b=0.75, background_documents=0))
    # "cartel" in passage 2: tf 2, length 4, mean length 3, in 2 of 3 passages.
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    expected = idf * 2 * 2.2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 4 / 3))
    assert round(float(index.scores(["cartel"])[1]), 5) == round(expected, 5) == 0.59086


def test_scores_equal_rank_bm25_given_the_same_idf():
    """Index scores are rank_bm25's own BM25Okapi.get_scores once its IDF table is replaced by ours."""
    params = Bm25Params(k1=1.5, b=0.6, background_documents=10)
    index = Bm25Index(passages(*TOY), PLAIN, params)
    reference = BM25Okapi([text.split() for text in TOY], k1=1.5, b=0.6)
    reference.idf = {term: index.idf(term) for term in reference.idf}
    query = ["cartel", "minutes", "raid"]
    np.testing.assert_allclose(index.scores(query), reference.get_scores(query), rtol=0, atol=1e-9)


def test_one_and_two_passage_corpora_still_score_matches_positively():
    """With one or two passages (where rank_bm25's own IDF is zero or negative) a matching passage scores > 0."""
    for texts in (["the raid killed the cartel boss"], ["the raid killed the cartel boss", "cartel violence"]):
        index = Bm25Index(passages(*texts), PLAIN)
        assert index.scores(["cartel"]).min() > 0
        assert [hit.passage.paragraph for hit in index.search(["raid"])] == [1]


def test_a_term_in_no_passage_finds_nothing():
    """A query whose terms occur nowhere returns no hits, never an arbitrary passage."""
    index = Bm25Index(passages(*TOY), PLAIN)
    assert index.search(["guadalajara"]) == []
    assert not index.scores(["guadalajara"]).any()


def test_repeated_query_terms_do_not_change_scores():
    """ "raid raid raid cartel" scores exactly like "raid cartel"."""
    index = Bm25Index(passages(*TOY), PLAIN)
    np.testing.assert_array_equal(index.scores(["raid", "raid", "raid", "cartel"]), index.scores(["raid", "cartel"]))


def test_background_prior_ranks_a_rare_word_above_a_common_one_at_equal_document_frequency():
    """Two terms each in one passage of a tiny corpus get different IDF when one is everyday English ("said")
    and the other rare ("cartel"): the prior tells them apart where document frequencies cannot."""
    index = Bm25Index(passages("he said", "the cartel", "other words"), PLAIN, Bm25Params(background_documents=10))
    assert index.document_frequency("said") == index.document_frequency("cartel") == 1
    assert index.idf("cartel") > index.idf("said") > 0


def test_smoothed_idf_without_prior_is_lucene_idf_and_tends_to_the_background():
    """M = 0 pseudo-passages gives Lucene's IDF; a huge M gives the background's own IDF whatever the corpus says."""
    assert smoothed_idf(20, 3, 0.5, 0) == lucene_idf(20, 3)
    assert smoothed_idf(5, 5, 0.01, 1e9) == pytest.approx(math.log(1 + 0.99 / 0.01), rel=1e-6)


def test_document_probability_grows_with_frequency_and_length():
    """Everyday words are likelier to appear in a passage than rare ones, and in long passages than short ones."""
    assert document_probability(["the"], 50) > document_probability(["cartel"], 50) > 0
    assert document_probability(["cartel"], 500) > document_probability(["cartel"], 50)
    assert document_probability([], 50) == 0


def test_passages_containing_lists_positions_of_any_term():
    """Postings: which passages contain any of the given terms, by position."""
    index = Bm25Index(passages(*TOY), PLAIN)
    assert index.passages_containing(["raid", "minutes"]).tolist() == [0, 2]
    assert index.passages_containing(["nowhere"]).tolist() == []


def test_vocabulary_resolves_slips_compounds_acronyms_and_derived_names():
    """A question word missing from the sources is mapped to the word the sources use when the match is
    unambiguous: a misspelt rare word, a compound written as one word, an acronym, a demonym, a prefixed name."""
    text = (
        "The Super Bowl in California. The United Methodist Church met Gandhi and the Beroids at Bendigo. "
        "A transatlantic call."
    )
    index = Bm25Index(passages(text), Tokenizer())
    resolve = index.vocabulary.resolve

    def token(word: str):
        (only,) = Tokenizer().tokens(f"about {word}")[1:]
        return only

    assert resolve(token("Superbowl")) == ("super", "bowl")
    assert resolve(token("UMC")) == ("unit", "methodist", "church")
    assert resolve(token("Beriods")) == ("beroid",)
    assert resolve(token("Bedigo")) == ("bendigo",)
    assert resolve(token("Ghandi")) == ("gandhi",)
    assert resolve(token("Californian")) == ("california",)
    assert resolve(token("Atlantic")) == ("transatlant",)
    assert resolve(token("Canadian")) == ()
    assert resolve(token("price")) == ()


def test_damerau_levenshtein_counts_transpositions_as_one_edit():
    """ "Zeria" is one edit from "Zeira" (a swap), two from "Zebra"."""
    assert damerau_levenshtein("zeria", "zeira") == 1
    assert damerau_levenshtein("zeria", "zebra") == 2
    assert damerau_levenshtein("", "abc") == 3


@pytest.mark.parametrize(
    ("params", "message"), [({"k1": -1}, "k1"), ({"b": 1.5}, "b"), ({"background_documents": -2}, "background")]
)
def test_invalid_parameters_are_rejected_with_the_name_of_the_parameter(params, message):
    """Bad k1, b or prior strength raise ValueError naming the parameter, instead of silently mis-scoring."""
    with pytest.raises(ValueError, match=message):
        Bm25Params(**params)


def test_search_rejects_k_below_one():
    """search(k=0) is a caller error, reported as ValueError."""
    with pytest.raises(ValueError, match="k must be"):
        Bm25Index(passages(*TOY), PLAIN).search(["raid"], k=0)


def test_empty_index_scores_nothing():
    """An index of no passages (or only stopwords) answers every query with no hits and no error."""
    for texts in ([], ["the of and"]):
        index = Bm25Index(passages(*texts), PLAIN)
        assert index.search(["raid"]) == []
        assert index.idf("raid") == 0.0


def test_vocabulary_maps_a_verb_to_the_agent_noun_the_sources_use():
    """A verb finds its agent noun (led: leader, founded: founder, wrote: writer), since who-questions ask for the
    agent; a verb whose agent noun the sources lack resolves to nothing."""
    text = "The cartel leader fled. The founder of the firm and a writer spoke."
    index = Bm25Index(passages(text), Tokenizer())

    def token(word: str):
        (only,) = Tokenizer().tokens(f"about {word}")[1:]
        return only

    resolve = index.vocabulary.resolve
    assert resolve(token("led")) == (Tokenizer().terms("leader")[0],)
    assert resolve(token("founded")) == (Tokenizer().terms("founder")[0],)
    assert resolve(token("wrote")) == (Tokenizer().terms("writer")[0],)
    assert resolve(token("sang")) == ()


def test_vocabulary_maps_an_adjective_to_the_degree_the_sources_use():
    """The stemmer keeps "-est" and "-er" ("busiest" and "busy" are different terms), so a missing adjective finds
    another degree of it in the sources; a word ending in "-est" that is no superlative ("forest") finds nothing."""
    text = "The busiest airport, the quiet suburbs and bigger ships near the fore deck."
    index = Bm25Index(passages(text), Tokenizer())

    def token(word: str):
        (only,) = Tokenizer().tokens(f"about {word}")[1:]
        return only

    def term(word: str) -> str:
        return Tokenizer().terms(word)[0]

    resolve = index.vocabulary.resolve
    assert resolve(token("busy")) == (term("busiest"),)
    assert resolve(token("quieter")) == (term("quiet"),)
    assert resolve(token("quietest")) == (term("quiet"),)
    assert resolve(token("biggest")) == (term("bigger"),)
    assert resolve(token("forest")) == ()


def test_bm25_index_implements_the_search_backend_interface():
    """Bm25Index has every method the answer pipeline asks of a backend (SearchBackend), so a backend is one class."""
    from retrieval.search import SearchBackend

    assert isinstance(Bm25Index(passages(*TOY), PLAIN), SearchBackend)
    assert not isinstance(object(), SearchBackend)


@pytest.mark.parametrize("k", [1, 3, 12, 50, 200])
def test_top_k_equals_a_stable_full_sort(k):
    """top_k picks what np.argsort(-scores, kind="stable")[:k] picks, ties (many, here) in position order."""
    from retrieval.search.index import top_k

    rng = np.random.default_rng(k)
    scores = rng.integers(0, 5, size=100).astype(np.float64) / 4
    assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


def test_distinct_passage_terms_are_the_terms_once_in_first_seen_order(seed_corpus):
    """PassageTerms.distinct(i) is dict.fromkeys of passage i's terms, read without building the repeats."""
    index = seed_corpus.index
    terms = index.passage_terms
    for i in range(len(terms)):
        assert terms.distinct(i) == list(dict.fromkeys(terms[i]))
        assert index.distinct_terms_of(index.passages[i]) == terms.distinct(i)
    assert any(len(terms[i]) > len(terms.distinct(i)) for i in range(len(terms)))  # repeats exist to leave out


def test_weighted_scores_are_the_dense_weighted_sum_bit_for_bit(seed_corpus):
    """weighted_scores lists, for the passages in the terms' postings only, exactly the sums the answer pipeline
    used to add up over every passage (one dense array per term), so ranking over postings changes no answer."""
    index = seed_corpus.index
    terms = [t for t in dict.fromkeys(index.passage_terms[0] + index.passage_terms[5]) if index.document_frequency(t)]
    weights = {term: (1.0, 0.5, 0.3)[i % 3] for i, term in enumerate(terms[:12])} | {"nosuchterm": 1.0}
    dense = np.zeros(len(index))
    for term, weight in weights.items():
        dense += weight * index.scores([term])
    positions, scores = index.weighted_scores(weights)
    assert positions.tolist() == np.flatnonzero(dense).tolist()
    assert scores.tolist() == dense[positions].tolist()  # equal floats, not close ones
    assert positions.tolist() == sorted(set(index.passages_containing(weights).tolist()))
    empty_positions, empty_scores = index.weighted_scores({"nosuchterm": 1.0})
    assert len(empty_positions) == len(empty_scores) == 0


def test_text_and_term_ids_at_a_position_are_the_passages_own(seed_corpus):
    """text_at reads a passage's text without building it; term_ids_at are the ids of its distinct terms."""
    index = seed_corpus.index
    for i, passage in enumerate(index.passages):
        assert index.text_at(i) == passage.text
        assert {index.arrays.terms[t] for t in index.term_ids_at(i)} == set(index.distinct_terms_of(passage))
    plain = Bm25Index(passages(*TOY), PLAIN)  # passages held as a tuple, not a PassageTable
    assert [plain.text_at(i) for i in range(3)] == TOY
