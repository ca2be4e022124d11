"""Answer types: the cheap tests tried before the patterns agree with the patterns."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from retrieval.answers.answer_types import _PATTERNS, AnswerType, has_answer_type
from retrieval.text.tokenizer import fold

_PIECES = (
    "one two ten often none dozen dozens a an few many several year years day days Sunday today tomorrow March "
    "Mar. Sept. sep. Jan. May 1999 2020 19th century first centuries AD BC 300 ago BP millennium millennia "
    "fortnight night weeks hour minute second ½ ² ٣ - , . ; \n"
).split(" ")


@given(st.lists(st.sampled_from(_PIECES), max_size=10), st.sampled_from(list(AnswerType)))
@example(["a", "dozen"], AnswerType.QUANTITY)  # "dozen" is a cue, not only "dozens"
@example(["٣"], AnswerType.QUANTITY)  # a digit of another script is a digit to the pattern
@example(["May", "3"], AnswerType.DATE)
def test_has_answer_type_equals_its_pattern(pieces, answer_type):
    """Text without a digit and without any word the pattern needs is answered "no" without the pattern; a digit is
    a quantity; the answer is always the pattern's."""
    text = " ".join(pieces)
    assert has_answer_type(text, answer_type) == (_PATTERNS[answer_type].search(fold(text).lower()) is not None)
