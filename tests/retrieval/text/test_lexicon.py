"""WordNet lookups: base forms (exceptions and detachment rules), senses in order, derivations; and what the
answerer takes from them for a word the sources lack."""

from __future__ import annotations

import hashlib

import pytest

from retrieval.answers.related import related_terms, word_forms_or_related
from retrieval.corpus import Corpus
from retrieval.models import Source
from retrieval.text.lexicon import WordNet
from tests.retrieval.text.wordnet_files import write_wordnet


@pytest.fixture(scope="module")
def wordnet(tmp_path_factory) -> WordNet:
    """A WordNet of a few synsets: phone/telephone (noun and verb), speak/talk with "speech" derived, find/discover,
    applaud with "applause" derived, and the irregular forms spoke -> speak, found -> find."""
    folder = tmp_path_factory.mktemp("wordnet")
    write_wordnet(
        folder,
        {
            "noun": [
                ("telephone.n", ("telephone", "phone", "telephone_set"), []),
                ("speech.n", ("address", "speech"), [("+", "speak.v", 2, 2, "verb")]),
                ("applause.n", ("applause", "hand"), []),
            ],
            "verb": [
                ("call.v", ("call", "telephone", "phone", "ring"), [("+", "telephone.n", 1, 2, "noun")]),
                ("speak.v", ("talk", "speak"), [("+", "speech.n", 2, 2, "noun")]),
                ("find.v", ("detect", "find", "discover"), []),
                ("applaud.v", ("applaud", "clap"), [("+", "applause.n", 1, 1, "noun")]),
            ],
        },
        {"verb": {"spoke": "speak", "found": "find"}},
    )
    return WordNet(folder)


def test_base_forms_use_exceptions_and_detachment_rules(wordnet):
    """Irregular forms come from the exception list, regular ones from morphy's rules, and only lemmas WordNet has."""
    assert ("speak", "verb") in wordnet.base_forms("spoke")
    assert wordnet.base_forms("telephoned") == [("telephone", "verb")]
    assert wordnet.base_forms("phones") == [("phone", "noun"), ("phone", "verb")]
    assert wordnet.base_forms("zorblat") == []


def test_a_proper_noun_is_a_noun_spelt_with_a_capital_in_every_sense(tmp_path):
    """A name is a noun spelt with a capital in every sense ("Canada"); "china" is also porcelain, "trump" a verb."""
    names = WordNet(
        write_wordnet(
            tmp_path,
            {
                "noun": [("canada.n", ("Canada",), []), ("china.n", ("china",), []), ("china.n.2", ("China",), []),
                         ("trump.n", ("Trump",), [])],
                "verb": [("trump.v", ("trump",), [])],
            },
        )
    )  # fmt: skip
    assert names.is_proper_noun("canada") and names.is_proper_noun("Canada")
    assert not names.is_proper_noun("china")
    assert not names.is_proper_noun("trump")
    assert not names.is_proper_noun("zorblat")


def test_inflections_read_the_exception_lists_backwards(wordnet):
    """A lemma's irregular forms come from the exception list read backwards; a regular verb has none listed."""
    assert wordnet.inflections("speak", "verb") == ("spoke",)
    assert wordnet.inflections("find", "verb") == ("found",)
    assert wordnet.inflections("applaud", "verb") == ()


def test_senses_list_synonyms_and_derivations(wordnet):
    """A lemma's synsets give its synonyms, and derivation pointers from the lemma give its derived forms."""
    (sense,) = wordnet.senses("applaud", "verb")
    assert sense.words == ("applaud", "clap")
    assert sense.derived == ("applause",)
    (speech,) = wordnet.senses("speech", "noun")
    assert speech.words == ("address", "speech") and speech.derived == ("speak",)


def corpus(*paragraphs: str) -> Corpus:
    text = "\n\n".join(paragraphs)
    source = Source(id="a", file_name="a.txt", title="a", text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    return Corpus.build([source], encoder=None)


def test_related_terms_prefer_base_forms_then_derivations_then_synonyms(wordnet):
    """A missing word is found as its base form first, then a derived form, then a synonym the sources use."""
    index = corpus(
        "The president will speak today.", "The crowd gave long applause.", "She telephoned her rival."
    ).index
    assert related_terms("spoke", index, wordnet) == ("speak",)
    assert related_terms("applauded", index, wordnet) == ("applaus",)
    assert related_terms("phone", index, wordnet) == ("telephon",)
    assert related_terms("discover", index, wordnet) == ()


def test_a_question_word_finds_its_irregular_form_in_the_sources(wordnet):
    """ "speak" of a text that says "spoke" finds "spoke" (the same word) before "talk", a synonym the text has."""
    index = corpus("The two leaders spoke on Monday.", "They will talk again.").index
    assert related_terms("speak", index, wordnet) == ("spoke",)


def test_a_synonym_of_the_first_sense_is_found_in_its_irregular_form(wordnet):
    """ "how long did they talk" of a text that says "spoke": "speak" is in talk's first sense, "spoke" its form."""
    index = corpus("The two leaders spoke on Monday.", "Rain fell.").index
    assert related_terms("talk", index, wordnet) == ("spoke",)


def test_a_form_of_the_word_is_told_from_a_synonym(wordnet):
    """ "find" of a text that says "found" is the word itself; "discover" of it is a synonym (weaker evidence), found
    in any form because "find" is in discover's first sense (a later sense's synonyms only as written)."""
    index = corpus("Police found the boat.", "Sensors detect the leak.").index
    assert word_forms_or_related("find", index, wordnet) == (("found",), True)
    assert word_forms_or_related("discover", index, wordnet) == (("detect", "found"), False)


def test_a_synonym_turns_a_false_refusal_into_the_right_quote(wordnet, monkeypatch):
    """ "who did they phone" of a text that says "telephoned": with WordNet the sources are not said to lack "phone",
    and the passage that says it is quoted; without it the question is refused."""
    from retrieval.answers import answering, related

    texts = ["The governor telephoned the mayor after the storm.", "The storm flooded the coast.", "Rain fell."]
    built = corpus(*texts)
    monkeypatch.setattr(related, "default_lexicon", lambda: None)
    assert not answering.answer_question("who did they phone?", built).hits
    monkeypatch.setattr(related, "default_lexicon", lambda: wordnet)
    answer = answering.answer_question("who did they phone?", built)
    assert answer.hits[0].passage.text == texts[0]


def test_a_how_many_question_widens_to_derived_words_when_its_passage_gives_no_number(wordnet, monkeypatch):
    """ "how many spoke": the passage saying "spoke" has no number; with the derived "speech" the one saying "40
    speeches" is quoted first. Without the widening the number-less passage is."""
    from retrieval.answers import answering, related

    texts = ["Crowds spoke angrily all day outside the hall.", "There were 40 speeches at the rally.", "Rain fell."]
    built = corpus(*texts)
    monkeypatch.setattr(related, "default_lexicon", lambda: wordnet)
    assert answering.answer_question("how many spoke?", built).hits[0].passage.text == texts[1]
    monkeypatch.setattr(answering, "TYPED_WIDENING", False)
    assert answering.answer_question("how many spoke?", built).hits[0].passage.text == texts[0]
