"""The feedback store on SQLite, through aiosqlite (the sqlite3 module on a worker thread, so the event loop never
waits on the disk).

- WAL journal with ``synchronous=NORMAL`` (a commit costs no fsync; a power cut can lose the last commits, never
  corrupt the file) and a busy timeout, so a second bot process or ``qabot gaps`` on the same file waits for the
  lock instead of failing (sqlite.org/wal.html).
- Versioned migrations (:mod:`bot.store.migrations`) applied at :meth:`SQLiteStore.open` inside ``BEGIN IMMEDIATE``,
  so two processes starting together migrate once.
- A file that is not a database, or fails ``PRAGMA quick_check``, is moved aside (``NAME.corrupt-TIMESTAMP``) and a
  new one created, with an error in the log.
- A write that fails (locked past the timeout, disk full, read-only) is dropped with one warning; further failures
  are silent until a write succeeds again, which is logged with the number dropped. Nothing raises to the caller.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from pathlib import Path

import aiosqlite

from bot.store.migrations import LATEST, MIGRATIONS
from bot.store.records import DownvotedAnswer, GapsReport, QuestionRecord, RefusedQuestion, ReloadRecord, VoteResult
from bot.store.user_hash import UserHasher

log = logging.getLogger(__name__)

DAY_SECONDS = 86_400
DEFAULT_BUSY_TIMEOUT_SECONDS = 5.0


class StoreUnavailable(Exception):
    """The store could not be opened; the bot runs without it."""


class SQLiteStore:
    """:class:`~bot.store.base.FeedbackStore` on one SQLite file.

    Parameters
    ----------
    path
        The database file; its folder is created when missing.
    hasher
        Turns user ids into keyed hashes (:class:`~bot.store.user_hash.UserHasher`), or a path: the key file,
        read (or created) when the store opens.
    retention_days
        Rows older than this many days are deleted by :meth:`purge_expired` (at open, then daily by the bot).
    busy_timeout
        Seconds a statement waits for another connection's lock before failing.
    existing_only
        Open only a qabot store that is there (the console's ``gaps`` and ``forget``): a file that is corrupt, is not
        a database or is another program's database is left as it is and the store is unavailable, instead of moved
        aside or given qabot's tables.
    """

    def __init__(
        self,
        path: Path,
        hasher: UserHasher | Path,
        *,
        retention_days: int = 90,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
        existing_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.existing_only = existing_only
        self.open_error: str | None = None
        """Why the last :meth:`open` left the store unavailable (None: it opened)."""
        self._hasher = hasher
        self.retention_days = retention_days
        self.busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._dropped = 0

    @property
    def available(self) -> bool:
        return self._db is not None

    def hash_user(self, user_id: int) -> str:
        """The keyed hash under which ``user_id``'s rows are kept. Raises RuntimeError before :meth:`open`."""
        if not isinstance(self._hasher, UserHasher):
            raise RuntimeError("the store is not open")
        return self._hasher(user_id)

    async def open(self) -> None:
        self.open_error = None
        try:
            if not isinstance(self._hasher, UserHasher):
                self._hasher = UserHasher.from_key_file(self._hasher)
            self._db = await self._connect_checked()
        except (sqlite3.Error, OSError) as error:
            self.open_error = str(error)
            if not self.existing_only:  # existing-only: the caller (the console) reports it, on one line
                log.error("Feedback store %s unavailable, running without it: %s", self.path, error)
            self._db = None
            return
        await self.purge_expired()

    async def _connect_checked(self) -> aiosqlite.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return await self._connect_retrying_while_locked()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and not _is_corruption(error):
                raise  # locked, read-only, I/O: not a reason to move the file away
            if self.existing_only:
                raise
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
            log.error("Feedback store %s is corrupt (%s): moved to %s, starting a new one", self.path, error, aside)
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                sidecar = self.path.with_name(self.path.name + suffix)
                if sidecar.exists():
                    sidecar.rename(aside.with_name(aside.name + suffix))
            return await self._connect_and_migrate()

    async def _connect_retrying_while_locked(self) -> aiosqlite.Connection:
        """Connect and migrate, again while another process holds the file locked, up to ``busy_timeout``: SQLite
        answers "database is locked" at once, without its busy handler, when two connections switch a new file to
        WAL at the same moment (two bot processes starting together)."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return await self._connect_and_migrate()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(0.05)

    async def _connect_and_migrate(self) -> aiosqlite.Connection:
        db = await aiosqlite.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            if self.existing_only:
                (version,) = await (await db.execute("PRAGMA user_version")).fetchone()
                if version == 0:  # read before anything is written: another program's database stays untouched
                    raise sqlite3.DatabaseError("not a qabot feedback store (no qabot tables)")
            await db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            (check,) = await (await db.execute("PRAGMA quick_check")).fetchone()
            if check != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {check}")
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def _write(self, what: str, *statements: tuple[str, tuple]) -> bool:
        """Run ``statements`` in one transaction; on failure drop them with one log line per run of failures."""
        if self._db is None:
            return False
        try:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    await self._db.execute(sql, params)
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")
        except (sqlite3.Error, ValueError) as error:  # ValueError: the connection was closed (shutting down)
            if self._dropped == 0:
                log.warning("Feedback store: dropped a write (%s): %s; further failures are not logged", what, error)
            self._dropped += 1
            return False
        if self._dropped:
            log.warning("Feedback store writes work again; %d were dropped", self._dropped)
            self._dropped = 0
        return True

    async def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row | tuple]:
        if self._db is None:
            return []
        try:
            return list(await self._db.execute_fetchall(sql, params))
        except (sqlite3.Error, ValueError) as error:  # ValueError: the connection was closed (shutting down)
            log.warning("Feedback store: a read failed: %s", error)
            return []

    async def record_question(self, record: QuestionRecord) -> None:
        if self._db is None:
            return
        await self._write(
            "question",
            (
                "INSERT OR REPLACE INTO questions (asked_at, guild_id, channel_id, user_hash, question, answered, "
                "refusal, passage_ids, latency_ms, message_id, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    record.guild_id,
                    record.channel_id,
                    self.hash_user(record.user_id),
                    record.question,
                    int(record.answered),
                    record.refusal,
                    json.dumps(list(record.passage_ids)),
                    record.latency_ms,
                    record.message_id,
                    record.via,
                ),
            ),
        )

    async def record_vote(self, message_id: int, user_id: int, vote: int) -> VoteResult:
        if vote not in (-1, 1):
            raise ValueError(f"a vote is +1 or -1, got {vote}")
        if self._db is None:
            return VoteResult.NOT_SAVED
        user = self.hash_user(user_id)
        rows = await self._read("SELECT vote FROM votes WHERE message_id = ? AND user_hash = ?", (message_id, user))
        previous = rows[0][0] if rows else None
        if previous == vote:
            return VoteResult.SAME
        saved = await self._write(
            "vote",
            (
                "INSERT INTO votes (message_id, user_hash, vote, voted_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (message_id, user_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (message_id, user, vote, time.time()),
            ),
        )
        if not saved:
            return VoteResult.NOT_SAVED
        return VoteResult.NEW if previous is None else VoteResult.CHANGED

    async def record_reload(self, record: ReloadRecord) -> None:
        if self._db is None:
            return
        await self._write(
            "reload",
            (
                "INSERT INTO reloads (reloaded_at, guild_id, user_hash, ok, added, changed, removed, error, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    record.guild_id,
                    None if record.user_id is None else self.hash_user(record.user_id),
                    int(record.ok),
                    json.dumps(list(record.added)),
                    json.dumps(list(record.changed)),
                    json.dumps(list(record.removed)),
                    record.error,
                    record.seconds,
                ),
            ),
        )

    async def question_for_message(self, message_id: int) -> str | None:
        rows = await self._read("SELECT question FROM questions WHERE message_id = ?", (message_id,))
        return rows[0][0] if rows else None

    async def gaps(self, *, days: int, guild_id: int | None = None, limit: int = 10) -> GapsReport:
        since = time.time() - days * DAY_SECONDS
        scope, args = ("AND guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())
        counted = await self._read(f"SELECT COUNT(*) FROM questions WHERE asked_at >= ? {scope}", (since, *args))
        refused = await self._read(
            "SELECT MIN(question), COUNT(*), (SELECT refusal FROM questions r WHERE lower(trim(r.question)) = key "
            f"AND r.answered = 0 ORDER BY r.asked_at DESC LIMIT 1) FROM (SELECT question, lower(trim(question)) AS key "
            f"FROM questions WHERE answered = 0 AND asked_at >= ? {scope}) GROUP BY key "
            "ORDER BY COUNT(*) DESC, MIN(question) LIMIT ?",
            (since, *args, limit),
        )
        downvoted = await self._read(
            "SELECT q.message_id, q.question, q.passage_ids, SUM(v.vote = -1), SUM(v.vote = 1) "
            "FROM votes v JOIN questions q ON q.message_id = v.message_id "
            f"WHERE v.voted_at >= ? {scope.replace('guild_id', 'q.guild_id')} GROUP BY q.message_id "
            "HAVING SUM(v.vote = -1) > 0 ORDER BY SUM(v.vote = -1) DESC, SUM(v.vote = 1), q.message_id LIMIT ?",
            (since, *args, limit),
        )
        return GapsReport(
            days=days,
            questions=counted[0][0] if counted else 0,
            refused=tuple(RefusedQuestion(q, n, why) for q, n, why in refused),
            downvoted=tuple(
                DownvotedAnswer(mid, q, tuple(json.loads(ids)), down, up) for mid, q, ids, down, up in downvoted
            ),
        )

    async def forget_user(self, user_id: int) -> int:
        if self._db is None:
            return 0
        user = self.hash_user(user_id)
        before = self._db.total_changes
        saved = await self._write(
            "forget",
            ("DELETE FROM votes WHERE user_hash = ?", (user,)),
            ("DELETE FROM questions WHERE user_hash = ?", (user,)),
            ("UPDATE reloads SET user_hash = NULL WHERE user_hash = ?", (user,)),
        )
        return self._db.total_changes - before if saved and self._db is not None else 0

    async def purge_expired(self) -> int:
        if self._db is None:
            return 0
        cutoff = time.time() - self.retention_days * DAY_SECONDS
        before = self._db.total_changes
        saved = await self._write(
            "retention",
            ("DELETE FROM questions WHERE asked_at < ?", (cutoff,)),
            ("DELETE FROM votes WHERE voted_at < ?", (cutoff,)),
            ("DELETE FROM reloads WHERE reloaded_at < ?", (cutoff,)),
        )
        purged = self._db.total_changes - before if saved and self._db is not None else 0
        if purged:
            log.info("Feedback store: deleted %d rows older than %d days", purged, self.retention_days)
        return purged


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply the migrations ``db`` lacks, each in its own ``BEGIN IMMEDIATE`` transaction (a second process waits,
    then sees the new version and skips it). Returns the schema version.

    Raises
    ------
    sqlite3.DatabaseError
        The file's schema is newer than this code knows (written by a newer qabot): refused, not downgraded.
    """
    while True:
        await db.execute("BEGIN IMMEDIATE")  # outside the try: when it fails there is nothing to roll back
        try:
            (version,) = await (await db.execute("PRAGMA user_version")).fetchone()
            if version > LATEST:
                raise StoreTooNew(version)
            if version == LATEST:
                await db.execute("COMMIT")
                return version
            for statement in MIGRATIONS[version]:
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {version + 1}")
            await db.execute("COMMIT")
            log.info("Feedback store migrated to schema version %d", version + 1)
        except BaseException:
            await db.execute("ROLLBACK")
            raise


class StoreTooNew(sqlite3.OperationalError):
    """The store's schema version is newer than this code's; it is left untouched."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(f"schema version {version} is newer than this qabot knows ({LATEST}); upgrade qabot")


def _is_corruption(error: sqlite3.Error) -> bool:
    return any(s in str(error) for s in ("not a database", "malformed", "quick_check"))
