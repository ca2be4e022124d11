"""retrieval.memory: NumPy's large arrays on ordinary pages."""

from __future__ import annotations

import numpy as np

from retrieval.memory import use_small_pages


def test_use_small_pages_stops_numpy_asking_for_huge_pages():
    switch = np._core.multiarray._set_madvise_hugepage  # returns the setting it replaces
    kept = switch(True)
    try:
        use_small_pages()
        assert switch(False) is False
    finally:
        switch(kept)
