"""Evaluate on SQuAD-format data (``data[].title``, ``paragraphs[].context``, ``qas[]``): each article becomes one
source whose paragraphs are its SQuAD contexts, indexed alone, and each question is asked of that article."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus
from retrieval.evaluation.files import EvalFileError, empty_once_cleaned
from retrieval.evaluation.metrics import contains_answer
from retrieval.models import Source


@dataclass(frozen=True)
class SquadMetrics:
    """Fractions in [0, 1] (None where the denominator is zero).

    ``paragraph_hit_at_1``/``_at_3``: the first / any of the first three quotes comes from the gold paragraph;
    ``answer_hit_at_1``: the first quote contains a gold answer text. All three are over answerable questions.
    ``abstain_recall`` and ``false_abstain_rate`` as in :class:`~retrieval.evaluation.metrics.QaMetrics`;
    ``unanswerable`` counts questions marked ``is_impossible``.
    """

    articles: int
    questions: int
    unanswerable: int
    paragraph_hit_at_1: float | None
    paragraph_hit_at_3: float | None
    answer_hit_at_1: float | None
    abstain_recall: float | None
    false_abstain_rate: float | None


@dataclass(frozen=True)
class SquadMiss:
    title: str
    question: str
    gold_paragraph: int
    quoted_paragraphs: tuple[int, ...]


def source_for_article(article: dict, number: int) -> Source:
    """One SQuAD article as a source with id ``squad-{number}``: its contexts are its paragraphs, in order."""
    # A blank line inside a context would start a new paragraph and shift the numbering: keep contexts whole.
    contexts = [re.sub(r"\n\s*\n", "\n", p["context"]).strip() for p in article["paragraphs"]]
    text = "\n\n".join(contexts)
    title = str(article.get("title") or f"article {number}")
    return Source(
        id=f"squad-{number}",
        file_name=f"{title}.txt",
        title=title,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def read_squad(path: Path | str, *, clean: Callable[[str], str] | None = None) -> list[dict]:
    """The ``data`` list of a SQuAD JSON file.

    Parameters
    ----------
    clean
        Applied to each question, which is replaced by the result, so that the evaluation asks what a user's
        question becomes (the console passes the cleaner the bot applies to every question). None: as written.

    Raises
    ------
    EvalFileError
        Missing file, not JSON, no ``data`` list or an empty one, no question in any paragraph, or an article,
        paragraph or question (named by 1-based numbers) without the fields the evaluation reads: a non-empty
        ``paragraphs`` list; a non-blank ``context``; a non-blank ``question`` (after ``clean`` too); ``answers``, a
        list of objects with a ``text`` string, at least one and none blank unless ``is_impossible`` is true.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except RecursionError:
        raise EvalFileError(path, None, "is nested too deeply to read as SQuAD JSON") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvalFileError(path, None, f"cannot be read as JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise EvalFileError(path, None, 'not SQuAD format: expected an object with a "data" list')
    for a, article in enumerate(data["data"], start=1):
        _check_article(path, a, article)
        if clean:
            _clean_questions(path, a, article, clean)
    if not data["data"]:
        raise EvalFileError(path, None, 'the "data" list is empty: nothing to evaluate')
    if not any(paragraph.get("qas") for article in data["data"] for paragraph in article["paragraphs"]):
        raise EvalFileError(path, None, 'holds no questions (no paragraph has a non-empty "qas" list)')
    return data["data"]


def _check_article(path: Path | str, a: int, article: object) -> None:
    """Raise EvalFileError naming data[a] when an article lacks the SQuAD fields the evaluation reads."""

    def bad(where: str, what: str) -> EvalFileError:
        return EvalFileError(path, None, f"not SQuAD format at {where}: {what}")

    if not isinstance(article, dict) or not isinstance(article.get("paragraphs"), list) or not article["paragraphs"]:
        raise bad(f"article {a}", 'expected an object with a non-empty "paragraphs" list')
    for p, paragraph in enumerate(article["paragraphs"], start=1):
        where = f"article {a}, paragraph {p}"
        if not isinstance(paragraph, dict) or not isinstance(paragraph.get("context"), str):
            raise bad(where, 'expected an object with a "context" string')
        if not paragraph["context"].strip():
            raise bad(where, '"context" is empty')
        if not isinstance(paragraph.get("qas", []), list):
            raise bad(where, '"qas" must be a list')
        for q, qa in enumerate(paragraph.get("qas", []), start=1):
            if not isinstance(qa, dict) or not isinstance(qa.get("question"), str) or not qa["question"].strip():
                raise bad(f"{where}, question {q}", 'expected an object with a non-empty "question" string')
            if not isinstance(qa.get("is_impossible", False), bool):
                raise bad(f"{where}, question {q}", '"is_impossible" must be true or false')
            answers = qa.get("answers", [])
            if not isinstance(answers, list) or not all(
                isinstance(x, dict) and isinstance(x.get("text"), str) for x in answers
            ):
                raise bad(f"{where}, question {q}", '"answers" must be a list of objects with a "text" string')
            if qa.get("is_impossible", False):
                continue  # SQuAD 2.0: no answers (its "plausible_answers" are not read)
            # As in the JSONL eval: such a question could never hit, so it would silently count as a miss.
            if not answers:
                raise bad(
                    f"{where}, question {q}",
                    'an answerable question (not "is_impossible": true) needs at least one answer in "answers"',
                )
            if any(not x["text"].strip() for x in answers):
                raise bad(f"{where}, question {q}", 'an answer "text" is empty, which no quote can be checked against')


def _clean_questions(path: Path | str, a: int, article: dict, clean: Callable[[str], str]) -> None:
    """Replace each question of (checked) article ``a`` by ``clean(question)``; refuse one that comes out empty."""
    for p, paragraph in enumerate(article["paragraphs"], start=1):
        for q, qa in enumerate(paragraph.get("qas", []), start=1):
            question = clean(qa["question"])
            if not question.strip():
                where = f"article {a}, paragraph {p}, question {q}"
                raise EvalFileError(path, None, f"at {where}: {empty_once_cleaned(qa['question'])}")
            qa["question"] = question


def evaluate_squad(articles: list[dict]) -> tuple[SquadMetrics, list[SquadMiss]]:
    """Index each article alone and answer its questions; return metrics and the paragraph@1 misses."""
    answerable = unanswerable = para1 = para3 = answer1 = abstained_ok = false_abstain = 0
    misses: list[SquadMiss] = []
    for number, article in enumerate(articles, start=1):
        corpus = Corpus.build([source_for_article(article, number)])
        for gold_paragraph, paragraph in enumerate(article["paragraphs"], start=1):
            for qa in paragraph.get("qas", []):
                answer = answer_question(qa["question"], corpus)
                quoted = tuple(hit.passage.paragraph for hit in answer.hits)
                if qa.get("is_impossible"):
                    unanswerable += 1
                    abstained_ok += not answer.hits
                    continue
                answerable += 1
                false_abstain += not answer.hits
                para1 += quoted[:1] == (gold_paragraph,)
                para3 += gold_paragraph in quoted[:3]
                gold_texts = [a["text"] for a in qa.get("answers", [])]
                answer1 += bool(answer.hits) and contains_answer(answer.hits[0].passage.text, gold_texts)
                if quoted[:1] != (gold_paragraph,):
                    misses.append(SquadMiss(str(article.get("title", "")), qa["question"], gold_paragraph, quoted))

    def share(count: int, total: int) -> float | None:
        return count / total if total else None

    metrics = SquadMetrics(
        articles=len(articles),
        questions=answerable + unanswerable,
        unanswerable=unanswerable,
        paragraph_hit_at_1=share(para1, answerable),
        paragraph_hit_at_3=share(para3, answerable),
        answer_hit_at_1=share(answer1, answerable),
        abstain_recall=share(abstained_ok, unanswerable),
        false_abstain_rate=share(false_abstain, answerable),
    )
    return metrics, misses
