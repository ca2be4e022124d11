"""Answer a question by quoting the passages that match it best, or say plainly that the sources don't cover it.

Stages (each a function below; the question is parsed once, :func:`~retrieval.answers.query.parse_query`):

1. **Query.** The question's frame (definition, yes/no, quantity, time, place, ...), answer type and content words,
   less the words that only name the answer's type ("long" in "how long"). A follow-up (``previous``) adds the
   previous question's words when it points back ("and when was that?").
2. **Words to terms.** Each content word is looked up in the index; a word the sources lack is resolved to a
   misspelling, compound, acronym, demonym or agent noun of a word they have (:mod:`retrieval.text.vocabulary`),
   else to its base form, a derived form or a synonym that they use (WordNet, :mod:`.related`). Each word weighs its
   background information content (:mod:`retrieval.text.background`): "cartel" outweighs "say".
3. **Abstention by words.** The sources are said not to cover the question when
   (1) none of its words occurs in any passage;
   (2) a name in it (a run of capitalised words past the first word) occurs nowhere, e.g. "the Canadian prime
   minister" when no source says "Canadian": quoting a passage that matched only "raid" would mislead; (2b) its most
   informative word occurs nowhere and is no dictionary word, a name typed in lower case ("bitcoin"); (2c) a word
   of it typed in lower case that occurs nowhere is a name in WordNet ("what did canada say");
   (3) the words that occur nowhere carry at least ``MISSING_INFORMATION_SHARE`` of the question's weight, or
   (3b) at least ``MISSING_EVIDENCE_SHARE`` of its evidence, in which a word the sources have counts less the more
   passages hold it ("What is the GDP of Mexico?" of an article about Mexico: "GDP" is what is asked); or
   (4) no single passage holds words carrying ``MIN_PASSAGE_COVERAGE`` of it (the words are there, but scattered).
   Before these, a compound WordNet lists as one noun ("world cup") counts as one word, missing when the sources
   lack one half and the other is a very common word (:func:`_compounds_as_one`). The reason names what is
   missing: "The sources don't mention “Biden”."
4. **Abstention by meaning** (when the corpus has sentence vectors, :mod:`retrieval.search.dense`). A refusal of
   step 3 is lifted when a passage is close in meaning and stands out from the rest (``RESCUE_*``: the sources say
   it in other words); a question step 3 let through is refused when no passage comes close (``ABSTAIN_*``).
5. **Ranking.** Weighted BM25 (:class:`~retrieval.search.Bm25Index`; a paragraph laid out a sentence a line scores
   as its best line, ``LINE_SCORES``; the focus of "who is X's coach" weighs ``FOCUS_WEIGHT``) fused with the
   best-sentence cosine, plus a little for a source whose title holds the question's words (``TITLE_WEIGHT``); the
   first passage naming the subject of "who/what is X" first (news introduces a person in full once); then passages
   that hold an answer of the expected type (a duration for "how long", a date for "when", a name for "who did
   ...") among those scoring at least ``SUPPORTING_SCORE_RATIO`` of the best.
6. **Quotes.** Up to ``max_quotes``, each at least ``SUPPORTING_SCORE_RATIO`` of the best score, no two
   near-duplicates (a syndicated copy or the same article loaded twice is quoted once); a first quote without the
   expected type gives way to the paragraph after it when that has one (``TYPED_NEXT_PARAGRAPH``); the best
   sentence of the first is marked. "How old is <name>", "how much did ... cost" and "how tall" are refused when no
   candidate states an age, an amount of money or a height (``MEASURE_REFUSAL``); when one does and the first quote
   does not, the best such passage of the same article is quoted first (``MEASURE_FIRST``).

Rules 3 and 4 of step 3 and their thresholds were chosen on XQuAD-en (every question answerable: false
abstentions) against the same questions asked of another XQuAD article (none answerable: false answers); rule 3b's
on XQuAD-en against off-topic questions about the seed article's subjects (``benchmarks/seed-offtopic.jsonl``); the
fusion and meaning thresholds on the dev question sets with ``python -m benchmarks.answer_sweep`` (see the README).
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from wordfreq import zipf_frequency

from retrieval.answers.answer_types import AnswerType, Measure, asked_measure, has_answer_type, states_measure
from retrieval.answers.query import Frame, Query, parse_query
from retrieval.answers.related import word_forms_or_related
from retrieval.corpus import Corpus
from retrieval.errors import EmptyQuestion
from retrieval.models import Answer, Hit
from retrieval.search.index import Bm25Index, top_k
from retrieval.sources.sentences import sentence_spans
from retrieval.text.background import information_content
from retrieval.text.lexicon import default_lexicon
from retrieval.text.spelling import english_correction
from retrieval.text.stopwords import CHAT_FILLER
from retrieval.text.tokenizer import Token
from retrieval.yielding import let_others_run

MAX_QUOTES = 3
MAX_QUERY_WORDS = 64
"""A query keeps at most this many distinct words, the most informative first: bounds the cost of a huge question."""
MISSING_INFORMATION_SHARE = 0.6
"""Rule 3: abstain when the words the sources lack carry at least this share of the question's information."""
MIN_PASSAGE_COVERAGE = 0.3
MISSING_EVIDENCE_SHARE = 0.67
"""Rule 3b: abstain when the words the sources lack carry at least this share of the question's evidence, a word the
sources have counting in proportion to its IDF (see :func:`_evidence`)."""
"""Rule 4: abstain when no single passage holds words carrying at least this share of the question's information."""
SUPPORTING_SCORE_RATIO = 0.3
"""A supporting quote must score at least this share of the best quote's score."""
NEAR_DUPLICATE_JACCARD = 0.8
"""Passages whose term sets overlap this much (a syndicated copy, the same article twice) are quoted once."""

