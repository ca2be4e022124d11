"""Question understanding, done once: a question becomes a typed :class:`Query` that every later stage reads.

A :class:`Query` holds the question's tokens, its content words (question and frame words left out), the names in
it, the expected answer type (:mod:`.answer_types`), the question's frame (what kind of answer it asks for) and, for
"who is X" / "what is X", the subject X. A follow-up ("and when was that?", "who is she?") is parsed with the
question it follows: its pronouns point back, so the previous question's content words join its own
(:func:`parse_query` with ``previous``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from wordfreq import zipf_frequency

from retrieval.answers.answer_types import QUESTION_WORDS, AnswerType, QuestionFrame, main_clause, question_frame
from retrieval.text.background import information_content
from retrieval.text.lexicon import default_lexicon
from retrieval.text.spelling import english_correction
from retrieval.text.stopwords import CHAT_FILLER
from retrieval.text.tokenizer import Token, Tokenizer
from retrieval.text.vocabulary import damerau_levenshtein


class Frame(Enum):
    """What kind of answer a question asks for, read from its opening words."""

    DEFINITION = "definition"
    """ "who is X", "what is X", "what does X mean": the passage that says who or what X is."""
    YES_NO = "yes-no"
    """ "did / was / is / does / can ...": a passage that confirms or denies."""
    QUANTITY = "quantity"
    TIME = "time"
    PLACE = "place"
    PERSON = "person"
    REASON = "reason"
    MANNER = "manner"
    OTHER = "other"


YES_NO_OPENERS = frozenset(
    "did do does was were is are has have had can could will would should shall may might must".split()
)
QUESTION_OPENERS = QUESTION_WORDS | YES_NO_OPENERS
"""Words a question can open with: the question words, and the auxiliaries of a yes/no question."""
ANAPHORS = frozenset("he she him her his hers they them their theirs it its that this those these there then".split())
"""Words that point back to something said before: a follow-up holding one is read with the previous question."""
_DEFINITION_VERBS = frozenset({"is", "was", "are", "were"})
_WHO_WORDS = frozenset({"who", "whom", "whose"})


@dataclass(frozen=True)
class Query:
    """A parsed question.

    Attributes
    ----------
    text
        The question as asked.
    tokens
        ``Tokenizer.tokens`` of the question, stopwords included.
    frame
        What kind of answer it asks for.
    answer_type
        The type an answer must hold (a duration for "how long"), or None.
    frame_words
        Lower-case words that only name the answer type ("long" of "how long"): left out of the search.
    content
        The distinct content tokens (with an index term), frame words left out, in question order.
    names
        Runs of capitalised words past the first word ("Claudia Sheinbaum", "State of the Union").
    subject
        For a definition question, the tokens of what it asks about ("el mencho" of "who is el mencho"); else ().
    context
        Content tokens taken from the previous question of a follow-up (not already in ``content``); else ().
    """

    text: str
    tokens: tuple[Token, ...]
    frame: Frame
    answer_type: AnswerType | None
    frame_words: frozenset[str]
    content: tuple[Token, ...]
    names: tuple[tuple[Token, ...], ...]
    subject: tuple[Token, ...] = ()
    context: tuple[Token, ...] = field(default=())
    focus: Token | None = None
    """The noun naming whom a "who is" question asks about ("coach" of "who is ashia hansen's coach"): a passage
    saying who that is holds it (:func:`_focus`); None for other questions."""
    unnamed_antecedent: bool = False
    """A "who is she?" whose previous question names no one: the subject was guessed from its words, and the name
    in the previous answer (``previous_answer`` of :func:`parse_query`) would say whom the pronoun means."""

    @property
    def asked(self) -> frozenset[str]:
        """The lower-case words of the question and of its follow-up context: a name made of none of them is new."""
        return frozenset(t.word for t in (*self.tokens, *self.context))

    @property
    def is_follow_up(self) -> bool:
        return bool(self.context)

    @property
    def is_keywords(self) -> bool:
        """Words typed as to a search engine ("El Mencho", "sheinbaum trump call"): no question word or auxiliary."""
        return not _asks(self.tokens)


NAME_CONNECTORS = frozenset({"of", "the", "de", "del", "la", "le", "von", "van", "da", "al", "bin"})
"""Lower-case words that can stand inside a name, between capitalised words."""


def parse_query(
    question: str, tokenizer: Tokenizer, previous: str | None = None, previous_answer: str | None = None
) -> Query:
    """Parse ``question`` (and, for a follow-up, the ``previous`` question it replies to).

    A follow-up takes the previous question's content words as context when it holds an anaphor ("she", "that",
    "there", ...), has one content word of its own ("sheinbaum?"), or none but a question word ("and when?");
    otherwise it is a new question ("thanks" has no words to search for). "Who is
    she?" asks about the name in the previous question; when that names no one, about the longest name in
    ``previous_answer`` (the text the previous question was answered with), when given.
    """
    question = WEB_LINK.sub(" ", question)
    question = _mended_how(_mended_opening(_without_chat(question) if CHAT_TRIMMED else question))
    question = question.replace("%", " percent ")  # the tokenizer drops "%": "what % of" would lose what it asks
    tokens = tuple(tokenizer.tokens(question))
    clause = tokenizer.tokens(main_clause(question))
    typed: QuestionFrame = question_frame(clause)
    words = [t.word for t in clause]
    content = _content(tokens, typed.frame_words)
    frame = _frame(words, typed)
    subject = _subject(clause, typed.frame_words) if frame is Frame.DEFINITION else ()
    if BARE_NAME_IS_DEFINITION and frame is Frame.OTHER and _is_bare_name(tokens, content):
        frame, subject = Frame.DEFINITION, content  # "El Mencho" asks who El Mencho is
    context: tuple[Token, ...] = ()
    focus = _focus(clause, main_clause(question))
    answer_type = typed.answer_type
    if PERSON_ANSWERS and answer_type is None and frame is Frame.PERSON:
        answer_type = AnswerType.PERSON  # "who did trump phone", "who ran the study": a name answers
    unnamed = False
    if previous and previous.strip():
        own = {t.word for t in content}
        # "and when?", "why?", "she?", "sheinbaum?": read with the previous question; "thanks", "ok" and "👍" ask
        # nothing, so they are not a follow-up (nothing to search for, rather than the previous answer again).
        topical = [t for t in content if t.word not in CHAT_FILLER]
        if any(t.word in ANAPHORS for t in tokens) or len(topical) == 1 or (not topical and _asks(tokens)):
            before = parse_query(previous, tokenizer)
            context = tuple(t for t in before.content if t.word not in own)
            if frame is Frame.DEFINITION and not [t for t in subject if t.term]:
                # "who is she?": the previous question's name (capitalised, or a word no dictionary has), else the
                # longest name in its answer, else its most informative word.
                named = before.names[0] if before.names else ()
                ranked = sorted(before.content, key=lambda t: information_content(t.word), reverse=True)
                if not named:  # a name typed in lower case ("does sheinbaum want ...") is still a name
                    named = next(((t,) for t in ranked if _not_in_dictionary(t.word)), ())
                if not named and previous_answer:
                    named = _longest_name(tokenizer.tokens(previous_answer))
                subject = tuple(named) or tuple(ranked[:1])
                if FOLLOW_NAME_ONLY:  # "who is she?" asks who that person is, not about the previous topic
                    context = tuple(t for t in subject if t.term and t.word not in own)
                unnamed = not named
    return Query(
        text=question,
        tokens=tokens,
        frame=frame,
        answer_type=answer_type,
        frame_words=typed.frame_words,
        content=content,
        names=tuple(_names(list(tokens))),
        subject=subject,
        context=context,
        focus=focus,
        unnamed_antecedent=unnamed,
    )


_CHAT_WORD = r"(?:" + "|".join(sorted(CHAT_FILLER, key=len, reverse=True)) + r")"
_LEADING_CHAT = re.compile(rf"(?i)\A(?:\W*\b{_CHAT_WORD}\b)+[\W_]*")
_TRAILING_CHAT = re.compile(rf"(?i)(?:[\s,;:.!-]*\b{_CHAT_WORD}\b)+[\s.!]*\Z")


CHAT_TRIMMED = True
"""Chat before and after a question ("hey bot ...", "... lol thx") is cut before it is parsed
(:func:`_without_chat`)."""


def _without_chat(question: str) -> str:
    """``question`` without the chat around it ("hey bot who is el mencho", "who is she lol", "yo ... thx!"), so
    that its opening words are the question's; unchanged when it is only chat ("thanks!")."""
    trimmed = _TRAILING_CHAT.sub("", _LEADING_CHAT.sub("", question))
    return trimmed if trimmed.strip() else question


