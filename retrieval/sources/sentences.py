"""Sentence boundaries with character offsets, by pysbd (Sadvilkar & Neumann, 2020: "PySBD: Pragmatic Sentence
Boundary Disambiguation"), which keeps abbreviations such as "U.S." and "Feb. 23" inside their sentence."""

from __future__ import annotations

import functools
import re
import threading

import pysbd
from pysbd.lang.english import English
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.processor import Processor
from pysbd.utils import Rule, Text, TextSpan

_local = threading.local()

RE_CACHE_SIZE = 8192
"""pysbd builds its regular expressions as strings and calls ``re.sub``/``re.findall`` with them, hundreds of
distinct patterns (one per abbreviation it checks), more than ``re``'s cache of 512 holds: every paragraph then
re-compiles most of them, which was 40 % of a library's build. A larger cache (a few MB) keeps them compiled."""
if getattr(re, "_MAXCACHE", RE_CACHE_SIZE) < RE_CACHE_SIZE:
    re._MAXCACHE = RE_CACHE_SIZE


_TRAILING_SPACE = re.compile(r"\s*")


class _AbbreviationReplacer(English.AbbreviationReplacer):
    r"""pysbd's English abbreviation pass (0.3.4), doing the same replacements with two kinds of work left out, which
    were about half of pysbd's time in a library's build:

    - For each abbreviation found in the text, pysbd looks for the character after ``"{abbr} "``: its pattern,
      ``(?<={abbr} ).{1}``, holds literal braces (every abbreviation is letters and full stops, never a
      quantifier), so it can only match a text holding "{"; elsewhere its result, no match, is known.
    - pysbd re-runs the whole text's substitution for each occurrence of an abbreviation ("a" occurs dozens of
      times in a paragraph). The substitution only turns a full stop after the abbreviation into "∯", and whether
      one applies depends on full stops only through its look-ahead, which a replacement can only remove: once run,
      running it again changes nothing. So each distinct (abbreviation as written, next character's case) runs once.
    - Each substitution replaces a full stop right after the abbreviation as written (case-sensitive; literal when
      the abbreviation has no full stop of its own) after white space: when the text does not hold the abbreviation
      and a full stop, it is skipped, and when an ASCII text holds no case of it after white space, so is the search
      for the abbreviation.

    tests/retrieval/sources/test_sentences.py compares the segments with pysbd's own on news paragraphs and on
    generated texts."""

    def search_for_abbreviations_in_string(self, text):
        lowered = text.lower()
        # Unless the text holds a character that matches an ASCII letter case-insensitively without lowering to it,
        # a case-insensitive match is one in ``lowered``: here, the words (after white space or at the start, as
        # every substitution's look-behind wants) a full stop follows.
        before_stop = _before_full_stops(lowered) if _ODD_CASES.isdisjoint(text) else None
        for stripped, dotted in _ABBREVIATIONS:
            if before_stop is None or dotted:
                if stripped not in lowered:
                    continue
            elif stripped not in before_stop:  # (a set look-up; what it holds is in ``lowered``)
                continue  # every substitution needs white space, the abbreviation, then a full stop
            abbrev_match = re.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
            if not abbrev_match:
                continue
            char_array = re.findall("(?<={" + str(re.escape(stripped)) + "} ).{1}", text) if "{" in text else []
            done = set()
            for ind, match in enumerate(abbrev_match):
                char = char_array[ind] if ind < len(char_array) else ""
                key = (match.strip(), str(char).isupper())
                if key in done or ("." not in key[0] and key[0] + "." not in text):
                    continue
                done.add(key)
                text = self.scan_for_replacements(text, match, ind, char_array)
        return text


_ABBREVIATIONS = tuple((abbr.strip(), "." in abbr) for abbr in English.Abbreviation.ABBREVIATIONS)
"""pysbd's English abbreviations (the only language :class:`_AbbreviationReplacer` serves), stripped once, and
whether each holds a full stop."""

_ODD_CASES = frozenset("\u0130\u0131\u017f\u212a")
""""İ", "ı", "ſ" and the Kelvin sign: ``re.IGNORECASE`` matches them to "i", "s" and "k", which ``str.lower`` does
not give (or gives with a combining mark)."""


def _before_full_stops(text: str) -> set[str]:
    """Every start of a white-space-separated word of ``text`` that a full stop follows ("u.s.," gives "u" and
    "u.s")."""
    found = set()
    for word in text.split():
        if "." in word:
            parts = word.split(".")
            found.update(".".join(parts[:n]) for n in range(1, len(parts)))
    return found


