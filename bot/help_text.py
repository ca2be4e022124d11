"""What /help says: each command in plain words, how to ask, and example questions taken from the loaded sources
(checked to be answered, so an example never leads to "the sources don't mention")."""

from __future__ import annotations

import re
from collections import Counter

import discord

from bot.limits import EMBED_FIELD_VALUE_LIMIT
from bot.render import code, one_line, safe
from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus

MAX_EXAMPLES = 3
FALLBACK_EXAMPLES = ("What happened?", "Who said it?")
# A run of capitalised words: a name ("Sheinbaum", "Claudia Sheinbaum", "Nemesio Rubén Oseguera Cervantes").
_NAME = re.compile(r"\b([A-Z][^\W\d_]{2,}(?:\s[A-Z][^\W\d_]{2,})*)")
_DEMONYM_ENDINGS = ("an", "ese", "ish", "ian")
"""A single word ending so is most often an adjective of a people ("Mexican"), not someone to ask about."""
_WORD = re.compile(r"\b[a-z][^\W\d_]+")
_COMMON = frozenset("The This That These Those They There Then When What Where Which While With Monday Tuesday".split())
_COMMON |= frozenset("Wednesday Thursday Friday Saturday Sunday January February March April June July August".split())
_COMMON |= frozenset("September October November December Photo".split())

COMMANDS = (
    (
        "/ask question: [private:]",
        "Ask about the sources. The answer quotes the passage that fits best, with its "
        "article and paragraph, and up to two more. `private: True` shows the answer to you only.",
    ),
    ("@qabot question", "Mention the bot (or reply to one of its answers, or write to it in a DM) with a question."),
    ("Apps ▸ Ask qabot about this", "Right-click (long-press) a message, *Apps*: answers that message as a question."),
    ("Apps ▸ Summarize sources on this", "The passages of the sources nearest to a message's subject."),
    ("/summary [source] [sentences]", "A summary made of sentences taken from one source (or the first 3)."),
    ("/sources", "The loaded articles (only you see the list)."),
    ("/passage id:", "One passage in full, by the id under a quote (only you see it)."),
    (
        "Buttons",
        "👍 / 👎 tell moderators whether an answer helped; *Full passage* and *More results* reply to you "
        "only; *Open article* opens the source.",
    ),
    (
        "/source add, remove, list, show",
        "Moderators: add a file or a link to this server's library, remove a source, list them or see how one was "
        "read (only you see the replies).",
    ),
    (
        "/reload, /gaps",
        "Moderators: reload this server's library from its files; see unanswered questions and answers marked 👎.",
    ),
)
PRIVACY = (
    "Questions, votes and reloads are kept for the moderators' /gaps report for a limited time, with your user id "
    "stored only as a keyed hash. Ask a moderator to delete yours (`qabot forget --user`)."
)


_NOT_A_PERSON = frozenset(
    "Grand Prix Championships Championship Union Party Cup League Council Bank Ministry Office Court Association "
    "Committee Commission Group Company Department Games Open Awards Festival Generation Cartel States Kingdom "
    "Republic Nations Street House City Club United Federal National International Corporation Police Army".split()
)


def _strip_common(name: str) -> str:
    """``name`` without leading words that are not part of it ("The Norwich Union Grand Prix" -> "Norwich …")."""
    words = name.split()
    while len(words) > 1 and words[0] in _COMMON:
        words.pop(0)
    return " ".join(words)


def _templates(name: str) -> tuple[str, ...]:
    """Question forms for ``name``: "Who is …?" for what looks like a person (two to four words, none naming an
    organisation or event), else "What about …?", which fits a place, an event or an organisation."""
    words = name.split()
    if 2 <= len(words) <= 4 and not _NOT_A_PERSON.intersection(words):
        return ("Who is {}?", "What did {} say?", "What about {}?")
    return ("What about {}?",)


def example_questions(corpus: Corpus, limit: int = MAX_EXAMPLES) -> list[str]:
    """Questions about the names the sources mention most ("Who is Sheinbaum?"), kept only if qabot answers them.
    CPU-bound (each candidate is answered): run it off the event loop."""
    lower: set[str] = set()
    counts: Counter[str] = Counter()
    for passage in corpus.passages:
        lower.update(_WORD.findall(passage.text))
        counts.update(_strip_common(name) for name in _NAME.findall(passage.text))
    # A name is not a sentence's first word that the sources also write in lower case ("What", "State"), nor a
    # weekday or month; names of several words count more (they are the people: "Claudia Sheinbaum").
    ranked = sorted(
        (
            name
            for name in counts
            if name.split()[0] not in _COMMON
            and name.split()[0].lower() not in lower
            and not (" " not in name and name.endswith(_DEMONYM_ENDINGS))
        ),
        key=lambda name: (-counts[name] * len(name.split()) ** 2, name),
    )
    examples: list[str] = []
    for name in ranked[: limit * 4]:
        for template in _templates(name):
            question = template.format(name)
            if answer_question(question, corpus).answered:
                examples.append(question)
                break
        if len(examples) == limit:
            break
    return examples


def help_embed(corpus: Corpus, examples: list[str]) -> discord.Embed:
    """The /help embed: how to ask, with ``examples``; every command; privacy. Within embed limits."""
    shown = examples or list(FALLBACK_EXAMPLES)
    how = (
        "Ask in your own words, like you'd ask a person who has read the articles. qabot answers **only** by "
        "quoting them, and says so when they don't cover a question.\nTry: "
        + ", ".join(code(f"/ask question: {q}") for q in shown)
    )
    embed = discord.Embed(title="How to use qabot", description=how[:4000], colour=discord.Colour.blurple())
    for name, text in COMMANDS:
        embed.add_field(name=name, value=text[:EMBED_FIELD_VALUE_LIMIT], inline=False)
    if corpus.sources:
        titles = ", ".join(f"*{safe(one_line(s.title, 80))}*" for s in corpus.sources[:5])
        more = f" and {len(corpus.sources) - 5} more" if len(corpus.sources) > 5 else ""
        embed.add_field(name="Loaded sources", value=(titles + more)[:EMBED_FIELD_VALUE_LIMIT], inline=False)
    embed.set_footer(text=PRIVACY)
    return embed