DENSE_WEIGHT = 0.3
"""Weight of the dense leg (best-sentence cosine scaled to 0..1 over the corpus) against BM25 scaled to 0..1."""
DENSE_FLOOR = "min"
DENSE_BY_COVERAGE = True
RESCUE_COSINE = 0.845
RESCUE_STANDOUT = 2.0
"""A question of two or more content words (one word has too little meaning to trust its vector) that the lexical
rules refuse is answered anyway when a passage's sentence is at least ``RESCUE_COSINE``
close in meaning (e5 cosine) and stands ``RESCUE_STANDOUT`` standard deviations above the corpus's mean: the sources
say it in other words ("phone call" ~ "telephoned")."""
ABSTAIN_COSINE = 0.84
ABSTAIN_STANDOUT = 2.0
ABSTAIN_EVIDENCE = 0.75
"""A question the lexical rules let through is refused when no passage is ``ABSTAIN_COSINE`` close in meaning and
none stands ``ABSTAIN_STANDOUT`` standard deviations out: its words are there, but nothing says what it asks
("How old is Sheinbaum?" of an article that names her 10 times and never gives her age). Unless its words are the
sources' rare ones: when their evidence (:func:`_evidence`) is at least ``ABSTAIN_EVIDENCE`` of their weight, the
sources speak of just what it names ("What has the Mexican government seized?" of "large-scale seizures"), and
meaning does not overrule them."""
ENTITY_ALIASES = True
"""Add a nickname's full name (and the reverse) to a question that names one (:func:`_alias_words`)."""
PARAPHRASABLE_ZIPF = 3.0
NAMED_KEY_RULE = True
"""Rule 2b: refuse when the question's most informative word is missing and is a name or a coinage English uses
(:func:`_known_name`): "what is the price of bitcoin" of sources that never say "bitcoin"."""
WORDNET_NAMES = True
"""Rule 2c: refuse when a word typed in lower case that the sources lack is a name (WordNet spells it with a capital
in every sense: "what did canada say"; capitalised names are rule 2's); a name has no paraphrase, so meaning does not
lift the refusal."""
MIN_PASSAGES_FOR_STANDOUT = 10
"""Below this many passages the standout of the best one is not measured, and the dense abstention rule is off."""
RELATED_WEIGHT = 0.5
ALIAS_WEIGHT = 0.5
TYPED_CLOSEST = True
"""The passage closest in meaning joins the typed-first group when it holds the expected answer type, whatever its
fused score: "how long was their phone call" of a text that says "conversation ... lasted about eight minutes"."""
CONTEXT_WEIGHT = 0.5
LEXICON_EXPANSION = True
TYPO_CORRECTION = True
"""A question word that neither the sources nor English know ("tlak") is read as the common English word one edit
away ("talk", :func:`~retrieval.text.spelling.english_correction`) before WordNet is asked; the sources' own words
are matched first (misspelt names: :class:`~retrieval.text.vocabulary.Vocabulary`)."""
TYPED_WIDENING = True
"""When the first quote lacks the answer type the question wants (a number for "how many"), rank again with the
derivations and synonyms of the question's words (:func:`_related_words`), and take that ranking if its first quote
has one."""
"""Look a word the sources lack up in WordNet (:mod:`retrieval.answers.related`) before calling it missing."""
WORD_FORMS_IN_FULL = True
"""A form of the question's word that WordNet found in the sources ("found" -> "find", "speak" -> "spoke") counts as
the word itself: full weight, and in the question's coverage (derivations and synonyms count ``RELATED_WEIGHT``)."""
NOTHING_CLOSE = "Nothing in the sources comes close to answering that."
DEFINITION_BONUS = 0.5
"""Added to the fused score of the first passage naming the subject of "who is X" / "what is X"."""
CHAT_FILLER_DROPPED = True
KEYWORDS_NOT_REFUSED = True
"""Words typed as to a search engine, all found in the sources ("El Mencho"), are not refused for meaning nothing."""
COMPOUNDS_AS_ONE = True
COMPOUND_PRESENT_ZIPF = 5.5
"""A compound's half the sources have counts as the compound's only when rarer than this (:func:`_compounds_as_one`)."""
LINE_SCORES = True
"""A passage laid out one sentence a line (news copy pasted with a paragraph a line, blank lines between groups of
them) scores as well as its best line would as a passage of its own (:func:`_with_best_lines`): the lead's one line
that shares two words with the question no longer beats the group whose one line holds all three. Passage-level
evidence: Callan, SIGIR 1994; "MaxP": Dai & Callan, SIGIR 2019."""
LINE_CANDIDATES = 40
"""How many of the best passages by BM25 are scored line by line."""
LINE_LENGTH_SAMPLE = 2000
"""The library's average line length is read from at most this many passages spread over it."""
TYPED_NEXT_PARAGRAPH = True
"""When the first quote lacks an answer of the type the question wants (a date for "when"), and the passage after it
in its article has one and holds a word of the question, that passage is quoted first: news gives in its second
paragraph the details its lead sums up ("Jarre is to perform at a concert in Copenhagen ..." then "... a concert at
Parken stadium on 2 April"). See :func:`_typed_next_paragraph_first`."""
MEASURE_REFUSAL = True
"""Refuse "how old is <name>", "how much did ... cost / pay / ..." and "how tall" when no passage scoring at least
``SUPPORTING_SCORE_RATIO`` of the best states an age, an amount of money or a height
(:func:`~.answer_types.asked_measure`): the sources speak of the person or the deal, but not of what is asked ("how
old is maurice greene" of an article on his races)."""
MEASURE_FIRST = True
"""When the question asks for a measure (an age, an amount of money, a height) and the first quote does not state
one, the best candidate of the same article scoring at least ``SUPPORTING_SCORE_RATIO`` of the best that does is
quoted first (:func:`_stating_first`): "how much did the peru wifi project cost" wants "led the $200,000 project"
over the lead that only names the project."""
FOCUS_WEIGHT = 2.0
"""The question's focus (:attr:`~retrieval.answers.query.Query.focus`: "coach" of "who is ashia hansen's coach")
weighs this many times a content word."""
TITLE_WEIGHT = 0.1
"""A passage gains up to this (the fused score's scale: BM25 over its best is 0..1) for its source's title holding
the question's words (:func:`_title_prior`)."""
CANDIDATES = 40
"""Passages ranked in full for a question (the rest cannot be among the quotes), unless all of them are near-copies
of fewer than ``max_quotes`` passages and still score high enough to be quoted: then 4 times as many, up to
``MAX_CANDIDATES`` (a story syndicated 100 times must not crowd out the other passages that answer)."""
MAX_CANDIDATES = 2560

NO_SOURCES = "No sources are loaded, so there is nothing to quote. A moderator can add articles and reload."
NO_WORDS = "That question has no words to search for. Ask about a person, place or event in the sources."
ONLY_CHAT = "Glad to help. Ask about a person, place or event in the sources any time."
NO_CONTENT_WORDS = (
    "That question has only common words, so there is nothing to search for. Ask about a person, place or event."
)


