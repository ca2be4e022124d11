"""Write a tiny WordNet 3.0 database (the ``wndb(5WN)`` file format) for tests: a few synsets, exact byte offsets."""

from __future__ import annotations

from pathlib import Path

HEADER = "  1 This is a hand-made WordNet for tests, in the format of WordNet 3.0's database files.\n"
POS_LETTER = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}


def write_wordnet(
    folder: Path,
    synsets: dict[str, list[tuple[str, tuple[str, ...], list[tuple[str, str, int, int, int]]]]],
    exceptions: dict[str, dict[str, str]] | None = None,
) -> Path:
    """Write index.POS, data.POS and POS.exc into ``folder``.

    ``synsets[pos]`` is a list of (key, words, pointers); a pointer is (symbol, target key, target word number,
    source word number, target pos). Keys name synsets so pointers can refer to them before offsets are known.
    Words are listed in each lemma's index line in the order their synsets are given (the sense order).
    """
    folder.mkdir(parents=True, exist_ok=True)
    offsets: dict[str, tuple[str, int]] = {}
    for pos, entries in synsets.items():
        position = len(HEADER.encode())
        for key, words, pointers in entries:
            offsets[key] = (pos, position)
            position += len(_data_line(0, pos, words, pointers, {k: 0 for k in _keys(synsets)}).encode())
    targets = {key: offset for key, (_, offset) in offsets.items()}
    for pos in ("noun", "verb", "adj", "adv"):
        entries = synsets.get(pos, [])
        lines = [_data_line(offsets[key][1], pos, words, pointers, targets) for key, words, pointers in entries]
        (folder / f"data.{pos}").write_text(HEADER + "".join(lines), "utf-8")
        senses: dict[str, list[int]] = {}
        for key, words, _ in entries:
            for word in words:
                senses.setdefault(word.lower(), []).append(offsets[key][1])  # index lemmas are lower-case
        index = [
            f"{lemma} {POS_LETTER[pos]} {len(found)} 0 {len(found)} 0 " + " ".join(f"{o:08d}" for o in found) + "  \n"
            for lemma, found in sorted(senses.items())
        ]
        (folder / f"index.{pos}").write_text(HEADER + "".join(index), "utf-8")
        pairs = (exceptions or {}).get(pos, {})
        (folder / f"{pos}.exc").write_text("".join(f"{k} {v}\n" for k, v in sorted(pairs.items())), "utf-8")
    return folder


def _keys(synsets):
    return [key for entries in synsets.values() for key, _, _ in entries]


def _data_line(offset: int, pos: str, words, pointers, targets: dict[str, int]) -> str:
    word_part = " ".join(f"{w} 0" for w in words)
    pointer_part = "".join(
        f" {symbol} {targets[target]:08d} {POS_LETTER[target_pos]} {source:02x}{target_word:02x}"
        for symbol, target, target_word, source, target_pos in pointers
    )
    head = f"{offset:08d} 00 {POS_LETTER[pos]} {len(words):02x} {word_part}"
    return f"{head} {len(pointers):03d}{pointer_part} | a gloss  \n"
