"""Handing the GIL to an event loop in another thread during long library work (reloads run in a worker thread).

CPython hands the GIL to a waiting thread when the running one has held it for the switch interval (5 ms), unless the
GIL changed hands meanwhile. A worker that keeps releasing and retaking it around short C calls (NumPy reductions,
hashing, file writes) counts as changing hands, so the waiting event loop never asks for it and can wait hundreds
of milliseconds (measured: 580 ms while 16,000 cached source units were read). A real sleep hands it over.
"""

from __future__ import annotations

import time

PAUSE_SECONDS = 0.0005


def let_others_run() -> None:
    """Sleep half a millisecond, so a thread waiting for the GIL (the event loop) takes it."""
    time.sleep(PAUSE_SECONDS)