def answer_question(
    question: str, corpus: Corpus, *, max_quotes: int = MAX_QUOTES, previous: str | None = None
) -> Answer:
    """Answer ``question`` from ``corpus``.

    Parameters
    ----------
    previous
        The question this one follows up (a reply to an answer): its pronouns and "that" point back to it
        (:func:`~retrieval.answers.query.parse_query`). None: a new question.

    Returns
    -------
    Answer
        Up to ``max_quotes`` hits, best first, with no two near-duplicates; or no hits and ``not_covered_reason``.

    Raises
    ------
    EmptyQuestion
        ``question`` has no visible characters.
    """
    if not question.strip():
        raise EmptyQuestion()
    if not corpus.passages:
        return Answer(question=question, not_covered_reason=NO_SOURCES)
    index = corpus.index
    query = parse_query(question, index.tokenizer, previous)
    if query.unnamed_antecedent and previous:
        # "who is she?" after "how long was their phone call": she is whoever the answer to that named.
        earlier = answer_question(previous, corpus, max_quotes=1)
        if earlier.hits:
            query = parse_query(question, index.tokenizer, previous, earlier.hits[0].passage.text)
    words = _query_words(query, index)
    words += _alias_words(words, corpus.entity_aliases) if ENTITY_ALIASES else []
    query = _subject_as_found(query, words)
    if CHAT_FILLER_DROPPED and query.content and all(t.word in CHAT_FILLER for t in (*query.content, *query.context)):
        # "ok cool", "thanks!": chat, not a question, though an article may say "ok"
        return Answer(question=question, not_covered_reason=ONLY_CHAT)
    if not words:
        return Answer(question=question, not_covered_reason=NO_CONTENT_WORDS if query.tokens else NO_WORDS)
    reason = _not_covered_reason(query, words, index)
    mended = {w.token.word: w.meant for w in words if w.meant}
    searched = {w.token.word for w in words}
    # Chat dropped from the search ("hey bot who is ...") is dropped from what the encoder reads too.
    mended |= {t.word: "" for t in query.content if t.word in CHAT_FILLER and t.word not in searched}
    meaning = _dense_cosines(query, previous, corpus, mended)
    if meaning is not None:
        own = [w for w in words if not w.context]
        if reason and len(own) >= 2 and meaning.stands_out(RESCUE_COSINE, RESCUE_STANDOUT) and _paraphrasable(own):
            reason = None  # the sources say it in other words
        elif (
            not reason
            and not query.is_follow_up
            and not (KEYWORDS_NOT_REFUSED and query.is_keywords and all(w.terms for w in own))
            and len(meaning.passage) >= MIN_PASSAGES_FOR_STANDOUT
            and not meaning.stands_out(ABSTAIN_COSINE, ABSTAIN_STANDOUT, any)
            and _evidence(own, index) < ABSTAIN_EVIDENCE * sum(w.weight for w in own)
        ):
            reason = NOTHING_CLOSE
    if reason:
        return Answer(question=question, not_covered_reason=reason)
    weights, coverage = _term_weights(words, query.focus), _best_coverage(words, index)
    prior = _title_prior(words, corpus)
    candidates, closest = CANDIDATES, _closest(meaning)
    # The person asked about, under any of the names the sources give them, is not the answer to "who ...".
    asked = query.asked | frozenset(part for w in words if w.alias for part in w.token.word.split())
    typed: dict[int, bool] = {}  # passage position -> holds an answer of the type: each passage's text is read once
    while True:
        ranked = _rank(query, weights, index, meaning, coverage, candidates, prior)
        chosen = _quotes(ranked, index, query.answer_type, closest, max_quotes, typed, asked)
        if (
            len(chosen) >= max_quotes
            or len(ranked) < candidates  # every passage that matches was ranked
            or candidates >= MAX_CANDIDATES
            or ranked[-1].score < SUPPORTING_SCORE_RATIO * ranked[0].score
        ):
            break
        candidates *= 4  # every candidate was a near-copy of a quote (a syndicated story): look further down
    if not chosen:
        missing = reason or f"The sources don't mention {_quote_words(words)}."
        return Answer(question=question, not_covered_reason=missing)
    measure = (
        asked_measure([t.word for t in query.tokens], _about_names(words)) if MEASURE_REFUSAL or MEASURE_FIRST else None
    )
    if MEASURE_REFUSAL and measure is not None and not _states(measure, ranked, index):
        return Answer(question=question, not_covered_reason=f"The sources don't give {measure.name} for that.")
    first_text = index.text_at(chosen[0].position)
    if TYPED_WIDENING and query.answer_type and not has_answer_type(first_text, query.answer_type, asked):
        # "how many soldiers died": no passage holding "died" gives a number; one saying "25 ... deaths" does.
        wider = words + _related_words(words, index)
        if len(wider) > len(words):
            wider_weights = _term_weights(wider, query.focus)
            ranked = _rank(query, wider_weights, index, meaning, coverage, CANDIDATES, prior)
            widened = _quotes(ranked, index, query.answer_type, closest, max_quotes, typed, asked)
            if widened and has_answer_type(index.text_at(widened[0].position), query.answer_type, asked):
                chosen, weights = widened, wider_weights
    if TYPED_NEXT_PARAGRAPH and query.answer_type and chosen:
        chosen = _typed_next_paragraph_first(chosen, index, query, weights, max_quotes, asked)
    if MEASURE_FIRST and measure is not None:
        chosen = _stating_first(chosen, ranked, index, measure, max_quotes)
    hits = _hits(chosen, index, weights)
    best = _best_sentence(hits[0], index, query.answer_type, asked)
    return Answer(question=question, hits=tuple(hits), best_sentence=best)


def prepare_for_questions(corpus: Corpus) -> None:
    """Make now what the answer path otherwise makes on a library's first question, kept per index: each source's
    title terms (:func:`_title_postings`: 80 ms at 19,000 sources), the sources' words by term (the spelling
    fallback's reverse map), each passage's source and the average line length; and, once per process, WordNet's
    exception lists, wordfreq's table and the sentence splitter's expressions. Safe to call while questions are
    answered in other threads (they would make the same tables)."""
    default_lexicon()
    information_content("the")
    sentence_spans("A first sentence. And a second.")
    if not corpus.passages:
        return
    index = corpus.index
    if TITLE_WEIGHT and len(corpus.sources) >= 2:
        _title_postings(corpus)
    _source_positions(index)
    if LINE_SCORES:
        _average_line_length(index)
    index.vocabulary.words_of("")


@dataclass(frozen=True)
class _QueryWord:
    """A content word of the question: its token, the index terms it stands for (its own term, or what
    :meth:`~retrieval.text.vocabulary.Vocabulary.resolve` found; empty when the sources lack it), its weight, the
    background information content of the word in nats, and whether it came from the previous question of a
    follow-up (context words help rank but are never said to be missing)."""

    token: Token
    terms: tuple[str, ...]
    weight: float
    context: bool = False
    related: bool = False
    """The terms are WordNet's related words (:mod:`.related`), not the word itself or its spelling variants."""
    alias: bool = False
    """The terms are the other name of a person the question names (:func:`_alias_words`)."""
    meant: str | None = None
    """The word the question meant when it was typed wrong ("tlak" -> "talk", "mecho" -> "mencho"); None: as typed."""


