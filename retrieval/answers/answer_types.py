"""Expected answer types read from the question word, and whether a piece of text holds an answer of that type.

A question word says what kind of answer it wants: "how long" a duration, "how many" a number, "when" or "what
year" a date. A passage without anything of that kind cannot answer the question, however well its words match, so
answering ranks passages that have one first among close candidates. The word that only names the type ("long",
"many", "year") is dropped from the query: it says what to look for, not what the passage is about, and as a term it
matches the wrong passages ("many" matches "many commentators").

The patterns are English and general: numbers in digits or words, time units, month and weekday names, years,
centuries, and dates counted back ("22,000 years ago", "9000 BP", "753 BC").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from retrieval.text.stopwords import ENGLISH_STOPWORDS
from retrieval.text.tokenizer import Token, fold


class AnswerType(Enum):
    """What kind of text answers a question."""

    DURATION = "duration"
    """A length of time: a number (in digits or words) and a time unit ("about eight minutes", "30-year")."""
    QUANTITY = "quantity"
    """A number in digits or words ("25", "two-thirds", "almost 100", "a dozen")."""
    DATE = "date"
    """A point in time: a year, a month or weekday name, a century or decade ("Feb. 23, 2026", "Monday")."""
    PERSON = "person"
    """A person's name the question does not say: two or more capitalised words in a row ("Aston Moore", "Heizo
    Takenaka"), leading stopwords dropped ("The Kenyan" is one), none of them a word of the question or a month or
    weekday name. Read from "who" questions other than "who is X" (:mod:`~retrieval.answers.query`)."""


@dataclass(frozen=True)
class QuestionFrame:
    """What the question word asks for: the expected answer type (None when it says nothing usable) and the
    lower-case words of the question that only name that type, to leave out of the query."""

    answer_type: AnswerType | None
    frame_words: frozenset[str] = frozenset()


_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|trillion|dozens?|half|third|quarter|twice|thrice|several|hundreds|thousands|millions|billions)"
)
_NUMBER = rf"(?:\d[\d,.]*|{_NUMBER_WORD})"
_TIME_UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies)"
    r"|millenni(?:um|a))"
)
_MONTH = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|May(?=\s+\d))"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"

_PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.DURATION: re.compile(rf"\b(?:{_NUMBER}|an?|few|several|many)(?:[\s-]+\w+)?[\s-]+{_TIME_UNIT}\b".lower()),
    # "one" is left out: "said one commentator", "one of the most" count nothing ("how many" is rarely answered "one").
    AnswerType.QUANTITY: re.compile(rf"\b(?!one\b){_NUMBER}\b|\d".lower()),
    AnswerType.DATE: re.compile(
        (
            rf"\b{_MONTH}|\b{_WEEKDAY}\b|\b(?:1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b\d{{1,2}}(?:st|nd|rd|th)[\s-]+centur(?:y|ies)\b"
            r"|\b(?:yesterday|today|tomorrow)\b"
            r"|\b\d[\d,.]*\s*(?:years?\s+ago|BP|BCE?|CE|AD)\b|\bAD\s*\d"
            r"|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
            r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+centur(?:y|ies)\b"
        ).lower()
    ),
}
"""Matched against lower-cased text: the patterns are written in mixed case for reading and compiled lower-cased
(their escapes, ``\\b \\d \\s \\w``, are lower case already). Case-insensitive matching (``re.IGNORECASE``) found
the same and took three times as long: ``re`` folds the case of every character it compares."""

_MEASURE_WORDS = frozenset({"old", "tall", "high", "far", "big", "large", "heavy", "deep", "wide", "fast"})
""""how old", "how tall", "how far", ...: the answer is a measurement, so it holds a number."""
_DATE_NOUNS = frozenset({"year", "years", "day", "date", "month", "decade", "century", "era", "period"})
_SHARE_NOUNS = frozenset({"percentage", "percent", "proportion", "fraction", "number", "amount"})
""""what percentage of ...", "what % of ..." (read as "percent"), "what number of ...": the answer is a number."""
_NAMING_WORDS = frozenset({"name", "names", "term", "terms", "type", "types", "kind", "kinds", "sort", "called"})
"""Words with which a question asks for a name or a category ("what is another name for", "what type of", "what
is it called"): they describe the answer, not the passage that holds it."""
_WH_WORDS = frozenset({"what", "which", "another"})
QUESTION_WORDS = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "why", "how"})


