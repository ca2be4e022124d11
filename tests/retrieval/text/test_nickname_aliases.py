"""Nickname links found in one pass per passage equal the definition: for each nickname, one regular-expression
search of every passage for ``NAME, [two words at most] HEAD`` (the quadratic form the library used to run)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from retrieval.text.aliases import _APPOSITIVE, _DESCRIPTOR_DROP, _NICKNAME, nickname_aliases
from retrieval.text.tokenizer import Tokenizer, fold

TOKENIZER = Tokenizer()
PIECES = [
    "Nemesio", "Rubén", "Oseguera", "Cervantes", "El", "Mencho", "McDonald", "O'Neil", "Smith-Jones", "A", "the",
    "cartel", "leader", "leader's", "co-founder", "longtime", "known", "as", "nicknamed", "dubbed", "alias", "also",
    "former", "president", "President", "a", "of", "Bob", "Jo", "x1", "_a", "é", ",", "“", "”", '"', "'", "-", "’s",
]  # fmt: skip
SEPARATORS = [" ", " ", "  ", "\t", "", " , ", "\n"]


def reference(texts: list[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The definition, searched the slow way: every nickname's head looked for in every passage."""
    links: dict[tuple[str, ...], tuple[str, ...]] = {}
    folded = [fold(text) for text in texts]
    for text in folded:
        for match in _NICKNAME.finditer(text):
            words = [w for w in match.group("descriptor").split() if w.lower() not in _DESCRIPTOR_DROP]
            if not words:
                continue
            pattern = _APPOSITIVE.format(head=re.escape(words[-1]))
            names = {tuple(TOKENIZER.terms(m.group("name"))) for other in folded for m in re.finditer(pattern, other)}
            names.discard(())
            nickname = tuple(TOKENIZER.terms(match.group("nickname")))
            if len(names) == 1 and nickname:
                (name,) = names
                if name != nickname:
                    links[nickname] = name
                    links[name] = nickname
    return links


passage = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=3, max_size=25).map(
    lambda pairs: "".join(word + space for word, space in pairs)
)


@settings(max_examples=400, deadline=None)
@given(st.lists(passage, min_size=1, max_size=3))
@example(["the cartel leader known as “El Mencho”", "Nemesio Rubén Oseguera Cervantes, longtime leader of it"])
@example(["Jo Bob Smith-Jones, the leader's aide, the leader known as Bob", "A McDonald Smith, leader known as Jo"])
def test_one_pass_links_equal_the_regular_expression_definition(texts):
    """For passages made of names, cue words, commas and odd word characters, the links are the reference's."""
    assert nickname_aliases(texts, TOKENIZER) == reference(texts)


def test_a_nickname_is_linked_to_the_one_name_its_descriptor_follows():
    """The docstring's example links both ways."""
    links = nickname_aliases(
        [
            "Troops killed the cartel leader known as “El Mencho” in a raid.",
            "Nemesio Rubén Oseguera Cervantes, longtime leader of the Jalisco New Generation cartel, was 59.",
        ],
        TOKENIZER,
    )
    assert links == {
        ("el", "mencho"): ("nemesio", "ruben", "oseguera", "cervant"),
        ("nemesio", "ruben", "oseguera", "cervant"): ("el", "mencho"),
    }
