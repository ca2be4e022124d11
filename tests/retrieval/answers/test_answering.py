"""answer_question: quotes on the seed article, abstention with a reason, answer types, aliases, edge cases."""

from __future__ import annotations

import hashlib

import pytest

from retrieval.answers.answer_types import AnswerType, has_answer_type, main_clause, question_frame
from retrieval.answers.answering import NO_CONTENT_WORDS, NO_SOURCES, NO_WORDS, answer_question
from retrieval.corpus import Corpus
from retrieval.errors import EmptyQuestion
from retrieval.evaluation.cross_article import evaluate_cross_article
from retrieval.models import Source
from retrieval.text.aliases import title_aliases
from retrieval.text.tokenizer import Tokenizer

TOKENIZER = Tokenizer()


def source(source_id: str, *paragraphs: str) -> Source:
    text = "\n\n".join(paragraphs)
    return Source(
        id=source_id,
        file_name=f"{source_id}.txt",
        title=source_id,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def corpus(*paragraphs: str) -> Corpus:
    return Corpus.build([source("a", *paragraphs)])


def first_quote(answer) -> str:
    assert answer.hits, answer.not_covered_reason
    return answer.hits[0].passage.text


# --- the seed article ---------------------------------------------------------------------------------------------


def test_how_long_question_quotes_the_duration_first(seed_corpus):
    """ "How long did they talk?" quotes the passage with "about eight minutes" first, although "talk" and "long"
    are not in it and other passages match "Trump" and "Sheinbaum" better: the answer type decides."""
    answer = answer_question("How long did Trump and Sheinbaum talk?", seed_corpus)
    assert "about eight minutes" in first_quote(answer)


def test_best_sentence_is_the_one_holding_the_answer(seed_corpus):
    """The bold sentence of the first quote is the one with the duration, not just any sentence with a name."""
    answer = answer_question("How long did Trump and Sheinbaum talk?", seed_corpus)
    text = answer.hits[0].passage.text
    if answer.best_sentence is not None:
        start, end = answer.best_sentence
        assert "about eight minutes" in text[start:end]


def test_best_sentence_prefers_the_typed_sentence_in_a_long_passage():
    """In a passage of several sentences, "how many" bolds the sentence with the number."""
    texts = ["Officials met in the capital. The raid killed 25 guards in the night. Officials spoke later."]
    answer = answer_question("How many guards did the raid kill?", corpus(*texts))
    start, end = answer.best_sentence
    assert answer.hits[0].passage.text[start:end] == "The raid killed 25 guards in the night."


def test_how_many_question_quotes_the_number(seed_corpus):
    """ "How many troops were killed" quotes the passage that gives the count (25) first."""
    assert "25" in first_quote(answer_question("How many troops were killed in the violence?", seed_corpus))


def test_question_outside_the_sources_quotes_nothing_and_says_why(seed_corpus):
    """ "What is the capital of France?" gets no quote and a reason naming what the sources lack."""
    answer = answer_question("What is the capital of France?", seed_corpus)
    assert not answer.hits
    assert "don't mention" in answer.not_covered_reason
    assert "France" in answer.not_covered_reason


def test_missing_name_is_named_in_the_reason(seed_corpus):
    """A question about someone the sources never mention abstains and names them, though "raid" matches."""
    answer = answer_question("What did Biden say about the raid?", seed_corpus)
    assert not answer.hits
    assert answer.not_covered_reason == "The sources don't mention “Biden”."


def test_missing_title_abstains(seed_corpus):
    """ "The Canadian prime minister" is absent from the seed article: no quote about the raid instead."""
    answer = answer_question("What did the Canadian prime minister say about the raid?", seed_corpus)
    assert not answer.hits
    assert "Canadian" in answer.not_covered_reason


def test_misspelt_name_still_answers(seed_corpus):
    """ "Sheinbuam" (two letters swapped) is read as "Sheinbaum", not reported as missing."""
    answer = answer_question("What did Sheinbuam say about cooperation?", seed_corpus)
    assert "very well" in first_quote(answer)


def test_title_mention_counts_as_the_name_it_stands_for(seed_corpus):
    """ "The Mexican president" (defined as "Mexican President Claudia Sheinbaum") is found by "Sheinbaum"."""
    answer = answer_question("Does Sheinbaum accept US troops on Mexican soil?", seed_corpus)
    assert "strenuously resisted" in " ".join(hit.passage.text for hit in answer.hits)


# --- edge cases from the robustness tracker -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [["The raid killed the cartel boss in Jalisco."], ["The raid killed the cartel boss.", "Officials met later."]],
)
def test_one_or_two_passage_corpus_answers_a_matching_question(paragraphs):
    """With one or two passages (where plain BM25Okapi IDF is zero or negative) a matching question is answered."""
    answer = answer_question("Who did the raid kill?", corpus(*paragraphs))
    assert first_quote(answer) == paragraphs[0]


