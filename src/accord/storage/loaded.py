"""What a process keeps of the negotiations it reads: each negotiation as loaded without its stances,
and its stance history folded so far.

Rebuilding a negotiation from its stored framework is most of the work of a workbench request, and
the framework, drafts, circulations, meetings and papers change far less often than stances. Such an
entry is keyed on the negotiation's row (id, creation time) and its ``revision_without_stances``,
which every write other than a stance raises (see accord.storage.repository); a key read in a later
transaction that differs simply misses. A :class:`StanceFold` is brought up to date with the rows
recorded after it each time it is used. Entries are never changed once made (a newer one replaces
them), so threads share them freely; nothing read by a transaction after it wrote is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from accord.domain import Stance

Key = tuple[int, str, int]
T = TypeVar("T")


class Loaded(Generic[T]):
    """A small least-recently-used map from a negotiation's key to what was loaded at that key."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._entries: OrderedDict[Key, T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Key) -> T | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Key, value: T) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


@dataclass(frozen=True)
class StanceFold:
    """A negotiation's stance history folded up to one row: how many rows, the chain value of the
    last one, and the newest stance per (draft, party, point) with the row it came from.

    Stance rows are only ever appended, and appended one writer at a time (under the write lock,
    committed before the next writer starts), so rows after ``last_id`` are exactly what a later
    read has to fold in."""

    last_id: int
    rows: int
    chain: str
    current: Mapping[tuple[int, str, str], tuple[int, Stance]]

    def then(self, records: Iterable[tuple[int, str, Stance, bool]]) -> StanceFold:
        """This fold with later rows (id, chain, stance, withdrawn), in id order, folded in; a
        withdrawn row leaves the party with no stance on the point."""
        current = dict(self.current)
        last_id, rows, chain = self.last_id, self.rows, self.chain
        for row_id, row_chain, stance, withdrawn in records:
            key = (stance.draft, stance.party, stance.point)
            if withdrawn:
                current.pop(key, None)
            else:
                current.pop(key, None)  # the newest record goes last (the order they were recorded in)
                current[key] = (row_id, stance)
            last_id, rows, chain = row_id, rows + 1, row_chain
        return StanceFold(last_id, rows, chain, current)
