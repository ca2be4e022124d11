"""Evaluate summaries against reference summaries with ROUGE, beside two baselines, in one run.

Baselines: ``Lead-N``, the first N candidate sentences (what a newsroom's lede gives), and ``Centrality``, the N
most central sentences by length-adjusted degree centrality alone (:func:`centrality_sentences`, qabot's method
before the lede prior), so a table shows what the lede prior and the other factors add.

Input: a JSONL file, one article a line: the text as ``paragraphs`` (list of str) or ``article`` (str), and the
reference as ``summary_sentences`` (list of str) or ``summary`` (str, split into sentences by
:func:`retrieval.sources.sentences.sentence_spans`). ``id`` and ``title`` are optional. This is the format of
``bbc-news-summary-100/bbc_news_summary_100.jsonl`` in the shared data.

Scores: ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (Lin, 2004, "ROUGE: A Package for Automatic Evaluation of Summaries"), as
computed by Google's ``rouge-score`` package with its Porter stemmer (``use_stemmer=True``), times 100, averaged over
articles (macro mean). ROUGE-Lsum is the summary-level LCS: rouge-score takes sentences as lines, so each sentence's
own white space (line breaks included) is collapsed to one space and the sentences are joined with ``"\\n"``.

``rouge-score`` (the package behind the ROUGE numbers of PEGASUS, T5 and Hugging Face ``evaluate``) is used rather
than a re-implementation so the numbers compare with published ones and with sumy-based peers measured the same way.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rouge_score import rouge_scorer

from retrieval.evaluation.files import EvalFileError, jsonl_objects
from retrieval.models import Passage, Source, Summary
from retrieval.sources.sentences import sentence_spans
from retrieval.sources.splitting import split_passages
from retrieval.summaries.scoring import degree_centrality, near_duplicate
from retrieval.summaries.summarizing import candidate_sentences, summarize
from retrieval.text.tokenizer import Tokenizer

Summarizer = Callable[[Source, Sequence[Passage], int], Summary]
"""``summarizer(source, passages, sentences) -> Summary``, the signature of :func:`~retrieval.summaries.summarize`."""

SUMMARIZER_NAME = "qabot"
CENTRALITY_NAME = "Centrality"
_TOKENIZER = Tokenizer()


@dataclass(frozen=True)
class SummaryCase:
    """One article and its reference summary. ``text`` is the article (paragraphs separated by blank lines);
    ``reference`` its reference sentences, in the file's order."""

    id: str
    title: str
    text: str
    reference: tuple[str, ...]


class RougeF1(NamedTuple):
    """ROUGE F1 scores, each in [0, 100]."""

    rouge1: float
    rouge2: float
    rouge_lsum: float


@dataclass(frozen=True)
class SystemScores:
    """One system's ROUGE F1 scores (x100), macro-averaged over the cases.

    ``rouge1_lead`` is qabot's ROUGE-1 minus this system's, averaged over the same cases (positive: qabot ahead), and
    ``rouge1_lead_se`` the standard error of that mean (sample standard deviation of the per-case differences over
    the square root of the number of cases; 0 with one case). Both are 0 for qabot itself.
    """

    name: str
    rouge1: float
    rouge2: float
    rouge_lsum: float
    rouge1_lead: float = 0.0
    rouge1_lead_se: float = 0.0


@dataclass(frozen=True)
class SummaryEvalReport:
    """Scores of every system on the same ``cases`` articles at ``sentences`` sentences a summary.

    ``systems`` holds qabot's summarizer (name :data:`SUMMARIZER_NAME`) first, then ``Lead-N``, then the
    centrality-only baseline (:data:`CENTRALITY_NAME`).
    """

    cases: int
    sentences: int
    systems: tuple[SystemScores, ...]

    def system(self, name: str) -> SystemScores:
        """The scores of the system called ``name``.

        Raises
        ------
        KeyError
            No system has that name; the message lists the names there are.
        """
        for scores in self.systems:
            if scores.name == name:
                return scores
        raise KeyError(f"no system {name!r} in this report (systems: {', '.join(s.name for s in self.systems)})")


def read_summary_cases(path: Path | str) -> list[SummaryCase]:
    """Read a JSONL file of articles with reference summaries. Blank lines are skipped.

    Returns
    -------
    list of SummaryCase
        One a non-blank line, in file order. When a line has both, ``paragraphs`` wins over ``article`` (paragraph
        breaks are explicit) and ``summary_sentences`` over ``summary`` (no re-splitting).

    Raises
    ------
    EvalFileError
        The file is missing or not UTF-8, or a line (named by its 1-based number) is not a JSON object, has neither
        a non-empty ``paragraphs`` list of strings nor a non-blank ``article`` string, or has neither a non-empty
        ``summary_sentences`` list of strings nor a non-blank ``summary`` string.
    """
    path = Path(path)
    cases = []
    for number, row in jsonl_objects(path, "the article and its summary"):
        text = _article_text(row)
        if text is None:
            raise EvalFileError(
                path, number, 'needs "paragraphs" (a non-empty list of strings) or "article" (a non-blank string)'
            )
        reference = _reference_sentences(row)
        if reference is None:
            raise EvalFileError(
                path,
                number,
                'needs "summary_sentences" (a non-empty list of strings) or "summary" (a non-blank string)',
            )
        case_id = str(row.get("id") or f"line {number}")
        cases.append(SummaryCase(case_id, str(row.get("title") or case_id), text, reference))
    if not cases:
        raise EvalFileError(path, None, "holds no articles")
    return cases


