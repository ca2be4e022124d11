"""Summary evaluation: the JSONL reader and its errors, ROUGE arithmetic, Lead-N, and the report over cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.evaluation.files import EvalFileError
from retrieval.evaluation.summary import (
    CENTRALITY_NAME,
    SUMMARIZER_NAME,
    SummaryCase,
    case_source,
    centrality_sentences,
    evaluate_summaries,
    lead_sentences,
    read_summary_cases,
    rouge_f1,
)
from retrieval.sources.splitting import split_passages
from retrieval.summaries.summarizing import summarize


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_identical_reference_and_candidate_score_100():
    """A candidate equal to the reference gets 100 on ROUGE-1, ROUGE-2 and ROUGE-Lsum."""
    sentences = ["The council approved the budget.", "Parents welcomed it."]
    assert rouge_f1(sentences, sentences) == pytest.approx((100.0, 100.0, 100.0))


def test_rouge_counts_shared_unigrams_and_bigrams():
    """Reference "the cat sat", candidate "the cat ran": 2 of 3 words (F1 66.67) and 1 of 2 bigrams (F1 50) match."""
    scores = rouge_f1(["the cat sat"], ["the cat ran"])
    assert scores.rouge1 == pytest.approx(200 / 3)
    assert scores.rouge2 == pytest.approx(50.0)
    assert scores.rouge_lsum == pytest.approx(200 / 3)


def test_rouge_is_zero_for_disjoint_or_empty_candidates():
    """No shared word, or no candidate sentence at all, scores 0."""
    assert rouge_f1(["the cat sat"], ["dogs bark loudly"]) == (0.0, 0.0, 0.0)
    assert rouge_f1(["the cat sat"], []) == (0.0, 0.0, 0.0)


def test_rouge_lsum_treats_a_line_break_inside_a_sentence_as_a_space():
    """A hard-wrapped sentence stays one sentence for ROUGE-Lsum (only sentence joins are line breaks)."""
    wrapped = rouge_f1(["alpha beta gamma delta"], ["gamma delta\nalpha beta"])
    joined = rouge_f1(["alpha beta gamma delta"], ["gamma delta alpha beta"])
    assert wrapped.rouge_lsum == pytest.approx(joined.rouge_lsum) == pytest.approx(50.0)


def test_lead_n_takes_the_first_n_sentences():
    """Lead-N is the first N sentences, across paragraph breaks, in order."""
    case = SummaryCase("c", "t", "One fish swam.\n\nTwo birds flew. Three cats slept.\n\nFour dogs ran.", ("x",))
    source = case_source(case)
    passages = split_passages(source)
    assert lead_sentences(source, passages, 3) == ["One fish swam.", "Two birds flew.", "Three cats slept."]
    assert lead_sentences(source, passages, 10) == [
        "One fish swam.",
        "Two birds flew.",
        "Three cats slept.",
        "Four dogs ran.",
    ]


def test_report_averages_over_cases_for_every_system():
    """Lead-1 scoring 100 on one case and 0 on the other averages to 50; qabot's scores are its summaries' ROUGE."""
    cases = [
        SummaryCase("a", "a", "Ships sail at dawn.\n\nPorts close at night.", ("Ships sail at dawn.",)),
        SummaryCase("b", "b", "Bread rises slowly.\n\nOvens stay hot.", ("Ovens stay hot.",)),
    ]
    report = evaluate_summaries(cases, 1)
    assert report.cases == 2 and report.sentences == 1
    assert [s.name for s in report.systems] == [SUMMARIZER_NAME, "Lead-1", CENTRALITY_NAME]
    lead = report.system("Lead-1")
    assert (lead.rouge1, lead.rouge2, lead.rouge_lsum) == pytest.approx((50.0, 50.0, 50.0))
    expected = []
    for case in cases:
        source = case_source(case)
        expected.append(
            rouge_f1(case.reference, [s.text for s in summarize(source, split_passages(source), 1).sentences])
        )
    qabot = report.system(SUMMARIZER_NAME)
    assert qabot.rouge1 == pytest.approx(sum(e.rouge1 for e in expected) / 2)
    assert qabot.rouge_lsum == pytest.approx(sum(e.rouge_lsum for e in expected) / 2)
    # qabot's lead over Lead-1 is the mean per-case ROUGE-1 difference; with two cases its standard error is
    # stdev([d1, d2]) / sqrt(2) = |d1 - d2| / 2.
    gaps = [e.rouge1 - lead_case for e, lead_case in zip(expected, (100.0, 0.0), strict=True)]
    assert lead.rouge1_lead == pytest.approx(qabot.rouge1 - lead.rouge1) == pytest.approx(sum(gaps) / 2)
    assert lead.rouge1_lead_se == pytest.approx(abs(gaps[0] - gaps[1]) / 2)
    assert (qabot.rouge1_lead, qabot.rouge1_lead_se) == (0.0, 0.0)


def test_centrality_baseline_takes_the_most_central_sentences_in_source_order():
    """The centrality-only baseline ignores position: the off-topic lede loses to the sentences about the vote."""
    text = (
        "Rain fell on Tuesday morning in the old town.\n\n"
        "The council approved the school budget after a long vote. "
        "Parents had asked the council to raise the school budget.\n\n"
        "The council will vote on the school budget again next year."
    )
    source = case_source(SummaryCase("c", "t", text, ("x",)))
    chosen = centrality_sentences(source, split_passages(source), 2)
    # The first and last share four terms (council, school, budget, vote); "Parents ..." shares three with each.
    assert chosen == [
        "The council approved the school budget after a long vote.",
        "The council will vote on the school budget again next year.",
    ]


def test_report_uses_the_given_summarizer():
    """A summarizer passed in is the one scored (here: one that copies the reference's sentence, so 100)."""
    case = SummaryCase("a", "a", "Ships sail at dawn.\n\nPorts close at night.", ("Ports close at night.",))

    def last_sentence(source, passages, sentences):
        summary = summarize(source, passages, 10)
        return summary.model_copy(update={"sentences": summary.sentences[-sentences:]})

    report = evaluate_summaries([case], 1, summarizer=last_sentence)
    assert report.system(SUMMARIZER_NAME).rouge1 == pytest.approx(100.0)


def test_evaluate_rejects_no_sentences_and_no_cases():
    """sentences < 1 and an empty case list are ValueErrors, not a division by zero."""
    case = SummaryCase("a", "a", "Ships sail.", ("Ships sail.",))
    with pytest.raises(ValueError, match="at least 1"):
        evaluate_summaries([case], 0)
    with pytest.raises(ValueError, match="no cases"):
        evaluate_summaries([], 3)


def test_reader_joins_paragraphs_and_splits_a_summary_string(tmp_path):
    """``paragraphs`` become blank-line-separated text; a ``summary`` string is split into sentences."""
    path = write_jsonl(
        tmp_path / "cases.jsonl",
        [
            {"id": "x/1", "title": "T", "paragraphs": ["A b c.", "D e f."], "summary": "A b c. D e f."},
            "",
            {"article": "Whole text.\n\nMore.", "summary_sentences": ["Whole text."], "summary": "ignored. Really."},
        ],
    )
    first, second = read_summary_cases(path)
    assert (first.id, first.title, first.text, first.reference) == (
        "x/1",
        "T",
        "A b c.\n\nD e f.",
        ("A b c.", "D e f."),
    )
    assert (second.id, second.text, second.reference) == ("line 3", "Whole text.\n\nMore.", ("Whole text.",))
    assert split_passages(case_source(first))[1].paragraph == 2


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "not JSON"),
        ('["a list"]', "JSON object"),
        ('{"summary": "S."}', '"paragraphs"'),
        ('{"paragraphs": [1, 2], "summary": "S."}', '"paragraphs"'),
        ('{"article": "   ", "summary": "S."}', '"article"'),
        ('{"article": "A."}', '"summary_sentences"'),
        ('{"article": "A.", "summary_sentences": []}', '"summary_sentences"'),
    ],
)
def test_a_bad_line_is_named_with_its_number(tmp_path, bad_line, reason):
    """A malformed line raises EvalFileError naming the file, the 1-based line and what is wrong."""
    good = json.dumps({"article": "A.", "summary": "A."})
    path = write_jsonl(tmp_path / "bad.jsonl", [good, "", bad_line])
    with pytest.raises(EvalFileError) as caught:
        read_summary_cases(path)
    assert caught.value.line == 3 and caught.value.file == path
    assert reason in caught.value.reason and f"{path}:3" in str(caught.value)


def test_a_missing_file_is_an_eval_file_error(tmp_path):
    """A file that does not exist raises EvalFileError (no line number), not a bare OSError."""
    with pytest.raises(EvalFileError) as caught:
        read_summary_cases(tmp_path / "nope.jsonl")
    assert caught.value.line is None


def test_shared_bbc_set_reads_every_case(shared_dir):
    """The shared BBC file parses into 100 cases, each with article text and a reference summary."""
    cases = read_summary_cases(shared_dir / "data/bbc-news-summary-100/bbc_news_summary_100.jsonl")
    assert len(cases) == 100