WEB_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
"""A web link pasted into a question is not a word of it ("how long was the call? https://www.latimes.com/...")."""

PERSON_ANSWERS = True
"""A "who" question other than "who is X" wants a person's name (:attr:`AnswerType.PERSON`)."""

BARE_NAME_IS_DEFINITION = True
"""A question that is only a name asks who or what that is: its first mention goes first."""

FOLLOW_NAME_ONLY = True
"""A "who is she?" follow-up searches for the person it points back to, not the previous question's other words."""

_OPENING = re.compile(r"\A(\s*)([A-Za-z]+)")
TYPO_ZIPF = 3.5
"""An opening word rarer than this in English (wordfreq Zipf) that is one edit from a question word is a slip."""


def _mended_opening(question: str) -> str:
    """The question with a misspelt opening question word mended ("wich day was ..." -> "which day was ..."): one
    edit (Damerau-Levenshtein) from a question word, and not itself a common word ("were" stays); a contraction
    typed without its apostrophe is spelt out ("whats" -> "what is")."""
    match = _OPENING.match(question)
    if not match:
        return question
    word = match.group(2)
    lower = word.lower()
    if lower.endswith("s") and lower[:-1] in QUESTION_WORDS:  # "wheres he hiding": "where's", typed on a phone
        return question[: match.start(2)] + word[:-1] + " is" + question[match.end(2) :]
    if lower in QUESTION_WORDS or len(lower) < 3 or zipf_frequency(lower, "en") >= TYPO_ZIPF:
        return question
    close = [w for w in sorted(QUESTION_WORDS) if damerau_levenshtein(lower, w, 1) <= 1]
    if len(close) != 1:
        return question
    mended = close[0].capitalize() if word[0].isupper() else close[0]
    return question[: match.start(2)] + mended + question[match.end(2) :]