_LIST_ITEM_HINTS = {
    ListItemReplacer.ALPHABETICAL_LIST_WITH_PERIODS: re.compile(r"(?<!\S)[a-z]\."),
    ListItemReplacer.NUMBERED_LIST_REGEX_1: re.compile(r"\d\."),
}
"""For each list-marker pattern pysbd searches a whole text for, a search that finds something in every text where
the pattern does: a letter after white space (or at the start) and before a full stop (the pattern's three
alternatives, as one look-behind), and a digit before a full stop (in all twelve alternatives). The patterns for
markers in parentheses all end before a ")" (``str.find``)."""
_LETTERS_IN_PARENTHESES = r"(?<![^\s(])[a-z]+(?=\))"
"""pysbd's ``ALPHABETICAL_LIST_WITH_PARENS``, four alternatives that differ only in their look-behind ("(", the
start twice, white space), as one negative look-behind: the same findings (the letters before a ")" are the same
whichever alternative matched), in half the time."""
_PARENTHESIS_PATTERNS = frozenset({_LETTERS_IN_PARENTHESES, ListItemReplacer.NUMBERED_LIST_PARENS_REGEX})


class _ListItemReplacer(ListItemReplacer):
    """pysbd's list-item pass (0.3.4) without its searches that cannot find a list marker: for each of four patterns
    (two of them searched twice) pysbd runs ``re.findall`` over the whole text, and does nothing more when it finds
    nothing; news paragraphs seldom hold a list, and the patterns, alternatives of look-behinds, are tried at every
    position (a third of pysbd's regular-expression time). A search is skipped when a cheaper necessary condition
    fails (:data:`_LIST_ITEM_HINTS`); tests/retrieval/sources/test_sentences.py compares the findings with pysbd's."""

    ALPHABETICAL_LIST_WITH_PARENS = _LETTERS_IN_PARENTHESES

    def _may_match(self, pattern: str) -> bool:
        if pattern in _PARENTHESIS_PATTERNS:
            return ")" in self.text
        hint = _LIST_ITEM_HINTS.get(pattern)
        return hint is None or hint.search(self.text) is not None

    def iterate_alphabet_array(self, regex, parens=False, roman_numeral=False):
        if not self._may_match(regex):
            return self.text  # no list item: pysbd's loop over them does nothing
        return super().iterate_alphabet_array(regex, parens, roman_numeral)

    def scan_lists(self, regex1, regex2, replacement, strip=False):
        if self._may_match(regex1):
            super().scan_lists(regex1, regex2, replacement, strip)


class _Processor(Processor):
    """pysbd's processor with :class:`_ListItemReplacer` (its ``process``, 0.3.4, with that one class changed)."""

    def process(self):
        if not self.text:
            return self.text
        self.text = self.text.replace("\n", "\r")
        self.text = _ListItemReplacer(self.text).add_line_break()
        self.replace_abbreviations()
        self.replace_numbers()
        self.replace_continuous_punctuation()
        self.replace_periods_before_numeric_references()
        self.text = Text(self.text).apply(
            self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule, self.lang.GeoLocationRule, self.lang.FileFormatRule
        )
        return self.split_into_segments()

    def replace_continuous_punctuation(self):
        if "!" in self.text or "?" in self.text:  # the pattern wants three of them in a row
            super().replace_continuous_punctuation()

    def split_into_segments(self):
        # pysbd's (0.3.4), with its per-segment substitutions run by _apply and the ellipsis rules only where one
        # can match.
        self.check_for_parens_between_quotes()
        sents = self.rm_none_flatten(self.text.split("\r"))
        sents = [_apply(s, self.lang.SingleNewLineRule) for s in sents]
        sents = [_apply(s, *self.lang.EllipsisRules.All) if _ELLIPSIS_HINT.search(s) else s for s in sents]
        sents = self.rm_none_flatten([self.check_for_punctuation(s) for s in sents])
        postprocessed_sents = []
        for sent in sents:
            post_process_sent = self.post_process_segments(_apply(sent, *self.lang.SubSymbolsRules.All))
            if post_process_sent and isinstance(post_process_sent, str):
                postprocessed_sents.append(post_process_sent)
            elif isinstance(post_process_sent, list):
                postprocessed_sents.extend(post_process_sent)
        return [_apply(ns, self.lang.SubSingleQuoteRule) for ns in postprocessed_sents]

    def post_process_segments(self, txt):
        # pysbd's (0.3.4), with the ellipses put back by _apply (and its two statements that do nothing left out).
        if len(txt) > 2 and re.search(r"\A[a-zA-Z]*\Z", txt):
            return txt
        txt = _apply(txt, *self.lang.ReinsertEllipsisRules.All)
        if re.search(self.lang.QUOTATION_AT_END_OF_SENTENCE_REGEX, txt):
            return re.split(self.lang.SPLIT_SPACE_QUOTATION_AT_END_OF_SENTENCE_REGEX, txt)
        return txt.replace("\n", "").strip()