def test_terms_found_nowhere_are_not_covered():
    """A question none of whose words is in the sources gets no quote, never an arbitrary passage."""
    answer = answer_question("Quantum chromodynamics lattice?", corpus("The raid killed the cartel boss."))
    assert not answer.hits
    assert answer.not_covered_reason


def test_repeated_question_words_do_not_change_the_ranking(seed_corpus):
    """Saying "raid" three times asks the same as saying it once."""
    once = answer_question("Where was the raid on the cartel?", seed_corpus)
    thrice = answer_question("Where was the raid raid raid on the cartel cartel?", seed_corpus)
    assert [h.passage.id for h in thrice.hits] == [h.passage.id for h in once.hits]


@pytest.mark.parametrize(
    ("question", "reason"),
    [("What is it that they are?", NO_CONTENT_WORDS), ("the of and", NO_CONTENT_WORDS), ("??? !!! ...", NO_WORDS)],
)
def test_stopword_or_punctuation_question_gets_a_clear_reason(question, reason, seed_corpus):
    """A question of only common words, or of no words at all, gets its reason, no quote and no error."""
    answer = answer_question(question, seed_corpus)
    assert not answer.hits
    assert answer.not_covered_reason == reason


def test_ten_thousand_character_question_answers_without_error(seed_corpus):
    """A 10,000-character question is answered (its words are capped, the most informative kept)."""
    question = ("How long did Trump and Sheinbaum talk about the cartel raid and fentanyl? " * 200)[:10_000]
    answer = answer_question(question, seed_corpus)
    assert answer.hits


def test_ten_thousand_character_question_of_unknown_words_is_not_covered(seed_corpus):
    """A huge question of words the sources lack is reported as not covered, not answered at random."""
    question = " ".join(f"zorblax{i}" for i in range(1200))[:10_000]
    answer = answer_question(question, seed_corpus)
    assert not answer.hits
    assert "or the rest of what you asked" in answer.not_covered_reason


def test_same_article_loaded_twice_is_quoted_once():
    """Two sources with identical text: the quotes never repeat a passage's text."""
    paragraphs = ["The raid killed the cartel boss in Jalisco.", "Troops guarded the streets after the raid."]
    twice = Corpus.build([source("a", *paragraphs), source("b", *paragraphs)])
    texts = [hit.passage.text for hit in answer_question("What did the raid do?", twice).hits]
    assert texts
    assert len(texts) == len(set(texts))


def test_near_identical_syndicated_copy_is_quoted_once():
    """A syndicated copy that differs by a word or two is not quoted next to the original."""
    original = "Mexican troops killed the cartel boss in a raid in western Jalisco state on Sunday, officials said."
    copy = "Mexican troops killed the cartel boss in a raid in western Jalisco state on Sunday, officials reported."
    both = Corpus.build([source("a", original), source("b", copy)])
    answer = answer_question("Where did the raid on the cartel boss happen?", both)
    assert len(answer.hits) == 1


def test_empty_question_raises():
    """A blank question is the caller's error, raised as EmptyQuestion."""
    with pytest.raises(EmptyQuestion):
        answer_question("   ", corpus("Text."))


def test_no_sources_says_so():
    """With nothing loaded the answer says there are no sources rather than 'not mentioned'."""
    assert answer_question("Who won?", Corpus.empty()).not_covered_reason == NO_SOURCES


def test_scattered_words_do_not_make_an_answer():
    """Words of the question spread over passages that each hold a small part of it do not make an answer."""
    paragraphs = ["The weather was cold.", "The company met in the city.", "Goals were discussed."]
    answer = answer_question("Which company scored the winning goal in the city derby weather?", corpus(*paragraphs))
    assert not answer.hits


