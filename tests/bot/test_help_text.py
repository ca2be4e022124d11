"""Example questions for /help: built from the names the sources mention, each one answered."""

from __future__ import annotations

import hashlib

from bot.help_text import example_questions, help_embed
from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus, load_corpus
from retrieval.models import Source
from tests.conftest import SEEDS


def test_examples_name_the_sources_people_and_are_all_answered():
    """On the seed article the examples ask about its people, and qabot answers each (no "don't mention")."""
    corpus = load_corpus(SEEDS)
    examples = example_questions(corpus)
    assert examples[0] == "Who is Nemesio Rubén Oseguera Cervantes?" and len(examples) == 3
    assert all(answer_question(q, corpus).answered for q in examples)


def test_events_and_organisations_are_not_asked_about_as_people():
    """A name holding an event or organisation word gets "What about …?", not "Who is …?"."""
    text = "The Norwich Union Grand Prix was held. The Norwich Union Grand Prix drew crowds. Anna Smith won it."
    source = Source(id="s", file_name="s.txt", title="T", text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    examples = example_questions(Corpus.build([source]))
    assert "What about Norwich Union Grand Prix?" in examples and "Who is Norwich Union Grand Prix?" not in examples


def test_help_without_sources_still_shows_examples_and_commands():
    """With nothing loaded, /help still explains the commands, with generic examples and no sources field."""
    embed = help_embed(Corpus.empty(), []).to_dict()
    assert "What happened?" in embed["description"]
    assert "Loaded sources" not in [f["name"] for f in embed["fields"]]