def _query_words(query: Query, index: Bm25Index) -> list[_QueryWord]:
    """One entry per distinct content word of the question, in question order, then the follow-up context's; at
    most ``MAX_QUERY_WORDS`` of the question's own, the most informative."""
    kept = set(sorted((t.word for t in query.content), key=information_content, reverse=True)[:MAX_QUERY_WORDS])
    words = []
    for token, context in [*((t, False) for t in query.content if t.word in kept), *((t, True) for t in query.context)]:
        meant = None
        if index.document_frequency(token.term):
            terms: tuple[str, ...] = (token.term,)
        else:
            terms = tuple(t for t in index.vocabulary.resolve(token) if index.document_frequency(t))
            if len(terms) == 1 and not context:
                meant = _source_word(terms[0], token.word, index)
        related = False
        if not terms and not token.capitalized and LEXICON_EXPANSION:
            terms, same_word = word_forms_or_related(token.word, index)
            if not terms and TYPO_CORRECTION and (corrected := english_correction(token.word)):
                meant = corrected
                meant_terms = index.tokenizer.terms(corrected)
                if not meant_terms:
                    continue  # a typed-wrong stopword ("thier"): nothing to search for
                if all(index.document_frequency(t) for t in meant_terms):
                    terms, same_word = tuple(meant_terms), True
                else:
                    terms, same_word = word_forms_or_related(corrected, index)
            related = bool(terms) and not (same_word and WORD_FORMS_IN_FULL)
        if context and not terms:
            continue
        if not terms and CHAT_FILLER_DROPPED and token.word in CHAT_FILLER:
            continue  # "quick question: ...", "thx! and where ...": chat, not a topic the sources could lack
        words.append(_QueryWord(token, terms, information_content(token.word), context, related, meant=meant))
    return words


def _subject_as_found(query: Query, words: list[_QueryWord]) -> Query:
    """``query`` with each word of its subject ("who is X") given the one term it was found as in the sources, so
    "who is shienbaum" looks for the first mention of "sheinbaum"."""
    found = {w.token.word: w.terms[0] for w in words if len(w.terms) == 1 and not w.related and not w.alias}
    subject = tuple(replace(t, term=found.get(t.word, t.term)) if t.term else t for t in query.subject)
    return replace(query, subject=subject) if subject != query.subject else query


def _source_word(term: str, typed: str, index: Bm25Index) -> str | None:
    """A word of the sources whose term is ``term``, the closest in length to ``typed``: what a misspelt question
    word meant, spelt as the sources spell it."""
    found = index.vocabulary.words_of(term)
    return min(found, key=lambda w: (abs(len(w) - len(typed)), w)) if found else None


def _related_words(words: list[_QueryWord], index: Bm25Index) -> list[_QueryWord]:
    """WordNet's derivations or synonyms in the sources of the question's own words that the sources have as
    written, as related words (weight ``RELATED_WEIGHT``); only terms not already searched."""
    held = {term for word in words for term in word.terms}
    extra = []
    for word in words:
        if word.context or word.related or word.alias or not word.terms or word.token.capitalized:
            continue
        terms, _ = word_forms_or_related(word.token.word, index, forms_too=False)
        new = tuple(t for t in terms if t not in held)
        if new:
            extra.append(_QueryWord(word.token, new, word.weight, related=True))
            held.update(new)
    return extra


def _paraphrasable(words: list[_QueryWord]) -> bool:
    """Whether every word the sources lack is a dictionary word, which the sources may say in other words ("phone"
    ~ "telephoned"); a name or a coinage ("bitcoin", "Guadalajara") has no paraphrase, so meaning cannot stand in for
    it. A dictionary word is one WordNet has (any inflection) but not as a name only ("canada" typed in lower case,
    rule 2c), or without WordNet one common in English (wordfreq Zipf >= ``PARAPHRASABLE_ZIPF``)."""
    lexicon = default_lexicon()
    for word in words:
        if word.terms or word.context:
            continue
        known = (
            lexicon.base_forms(word.token.word)
            if lexicon
            else zipf_frequency(word.token.word, "en") >= PARAPHRASABLE_ZIPF
        )
        if not known or (not word.token.capitalized and _is_name(word.token.word)):  # rule 2c's names
            return False
    return True


def _is_name(word: str) -> bool:
    """Whether WordNet has ``word`` only as a name ("canada", "everest", "christmas" however typed; not "china" or
    "turkey", which are also common nouns, nor words of under 4 letters: "us", "eu" typed for "US", "EU"). False
    without WordNet or with ``WORDNET_NAMES`` off."""
    lexicon = default_lexicon()
    return WORDNET_NAMES and lexicon is not None and len(word) >= 4 and lexicon.is_proper_noun(word)


def _known_name(word: str) -> bool:
    """A word general English uses (wordfreq Zipf >= ``PARAPHRASABLE_ZIPF``, 4+ letters) that WordNet lacks: a name
    or a coinage ("bitcoin"), not a typing slip ("consts", "tp"), which is rare, nor a dictionary word. False without
    WordNet."""
    lexicon = default_lexicon()
    return (
        lexicon is not None
        and len(word) >= 4
        and zipf_frequency(word, "en") >= PARAPHRASABLE_ZIPF
        and not lexicon.base_forms(word)
    )


def _alias_words(words: list[_QueryWord], aliases: dict[tuple[str, ...], tuple[str, ...]]) -> list[_QueryWord]:
    """The other name of a person the question names ("El Mencho" -> "Nemesio Rubén Oseguera Cervantes"), as context
    words: they help rank, at ``ALIAS_WEIGHT``, and are never said to be missing. A nickname matches when all its terms
    are in the question; a full name of three or more words when any word but the first (a given name) is."""
    held = {term for word in words for term in word.terms}
    extra = []
    for key, partner in aliases.items():
        if set(key) <= held or (len(key) >= 3 and held & set(key[1:])):
            new = tuple(t for t in partner if t not in held)
            if new:
                token = Token(word=" ".join(partner), term=None, capitalized=True)
                extra.append(_QueryWord(token, new, 0.0, context=True, alias=True))
                held.update(new)
    return extra


