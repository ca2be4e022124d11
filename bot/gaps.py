"""The /gaps report (and ``qabot gaps``): what moderators act on, rendered as Discord markdown lines."""

from __future__ import annotations

from bot.render import code, one_line, plural, safe
from bot.store import GapsReport

QUESTION_CHARS = 200
REASON_CHARS = 160
IDS_SHOWN = 3


def render_gaps(report: GapsReport) -> list[str]:
    """The report as lines: a heading with the period and question count, the most frequent refused questions with
    counts and the reason given, then the answers with most 👎 with the passages they quoted."""
    lines = [f"**Gaps of the last {plural(report.days, 'day')}** ({plural(report.questions, 'question')} asked)"]
    lines.append("**Refused most often** (the sources didn't cover them: add an article, or check the wording)")
    if not report.refused:
        lines.append("- none")
    for refused in report.refused:
        reason = f": {safe(one_line(refused.refusal, REASON_CHARS))}" if refused.refusal else ""
        lines.append(f"- {refused.count}× “{safe(one_line(refused.question, QUESTION_CHARS))}”{reason}")
    lines.append("**Most 👎 answers** (check the passages quoted; `/passage` shows one)")
    if not report.downvoted:
        lines.append("- none")
    for answer in report.downvoted:
        ids = ", ".join(code(i) for i in answer.passage_ids[:IDS_SHOWN]) or "no passage"
        lines.append(
            f"- 👎 {answer.down} · 👍 {answer.up}: “{safe(one_line(answer.question, QUESTION_CHARS))}” quoted {ids}"
        )
    return lines