# --- answer types and aliases -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer_type", "frame_words"),
    [
        ("How long did they talk?", AnswerType.DURATION, {"long"}),
        ("How many troops died?", AnswerType.QUANTITY, {"many"}),
        ("In what year did Tesla die?", AnswerType.DATE, {"year"}),
        ("On which day did Trump call?", AnswerType.DATE, {"day"}),
        ("When did the raid happen?", AnswerType.DATE, set()),
        ("What is another name for the capo?", None, {"name"}),
        ("Who was visiting the capo?", None, set()),
        ("What happened when the cartel was dismantled?", None, set()),
        ("Who was president when the raid happened?", None, set()),
        ("When the army arrived, what did the cartel do?", None, set()),
        ("When imperialism changes social norms, what is it called?", None, {"called"}),
        ("In the United States, how many troops died?", AnswerType.QUANTITY, {"many"}),
        ("When, and where, did the raid happen?", AnswerType.DATE, set()),
        ("sorry if this is dumb but how many troops died", AnswerType.QUANTITY, {"many"}),
        ("i read it twice and when did they talk", AnswerType.DATE, set()),
    ],
)
def test_question_frame_reads_the_answer_type(question, answer_type, frame_words):
    """The first question word of the clause that asks sets the expected answer type and the words that only name
    it; a "when" that opens a leading clause or follows the question word does not ask for a date."""
    frame = question_frame(TOKENIZER.tokens(main_clause(question)))
    assert frame.answer_type is answer_type
    assert frame.frame_words == frame_words


@pytest.mark.parametrize(
    ("text", "answer_type", "expected"),
    [
        ("The conversation lasted about eight minutes.", AnswerType.DURATION, True),
        ("a 30-year war", AnswerType.DURATION, True),
        ("in years, if not decades", AnswerType.DURATION, False),
        ("almost 100 cartel suspects", AnswerType.QUANTITY, True),
        ("no number here", AnswerType.QUANTITY, False),
        ("said one commentator", AnswerType.QUANTITY, False),
        ("two major syndicates", AnswerType.QUANTITY, True),
        ("on Feb. 23, 2026", AnswerType.DATE, True),
        ("The talk was on Monday.", AnswerType.DATE, True),
        ("May I ask?", AnswerType.DATE, False),
        ("Warming began about 22,000 years ago.", AnswerType.DATE, True),
        ("forests had returned by 9000 BP", AnswerType.DATE, True),
        ("founded in 753 BC", AnswerType.DATE, True),
        ("crowned in AD 800", AnswerType.DATE, True),
        ("an ad for 20 dollars", AnswerType.DATE, False),
        ("ten years of war", AnswerType.DATE, False),
    ],
)
def test_has_answer_type_recognises_durations_numbers_and_dates(text, answer_type, expected):
    """Durations need a number and a time unit; dates are years, months, weekdays; "May I" is not a date; "one
    commentator" counts nothing."""
    assert has_answer_type(text, answer_type) is expected


def test_title_aliases_link_a_bare_title_to_the_name_it_introduced():
    """ "Mexican President Claudia Sheinbaum" makes a later "the Mexican president" stand for her name."""
    paragraphs = ["Mexican President Claudia Sheinbaum spoke.", "The Mexican president refused.", "Nothing here."]
    expansions = title_aliases([TOKENIZER.tokens(p) for p in paragraphs])
    assert expansions == [[], ["claudia", "sheinbaum"], []]


def test_ambiguous_title_links_to_no_one():
    """When two people hold the same title in the sources, "the president" stands for neither."""
    paragraphs = ["President Trump spoke.", "President Obama spoke.", "The president refused."]
    assert title_aliases([TOKENIZER.tokens(p) for p in paragraphs])[2] == []


def test_alias_lets_a_question_by_name_find_the_title_mention():
    """A question naming the person finds the passage that only uses the title, ahead of one without either."""
    paragraphs = [
        "Mexican President Claudia Sheinbaum spoke to reporters on Monday.",
        "The offer of troops was refused by the Mexican president, who called it a violation.",
        "Troops from the north arrived in the city.",
    ]
    answer = answer_question("Did Sheinbaum refuse the troops?", corpus(*paragraphs))
    assert first_quote(answer) == paragraphs[1]


def test_cross_article_questions_are_not_answered_from_the_wrong_article():
    """Questions about one article asked of an unrelated one get no quotes, even one sharing a word ("hold") with
    it (cross-article false-answer rate 0)."""

    def article(title: str, context: str, *questions: str) -> dict:
        qas = [{"question": q, "answers": [{"text": "x", "answer_start": 0}]} for q in questions]
        return {"title": title, "paragraphs": [{"context": context, "qas": qas}]}

    articles = [
        article(
            "Raid",
            "Mexican troops killed the cartel boss known as El Mencho in a raid in Jalisco.",
            "Who did the troops kill in Jalisco?",
            "What was the cartel boss called?",
            "What did the troops hold in the raid?",
        ),
        article(
            "Chloroplast",
            "Chloroplasts are surrounded by two membranes and hold the pigment chlorophyll.",
            "What surrounds chloroplasts?",
            "Which pigment do chloroplasts hold?",
        ),
    ]
    metrics = evaluate_cross_article(articles)
    assert metrics.questions == 5
    assert metrics.answered_rate == 0