def _not_covered_reason(query: Query, all_words: list[_QueryWord], index: Bm25Index) -> str | None:
    """The reason the sources don't cover the question (rules 1-4 of the module docstring), or None. Only the
    question's own words are checked: context words of a follow-up were found before."""
    words = [w for w in all_words if not w.context]
    if not words:
        return None
    if COMPOUNDS_AS_ONE:
        words = _compounds_as_one(query, words)
    missing = [w for w in words if not w.terms]
    if len(missing) == len(words):
        return f"The sources don't mention {_quote_words(missing)}."
    missing_words = {w.token.word for w in missing}
    content_words = {w.token.word for w in words}
    for name in query.names:
        name_words = [t.word for t in name if t.word in content_words]
        if name_words and all(w in missing_words for w in name_words):
            return f"The sources don't mention “{_shown(' '.join(_display(t) for t in name), 2 * SHOWN_WORD_CHARS)}”."
    names = [w for w in missing if not w.token.capitalized and _is_name(w.token.word)]  # capitalised: rule 2
    if names:
        return f"The sources don't mention {_quote_words(names)}."  # rule 2c
    key = max(words, key=lambda w: w.weight)
    if NAMED_KEY_RULE and not key.terms and _known_name(key.token.word):
        return f"The sources don't mention {_quote_words([key])}."  # rule 2b
    total = sum(w.weight for w in words)
    missing_weight = sum(w.weight for w in missing)
    if missing and (
        missing_weight >= MISSING_INFORMATION_SHARE * total  # rule 3
        or missing_weight >= MISSING_EVIDENCE_SHARE * (missing_weight + _evidence(words, index))  # rule 3b
    ):
        return f"The sources don't mention {_quote_words(missing)}."
    coverage = np.zeros(len(index))
    for word in words:
        coverage[index.passages_containing(word.terms)] += word.weight
    if coverage.max() < MIN_PASSAGE_COVERAGE * total:
        if missing:
            return f"The sources don't mention {_quote_words(missing)}."
        return f"No passage of the sources speaks of {_quote_words(words, joiner=' and ')} together."
    return None


def _compounds_as_one(query: Query, words: list[_QueryWord]) -> list[_QueryWord]:
    """``words`` with each compound the sources lack half of made one missing word: two content words side by side
    in the question that WordNet lists as one noun ("world cup", "phone call", "prime minister"), one of them absent
    from the sources and the other, if present, a word so common (wordfreq Zipf >= ``COMPOUND_PRESENT_ZIPF``:
    "world", "national", "state") that alone it does not say which thing is meant. "Who won the world cup" is not
    half answered by a passage about a world champion; "who sent radio waves" is by one about radio. The compound's
    weight is the sum of its words'."""
    lexicon = default_lexicon()
    if lexicon is None:
        return words
    by_word = {w.token.word: w for w in words}
    merged: dict[str, _QueryWord] = {}  # the word each compound replaces -> the compound
    for first, second in zip(query.tokens, query.tokens[1:], strict=False):
        a, b = by_word.get(first.word), by_word.get(second.word)
        if a is None or b is None or a is b or a.token.word in merged or b.token.word in merged:
            continue
        found = [w for w in (a, b) if w.terms]
        if len(found) == 2 or (found and zipf_frequency(found[0].token.word, "en") < COMPOUND_PRESENT_ZIPF):
            continue
        if not any(pos == "noun" for _, pos in lexicon.base_forms(f"{a.token.word} {b.token.word}")):
            continue
        token = Token(word=f"{a.token.word} {b.token.word}", term=None, capitalized=a.token.capitalized)
        compound = _QueryWord(token, (), a.weight + b.weight)
        merged[a.token.word] = merged[b.token.word] = compound
    if not merged:
        return words
    return list(dict.fromkeys(merged.get(w.token.word, w) for w in words))


def _evidence(words: list[_QueryWord], index: Bm25Index) -> float:
    """How much the words the sources have say that the sources cover the question: each word's weight times its
    best term's IDF over the highest IDF possible in this index (a term in one passage only). A word in many passages
    is the sources' subject ("Mexico" in an article about Mexico) and says little about whether they answer "What is
    the GDP of Mexico?"."""
    ceiling = index.idf_ceiling()
    return sum(w.weight * max(index.idf(t) for t in w.terms) / ceiling for w in words if w.terms)


def _display(token: Token) -> str:
    return token.word.upper() if token.acronym else token.word.title()


SHOWN_WORD_CHARS = 40
"""A word named in a reason is cut to this many characters: a 3000-letter "word" must not fill the reply."""


