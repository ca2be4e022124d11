"""Errors raised by the retrieval package. Each carries the data a caller needs to tell the user how to fix it."""

from __future__ import annotations

from pathlib import Path


class RetrievalError(Exception):
    """Base class: a problem the user or moderator can fix; ``str(error)`` says how."""


class SourceFolderMissing(RetrievalError):
    """The sources folder does not exist, is not a folder, or cannot be listed (``problem`` says which)."""

    def __init__(self, folder: Path, problem: str | None = None) -> None:
        self.folder = folder
        problem = problem or ("is not a folder" if folder.exists() else "does not exist")
        where = "" if folder.is_absolute() else f" (relative to {Path.cwd()})"
        super().__init__(f"the sources folder {folder}{where} {problem}; create it or point --seeds/SEEDS_DIR at one")


class SourceError(RetrievalError):
    """A source file that cannot be loaded. ``file`` is the path, ``reason`` what is wrong with it."""

    def __init__(self, file: Path | str, reason: str) -> None:
        self.file = Path(file)
        self.reason = reason
        super().__init__(f"{self.file.name}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[Path, str]]:
        """Pickled as (file, reason): a worker process sends its refusals to the serving process."""
        return type(self), (self.file, self.reason)


class UnknownSource(RetrievalError):
    def __init__(self, source_id: str, known: list[str]) -> None:
        self.source_id = source_id
        self.known = known
        listed = ", ".join(known[:10]) or "none are loaded"
        if len(known) > 10:
            listed += f" and {len(known) - 10} more"
        super().__init__(f"no source has the id {source_id!r} (known: {listed})")


class EmptyQuestion(RetrievalError):
    def __init__(self) -> None:
        super().__init__("the question is empty; ask something about the sources")
