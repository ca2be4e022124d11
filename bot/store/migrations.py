"""The store's schema, as numbered migrations applied in order at start-up. ``PRAGMA user_version`` holds the number
of the last one applied. Never edit a released migration: append a new one."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: questions and votes
    (
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked_at REAL NOT NULL,            -- Unix time, seconds
            guild_id INTEGER,                  -- NULL in DMs
            channel_id INTEGER,
            user_hash TEXT NOT NULL,           -- HMAC-SHA256 of the user id (bot/store/user_hash.py)
            question TEXT NOT NULL,
            answered INTEGER NOT NULL,         -- 1 quoted passages, 0 refused
            refusal TEXT,                      -- why it was refused
            passage_ids TEXT NOT NULL,         -- JSON list, best first
            latency_ms REAL NOT NULL,
            message_id INTEGER UNIQUE,         -- the answer message
            via TEXT NOT NULL                  -- slash, mention, dm, context-menu, thread
        )""",
        "CREATE INDEX questions_by_time ON questions (asked_at)",
        "CREATE INDEX questions_by_user ON questions (user_hash)",
        """CREATE TABLE votes (
            message_id INTEGER NOT NULL,
            user_hash TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            voted_at REAL NOT NULL,
            PRIMARY KEY (message_id, user_hash)
        )""",
    ),
    # 2: reloads (who, when, what changed, errors), and votes by time for /gaps and retention
    (
        """CREATE TABLE reloads (
            id INTEGER PRIMARY KEY,
            reloaded_at REAL NOT NULL,
            guild_id INTEGER,
            user_hash TEXT,                    -- NULL for the load at start-up
            ok INTEGER NOT NULL,
            added TEXT NOT NULL,               -- JSON lists of source ids
            changed TEXT NOT NULL,
            removed TEXT NOT NULL,
            error TEXT,
            seconds REAL NOT NULL
        )""",
        "CREATE INDEX reloads_by_time ON reloads (reloaded_at)",
        "CREATE INDEX votes_by_time ON votes (voted_at)",
    ),
)

LATEST = len(MIGRATIONS)