def question_frame(tokens: list[Token]) -> QuestionFrame:
    """Read the expected answer type from the question's words (``Tokenizer.tokens`` of the question).

    Only the first question word ("what", "who", "when", "how", ...) counts: in "what happened when ..." the
    question asks for an event. Pass the tokens of :func:`main_clause`, so that a leading "When X, ..." is skipped.
    Recognised: "how long" (not "how long ago") -> DURATION; "how many", "how much", a measurement ("how old",
    "how tall", "how far", ...), and "what"/"which" followed by "percentage", "percent", "proportion", "fraction",
    "number" or "amount" -> QUANTITY;
    "when", and "what"/"which"/"in what" followed by a date noun ("year", "day", "month", ...) -> DATE. The
    frame words are the question word's companion: "long", "many", "much", "old", "tall", the date noun; with no
    type, the naming words of "what is another name for", "what type of", "what is it called".
    """
    words = [t.word for t in tokens]
    for i, word in enumerate(words):
        if word not in QUESTION_WORDS:
            continue
        # Only the first question word asks: "what happened when ..." wants an event, not a date.
        following = words[i + 1] if i + 1 < len(words) else ""
        after = words[i + 2] if i + 2 < len(words) else ""
        if word == "how":
            if following == "long" and after != "ago":
                return QuestionFrame(AnswerType.DURATION, frozenset({"long"}))
            if following in {"many", "much"}:
                return QuestionFrame(AnswerType.QUANTITY, frozenset({following}))
            if following in _MEASURE_WORDS:
                return QuestionFrame(AnswerType.QUANTITY, frozenset({following}))
        if word in {"what", "which"} and following in _SHARE_NOUNS:
            return QuestionFrame(AnswerType.QUANTITY, frozenset({following}))
        if word in {"what", "which"} and following in _DATE_NOUNS:
            return QuestionFrame(AnswerType.DATE, frozenset({following}))
        if word == "when":
            return QuestionFrame(AnswerType.DATE)
        break
    return QuestionFrame(None, _naming_words(words))


_CLAUSE_BREAK = re.compile(
    r"[,;:]\s*|\s+(?:but|so|and|then)\s+(?=(?:what|which|who|whom|whose|when|where|why|how)\b)", re.I
)


def main_clause(question: str) -> str:
    """The clause of ``question`` that asks: after a leading clause set off by a comma ("When prices rise, what
    happens to wages?" -> "what happens to wages?") or by "but", "so", "and" or "then" before a question word ("sorry
    if this is dumb but who is the mexican president" -> "who is the mexican president"), else the whole question."""
    parts = _CLAUSE_BREAK.split(question)
    for i in range(len(parts) - 1, 0, -1):
        first = parts[i].split(maxsplit=1)[:1]
        if first and fold(first[0]).casefold() in QUESTION_WORDS:
            return ", ".join(parts[i:])
    return question


def _naming_words(words: list[str]) -> frozenset[str]:
    """Naming words (see ``_NAMING_WORDS``) in a "what"/"which" question: within three words after the question
    word, and "called" as its last word."""
    found = set()
    for i, word in enumerate(words):
        if word in _WH_WORDS:
            found.update(w for w in words[i + 1 : i + 4] if w in _NAMING_WORDS)
            if words[-1] == "called":
                found.add("called")
    return frozenset(found)


_DIGIT = re.compile(r"\d")
_CUES_WITHOUT_DIGITS: dict[AnswerType, tuple[str, ...]] = {
    AnswerType.DURATION: ("second", "minute", "hour", "day", "night", "week", "month", "year", "decade", "centur",
                          "millenni"),
    AnswerType.QUANTITY: tuple(_NUMBER_WORD[3:-1].replace("dozens?", "dozen").split("|")),
    AnswerType.DATE: ("january", "february", "march", "april", "june", "july", "august", "september", "october",
                      "november", "december", "jan.", "feb.", "mar.", "apr.", "aug.", "sep", "oct.", "nov.", "dec.",
                      "day", "tomorrow", "centur"),
}  # fmt: skip
"""What a match of each pattern holds in text without a digit (its time unit; its number word; its month, day or
century word): text with neither a digit nor any of these cannot match, which a few substring scans tell faster
than the pattern, tried at every position (20-40 us per paragraph, and a question may read hundreds)."""


