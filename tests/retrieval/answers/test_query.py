"""parse_query: the question parsed once into frame, answer type, content words, names, subject, follow-up context."""

from __future__ import annotations

import pytest

from retrieval.answers.answer_types import AnswerType
from retrieval.answers.query import Frame, parse_query
from retrieval.text.tokenizer import Tokenizer

TOKENIZER = Tokenizer()


@pytest.mark.parametrize(
    ("question", "frame"),
    [
        ("who is oseguera", Frame.DEFINITION),
        ("What is the Jalisco cartel?", Frame.DEFINITION),
        ("what is el mencho's cartel called", Frame.OTHER),
        ("who was visiting the capo", Frame.PERSON),
        ("who was killed in the raid", Frame.PERSON),
        ("who was the mayor", Frame.DEFINITION),
        ("did anyone praise trump", Frame.YES_NO),
        ("how many guardsmen were killed", Frame.QUANTITY),
        ("how tall is the new sea wall", Frame.QUANTITY),
        ("wheres the capo hiding", Frame.PLACE),
        ("how lnog was the call", Frame.QUANTITY),
        ("when did sheinbaum tell reporters", Frame.TIME),
        ("where was the capo hiding", Frame.PLACE),
        ("why does she oppose us action", Frame.REASON),
        ("how did they find him", Frame.MANNER),
        ("sorry if this is dumb but who is the mexican president", Frame.DEFINITION),
    ],
)
def test_the_frame_is_read_from_the_opening_words(question, frame):
    """Definition, yes/no, quantity, time, place, reason and manner questions are told apart by how they open."""
    assert parse_query(question, TOKENIZER).frame is frame


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("when did sheinbaum tell reporters", ["sheinbaum", "tell", "reporters"]),
        ("tell me when sheinbaum spoke", ["sheinbaum", "spoke"]),
        ("please tell me about the raid", ["raid"]),
    ],
)
def test_tell_is_a_content_word_unless_it_asks_for_an_answer(question, content):
    """ "Tell me/us" is how a request opens; "did she tell reporters" asks about telling."""
    assert [t.word for t in parse_query(question, TOKENIZER).content] == content


def test_content_words_leave_out_frame_words_and_stopwords():
    """ "how long was their phone call": the content is phone and call; "long" only names the answer type."""
    query = parse_query("how long was their phone call", TOKENIZER)
    assert query.answer_type is AnswerType.DURATION
    assert [t.word for t in query.content] == ["phone", "call"]


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("what % of people working in engineering are women", ["people", "working", "engineering", "women"]),
        ("What percentage of Warsaw was Protestant in 1901?", ["warsaw", "protestant", "1901"]),
        ("which proportion of voters backed him", ["voters", "backed"]),
    ],
)
def test_a_question_asking_what_share_wants_a_number(question, content):
    """ "what percentage / % / proportion of ..." is answered by a number; the word that says so is not searched
    (a passage says "10%", and the tokenizer drops "%")."""
    query = parse_query(question, TOKENIZER)
    assert (query.answer_type, query.frame) == (AnswerType.QUANTITY, Frame.QUANTITY)
    assert [t.word for t in query.content] == content


def test_a_definition_question_has_its_subject():
    """ "who is cecilia sanchez vidal" asks about the three words after "is"."""
    query = parse_query("who is cecilia sanchez vidal", TOKENIZER)
    assert [t.word for t in query.subject] == ["cecilia", "sanchez", "vidal"]


def test_a_follow_up_with_a_pronoun_takes_the_previous_questions_words():
    """ "and when was that?" after "how long was their phone call" searches for the call, at a date."""
    query = parse_query("and when was that?", TOKENIZER, previous="how long was their phone call")
    assert query.is_follow_up and query.frame is Frame.TIME
    assert [t.word for t in query.context] == ["phone", "call"]


def test_who_is_she_after_a_question_names_its_subject():
    """ "who is she?" after a question about Sheinbaum asks who Sheinbaum is (its most informative word)."""
    query = parse_query("who is she?", TOKENIZER, previous="does sheinbaum want us military help")
    assert [t.word for t in query.subject] == ["sheinbaum"]
    # and only who she is: the previous question's other words would pull in a passage about military help
    assert [t.word for t in query.context] == ["sheinbaum"]


def test_a_reply_that_names_its_own_subject_is_a_new_question():
    """A reply with its own content words and no pronoun is not read with the previous question."""
    query = parse_query("where is fentanyl made", TOKENIZER, previous="who is oseguera")
    assert not query.is_follow_up


def test_a_misspelt_opening_question_word_is_mended():
    """ "wich day was ..." asks for a date as "which day" does; "were" (a word of its own) is left alone."""
    query = parse_query("wich day was the state of the union", TOKENIZER)
    assert query.answer_type is AnswerType.DATE and "wich" not in {t.word for t in query.content}
    assert parse_query("were the troops killed", TOKENIZER).frame is Frame.YES_NO


def test_a_link_in_a_question_is_not_searched():
    """A pasted link is no word of the question: "https", "www" and the path's words are not content words."""
    query = parse_query("how long was the call? https://www.latimes.com/world/trump-call www.example.com/x", TOKENIZER)
    assert [t.word for t in query.content] == ["call"]


@pytest.mark.parametrize(
    ("question", "frame"),
    [("El Mencho", Frame.DEFINITION), ("Claudia Sheinbaum", Frame.DEFINITION), ("el mencho raid", Frame.OTHER)],
)
def test_a_name_alone_is_a_definition_question(question, frame):
    """A capitalised name typed alone asks who that is; words a dictionary has ("raid") make it a search."""
    assert parse_query(question, TOKENIZER).frame is frame


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("who is ashia hansen's coach", "coach"),
        ("who's japan's economy minister", "minister"),
        ("whos the coach of ashia hansen", "coach"),
        ("who was the mexican president", "president"),
        ("who is claudia sheinbaum", None),  # a name: not a common noun WordNet knows
        ("who ran the study", None),  # no "who is"
        ("what is ashia hansen's coach called", None),  # only "who" questions
        ("how many coaches were there", None),
    ],
)
def test_the_focus_of_a_who_is_question_is_its_last_common_noun(monkeypatch, tmp_path, question, focus):
    from retrieval.answers import query
    from retrieval.text.lexicon import WordNet
    from tests.retrieval.text.wordnet_files import write_wordnet

    nouns = [("coach.n", ("coach",), []), ("minister.n", ("minister",), []), ("president.n", ("president",), [])]
    wordnet = WordNet(write_wordnet(tmp_path / "wordnet", {"noun": nouns}))
    monkeypatch.setattr(query, "default_lexicon", lambda: wordnet)
    found = parse_query(question, TOKENIZER).focus
    assert (found and found.word) == focus


def test_without_wordnet_a_question_has_no_focus():
    assert parse_query("who is ashia hansen's coach", TOKENIZER).focus is None


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("who did trump phone", AnswerType.PERSON),
        ("who ran the study on sexist abuse", AnswerType.PERSON),
        ("who is claudia sheinbaum", None),  # a definition: the passage that says who she is
        ("what did trump say", None),
        ("who was killed when", AnswerType.PERSON),
    ],
)
def test_a_who_question_wants_a_persons_name(question, answer_type):
    assert parse_query(question, TOKENIZER).answer_type is answer_type
