"""What a column keeps drawn per card, by deal: forgetting one deal's drawings is one lookup, and
the whole store is dropped once it holds too many deals (a long session, a big board scrolled)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

#: Deals kept before everything is dropped and drawn again as needed.
MOST_DEALS = 2000


class KeptByDeal(Generic[T]):
    """Values by deal id, then by a key of the caller's (e.g. the card's version, width and state)."""

    def __init__(self) -> None:
        self._by_deal: dict[int, dict[Hashable, T]] = {}

    def get(self, deal_id: int, key: Hashable) -> T | None:
        kept = self._by_deal.get(deal_id)
        return None if kept is None else kept.get(key)

    def keep(self, deal_id: int, key: Hashable, value: T) -> T:
        if deal_id not in self._by_deal and len(self._by_deal) >= MOST_DEALS:
            self._by_deal.clear()
        self._by_deal.setdefault(deal_id, {})[key] = value
        return value

    def forget(self, deal_ids: Iterable[int] | None = None) -> None:
        """These deals' values (every deal's when None)."""
        if deal_ids is None:
            self._by_deal.clear()
            return
        for deal_id in deal_ids:
            self._by_deal.pop(deal_id, None)