_ELLIPSIS_HINT = re.compile(r"\.\.\.|\s\.")
"""What every one of pysbd's five ellipsis rules needs: three full stops, or white space before a full stop
(" . . . ", ". . . ."). Where it is missing none of them matches, so none changes the text for the next."""
_SPECIAL_CHARACTERS = frozenset(".^$*+?{}[]\\|()")


@functools.cache
def _is_plain(pattern: str) -> bool:
    """Whether ``pattern`` has no character that is special in a regular expression: it matches only itself."""
    return _SPECIAL_CHARACTERS.isdisjoint(pattern)


def _apply(text: str, *rules: Rule) -> str:
    """``pysbd.utils.Text(text).apply(*rules)`` without the substitutions that cannot change ``text``: those whose
    pattern is plain text (:func:`_is_plain`, as are the 17 symbol rules run on every sentence) that ``text`` does not
    hold."""
    for rule in rules:
        if not (_is_plain(rule.pattern) and rule.pattern not in text):
            text = re.sub(rule.pattern, rule.replacement, text)
    return text


class _English(English):
    AbbreviationReplacer = _AbbreviationReplacer
    Processor = _Processor


class _Segmenter(pysbd.Segmenter):
    r"""pysbd's segmenter, finding where each sentence lies in the text by ``str.find`` instead of compiling one
    regular expression per sentence (``re.escape(sentence) + r"\s*"``), which was a third of pysbd's time and
    evicted its own patterns from ``re``'s cache. Same spans: the first non-overlapping occurrence, left to right,
    that ends after the previous sentence (tests/retrieval/sources/test_sentences.py compares the two). English
    only, with :class:`_AbbreviationReplacer`."""

    def __init__(self, **options) -> None:
        super().__init__(language="en", **options)
        self.language_module = _English

    def sentences_with_char_spans(self, sentences):
        spans = []
        prior_end = 0
        text = self.original_text
        for sentence in sentences:
            if not sentence:  # the pattern is r"\s*", which matches everywhere: pysbd's own search
                match = next((m for m in _TRAILING_SPACE.finditer(text) if m.end() > prior_end), None)
                if match is not None:
                    spans.append(TextSpan(match.group(), match.start(), match.end()))
                    prior_end = match.end()
                continue
            start = 0
            while (found := text.find(sentence, start)) >= 0:
                end = _TRAILING_SPACE.match(text, found + len(sentence)).end()
                if end > prior_end:
                    spans.append(TextSpan(text[found:end], found, end))
                    prior_end = end
                    break
                start = end  # re.finditer resumes after its match
        return spans


def _segmenter() -> pysbd.Segmenter:
    # One segmenter per thread: index builds run in worker threads.
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        segmenter = _local.segmenter = _Segmenter(clean=False)
    return segmenter


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences.

    Returns
    -------
    list of (start, end)
        Offsets into ``text`` (code points, end exclusive), in order, each sentence with surrounding white space
        trimmed. Single line breaks count as spaces (hard-wrapped text stays whole; pysbd still ends a sentence at
        a full stop before a break). Together the spans hold every non-white-space character of ``text``: pysbd
        only chooses where sentences start, so text it drops (it returns nothing for " !!") or alters stays in the
        sentence before. Empty for text with no visible characters.
    """
    if not text.strip():
        return []
    # Same length as ``text``, so offsets found in it are offsets into ``text``.
    flat = text.replace("\n", " ")
    starts = [0]
    cursor = 0
    for segment in _segmenter().segment(flat):
        piece = segment.strip()
        if not piece:
            continue
        found = flat.find(piece, cursor)
        if found < 0:  # pysbd altered the text: the rest stays in the current sentence rather than be lost
            break
        if found > starts[-1]:
            starts.append(found)
        cursor = found + len(piece)
    ends = [*starts[1:], len(text)]
    return [span for start, end in zip(starts, ends, strict=True) if (span := trim_span(text, start, end))]


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` narrowed past white space at both ends; None when nothing but white space is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
