"""A checkout without ../shared: the tests that need it are skipped in one line, or, in CI, stop in one line."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# The shared Discord payloads (test_ask), the shared BBC file (test_eval_summary) and `qabot run`, which installs a
# root log handler (test_cli): together they once printed raw tracebacks and "Logging error" blocks.
SUBSET = [
    "tests/bot/test_ask.py",
    "tests/bot/test_cli.py::test_run_without_network_is_one_line",
    "tests/retrieval/evaluation/test_eval_summary.py::test_shared_bbc_set_reads_every_case",
]


def run_pytest(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "QABOT_REQUIRE_SHARED"}
    environ |= {"QABOT_SHARED_DIR": str(tmp_path / "no-shared"), **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *SUBSET],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_shared_material_tests_are_skipped_in_one_line(tmp_path):
    """Missing shared material: exit 0, one SKIPPED line naming the folder and how to get it, no traceback."""
    result = run_pytest(tmp_path)
    output = result.stdout + result.stderr
    skipped = [line for line in output.splitlines() if line.startswith("SKIPPED")]
    assert result.returncode == 0, output[-2000:]
    assert len(skipped) == 1 and str(tmp_path / "no-shared") in skipped[0] and "QABOT_SHARED_DIR" in skipped[0]
    assert "Traceback" not in output and "Logging error" not in output


def test_ci_without_shared_material_stops_with_one_line(tmp_path):
    """QABOT_REQUIRE_SHARED=1 (CI): a usage error of one line naming the folder, before any test runs."""
    result = run_pytest(tmp_path, QABOT_REQUIRE_SHARED="1")
    assert result.returncode == 4
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert str(tmp_path / "no-shared") in result.stderr
