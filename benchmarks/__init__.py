"""Benchmarks: scripts that measure, run by hand (``python -m benchmarks.NAME``); not part of the test suite."""
