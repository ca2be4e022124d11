"""Per-user rate limit on questions, shared by /ask and mention questions (discord.py's ``commands.Cooldown``)."""

from __future__ import annotations

import time

from discord.ext import commands

MAX_TRACKED_USERS = 10_000


class UserCooldown:
    """At most ``rate`` questions per ``per`` seconds for each user id. A ``rate`` of 0 or ``per`` of 0 seconds: no
    limit (``ASK_COOLDOWN_RATE=0`` or ``ASK_COOLDOWN_SECONDS=0``)."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, commands.Cooldown] = {}
        self._noticed_until: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float | None:
        """Count one question for ``user_id``; return the seconds to wait when over the limit, else None."""
        if self.rate <= 0 or self.per <= 0:
            return None
        now = time.time()
        if len(self._buckets) >= MAX_TRACKED_USERS:
            # Forget users whose window has passed, so the map cannot grow without bound.
            self._buckets = {u: b for u, b in self._buckets.items() if b.get_tokens(now) < self.rate}
        bucket = self._buckets.setdefault(user_id, commands.Cooldown(self.rate, self.per))
        return bucket.update_rate_limit(now)

    def notice_due(self, user_id: int, retry_after: float) -> bool:
        """Whether to tell ``user_id`` to wait (they are over the limit for ``retry_after`` more seconds): True once
        per wait, False for every further question before it ends, so a burst gets one notice, not one each."""
        now = time.time()
        if now < self._noticed_until.get(user_id, 0.0):
            return False
        if len(self._noticed_until) >= MAX_TRACKED_USERS:
            self._noticed_until = {u: t for u, t in self._noticed_until.items() if t > now}
        self._noticed_until[user_id] = now + retry_after
        return True