def has_answer_type(text: str, answer_type: AnswerType, asked: frozenset[str] = frozenset()) -> bool:
    """True when ``text`` (raw passage or sentence text) holds something of ``answer_type``; for
    :attr:`AnswerType.PERSON`, a name none of whose words is in ``asked`` (the question's lower-case words)."""
    if answer_type is AnswerType.PERSON:
        return _holds_new_name(text, asked)
    lowered = fold(text).lower()
    if _DIGIT.search(lowered) is None:
        if not any(cue in lowered for cue in _CUES_WITHOUT_DIGITS[answer_type]):
            return False
    elif answer_type is AnswerType.QUANTITY:
        return True  # a digit is a quantity ("|\d" in its pattern)
    return _PATTERNS[answer_type].search(lowered) is not None


_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|del|da|van|von|bin|al)\s+)?[A-Z][\w'’.-]*)+")
_NAME_PARTICLES = frozenset({"de", "del", "da", "van", "von", "bin", "al"})
_CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def _holds_new_name(text: str, asked: frozenset[str]) -> bool:
    """Whether ``text`` has a run of two or more capitalised words (particles such as "de" or "van" inside it), its
    leading stopwords dropped, none of its words in ``asked`` (the person asked about is not the answer), not all of
    them month or weekday names."""
    for match in _CAPITALISED_RUN.finditer(fold(text)):
        words = [_bare(word) for word in match.group(0).split()]
        while words and words[0] in ENGLISH_STOPWORDS:
            words = words[1:]
        named = [w for w in words if w not in _NAME_PARTICLES]
        if len(named) >= 2 and not asked.intersection(named) and not _CALENDAR_WORDS.issuperset(named):
            return True
    return False


def _bare(word: str) -> str:
    """A capitalised word as the question's words are compared: lower case, without a possessive or a full stop."""
    return word.lower().rstrip(".").removesuffix("'s").removesuffix("’s")


@dataclass(frozen=True)
class Measure:
    """A measurement a question asks for that news states in a few set ways: an age, an amount of money, a
    height."""

    name: str
    """What it is, with its article, for the refusal: "an age"."""
    pattern: re.Pattern[str]
    """Matches a statement of it in folded text (:func:`~retrieval.text.tokenizer.fold`)."""


AGE = Measure(
    "an age",
    re.compile(
        r"\b\d{1,3}[- ]years?[- ]old\b|\baged? \d{1,3}\b|\b\d{1,3}(?:st|nd|rd|th) birthday\b|\bage of \d{1,3}\b"
        r"|, \d{1,3},",  # "Sheinbaum, 63, said": news gives a person's age between commas after the name
        re.IGNORECASE,
    ),
)
MONEY = Measure(
    "an amount of money",
    re.compile(
        r"[$£€¥]\s?\d|\d\s?(?:bn|m)\b|\b(?:dollars?|pounds?|euros?|yen|pence|cents?|rupees?|francs?|yuan|roubles?)\b",
        re.IGNORECASE,
    ),
)
HEIGHT = Measure(
    "a height",
    re.compile(
        rf"(?:\d|\b{_NUMBER_WORD})[\d,.]*(?:\s|-)?(?:(?:m|metres?|meters?)\s+(?:tall|high)|cm|ft|feet|foot|inch(?:es)?)\b"
        r"|\d\s?(?:'|’|′)\s?\d",  # "8,848m high", "6ft 2in", "6'2": a bare "100m" is a race in sports news
        re.IGNORECASE,
    ),
)
_MONEY_WORDS = frozenset(
    "cost costs costing pay pays paid paying spend spends spent worth price priced charge charges charged earn earns "
    "earned offer offers offering offered salary fee fees budget".split()
)


def asked_measure(words: list[str], about_names: bool) -> Measure | None:
    """The measure a question's lower-case ``words`` ask for: "how old" of a person or thing the question names
    (``about_names``; "how old are the fossils" may be answered "500 million years") asks for an age; "how much"
    with a word of paying ("cost", "paid", "worth", "offering", ...) for an amount of money; "how tall" for a
    height. Not "how high", "how far" or "how deep", which news also asks of prices and gaps ("how far behind
    gatlin did greene finish": 0.02 seconds). None otherwise."""
    if len(words) < 3 or words[0] != "how":
        return None
    if words[1] == "old" and about_names:
        return AGE
    if words[1] == "much" and _MONEY_WORDS.intersection(words):
        return MONEY
    if words[1] == "tall":
        return HEIGHT
    return None


def states_measure(text: str, measure: Measure) -> bool:
    """Whether ``text`` (raw passage text) states ``measure``."""
    return measure.pattern.search(fold(text)) is not None
