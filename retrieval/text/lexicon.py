"""English lexical knowledge from WordNet 3.0: base forms (spoke -> speak, guardsmen -> guardsman), synonyms (find ~
discover, phone ~ telephone) and derivations (applauded ~ applause, praise ~ praiser).

WordNet (Miller, 1995, "WordNet: A Lexical Database for English"; Princeton University) is read from its database
files (``index.POS``, ``data.POS``, ``POS.exc``; format in the ``wndb(5WN)`` manual page) in a folder: by default
Debian's ``wordnet-base`` package (``/usr/share/wordnet``), or the folder named by the ``QABOT_WORDNET_DIR``
environment variable. Only the lines of the words asked about are read (the index files are bisected), so loading
costs nothing and memory stays small. Without the files :func:`default_lexicon` returns None, logs that once, and
the answerer matches only the sources' own words and their spelling variants.

Base forms follow WordNet's ``morphy(7WN)``: the exception lists, then the detachment rules of each part of speech,
keeping a form only when WordNet has it.
"""

from __future__ import annotations

import logging
import mmap
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_WORDNET_DIRS = (Path("/usr/share/wordnet"), Path("/usr/local/share/wordnet"))
PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")
_DETACHMENTS = {
    "noun": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
             ("ies", "y")),
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}  # fmt: skip
_DERIVATION_POINTERS = frozenset({"+", "\\", "="})
"""Derivationally related form, pertainym (of an adjective or adverb), attribute."""


@dataclass(frozen=True)
class Sense:
    """One synset a word belongs to: its part of speech and its member words (lower-case, spaces for "_")."""

    pos: str
    words: tuple[str, ...]
    derived: tuple[str, ...]
    """Words derivationally related to the asked word's lemma in this sense ("telephone" n. -> "telephone" v.)."""


