"""Answer types: the cheap tests tried before the patterns agree with the patterns."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from retrieval.answers.answer_types import _PATTERNS, AnswerType, has_answer_type
from retrieval.text.tokenizer import fold

_PIECES = (
    "one two ten often none dozen dozens a an few many several year years day days Sunday today tomorrow March "
    "Mar. Sept. sep. Jan. May 1999 2020 19th century first centuries AD BC 300 ago BP millennium millennia "
    "fortnight night weeks hour minute second ½ ² ٣ - , . ; \n"
).split(" ")


@given(st.lists(st.sampled_from(_PIECES), max_size=10), st.sampled_from([t for t in AnswerType if t in _PATTERNS]))
@example(["a", "dozen"], AnswerType.QUANTITY)  # "dozen" is a cue, not only "dozens"
@example(["٣"], AnswerType.QUANTITY)  # a digit of another script is a digit to the pattern
@example(["May", "3"], AnswerType.DATE)
def test_has_answer_type_equals_its_pattern(pieces, answer_type):
    """Text without a digit and without any word the pattern needs is answered "no" without the pattern; a digit is
    a quantity; the answer is always the pattern's."""
    text = " ".join(pieces)
    assert has_answer_type(text, answer_type) == (_PATTERNS[answer_type].search(fold(text).lower()) is not None)


@pytest.mark.parametrize(
    ("text", "asked", "holds"),
    [
        ("Her coach Aston Moore told the Times she would be back.", {"who", "coach", "hansen"}, True),
        ("Economy minister Heizo Takenaka said the slowdown was minor.", {"who", "minister"}, True),
        ("The Kenyan coaching team will decide.", {"who"}, False),  # "The" is no part of a name
        ("Mexican President Claudia Sheinbaum told journalists.", {"who", "did", "sheinbaum", "tell"}, False),
        ("Sheinbaum said she told Trump.", {"who", "did", "she", "tell"}, False),  # one capitalised word
        ("The concert is on Monday, April 2.", {"when"}, False),
        ("He met Nemesio Rubén Oseguera Cervantes in Jalisco.", {"who"}, True),
        ("It was signed by Ludwig van Beethoven's heirs.", {"who"}, True),
    ],
)
def test_a_person_is_a_name_the_question_does_not_say(text, asked, holds):
    assert has_answer_type(text, AnswerType.PERSON, frozenset(asked)) is holds
