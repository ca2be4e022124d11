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
from collections.abc import Sequence

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


def nickname_aliases(texts: Sequence[str], tokenizer: Tokenizer) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Nicknames the sources give a person, linked to the person's full name: "the cartel leader known as “El
    Mencho”" in one paragraph and "Nemesio Rubén Oseguera Cervantes, longtime leader of the Jalisco New Generation
    cartel" in another make "El Mencho" and "Nemesio Rubén Oseguera Cervantes" one person.

    A nickname is introduced by "known as", "nicknamed", "dubbed" or "alias" after a descriptor ("the cartel
    leader"); the person is the one name (2-5 capitalised words) that some passage gives that descriptor's last word
    as an appositive ("NAME, [two words at most] leader"). A nickname whose descriptor fits no name, or several, is
    left alone.

    Returns
    -------
    dict
        Both ways: the nickname's terms -> the name's terms, and the name's terms -> the nickname's terms.
    """
    links: dict[tuple[str, ...], tuple[str, ...]] = {}
    folded = [fold(text) for text in texts]
    for text in folded:
        for match in _NICKNAME.finditer(text):
            words = [w for w in match.group("descriptor").split() if w.lower() not in _DESCRIPTOR_DROP]
            if not words:
                continue
            head = re.escape(words[-1])
            names = {
                tuple(tokenizer.terms(found.group("name")))
                for other in folded
                for found in re.finditer(_APPOSITIVE.format(head=head), other)
            }
            names.discard(())
            nickname = tuple(tokenizer.terms(match.group("nickname")))
            if len(names) == 1 and nickname:
                (name,) = names
                if name != nickname:
                    links[nickname] = name
                    links[name] = nickname
    return links