_HOW = re.compile(r"\A(\s*how\s+)([A-Za-z]+)", re.IGNORECASE)
_HOW_COMPANIONS = frozenset({"long", "many", "much", "old", "tall", "high", "far", "big", "large", "often"})


def _mended_how(question: str) -> str:
    """ "how lnog ..." -> "how long ...": the word after an opening "how", typed wrong, mended when the common English
    word it stands for (:func:`~retrieval.text.spelling.english_correction`) is one that says what is asked."""
    match = _HOW.match(question)
    if not match:
        return question
    meant = english_correction(match.group(2).lower())
    if meant not in _HOW_COMPANIONS:
        return question
    return question[: match.start(2)] + meant + question[match.end(2) :]


_ASKED_OF = frozenset({"me", "us"})
"""After "tell", the person asking: "tell me who ..." is a request, not a question about telling."""


def _content(tokens: tuple[Token, ...], frame_words: frozenset[str]) -> tuple[Token, ...]:
    distinct: dict[str, Token] = {}
    for i, token in enumerate(tokens):
        if token.word == "tell" and i + 1 < len(tokens) and tokens[i + 1].word in _ASKED_OF:
            continue
        if token.term and token.word not in frame_words:
            distinct.setdefault(token.word, token)
    return tuple(distinct.values())


def _frame(words: list[str], typed: QuestionFrame) -> Frame:
    if typed.answer_type is AnswerType.DATE:
        return Frame.TIME
    if typed.answer_type in {AnswerType.QUANTITY, AnswerType.DURATION}:
        return Frame.QUANTITY
    if not words:
        return Frame.OTHER
    first = words[0]
    rest = words[1:]
    if first in YES_NO_OPENERS:
        return Frame.YES_NO
    if first in _WHO_WORDS or first == "what":
        if rest and rest[0] in _DEFINITION_VERBS and _definition_tail(rest[1:]):
            return Frame.DEFINITION
        return Frame.PERSON if first in _WHO_WORDS else Frame.OTHER
    return {"where": Frame.PLACE, "why": Frame.REASON, "how": Frame.MANNER}.get(first, Frame.OTHER)


def _definition_tail(rest: list[str]) -> bool:
    """ "who is X" / "what is a X": the verb is followed by a noun phrase and nothing that makes it a clause
    ("what is el mencho's cartel called" asks for a name, "who is visiting" for a person, and a passive, "who was
    killed in the raid" or "who was found", for whoever it happened to)."""
    if not rest or rest[-1] in {"called", "named", "doing", "going"} or rest[0].endswith("ing"):
        return False
    if _participle(rest[0]):
        return False
    return len(rest) <= 5


def _participle(word: str) -> bool:
    """A past participle: a regular one ("killed") or an irregular verb form WordNet lists ("found", "taken")."""
    if len(word) > 4 and word.endswith("ed"):
        return True
    lexicon = default_lexicon()
    return lexicon is not None and lexicon.is_irregular_form(word, "verb")


