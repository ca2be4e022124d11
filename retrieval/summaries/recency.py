"""When a source was published or added, and the order "most recent first" that follows from it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from retrieval.models import Source

_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%d/%m/%Y")
"""Written dates besides ISO 8601: "February 25, 2026", "Feb 25, 2026", "Feb. 25, 2026", "25 February 2026",
"2026/02/25" and the day-first "25/02/2026" (the month-first US form is ambiguous and not guessed)."""


def published_date(source: Source) -> date | None:
    """The date in the source's ``published`` field, or None when it has none or it is not a date we can read.

    ISO 8601 (``2026-02-25``, ``2026-02-25T14:30:00Z``) and the forms in :data:`_DATE_FORMATS` are read; a sidecar
    keeps ``published`` as written, so anything else ("last Tuesday") counts as unknown rather than guessed.
    """
    text = (source.published or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def most_recent_first(sources: Sequence[Source]) -> list[Source]:
    """``sources`` ordered newest first: by published date where known, the undated ones after them by when their
    file was added or last changed (:attr:`Source.modified`), newest first; ties and sources with neither keep
    their given order (the sort is stable)."""

    def key(source: Source) -> tuple[int, float]:
        published = published_date(source)
        if published is not None:
            return (0, -float(published.toordinal()))
        if source.modified is not None:
            return (1, -source.modified)
        return (2, 0.0)

    return sorted(sources, key=key)


def oldest_first_key(source: Source, position: int) -> tuple[int, int, int]:
    """Sort key for "by source date when known, then source order": dated sources first, oldest first, then the
    undated ones; ``position`` is the source's place in the library, which breaks ties."""
    published = published_date(source)
    return (0, published.toordinal(), position) if published is not None else (1, 0, position)
