"""Names that the sources themselves give to a title: "Mexican President Claudia Sheinbaum" in one paragraph makes
"the Mexican president" in another paragraph mean Sheinbaum.

News style introduces a person once with a title before the name and then refers back with the title alone. A
passage that says only "The Mexican president has strenuously resisted..." is about Sheinbaum, so a question that
names her should find it. :func:`title_aliases` reads the title-name pairs the sources define and, for each passage,
returns the name terms its bare title mentions stand for; the index adds them to the passage's terms (document
expansion). A title given to two different names in the same corpus is ambiguous and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from retrieval.text.tokenizer import Token, Tokenizer, fold

TITLE_WORDS = frozenset(
    """
    president vice-president premier minister chancellor secretary senator congressman congresswoman representative
    governor mayor ambassador king queen prince princess emperor pope cardinal archbishop bishop general admiral
    colonel commander chief director chairman chairwoman chair ceo founder spokesman spokeswoman spokesperson judge
    justice sheriff attorney prosecutor commissioner professor coach captain leader
    """.split()
)
"""Lower-case words that, capitalised before a name, make a title ("President", "Prime Minister", "Coach")."""


def title_aliases(passage_tokens: Sequence[Sequence[Token]]) -> list[list[str]]:
    """For each passage, the terms of the names its bare-title mentions stand for (empty list when none).

    A definition is a run of capitalised words ending in a title word and followed by a name of capitalised words
    that are not title words ("Mexican President Claudia Sheinbaum": title "mexican president", name "Claudia
    Sheinbaum"). A mention is "the" and the title's words in any case, not followed by a capitalised word.
    """
    names: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for tokens in passage_tokens:
        for title, name in _definitions(tokens):
            names.setdefault(title, set()).add(name)
    unique = {title: next(iter(found)) for title, found in names.items() if len(found) == 1}
    if not unique:
        return [[] for _ in passage_tokens]
    longest = max(map(len, unique))
    expansions = []
    for tokens in passage_tokens:
        terms: list[str] = []
        words = [t.word for t in tokens]
        for i, word in enumerate(words):
            if word != "the":
                continue
            for size in range(min(longest, len(words) - i - 1), 0, -1):
                title = tuple(words[i + 1 : i + 1 + size])
                following = tokens[i + 1 + size] if i + 1 + size < len(tokens) else None
                if title in unique and not (following and following.capitalized):
                    terms.extend(unique[title])
                    break
        expansions.append(terms)
    return expansions


def _definitions(tokens: Sequence[Token]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(title words, name terms) for each "<Title> <Name>" run of capitalised words in one passage."""
    found = []
    run: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and token.capitalized and not token.acronym:
            run.append(token)
            continue
        if not run:
            continue  # most words: no run just ended (an empty run defines nothing)
        while run and run[0].word == "the":
            run.pop(0)
        last_title = max((i for i, t in enumerate(run) if t.word in TITLE_WORDS), default=-1)
        name = tuple(t.term for t in run[last_title + 1 :] if t.term)
        if last_title >= 0 and name:
            found.append((tuple(t.word for t in run[: last_title + 1]), name))
        run = []
    return found


_NICKNAME = re.compile(
    r"(?P<descriptor>(?:\w[\w’'-]*\s+){1,3}?)(?:known\s+as|nicknamed|dubbed|alias)\s+[“\"'‘]?"
    r"(?P<nickname>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})",
)
_APPOSITIVE = r"(?P<name>(?:[A-Z][\w’'-]+\s+){{1,4}}[A-Z][\w’'-]+)\s*,\s*(?:[\w’'-]+\s+){{0,2}}{head}\b"
_DESCRIPTOR_DROP = frozenset({"the", "a", "an", "of", "his", "her", "their", "its", "this", "that"})


_NICKNAME_CUES = ("known", "nicknamed", "dubbed", "alias")
_NICKNAME_HINT = re.compile(r"(?:known\s+as|nicknamed|dubbed|alias)\s+[“\"'‘]?[A-Z]")
"""The cue and the nickname's capital, as in every ``_NICKNAME`` match: found by a scan for the cue's first letter,
where ``_NICKNAME``, which starts with the descriptor's words, is tried at every position (160 us per passage
holding a cue word; in the 100k-passage benchmark 774 of 7,091 such passages have the cue and a capital after)."""
_NAME_BEFORE_COMMA = re.compile(r"(?=(?P<name>(?:[A-Z][\w’'-]+\s+){1,4}[A-Z][\w’'-]+)\s*,\s*(?P<after>))")
_NAME_BEFORE_COMMA_HINT = re.compile(r"[A-Z][\w’'-]+\s+[A-Z][\w’'-]+\s*,")
"""Two capitalised words before a comma: in every site of ``_NAME_BEFORE_COMMA``, and found by a scan that skips what
cannot start it (4 us per passage), where the look-ahead is tried at every position (21 us); 2 passages in 3 have
none."""
_LEADING_WORD = re.compile(r"[\w’'-]+\s+")
_RUN = re.compile(r"[\w’'-]*")
_WORD_CHARACTER = re.compile(r"\w")
_WORD_BOUNDARY = re.compile(r"\b")

NicknameMention = tuple[str, tuple[str, ...]]
"""(the last word of the descriptor that introduces a nickname, the nickname's terms)."""


def nickname_mentions(folded: str, tokenizer: Tokenizer) -> list[NicknameMention]:
    """The nicknames one passage introduces ("the cartel leader known as “El Mencho”"), in order: (descriptor head,
    nickname terms) of each. ``folded`` is the passage's :func:`~retrieval.text.tokenizer.fold`-ed text."""
    if not any(cue in folded for cue in _NICKNAME_CUES) or not _NICKNAME_HINT.search(folded):
        return []
    found = []
    for match in _NICKNAME.finditer(folded):
        words = [w for w in match.group("descriptor").split() if w.lower() not in _DESCRIPTOR_DROP]
        nickname = tuple(tokenizer.terms(match.group("nickname")))
        if words and nickname:
            found.append((words[-1], nickname))
    return found


def appositive_names(folded: str, tokenizer: Tokenizer) -> dict[str, set[tuple[str, ...]]]:
    """Every word that could close an appositive in one folded passage ("Nemesio Rubén Oseguera Cervantes, longtime
    leader": "longtime", "leader"), with the terms of the names it follows.

    The same as searching the passage for ``NAME, [two words at most] HEAD`` (``re.finditer``, non-overlapping, left
    to right) once for each possible HEAD, done in one pass: each place where a name of 2-5 capitalised words ends
    at a comma is found once, with the words after the comma that a HEAD could match (a prefix of one of the next
    three words ending at a word boundary; the engine tries the third first), and for each HEAD the matches that a
    left-to-right search would take are kept.
    """
    sites: dict[str, list[tuple[int, int, str]]] = {}
    if not _NAME_BEFORE_COMMA_HINT.search(folded):
        return {}
    for site in _NAME_BEFORE_COMMA.finditer(folded):
        positions = [site.start("after")]
        for _ in range(2):
            word = _LEADING_WORD.match(folded, positions[-1])
            if word is None:
                break
            positions.append(word.end())
        heads: set[str] = set()
        for position in reversed(positions):
            run = _RUN.match(folded, position).group()
            if not run or not _WORD_CHARACTER.match(run):
                continue
            for size in range(1, len(run) + 1):
                head = run[:size]
                if head not in heads and _WORD_BOUNDARY.match(folded, position + size):
                    heads.add(head)
                    sites.setdefault(head, []).append((site.start(), position + size, site.group("name")))
    names: dict[str, set[tuple[str, ...]]] = {}
    terms_of: dict[str, tuple[str, ...]] = {}
    for head, found in sites.items():
        end = 0
        for start, stop, name in found:
            if start >= end:  # a search resumes after its last match
                if name not in terms_of:
                    terms_of[name] = tuple(tokenizer.terms(name))
                if terms_of[name]:
                    names.setdefault(head, set()).add(terms_of[name])
                end = stop
    return names


def link_nicknames(
    mentions: Iterable[NicknameMention], names_of: Mapping[str, set[tuple[str, ...]]]
) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Nicknames linked to full names, both ways, from every passage's :func:`nickname_mentions` (in passage order)
    and the union over passages of their :func:`appositive_names`: a nickname whose descriptor head follows exactly
    one name is linked to it."""
    links: dict[tuple[str, ...], tuple[str, ...]] = {}
    for head, nickname in mentions:
        names = names_of.get(head, ())
        if len(names) == 1:
            (name,) = names
            if name != nickname:
                links[nickname] = name
                links[name] = nickname
    return links


def nickname_aliases(texts: Sequence[str], tokenizer: Tokenizer) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Nicknames the sources give a person, linked to the person's full name: "the cartel leader known as “El
    Mencho”" in one paragraph and "Nemesio Rubén Oseguera Cervantes, longtime leader of the Jalisco New Generation
    cartel" in another make "El Mencho" and "Nemesio Rubén Oseguera Cervantes" one person.

    A nickname is introduced by "known as", "nicknamed", "dubbed" or "alias" after a descriptor ("the cartel
    leader"); the person is the one name (2-5 capitalised words) that some passage gives that descriptor's last word
    as an appositive ("NAME, [two words at most] leader"). A nickname whose descriptor fits no name, or several, is
    left alone. Linear in the text: each passage is read once (:func:`nickname_mentions`,
    :func:`appositive_names`), which is also how a library builds them source by source.

    Returns
    -------
    dict
        Both ways: the nickname's terms -> the name's terms, and the name's terms -> the nickname's terms.
    """
    mentions: list[NicknameMention] = []
    names: dict[str, set[tuple[str, ...]]] = {}
    for text in texts:
        folded = fold(text)
        mentions += nickname_mentions(folded, tokenizer)
        for head, found in appositive_names(folded, tokenizer).items():
            names.setdefault(head, set()).update(found)
    return link_nicknames(mentions, names)
