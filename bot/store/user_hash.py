"""User ids as keyed hashes (HMAC-SHA256, RFC 2104): a leaked store file names nobody, yet ``qabot forget --user ID``
finds a user's rows by hashing the id again with the same key.

The key is ``STORE_USER_KEY`` when set, else a random key created once in a file beside the store (``NAME.key``,
mode 0600). Without the key a hash cannot be tested against candidate ids, which a plain hash of a 64-bit snowflake
could (ids are guessable: they encode a timestamp).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

KEY_BYTES = 32


class UserHasher:
    """Turns Discord user ids into stable, keyed, hex digests."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the user-hash key must be at least 16 bytes")
        self._key = key

    def __call__(self, user_id: int) -> str:
        """The hex HMAC-SHA256 of the decimal ``user_id`` (64 hex characters)."""
        return hmac.new(self._key, str(int(user_id)).encode(), hashlib.sha256).hexdigest()

    @classmethod
    def from_key_file(cls, path: Path) -> UserHasher:
        """The hasher whose key is in ``path``, creating the file (0600) with a random key when missing.

        Raises
        ------
        OSError
            The file can't be read or created.
        """
        try:
            return cls(bytes.fromhex(path.read_text(encoding="ascii").strip()))
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return cls(bytes.fromhex(path.read_text(encoding="ascii").strip()))
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(key.hex() + "\n")
        log.info("Created the user-hash key %s (keep it with the store; without it, forget --user cannot work)", path)
        return cls(key)

    @classmethod
    def from_secret(cls, secret: str) -> UserHasher:
        """The hasher keyed by a configured secret (any text of 16 characters or more)."""
        return cls(secret.encode())
