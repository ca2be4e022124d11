"""Handing the GIL to an event loop in another thread during long library work (reloads run in a worker thread).

CPython hands the GIL to a waiting thread when the running one has held it for the switch interval (5 ms), unless the
GIL changed hands meanwhile. A worker that keeps releasing and retaking it around short C calls (NumPy reductions,
hashing, file writes) counts as changing hands, so the waiting event loop never asks for it and can wait hundreds
of milliseconds (measured: 580 ms while 16,000 cached source units were read). A real sleep hands it over.

A pause has a price too: once asleep, the worker waits for the GIL like anyone else, and a loop that is busy and
releases the GIL often (every poll) can keep it waiting for seconds (measured: up to 11 s per pause while a test read
the library in a tight loop). So the worker pauses only after it has worked for ``WORK_SECONDS`` since its last
pause: the loop waits at most that long, and a busy loop costs the worker one wait per ``WORK_SECONDS`` of work, not
one per step.

A thread that is the process's only one (a console build, the bot's build worker process) has nobody to hand the GIL
to and never pauses: at 100,000 passages the pauses were 30-40 ms of a reload's merge in the worker process.
"""

from __future__ import annotations

import threading
import time

PAUSE_SECONDS = 0.0005
WORK_SECONDS = 0.003

_last_pause = threading.local()


def let_others_run() -> None:
    """Sleep half a millisecond, so a thread waiting for the GIL (the event loop) takes it, if this thread has
    worked for ``WORK_SECONDS`` or more since it last paused and another thread exists; otherwise return at once."""
    if threading.active_count() == 1:
        return  # no other thread to hand the GIL to
    now = time.perf_counter()
    if now - getattr(_last_pause, "at", 0.0) < WORK_SECONDS:
        return
    time.sleep(PAUSE_SECONDS)
    _last_pause.at = time.perf_counter()
