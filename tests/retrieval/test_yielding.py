"""retrieval.yielding: a long library step pauses for the event loop only when another thread could take the GIL."""

from __future__ import annotations

import pytest

from retrieval import yielding


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The sleeps let_others_run takes, recorded instead of slept; the last pause is long past."""
    taken: list[float] = []
    monkeypatch.setattr(yielding.time, "sleep", taken.append)
    monkeypatch.setattr(yielding._last_pause, "at", 0.0, raising=False)
    return taken


def test_a_thread_that_has_worked_long_enough_pauses_when_another_thread_exists(
    sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yielding.threading, "active_count", lambda: 2)
    yielding.let_others_run()
    assert sleeps == [yielding.PAUSE_SECONDS]
    yielding.let_others_run()  # just paused: works on
    assert sleeps == [yielding.PAUSE_SECONDS]


def test_the_only_thread_of_a_process_never_pauses(sleeps: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yielding.threading, "active_count", lambda: 1)
    for _ in range(3):
        yielding.let_others_run()
    assert sleeps == []