def _shown(text: str, limit: int = SHOWN_WORD_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote_words(words: list[_QueryWord], limit: int = 3, joiner: str = ", ") -> str:
    shown = joiner.join(
        f"“{_shown(_display(w.token) if w.token.capitalized or _is_name(w.token.word) else w.token.word)}”"
        for w in words[:limit]
    )
    return shown + (" or the rest of what you asked" if len(words) > limit else "")


@dataclass(frozen=True)
class _Meaning:
    """Dense cosines of the question: per passage its best sentence's (shape ``(len(index),)``), and per sentence
    (shape ``(n_sentences,)``, in :class:`~retrieval.search.dense.DenseIndex` order)."""

    passage: np.ndarray
    sentence: np.ndarray

    def stands_out(self, cosine: float, standout: float, combine=all) -> bool:
        """Whether the best passage is at least ``cosine`` close to the question and stands ``standout``
        standard deviations above the passages' mean (``combine=any``: either). With fewer than
        ``MIN_PASSAGES_FOR_STANDOUT`` passages the standout cannot be measured and the cosine alone decides."""
        best = float(self.passage.max())
        spread = float(self.passage.std())
        if len(self.passage) < MIN_PASSAGES_FOR_STANDOUT or spread == 0:
            return best >= cosine
        return combine([best >= cosine, (best - float(self.passage.mean())) / spread >= standout])


_REPEATED_WORD = re.compile(r"\b(\w+)(?:\W+\1\b)+", re.IGNORECASE)


def _dense_cosines(
    query: Query, previous: str | None, corpus: Corpus, mended: dict[str, str] | None = None
) -> _Meaning | None:
    """The question's cosines; ``mended`` maps words typed wrong to what they meant, so the encoder reads "who is el
    mencho" for "who is el mecho" (and chat left out of the search to "")."""
    if corpus.dense is None:
        return None
    asked = query.text
    for typed, meant in (mended or {}).items():
        asked = re.sub(rf"(?i)\b{re.escape(typed)}\b", meant, asked)
    text = f"{previous} {asked}" if query.is_follow_up and previous else asked
    text = _REPEATED_WORD.sub(r"\1", text)  # "word word word" means what "word" means, not more
    passage, sentence = corpus.dense.best_sentence_cosines(corpus.dense.query_vector(text))
    return _Meaning(passage, sentence)


def _best_coverage(words: list[_QueryWord], index: Bm25Index) -> float:
    """The largest share of the question's own information (word weights) that one passage holds in the question's
    own words, 0..1 (a WordNet synonym is weaker evidence and does not count). Summed over the words' postings."""
    own = [w for w in words if not w.context]
    total = sum(w.weight for w in own)
    if not total:
        return 0.0
    holding = [(index.passages_containing(w.terms), w.weight) for w in own if not w.related]
    positions = np.concatenate([found for found, _ in holding]) if holding else np.zeros(0, dtype=np.int64)
    if not len(positions):
        return 0.0
    weights = np.concatenate([np.full(len(found), weight) for found, weight in holding])
    _, inverse = np.unique(positions, return_inverse=True)
    return float(np.bincount(inverse, weights=weights).max()) / total


def _term_weights(words: list[_QueryWord], focus: Token | None = None) -> dict[str, float]:
    """Each query term's weight in the BM25 sum: 1 for the question's own words, ``RELATED_WEIGHT`` for a word
    WordNet found and ``CONTEXT_WEIGHT`` for a follow-up's words from the previous question (the lowest applies),
    times ``FOCUS_WEIGHT`` for the ``focus`` of a "who is" question (:attr:`~retrieval.answers.query.Query.focus`)."""
    weights: dict[str, float] = {}
    for word in words:
        if word.alias:
            weight = ALIAS_WEIGHT
        else:
            weight = min(1.0, RELATED_WEIGHT if word.related else 1.0, CONTEXT_WEIGHT if word.context else 1.0)
            if focus is not None and word.token.word == focus.word and not word.context:
                weight *= FOCUS_WEIGHT
        for term in word.terms:
            weights[term] = max(weights.get(term, 0.0), weight)
    return weights


class _Ranked(NamedTuple):
    """A ranked passage: its position in the index and its fused score (unitless, higher is better)."""

    position: int
    score: float


def _rank(
    query: Query,
    weights: dict[str, float],
    index: Bm25Index,
    meaning: _Meaning | None,
    coverage: float = 0.0,
    candidates: int = CANDIDATES,
    prior: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[_Ranked]:
    """The best ``candidates`` passages that match a term or (with dense vectors) mean something close, best first.

    The score fuses BM25 (a weighted sum over the query terms, :func:`_term_weights`) scaled by its best value with
    the passage's best-sentence cosine scaled over the corpus's range (above its minimum, or median):
    ``bm25 / max(bm25) + w * (cos - floor) / (max(cos) - floor)``, where ``w = DENSE_WEIGHT * (1 - coverage)``: the
    less of the question one passage's words hold, the more meaning counts. Then a definition question's first
    mention of its subject gains ``DEFINITION_BONUS`` and a passage that matches gains its source's title ``prior``
    (:func:`_title_prior`). Without dense vectors only the passages in the terms' postings (and first mentions) are
    scored, so the cost follows the postings, not the library.
    """
    marked = (
        _first_mentions(query.subject, index)
        if query.frame is Frame.DEFINITION and query.subject
        else np.zeros(0, dtype=np.int64)
    )
    matched, bm25 = index.weighted_scores(weights)
    if LINE_SCORES:
        bm25 = _with_best_lines(matched, bm25, weights, index)
    if meaning is not None and len(index) > 1:
        positions = np.arange(len(index))
        dense_bm25 = np.zeros(len(index))
        dense_bm25[matched] = bm25
        bm25 = dense_bm25
    elif len(marked):
        positions = np.union1d(matched, marked)
        bm25 = _spread(matched, bm25, positions)
    else:
        positions = matched
    fused = bm25 / bm25.max() if len(bm25) and bm25.max() > 0 else np.zeros(len(positions))
    if meaning is not None and len(index) > 1:
        cos = meaning.passage.astype(np.float64)
        floor = np.median(cos) if DENSE_FLOOR == "median" else cos.min()
        if cos.max() > floor:
            weight = DENSE_WEIGHT * (1 - coverage) if DENSE_BY_COVERAGE else DENSE_WEIGHT
            fused = fused + weight * np.clip((cos - floor) / (cos.max() - floor), 0, None)
    if len(marked):
        fused = fused + DEFINITION_BONUS * np.isin(positions, marked)
    if prior is not None:
        source_prior, source_of = prior
        fused = fused + source_prior[source_of[positions]] * (fused > 0)  # a title lifts passages that match only
    ranked = []
    for i in top_k(fused, candidates).tolist():
        if fused[i] <= 0:
            break
        ranked.append(_Ranked(int(positions[i]), float(fused[i])))
    return ranked


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
"""A line that ends a sentence: a full stop, question or exclamation mark or ellipsis, then any closing quotes or
brackets."""


def _with_best_lines(
    positions: np.ndarray, bm25: np.ndarray, weights: dict[str, float], index: Bm25Index
) -> np.ndarray:
    """``bm25`` (the scores of the passages at ``positions``; float64) with each of the ``LINE_CANDIDATES`` best
    passages of two or more lines, each but the last ending a sentence (a hard-wrapped paragraph breaks lines
    mid-sentence), given its best line's score when that is higher. A line is scored as BM25 scores a passage
    (:func:`_line_score`). Passages of one line keep their scores; ``bm25`` itself is not changed."""
    lifted = bm25
    average = None
    for i in top_k(bm25, LINE_CANDIDATES).tolist():
        text = index.text_at(int(positions[i]))
        if "\n" not in text:
            continue
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) < 2 or not all(_SENTENCE_END.search(line) for line in lines[:-1]):
            continue
        average = average or _average_line_length(index)
        best = max(_line_score(line, weights, index, average) for line in lines)
        if best > lifted[i]:
            lifted = lifted if lifted is not bm25 else bm25.copy()
            lifted[i] = best
    return lifted


def _line_score(line: str, weights: dict[str, float], index: Bm25Index, average: float) -> float:
    """Okapi BM25 of ``line`` as a passage of the index (its IDF, k1 and b) of length ``average`` on average, each
    query term's part times its weight: the sum :meth:`~retrieval.search.Bm25Index.weighted_scores` makes."""
    terms = index.tokenizer.terms(line)
    k1, b = index.params.k1, index.params.b
    norm = k1 * (1 - b + b * len(terms) / average)
    return sum(
        weights[term] * index.idf(term) * (count * (k1 + 1) / (count + norm))
        for term, count in Counter(terms).items()
        if term in weights
    )


_LINE_LENGTHS: weakref.WeakKeyDictionary[Bm25Index, float] = weakref.WeakKeyDictionary()
"""Each index's average line length (:func:`_average_line_length`), read once."""


def _average_line_length(index: Bm25Index) -> float:
    """The index's terms per line: its passages' terms (as counted for BM25) over their lines, read once per index
    from up to ``LINE_LENGTH_SAMPLE`` passages spread evenly over it (all 100,000 took 120 ms)."""
    average = _LINE_LENGTHS.get(index)
    if average is None:
        n = len(index)
        sample = np.unique(np.linspace(0, n - 1, min(n, LINE_LENGTH_SAMPLE)).astype(np.int64)).tolist() if n else []
        lines = sum(index.text_at(p).count("\n") + 1 for p in sample)
        start, counts = index.arrays.row_start, index.arrays.row_counts
        terms = sum(int(counts[start[p] : start[p + 1]].sum()) for p in sample)
        average = _LINE_LENGTHS[index] = terms / max(1, lines) or 1.0
    return average


def _spread(positions: np.ndarray, values: np.ndarray, onto: np.ndarray) -> np.ndarray:
    """``values`` (one per entry of ``positions``, a subset of the ascending ``onto``) laid out along ``onto``, 0.0
    elsewhere."""
    spread = np.zeros(len(onto))
    spread[np.searchsorted(onto, positions)] = values
    return spread


def _closest(meaning: _Meaning | None) -> int | None:
    """Position of the passage closest in meaning to the question (None without dense vectors or TYPED_CLOSEST)."""
    return int(np.argmax(meaning.passage)) if meaning is not None and TYPED_CLOSEST else None


def _first_mentions(subject: tuple[Token, ...], index: Bm25Index) -> np.ndarray:
    """Positions (ascending) of the first passage of each source that names ``subject`` (news names a person or
    thing in full, with what it is, the first time). A subject of several words is named by a passage
    holding them in that order, side by side ("Mexican President Claudia Sheinbaum" names "the Mexican president";
    "President Trump telephoned his Mexican counterpart" does not); a source with no such passage falls back to its
    first passage holding every word."""
    terms = [t.term for t in subject if t.term]
    if not terms:
        return np.zeros(0, dtype=np.int64)
    # Kept per index: a question ranks up to four times (wider candidates, related words) with the same subject,
    # and each time would tokenize up to MAX_PHRASE_CHECKS passages again.
    known = _FIRST_MENTIONS.setdefault(index, {})
    found = known.get(tuple(terms))
    if found is None:
        if len(known) >= FIRST_MENTIONS_KEPT:
            known.clear()
        found = known[tuple(terms)] = _first_mentions_of(terms, index)
        found.setflags(write=False)  # shared by later calls
    return found


_FIRST_MENTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
FIRST_MENTIONS_KEPT = 256
"""Subjects whose first mentions are kept per index (a few KB each)."""


def _first_mentions_of(terms: list[str], index: Bm25Index) -> np.ndarray:
    holding = None  # positions of the passages holding every term, ascending (from the postings, not a scan)
    for term in set(terms):
        found = index.passages_containing([term])
        holding = found if holding is None else np.intersect1d(holding, found, assume_unique=True)
    source_of = _source_positions(index)
    first_holding: dict[int, int] = {}
    named: dict[int, int] = {}
    for checked, i in enumerate(holding.tolist()):
        source = int(source_of[i])
        first_holding.setdefault(source, i)
        if source not in named and (
            len(terms) == 1
            or (checked < MAX_PHRASE_CHECKS and _holds_phrase(index.tokenizer.terms(index.text_at(i)), terms))
        ):
            named[source] = i
    return np.array(sorted(named.get(source_id, i) for source_id, i in first_holding.items()), dtype=np.int64)


_SOURCE_OF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _source_positions(index: Bm25Index) -> np.ndarray:
    """A number for each passage's source, shape ``(len(index),)``, equal for passages of one source (the source's
    position when the passages are a :class:`~retrieval.passage_table.PassageTable`); computed once per index."""
    found = _SOURCE_OF.get(index)
    if found is None:
        columns = getattr(index.passages, "columns", None)
        if columns is not None:
            found = np.asarray(columns["source"], dtype=np.int64)
        else:
            numbers: dict[str, int] = {}
            found = np.fromiter(
                (numbers.setdefault(p.source_id, len(numbers)) for p in index.passages), np.int64, len(index)
            )
        _SOURCE_OF[index] = found
    return found


_TITLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _title_postings(corpus: Corpus) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
    """Each passage's source position (shape ``(len(index),)``), the number of sources, and for each title term the
    positions of the sources whose title holds it; computed once per index."""
    index = corpus.index
    found = _TITLES.get(index)
    if found is None:
        if hasattr(index.passages, "columns") and getattr(index.passages, "sources", None) == corpus.sources:
            source_of = _source_positions(index)  # the table's source column: positions in corpus.sources
        else:
            position = {s.id: i for i, s in enumerate(corpus.sources)}
            source_of = np.fromiter((position[p.source_id] for p in index.passages), np.int64, len(index))
        holders: dict[str, list[int]] = {}
        for i, source in enumerate(corpus.sources):
            let_others_run()  # made beside the event loop after a reload (prepare_for_questions): 80 ms at 19,000
            for term in set(index.tokenizer.terms(source.title or "")):
                holders.setdefault(term, []).append(i)
        postings = {term: np.array(found, dtype=np.int64) for term, found in holders.items()}
        found = _TITLES[index] = (source_of, len(corpus.sources), postings)
    return found


def _title_prior(words: list[_QueryWord], corpus: Corpus) -> tuple[np.ndarray, np.ndarray] | None:
    """What each source's passages gain from its title, shape ``(len(corpus.sources),)``: ``TITLE_WEIGHT`` times
    the share of the question's own information (word weights) the title holds; with each passage's source position
    (shape ``(len(index),)``) to look it up. BM25F's idea of a title field (Robertson et al., "Simple BM25
    extension to multiple weighted fields", 2004), kept at source level: it picks the article, not the paragraph.
    None in a library of one source, where it changes nothing."""
    if not TITLE_WEIGHT or len(corpus.sources) < 2:
        return None
    source_of, count, postings = _title_postings(corpus)
    own = [w for w in words if not w.context and w.terms]
    total = sum(w.weight for w in own)
    share = np.zeros(count)
    for word in own:
        holding = [postings[t] for t in word.terms if t in postings]
        if holding:
            share[np.unique(np.concatenate(holding))] += word.weight / total
    return TITLE_WEIGHT * share, source_of


MAX_PHRASE_CHECKS = 200
"""Passages holding a subject's words checked for the words side by side (each is tokenized again)."""


def _holds_phrase(terms: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(terms[i : i + n] == phrase for i in range(len(terms) - n + 1))


def _quotes(
    ranked: list[_Ranked],
    index: Bm25Index,
    answer_type: AnswerType | None,
    closest: int | None,
    limit: int,
    typed_known: dict[int, bool] | None = None,
    asked: frozenset[str] = frozenset(),
) -> list[_Ranked]:
    """Up to ``limit`` of ``ranked`` to quote, no two near-duplicates (term-set Jaccard >= ``NEAR_DUPLICATE_JACCARD``),
    each scoring at least ``SUPPORTING_SCORE_RATIO`` of the first chosen.

    Passages holding an answer of ``answer_type`` that score at least ``SUPPORTING_SCORE_RATIO`` of the best (or are
    the passage closest in meaning, position ``closest``) come first, then the rest; score order within each group.
    A passage without a duration cannot say how long. A near-copy of a chosen quote is passed over before its text is
    read for an answer type: a syndicated story's copies cost a set comparison each, not a regular expression.
    ``typed_known`` keeps what was read, by position, for the next call with the same ``answer_type``.
    """
    known = {} if typed_known is None else typed_known

    def holds_type(position: int) -> bool:
        found = known.get(position)
        if found is None:
            found = known[position] = has_answer_type(index.text_at(position), answer_type, asked)
        return found

    chosen: list[_Ranked] = []
    chosen_terms: list[set[int]] = []

    def near_copy(terms: set[int]) -> bool:
        return any(_jaccard(terms, other) >= NEAR_DUPLICATE_JACCARD for other in chosen_terms)

    def choose(candidate: _Ranked, terms: set[int]) -> None:
        chosen.append(candidate)
        chosen_terms.append(terms)

    typed: set[int] = set()
    if answer_type is not None and ranked:
        floor = SUPPORTING_SCORE_RATIO * ranked[0].score
        for candidate in ranked:
            if len(chosen) == limit:
                return chosen
            if candidate.score < floor and candidate.position != closest:
                continue
            below = bool(chosen) and candidate.score < SUPPORTING_SCORE_RATIO * chosen[0].score
            terms = index.term_ids_at(candidate.position)
            if not below and near_copy(terms):
                continue  # passed over in either group: it neither stops the search nor is quoted
            if holds_type(candidate.position):
                if below:
                    return chosen
                typed.add(candidate.position)
                choose(candidate, terms)
    for candidate in ranked:
        if candidate.position in typed:
            continue
        if len(chosen) == limit or (chosen and candidate.score < SUPPORTING_SCORE_RATIO * chosen[0].score):
            break
        terms = index.term_ids_at(candidate.position)
        if not near_copy(terms):
            choose(candidate, terms)
    return chosen


def _typed_next_paragraph_first(
    chosen: list[_Ranked],
    index: Bm25Index,
    query: Query,
    weights: dict[str, float],
    limit: int,
    asked: frozenset[str],
) -> list[_Ranked]:
    """``chosen`` with the passage after the first quote put first, when the first lacks an answer of the type the
    question wants and that next passage, of the same source, has one and holds a query term (it scores as the
    first did); else ``chosen`` unchanged. At most ``limit`` quotes."""
    first = chosen[0].position
    after = first + 1
    if after >= len(index) or has_answer_type(index.text_at(first), query.answer_type, asked):
        return chosen
    source_of = _source_positions(index)
    if source_of[after] != source_of[first] or not set(index.passage_terms.distinct(after)) & weights.keys():
        return chosen
    if not has_answer_type(index.text_at(after), query.answer_type, asked):
        return chosen
    return [_Ranked(after, chosen[0].score), *(c for c in chosen if c.position != after)][:limit]


def _about_names(words: list[_QueryWord]) -> bool:
    """Whether the question's own content words are all names: capitalised past the first word, or words WordNet
    lacks or knows only as names ("maurice greene", "el mencho"); False without WordNet, unless capitalised. A
    follow-up with no content word of its own ("how old is he?") is about the previous question's words."""
    lexicon = default_lexicon()
    own = [w.token for w in words if not w.context and not w.alias] or [w.token for w in words if not w.alias]
    return bool(own) and all(
        t.capitalized
        or t.word in _NAME_PARTICLES
        or (lexicon is not None and (not lexicon.base_forms(t.word) or lexicon.is_proper_noun(t.word)))
        for t in own
    )


_NAME_PARTICLES = frozenset({"el", "la", "le", "de", "del", "da", "di", "du", "van", "von", "al", "bin"})
"""Short words that stand inside names ("El Mencho", "Leonardo da Vinci") and that WordNet may know as other words
("el": an elevated railway)."""


def _states(measure: Measure, ranked: list[_Ranked], index: Bm25Index) -> bool:
    """Whether a passage scoring at least ``SUPPORTING_SCORE_RATIO`` of the best states ``measure``."""
    floor = SUPPORTING_SCORE_RATIO * ranked[0].score
    return any(states_measure(index.text_at(c.position), measure) for c in ranked if c.score >= floor)


def _stating_first(
    chosen: list[_Ranked], ranked: list[_Ranked], index: Bm25Index, measure: Measure, limit: int
) -> list[_Ranked]:
    """``chosen`` with the best of ``ranked`` that states ``measure``, is from the first quote's article and scores at
    least ``SUPPORTING_SCORE_RATIO`` of the best put first, when the first quote states none; else ``chosen``
    unchanged (the words chose the article; the measure chooses within it). At most ``limit`` quotes."""
    if states_measure(index.text_at(chosen[0].position), measure):
        return chosen
    floor = SUPPORTING_SCORE_RATIO * ranked[0].score
    source_of = _source_positions(index)
    article = source_of[chosen[0].position]
    for candidate in ranked:
        if candidate.score < floor:
            break
        if source_of[candidate.position] == article and states_measure(index.text_at(candidate.position), measure):
            return [candidate, *(c for c in chosen if c.position != candidate.position)][:limit]
    return chosen


def _hits(chosen: list[_Ranked], index: Bm25Index, weights: dict[str, float]) -> list[Hit]:
    """The chosen passages as hits, each with the query terms it holds (in its own order)."""
    query = set(weights)
    return [
        Hit(
            passage=index.passages[c.position],
            score=c.score,
            matched_terms=tuple(t for t in index.passage_terms.distinct(c.position) if t in query),
        )
        for c in chosen
    ]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _best_sentence(
    hit: Hit, index: Bm25Index, answer_type: AnswerType | None = None, asked: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """(start, end) in ``hit.passage.text`` of its best sentence, or None when it has only one: a sentence holding
    an answer of the expected type (a name not among the ``asked`` words for a person) and a matched term first,
    then the most IDF in matched terms."""
    spans = index.sentence_spans_of(hit.passage)
    if len(spans) < 2:
        return None
    matched = set(hit.matched_terms)

    def weight(span: tuple[int, int]) -> tuple[bool, float]:
        text = hit.passage.text[span[0] : span[1]]
        terms = set(index.tokenizer.terms(text)) & matched
        matched_weight = sum(index.idf(t) for t in terms)
        typed = answer_type is not None and matched_weight > 0 and has_answer_type(text, answer_type, asked)
        return (typed, matched_weight)

    return max(spans, key=weight)