class WordNet:
    """A WordNet 3.0 database folder.

    Raises
    ------
    FileNotFoundError
        The folder lacks one of the index or data files.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        # Memory-mapped: only the pages of the words looked up are read (the files total ~30 MB).
        self._index: dict[str, mmap.mmap] = {}
        self._data: dict[str, mmap.mmap] = {}
        self._exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
        self._inflections: dict[str, dict[str, tuple[str, ...]]] | None = None  # base -> irregular forms, on demand
        for pos in PARTS_OF_SPEECH:
            self._index[pos] = _mapped(self.folder / f"index.{pos}")
            self._data[pos] = _mapped(self.folder / f"data.{pos}")
            exceptions: dict[str, tuple[str, ...]] = {}
            exc = self.folder / f"{pos}.exc"
            if exc.is_file():
                for line in exc.read_text("utf-8", "replace").splitlines():
                    inflected, *bases = line.split()
                    if bases:
                        exceptions[inflected] = tuple(bases)
            self._exceptions[pos] = exceptions

    def _offsets(self, lemma: str, pos: str) -> list[int]:
        line = _sorted_lookup(self._index[pos], (lemma + " ").encode("utf-8"))
        if line is None:
            return []
        fields = line.decode("utf-8", "replace").split()
        pointer_count = int(fields[3])
        synset_count = int(fields[2])
        return [int(f) for f in fields[6 + pointer_count : 6 + pointer_count + synset_count]]

    def base_forms(self, word: str) -> list[tuple[str, str]]:
        """(lemma, part of speech) pairs WordNet has for ``word`` (lower-case), the word itself first when it is a
        lemma; morphy's exceptions and detachment rules."""
        word = word.lower().replace(" ", "_")
        found: list[tuple[str, str]] = []
        for pos in PARTS_OF_SPEECH:
            candidates = [word, *self._exceptions[pos].get(word, ())]
            candidates += [word[: -len(end)] + base for end, base in _DETACHMENTS[pos] if word.endswith(end)]
            for lemma in dict.fromkeys(candidates):
                if lemma and self._offsets(lemma, pos) and (lemma, pos) not in found:
                    found.append((lemma, pos))
        return found

    def is_proper_noun(self, word: str) -> bool:
        """Whether WordNet has ``word`` only as a noun, not as another word's form, and spells it with a capital in
        every sense: a name ("Everest", "Canada", "Monday"), not a word that is also common ("china", "turkey",
        "trump"), an inflection ("sat", from "sit") nor one WordNet lacks."""
        lemma = word.lower().replace(" ", "_")
        if self.base_forms(lemma) != [(lemma, "noun")]:
            return False  # unknown, or also another word or another word's form ("sat": "sit")
        for offset in self._offsets(lemma, "noun"):
            if any(m.lower() == lemma and m == m.lower() for m in self._members("noun", offset)):
                return False
        return True

    def inflections(self, lemma: str, pos: str) -> tuple[str, ...]:
        """The irregular inflected forms of ``lemma`` as ``pos`` ("tell" -> "told"; "speak" -> "spoke", "spoken"):
        morphy's exception lists read backwards. Regular forms ("telling") are the stemmer's job, so they are not
        listed."""
        if self._inflections is None:
            self._inflections = {}
            for part, exceptions in self._exceptions.items():
                backwards: dict[str, list[str]] = {}
                for inflected, bases in exceptions.items():
                    for base in bases:
                        backwards.setdefault(base, []).append(inflected)
                self._inflections[part] = {base: tuple(forms) for base, forms in backwards.items()}
        return self._inflections.get(pos, {}).get(lemma.lower().replace(" ", "_"), ())

    def is_irregular_form(self, word: str, pos: str) -> bool:
        """Whether ``word`` is an irregular inflection listed for ``pos`` ("found", "taken" as verbs)."""
        return word.lower() in self._exceptions.get(pos, {})

    def senses(self, lemma: str, pos: str) -> list[Sense]:
        """The synsets of ``lemma`` as ``pos``, most frequent sense first (WordNet's order)."""
        senses = []
        for offset in self._offsets(lemma, pos):
            senses.append(self._sense(pos, offset, lemma))
        return senses

    def _sense(self, pos: str, offset: int, lemma: str) -> Sense:
        data = self._data[pos]
        end = data.find(b"\n", offset)
        fields = data[offset:end].split(b" | ")[0].decode("utf-8", "replace").split()
        word_count = int(fields[3], 16)
        words = [fields[4 + 2 * i].lower() for i in range(word_count)]
        clean = [w.split("(")[0].replace("_", " ") for w in words]
        position = 4 + 2 * word_count
        pointer_count = int(fields[position])
        lemma_number = next((i + 1 for i, w in enumerate(clean) if w == lemma.replace("_", " ")), 0)
        derived = []
        for p in range(pointer_count):
            symbol, target, target_pos, source_target = fields[position + 1 + 4 * p : position + 5 + 4 * p]
            source, target_word = int(source_target[:2], 16), int(source_target[2:], 16)
            if symbol in _DERIVATION_POINTERS and source in (0, lemma_number) and target_word:
                target_sense = self._sense_words(_POS_OF_SYMBOL[target_pos], int(target))
                if target_word <= len(target_sense):
                    derived.append(target_sense[target_word - 1])
        return Sense(pos, tuple(clean), tuple(dict.fromkeys(derived)))

    def _sense_words(self, pos: str, offset: int) -> list[str]:
        return [m.lower().replace("_", " ") for m in self._members(pos, offset)]

    def _members(self, pos: str, offset: int) -> list[str]:
        """The member words of the synset at ``offset`` as WordNet spells them ("Mount_Everest"), markers cut."""
        data = self._data[pos]
        fields = data[offset : data.find(b"\n", offset)].decode("utf-8", "replace").split()
        return [fields[4 + 2 * i].split("(")[0] for i in range(int(fields[3], 16))]


def _mapped(path: Path) -> mmap.mmap:
    with path.open("rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _sorted_lookup(data: mmap.mmap, prefix: bytes) -> bytes | None:
    """The line of ``data`` (lines sorted in byte order, as WordNet's index files are) that starts with ``prefix``,
    by binary search over byte offsets; None when there is none. Header lines start with a space and sort first."""
    low, high = 0, len(data)
    while low < high:
        middle = (low + high) // 2
        start = data.rfind(b"\n", 0, middle) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if data[start:end] < prefix:
            low = end + 1
        else:
            high = start
    end = data.find(b"\n", low)
    line = data[low : len(data) if end < 0 else end]
    return line if line.startswith(prefix) else None


_POS_OF_SYMBOL = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


@lru_cache(maxsize=1)
def default_lexicon() -> WordNet | None:
    """The WordNet of ``QABOT_WORDNET_DIR`` or the first default folder that has one; None (logged once) when none
    does."""
    configured = os.environ.get("QABOT_WORDNET_DIR", "").strip()
    folders = [Path(configured)] if configured else list(DEFAULT_WORDNET_DIRS)
    for folder in folders:
        if (folder / "index.noun").is_file():
            try:
                return WordNet(folder)
            except (OSError, ValueError) as error:
                log.warning("WordNet at %s could not be read (%s)", folder, error)
    log.warning(
        "WordNet not found (%s); synonyms and irregular forms are not matched. On Debian or Ubuntu: "
        "apt-get install wordnet-base, or set QABOT_WORDNET_DIR to a WordNet 3.0 dict folder",
        ", ".join(map(str, folders)),
    )
    return None
