"""The audit log of library changes: one JSON object a line, appended to ``LIBRARIES_DIR/audit.jsonl``, and the same
line logged to the ``qabot.audit`` logger. (The SQLite store of the Discord issue can take this over when it lands.)

Each entry: ``time`` (UTC, ISO 8601), ``guild_id``, ``user_id``, ``action`` (``add``, ``remove``, ``reload``),
``source_id``, ``ok`` and ``detail`` (what was added, or why it was refused).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("qabot.audit")


class AuditLog:
    """Appends entries to ``path`` (its folder is created on first use). A failed write is logged, never raised: an
    edit that succeeded is not undone because its record could not be written."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def record(
        self, *, guild_id: int | None, user_id: int, action: str, source_id: str | None, ok: bool, detail: str = ""
    ) -> dict:
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "guild_id": guild_id,
            "user_id": user_id,
            "action": action,
            "source_id": source_id,
            "ok": ok,
            "detail": detail,
        }
        line = json.dumps(entry, ensure_ascii=False)
        log.info("%s", line)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError:
            log.exception("Could not write the audit log %s", self.path)
        return entry

    def entries(self) -> list[dict]:
        """Every entry written so far (for tests and for moderators' tools)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]
