"""The words of an index, and what a question word that is not among them most likely means there.

Questions are typed quickly: "Ghandi" for "Gandhi", "Superbowl" for "Super Bowl", "Californian" where the article
says "California", "UMC" for "United Methodist Church". Before the answerer decides that a word is missing from the
sources it asks :meth:`Vocabulary.resolve`, which tries, in order:

1. a compound written as one word, whose two halves are both in the index ("superbowl" -> "super", "bowl");
2. an acronym (all capitals, 2-5 letters) that spells the initials of a run of capitalised words in the sources;
3. a spelling slip, for a word that is not an everyday English word (wordfreq Zipf below ``MISSPELLING_ZIPF``: a
   correctly spelt word that is missing is missing): Damerau-Levenshtein distance 1 for words of 5+ letters, 2 for
   8+ letters, or the same letters in another order; the first letter must agree (people rarely get it wrong), and
   the candidate must be unique at the smallest distance;
4. for a capitalised word (a name or the adjective of one), a derived form sharing a stem of 5+ letters with a word
   in the sources, at most 3 letters longer or shorter ("Canadian" ~ "Canada", "Californian" ~ "California"), or
   the word behind a prefix such as "trans" or "pan" ("Atlantic" ~ "transatlantic").

5. the agent noun of a verb ("led" ~ "leader", "founded" ~ "founder", "wrote" ~ "writer", "invented" ~
   "inventor"): "who led the cartel?" asks for the person the article calls its leader. Irregular past forms are
   mapped to their base by :data:`IRREGULAR_PAST`; the candidate must be unique.
6. another degree of an adjective ("busy" ~ "busiest", "quieter" ~ "quiet"); the candidate must be unique.

Rules 1-4 apply to words of 4+ letters only; short words have too many neighbours to guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from retrieval.text.tokenizer import Token

_CONNECTORS = frozenset({"of", "the", "and", "for", "&", "de", "du", "la"})
MIN_WORD = 4
MISSPELLING_ZIPF = 2.5
NAME_PREFIXES = ("trans", "pan", "anti", "pro", "pre", "post", "non", "sub", "inter", "intra", "mid", "neo", "ultra")
MIN_STEM_PREFIX = 5
MAX_DERIVED_DIFFERENCE = 3
AGENT_SUFFIXES = ("er", "r", "or")
IRREGULAR_PAST = {
    past: base
    for base, forms in {
        "lead": "led", "write": "wrote written", "run": "ran", "begin": "began begun", "take": "took taken",
        "give": "gave given", "make": "made", "find": "found", "hold": "held", "meet": "met", "sell": "sold",
        "buy": "bought", "build": "built", "bring": "brought", "fight": "fought", "teach": "taught",
        "think": "thought", "choose": "chose chosen", "drive": "drove driven", "fly": "flew flown",
        "grow": "grew grown", "ride": "rode ridden", "speak": "spoke spoken", "win": "won", "keep": "kept",
        "pay": "paid", "send": "sent", "spend": "spent", "tell": "told", "sing": "sang sung", "rule": "ruled",
        "drink": "drank drunk", "steal": "stole stolen", "throw": "threw thrown", "deal": "dealt", "feed": "fed",
    }.items()
    for past in forms.split()
}  # fmt: skip
"""Irregular past forms of verbs whose agent nouns are common in news (led -> leader, won -> winner)."""


class Vocabulary:
    """Surface words (folded, lower-case) of a set of passages, each with its index term, and the acronyms their
    capitalised runs spell.

    Parameters
    ----------
    passage_tokens
        ``Tokenizer.tokens`` of each passage.
    """

    def __init__(self, passage_tokens: Iterable[Sequence[Token]]) -> None:
        self.terms_of_word: dict[str, str] = {}
        self.acronyms: dict[str, tuple[str, ...]] = {}
        self._by_first_letter: dict[str, list[str]] = {}
        self._longest = 0  # bounds the compound splits tried, so a long question word costs linear time
        for tokens in passage_tokens:
            for token in tokens:
                if token.term and token.word not in self.terms_of_word:
                    self.terms_of_word[token.word] = token.term
                    self._longest = max(self._longest, len(token.word))
                    self._by_first_letter.setdefault(token.word[:1], []).append(token.word)
            self._add_acronyms(tokens)

    def _add_acronyms(self, tokens: Sequence[Token]) -> None:
        """Each run of capitalised words (connectors such as "of" inside it, not at its end) gives the acronyms of
        its 2-6 consecutive heads ("Jalisco New Generation Cartel": "JNG", "JNGC", "NGC", ...)."""
        end = 0
        # Runs start at capitalised words only, so the rest of the passage (most of it) is passed over in C.
        for start in [i for i, token in enumerate(tokens) if token.capitalized]:
            if start < end:
                continue  # inside the run just read
            end = start + 1
            while end < len(tokens) and (tokens[end].capitalized or tokens[end].word in _CONNECTORS):
                end += 1
            stop = end
            while stop > start and tokens[stop - 1].word in _CONNECTORS:
                stop -= 1
            if stop - start < 2:
                continue  # one word: no acronym
            heads = [t for t in tokens[start:stop] if t.capitalized or t.word not in _CONNECTORS]
            initials = [t.word[0] for t in heads]  # read once per run, not once per acronym holding them
            terms = [t.term for t in heads]
            for i in range(len(heads)):
                for j in range(i + 2, min(len(heads), i + 6) + 1):
                    self.acronyms.setdefault("".join(initials[i:j]).upper(), tuple(filter(None, terms[i:j])))

    def __contains__(self, word: str) -> bool:
        return word in self.terms_of_word

    def words_of(self, term: str) -> list[str]:
        """The sources' words whose term is ``term`` ("telephoned", "telephone" for "telephon"), in first-seen order;
        [] for a term they lack. The reverse map is made on first use (one pass over the words) and kept."""
        reverse = self.__dict__.get("_words_of_term")
        if reverse is None:
            reverse = {}
            for word, found in self.terms_of_word.items():
                reverse.setdefault(found, []).append(word)
            self._words_of_term = reverse
        return reverse.get(term, [])

    def resolve(self, token: Token) -> tuple[str, ...]:
        """The index terms a question word most likely means, when the word itself is not in the sources.

        Returns the empty tuple when nothing fits well enough (see the module docstring for the rules), and the
        word's own term when it is in the sources.
        """
        word = token.word.replace("'", "")
        if token.word in self.terms_of_word:
            return (self.terms_of_word[token.word],)
        if token.acronym and word.upper() in self.acronyms:
            return self.acronyms[word.upper()]
        agents = self._agent_nouns(word)
        if len(agents) == 1:
            return (agents.pop(),)
        if len(word) < MIN_WORD or not word.isalpha():
            return ()
        # Both halves must be index words, so neither is longer than the longest one.
        splits = range(max(3, len(word) - self._longest), min(len(word) - 2, self._longest + 1))
        for split in splits if len(word) >= 7 else ():
            head, tail = word[:split], word[split:]
            if head in self.terms_of_word and tail in self.terms_of_word:
                return (self.terms_of_word[head], self.terms_of_word[tail])
        candidates = self._by_first_letter.get(word[0], ())
        if len(word) >= 5 and zipf_frequency(word, "en") < MISSPELLING_ZIPF:
            best = _closest(word, candidates, max_distance=2 if len(word) >= 8 else 1)
            if best:
                return (self.terms_of_word[best],)
            letters = sorted(word)
            anagrams = [c for c in candidates if len(c) == len(word) and sorted(c) == letters]
            if len(anagrams) == 1:
                return (self.terms_of_word[anagrams[0]],)
        graded = self._graded_forms(word)
        if len(graded) == 1:
            return (graded.pop(),)
        if token.capitalized and len(word) >= MIN_STEM_PREFIX:
            derived = {
                self.terms_of_word[c]
                for c in candidates
                if abs(len(c) - len(word)) <= MAX_DERIVED_DIFFERENCE
                and len(_common_prefix(c, word)) >= max(MIN_STEM_PREFIX, min(len(c), len(word)) - 2)
            }
            derived.update(
                self.terms_of_word[prefix + word] for prefix in NAME_PREFIXES if prefix + word in self.terms_of_word
            )
            if len(derived) == 1:
                return (derived.pop(),)
        return ()

    def _graded_forms(self, word: str) -> set[str]:
        """Index terms of the other degrees of the adjective ``word`` ("busy" ~ "busiest", "quieter" ~ "quiet",
        "biggest" ~ "bigger"): the Snowball stemmer leaves "-er" and "-est" on, since it cannot tell "fastest" from
        "forest"."""
        bases = {word}
        for ending in ("est", "er"):
            base = word[: -len(ending)]
            if word.endswith(ending) and len(base) >= 4:
                bases.update({base, base + "e"})
                if base.endswith("i"):
                    bases.add(base[:-1] + "y")
                if base[-1] == base[-2]:
                    bases.add(base[:-1])
        forms = set(bases)
        for base in bases:
            stem = base[:-1] + "i" if base.endswith("y") else base.removesuffix("e")
            forms.update({stem + "er", stem + "est", base + base[-1] + "er", base + base[-1] + "est"})
        forms.discard(word)
        return {self.terms_of_word[f] for f in forms if f in self.terms_of_word}

    def _agent_nouns(self, word: str) -> set[str]:
        """Index terms of agent nouns ("leader", "founder") of the verb ``word`` may be a form of."""
        bases = {word, IRREGULAR_PAST.get(word, word)}
        for ending in ("ed", "es", "d", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                bases.add(word[: -len(ending)])
        return {
            self.terms_of_word[base + suffix]
            for base in bases
            for suffix in AGENT_SUFFIXES
            if base + suffix in self.terms_of_word
        }


def _closest(word: str, candidates: Sequence[str], max_distance: int) -> str | None:
    """The unique candidate nearest to ``word`` within ``max_distance`` (None when none, or a tie), by
    :func:`damerau_levenshtein`; all candidates compared in C by RapidFuzz (``process.extract``)."""
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=max_distance, limit=None)
    distances = [(candidate, distance) for candidate, distance, _ in found if candidate != word]
    if not distances:
        return None
    best = min(distance for _, distance in distances)
    nearest = [candidate for candidate, distance in distances if distance == best]
    return nearest[0] if len(nearest) == 1 else None


def damerau_levenshtein(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance with insertions, deletions, substitutions and adjacent transpositions: the optimal string
    alignment distance, by RapidFuzz (``rapidfuzz.distance.OSA``). With ``limit``, a distance above it is reported
    as ``limit + 1``."""
    return OSA.distance(a, b, score_cutoff=limit)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]
