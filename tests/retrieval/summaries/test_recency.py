"""Reading a source's published date, and "most recent first" for summaries of many sources."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from retrieval.models import Source
from retrieval.summaries.recency import most_recent_first, published_date


def source(source_id: str, published: str | None = None, modified: float | None = None) -> Source:
    return Source(
        id=source_id,
        file_name=f"{source_id}.txt",
        title=source_id,
        published=published,
        modified=modified,
        text="Text.",
        sha256=hashlib.sha256(source_id.encode()).hexdigest(),
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-02-25", date(2026, 2, 25)),
        ("2026-02-25T14:30:00Z", date(2026, 2, 25)),
        ("February 25, 2026", date(2026, 2, 25)),
        ("Feb. 25, 2026", date(2026, 2, 25)),
        ("25 February 2026", date(2026, 2, 25)),
        ("25/02/2026", date(2026, 2, 25)),
        ("last Tuesday", None),
        ("02/25/2026", None),  # month first: ambiguous, not guessed
        ("", None),
        (None, None),
    ],
)
def test_published_date_reads_common_forms_and_guesses_nothing(written, expected):
    """ISO and written-out dates are read; anything else is unknown rather than guessed."""
    assert published_date(source("a", written)) == expected


def test_most_recent_first_orders_dated_then_added_then_neither():
    """Dated sources newest first, then undated ones by file time newest first, then the rest in given order."""
    sources = [
        source("old", "2025-01-01"),
        source("no-time-1"),
        source("added-early", modified=1_000.0),
        source("new", "2026-03-01"),
        source("added-late", modified=2_000.0),
        source("no-time-2"),
    ]
    assert [s.id for s in most_recent_first(sources)] == [
        "new",
        "old",
        "added-late",
        "added-early",
        "no-time-1",
        "no-time-2",
    ]
