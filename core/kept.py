"""Values kept in this process for a while: reference rows, rendered
fragments, closures (issue 13).

Several modules keep what changes a few times a year but is read on every
page (consult.reference_cache, municipalities.calendar).  They all work the
same way, written once here: an entry is good for `ttl_seconds` (so another
process's change shows within that time), the owner clears it at once when
a row changes in this process (post_save / post_delete), and a store that
reaches `max_entries` starts again empty rather than growing without bound.
Nothing personal is ever kept here: the keys are scopes, languages and ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

MISSING: Any = object()


class KeptInProcess:
    def __init__(self, ttl_seconds: float, *, max_entries: int | None = None) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def peek(self, key: Hashable) -> Any:
        """The kept value, or MISSING if there is none or it is too old."""
        hit = self._entries.get(key)
        if hit is None or time.monotonic() - hit[0] >= self.ttl_seconds:
            return MISSING
        return hit[1]

    def put(self, key: Hashable, value: Any) -> Any:
        if self.max_entries is not None and len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)
        return value

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The kept value for `key`, or `load()` kept from now on."""
        value = self.peek(key)
        return self.put(key, load()) if value is MISSING else value

    def clear(self, **_signal_kwargs) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