def test_a_question_of_only_punctuation_and_emoji_says_it_has_no_words(seed_corpus):
    """A question with no words at all gets its own reason, not "only common words"."""
    answer = answer_question("🙂 !!! ???", seed_corpus)
    assert not answer.hits and "no words to search for" in answer.not_covered_reason


def test_a_huge_unknown_word_is_shortened_in_the_reason(seed_corpus):
    """The word a reason names is cut, so a 3000-letter word cannot fill the reply."""
    answer = answer_question("x" * 3000, seed_corpus)
    assert not answer.hits and len(answer.not_covered_reason) < 100


def test_who_led_quotes_the_passage_naming_the_leader(seed_corpus):
    """The question "who led the cartel?" quotes the paragraph naming the cartel leader, not one saying "cartels"."""
    answer = answer_question("who led the cartel?", seed_corpus)
    assert "leader" in answer.hits[0].passage.text


def test_a_huge_question_keeps_only_its_most_informative_words(seed_corpus: Corpus):
    """A question of ~170 distinct words is cut to MAX_QUERY_WORDS words (bounding the cost of scoring it), the most
    informative kept and common words such as "time" dropped first."""
    from retrieval.answers.answering import MAX_QUERY_WORDS, _query_words
    from retrieval.answers.query import parse_query
    from retrieval.text.background import information_content

    common = "time people year way day thing man world life hand part child eye woman place work week case point"
    filler = " ".join(f"zorblat{i}" for i in range(150))  # 150 distinct made-up words
    question = f"{common} {filler} Sheinbaum cartel?"
    tokens = seed_corpus.index.tokenizer.tokens(question)
    words = _query_words(parse_query(question, seed_corpus.index.tokenizer), seed_corpus.index)
    assert len(words) == MAX_QUERY_WORDS
    kept = {w.token.word for w in words}
    dropped = {t.word for t in tokens if t.term} - kept
    assert min(information_content(w) for w in kept) >= max(information_content(w) for w in dropped)
    assert "time" in dropped


def test_a_question_that_matches_only_the_sources_subject_is_refused():
    """Rule 3b: "Mexico" is in 7 of 8 passages, so it says little about whether they answer "What is the population
    of Mexico?": the question is refused, naming what is missing. The same missing word beside a word that only one
    passage has is answered from that passage, and a question the subject word answers is still answered."""
    mexico = corpus(
        "Mexico sent troops to the border on Monday.",
        "The president of Mexico spoke about the cartel.",
        "Officials in Mexico arrested a cartel accountant.",
        "Mexico and Canada signed a trade deal.",
        "Fentanyl seizures rose sharply in the northern ports.",
        "Mexico reported record tourism revenue this year.",
        "Mexico hosted a summit on water.",
        "Storms hit the coast of Mexico.",
    )
    refused = answer_question("What is the population of Mexico?", mexico)
    assert not refused.hits and refused.not_covered_reason == "The sources don't mention “population”."
    specific = answer_question("How did fentanyl change the population?", mexico)
    assert specific.hits[0].passage.text.startswith("Fentanyl seizures")
    topical = answer_question("What did the president of Mexico say?", mexico)
    assert topical.hits[0].passage.text.startswith("The president of Mexico")


def test_prepare_for_questions_makes_the_tables_a_first_question_would_and_changes_no_answer():
    from retrieval.answers import answering
    from retrieval.corpus import Corpus
    from tests.retrieval.answers.test_rules import source

    def library() -> Corpus:
        return Corpus.build(
            [
                source("a", "The harbour wall was finished in May.", "It cost 3 million.", title="Harbour wall"),
                source("b", "The mayor opened the bridge on Friday.", title="Bridge opens"),
            ]
        )

    prepared, fresh = library(), library()
    answering.prepare_for_questions(prepared)
    assert prepared.index in answering._TITLES and prepared.index in answering._SOURCE_OF
    assert prepared.index in answering._LINE_LENGTHS and fresh.index not in answering._TITLES
    for question in ("when was the harbour wall finished", "who opened the bridge", "how much did the wall cost"):
        assert answering.answer_question(question, prepared) == answering.answer_question(question, fresh)
