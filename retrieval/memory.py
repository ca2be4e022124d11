"""Giving freed memory back to the operating system after a large, short-lived allocation (a cache written, an old
library released), and keeping NumPy's large arrays on ordinary pages (:func:`use_small_pages`).

CPython frees objects into the C allocator, and glibc keeps freed pages of its heap for reuse unless they sit at the
heap's top: after the sources cache of 16,000 articles is written (one encoded copy of every text, freed at once),
a process stays about 50 MB larger (measured at 84,000 passages: 287 MB against 239 MB), and a reload's old library
leaves hundreds. ``malloc_trim(0)`` (glibc, Linux) returns those pages; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)  # CDLL releases the GIL during the call: an event loop in another thread runs on
        return libc.malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS): nothing to call
        return None


def release_free_memory() -> None:
    """Return the C heap's free pages to the operating system (glibc's ``malloc_trim(0)``); a no-op where it does
    not exist. Takes a few milliseconds per hundred MB of heap, without holding the GIL."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def use_small_pages() -> None:
    """Stop NumPy asking the kernel for transparent huge pages for its arrays of 4 MB and more (``madvise``; the same
    as starting with ``NUMPY_MADVISE_HUGEPAGE=0``), from now on in this process.

    Where the kernel defragments memory to serve such a request (``/sys/kernel/mm/transparent_hugepage/defrag`` set
    to ``madvise``, the kernel's default), a process that allocates and frees arrays of tens of MB again and again
    stalls in compaction: the build worker's reload of 100,747 passages after one article changed took 1.9-2.2 s
    when it came 8 s after the last one, and 1.2-1.4 s with small pages (1.0-1.1 s back to back, either way).
    A no-op on a NumPy without the switch."""
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    switch = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if switch is not None:
        switch(False)