def _article_text(row: dict) -> str | None:
    paragraphs = row.get("paragraphs")
    if paragraphs is not None:
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            return None
        text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
        return text or None
    article = row.get("article")
    if isinstance(article, str) and article.strip():
        return article
    return None


def _reference_sentences(row: dict) -> tuple[str, ...] | None:
    listed = row.get("summary_sentences")
    if listed is not None:
        if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
            return None
        sentences = tuple(s for s in listed if s.strip())
        return sentences or None
    summary = row.get("summary")
    if isinstance(summary, str) and summary.strip():
        return tuple(summary[start:end] for start, end in sentence_spans(summary))
    return None


def case_source(case: SummaryCase) -> Source:
    """An in-memory :class:`Source` holding the case's article (no caption, id ``"summary-eval"``)."""
    return Source(
        id="summary-eval",
        file_name=f"{case.id}.txt",
        title=case.title,
        text=case.text,
        sha256=hashlib.sha256(case.text.encode()).hexdigest(),
    )


_SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)


def rouge_f1(reference: Sequence[str], candidate: Sequence[str]) -> RougeF1:
    """ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (x100) of the ``candidate`` sentences against the ``reference`` ones.

    Parameters
    ----------
    reference, candidate
        Sentences, in order. Each sentence's white space is collapsed to single spaces before joining with
        ``"\\n"``, so a sentence is one line for ROUGE-Lsum. An empty side scores 0.

    Returns
    -------
    RougeF1
        Each value in [0, 100]; 100 when the two texts have the same words (after rouge-score's lower-casing,
        punctuation removal and Porter stemming) in the same sentences.
    """
    scores = _SCORER.score(_as_lines(reference), _as_lines(candidate))
    return RougeF1(scores["rouge1"].fmeasure * 100, scores["rouge2"].fmeasure * 100, scores["rougeLsum"].fmeasure * 100)


def _as_lines(sentences: Sequence[str]) -> str:
    return "\n".join(" ".join(sentence.split()) for sentence in sentences)


def lead_sentences(source: Source, passages: Sequence[Passage], sentences: int) -> list[str]:
    """Lead-N: the first ``sentences`` of :func:`~retrieval.summaries.candidate_sentences` (same splitter, same
    captions and credit lines left out), so a comparison with the summarizer isolates its choice of sentences."""
    return [s.text for s in candidate_sentences(source, passages)[:sentences]]


def centrality_sentences(source: Source, passages: Sequence[Passage], sentences: int) -> list[str]:
    """The centrality-only baseline: the ``sentences`` candidates with the highest
    :func:`~retrieval.summaries.scoring.degree_centrality` (length factor included; no lede prior, length sweet
    spot, voice factor or novelty), best first skipping near-duplicates, returned in source order."""
    candidates = candidate_sentences(source, passages)
    counts = [Counter(_TOKENIZER.terms(c.text)) for c in candidates]
    scores = degree_centrality(counts)
    chosen: list[int] = []
    for i in sorted(range(len(candidates)), key=lambda i: (-scores[i], i)):
        if len(chosen) == sentences:
            break
        if not any(near_duplicate(counts[i], counts[j]) for j in chosen):
            chosen.append(i)
    return [candidates[i].text for i in sorted(chosen)]


def evaluate_summaries(
    cases: Sequence[SummaryCase], sentences: int, *, summarizer: Summarizer = summarize
) -> SummaryEvalReport:
    """Summarize every case with ``summarizer``, Lead-N and centrality alone, and score each against the references.

    Each case becomes an in-memory source (:func:`case_source`) split by :func:`~retrieval.sources.split_passages`.

    Parameters
    ----------
    cases
        The articles, e.g. from :func:`read_summary_cases`.
    sentences
        Sentences a summary (N), at least 1.
    summarizer
        The system under test; qabot's :func:`~retrieval.summaries.summarize` unless another is given (e.g. a
        variant being measured).

    Returns
    -------
    SummaryEvalReport
        Macro-mean ROUGE F1 x100 for ``summarizer`` (named :data:`SUMMARIZER_NAME`), ``Lead-N`` and
        :data:`CENTRALITY_NAME`.

    Raises
    ------
    ValueError
        ``sentences`` < 1, or no cases (a mean over nothing is undefined).
    """
    if sentences < 1:
        raise ValueError(f"sentences must be at least 1, got {sentences}")
    if not cases:
        raise ValueError("no cases to evaluate; the file holds no articles")
    names = (SUMMARIZER_NAME, f"Lead-{sentences}", CENTRALITY_NAME)
    scores: dict[str, list[RougeF1]] = {name: [] for name in names}
    for case in cases:
        source = case_source(case)
        passages = split_passages(source)
        outputs = {
            SUMMARIZER_NAME: [s.text for s in summarizer(source, passages, sentences).sentences],
            f"Lead-{sentences}": lead_sentences(source, passages, sentences),
            CENTRALITY_NAME: centrality_sentences(source, passages, sentences),
        }
        for name, candidate in outputs.items():
            scores[name].append(rouge_f1(case.reference, candidate))
    systems = []
    for name in names:
        means = [statistics.fmean(column) for column in zip(*scores[name], strict=True)]
        gaps = [ours.rouge1 - theirs.rouge1 for ours, theirs in zip(scores[SUMMARIZER_NAME], scores[name], strict=True)]
        se = statistics.stdev(gaps) / math.sqrt(len(gaps)) if len(gaps) > 1 else 0.0
        systems.append(SystemScores(name, *means, rouge1_lead=statistics.fmean(gaps), rouge1_lead_se=se))
    return SummaryEvalReport(cases=len(cases), sentences=sentences, systems=tuple(systems))