def _subject(clause: list[Token], frame_words: frozenset[str]) -> tuple[Token, ...]:
    """The tokens after "who is" / "what was" in a definition question, articles dropped."""
    words = [t.word for t in clause]
    for i, word in enumerate(words[:-1]):
        if word in _WHO_WORDS | {"what"} and words[i + 1] in _DEFINITION_VERBS:
            return tuple(t for t in clause[i + 2 :] if t.word not in {"a", "an", "the"} and t.word not in frame_words)
    return ()


_WHO_IS_OPENING = re.compile(r"(?i)\A\W*(?:who|whom|whose)(?:\s*['’]?s\b|\s+(?:is|was|are|were)\b)")
"""A question asking who someone is: "who is", "who's", "whos" (typed without its apostrophe), "who were"."""
_ARTICLES = frozenset({"a", "an", "the"})


def _focus(clause: list[Token], clause_text: str) -> Token | None:
    """The focus of a "who is X" question (Moldovan et al., "The structure and performance of an open-domain
    question answering system", ACL 2000): the noun that names the person asked about, which a passage saying who
    it is holds ("who is ashia hansen's coach" -> "coach", "who's japan's economy minister" -> "minister").

    It is the last content word after "who is" / "who's" / "who was" (articles skipped) before a stopword ends the
    noun phrase (a preposition, a verb): "who is the coach of X" -> "coach". Only a common noun WordNet knows
    counts: a name ("who is claudia sheinbaum") is the whole subject, not a word among others. None for other
    questions, and without WordNet. Measured on "what is X's Y" and "how many N" too, where it cost XQuAD more than
    it gained (docs/evaluation.md).
    """
    lexicon = default_lexicon()
    if lexicon is None or not _WHO_IS_OPENING.match(clause_text):
        return None
    start = next((i for i, t in enumerate(clause) if t.word in _WHO_WORDS), None)
    if start is None:
        return None
    run: list[Token] = []
    for token in clause[start + 1 :]:
        if not run and token.word in _DEFINITION_VERBS | _ARTICLES:
            continue
        if not token.term:
            break
        run.append(token)
    if not run:
        return None
    head = run[-1]
    if not any(pos == "noun" for _, pos in lexicon.base_forms(head.word)) or lexicon.is_proper_noun(head.word):
        return None
    return head


MAX_BARE_NAME_WORDS = 4


def _asks(tokens: Sequence[Token]) -> bool:
    """Whether the words hold a question word or the auxiliary of a yes/no question."""
    return any(t.word in QUESTION_OPENERS for t in tokens)


def _is_bare_name(tokens: tuple[Token, ...], content: tuple[Token, ...]) -> bool:
    """Whether the question is only a name ("El Mencho", "sheinbaum"): no question word or auxiliary, at most
    ``MAX_BARE_NAME_WORDS`` words, every content word capitalised or one no dictionary has."""
    if not content or len(tokens) > MAX_BARE_NAME_WORDS:
        return False
    return not _asks(tokens) and all(t.capitalized or _not_in_dictionary(t.word) for t in content)


def _not_in_dictionary(word: str) -> bool:
    """A word WordNet lacks (a name, "sheinbaum"); False without WordNet."""
    lexicon = default_lexicon()
    return lexicon is not None and not lexicon.base_forms(word)


def _longest_name(tokens: list[Token]) -> tuple[Token, ...]:
    """The name of most words in a passage's text, the first of equals; its first word counts too (a sentence may
    open with a name: "Oseguera was discovered ..."), stopwords at either end dropped ("The")."""
    best: tuple[Token, ...] = ()
    for run in _names([Token(word="", term=None, capitalized=False), *tokens]):
        while run and not run[0].term:
            run = run[1:]
        while run and not run[-1].term:
            run = run[:-1]
        if len(run) > len(best):
            best = tuple(run)
    return best


def _names(tokens: list[Token]) -> list[list[Token]]:
    """Runs of capitalised words, the question's first word excluded (it is capitalised anyway); "of", "the", "de"
    and the like join capitalised words into one name ("Bank of America", "State of the Union")."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for position, token in enumerate([*tokens, None]):
        joins = token is not None and (
            (position > 0 and token.capitalized) or (bool(current) and token.word in NAME_CONNECTORS)
        )
        if joins:
            current.append(token)
        else:
            while current and not current[-1].capitalized:
                current.pop()
            if current:
                runs.append(current)
            current = []
    return runs
