"""The feedback store's interface: small and typed, so another backend (PostgreSQL, for several bot processes) is one
class that implements it. No method raises for a storage failure: writes that cannot be made are dropped with one log
line, reads return nothing, and the bot keeps answering."""

from __future__ import annotations

from typing import Protocol

from bot.store.records import GapsReport, QuestionRecord, ReloadRecord, VoteResult


class FeedbackStore(Protocol):
    async def open(self) -> None:
        """Create or migrate the schema and purge rows past retention. Never raises: an unusable store logs why and
        every later call does nothing."""

    async def close(self) -> None: ...

    async def record_question(self, record: QuestionRecord) -> None:
        """Keep one question and what qabot did with it."""

    async def record_vote(self, message_id: int, user_id: int, vote: int) -> VoteResult:
        """Keep ``user_id``'s vote (+1 or -1) on the answer ``message_id``: one per user per answer, changeable.

        Raises
        ------
        ValueError
            ``vote`` is neither +1 nor -1 (a programming error, not a storage failure).
        """

    async def record_reload(self, record: ReloadRecord) -> None: ...

    async def question_for_message(self, message_id: int) -> str | None:
        """The question the answer ``message_id`` answered, in full, or None when unknown."""

    async def gaps(self, *, days: int, guild_id: int | None = None, limit: int = 10) -> GapsReport:
        """The most frequent refused questions and most 👎 answers of the last ``days`` days, of one guild (all
        guilds when None), at most ``limit`` of each."""

    async def forget_user(self, user_id: int) -> int:
        """Delete every row naming ``user_id`` (questions, votes, reloads); return how many were deleted."""

    async def purge_expired(self) -> int:
        """Delete rows older than the retention period; return how many were deleted."""
