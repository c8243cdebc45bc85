"""A board column's count and amounts per currency, in integer minor units, kept up to date card by
card (a move takes one card from a column and adds it to another) and read out as exact Decimals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from closedwon_tui.domain.forecast import DealTally
from closedwon_tui.domain.models import DealCard, Stage
from closedwon_tui.domain.money import from_minor
from closedwon_tui.domain.rules import weighted_minor, weighted_of


@dataclass(frozen=True)
class ColumnTotals:
    count: int = 0
    total: dict[str, Decimal] = field(default_factory=dict)
    weighted: dict[str, Decimal] = field(default_factory=dict)


class ColumnSums:
    """A column's count and its amounts per currency in integer minor units, kept up to date
    card by card: a move takes one card from a column and adds it to another."""

    __slots__ = ("count", "priced", "total", "weighted")

    def __init__(self) -> None:
        self.count = 0
        self.priced: dict[str, int] = {}  # cards with an amount, per currency
        self.total: dict[str, int] = {}
        self.weighted: dict[str, int] = {}

    def add(self, card: DealCard, stage: Stage, sign: int = 1) -> None:
        self.count += sign
        minor = card.amount_minor
        if minor is None:
            return
        currency = card.currency
        self.priced[currency] = self.priced.get(currency, 0) + sign
        self.total[currency] = self.total.get(currency, 0) + sign * minor
        self.weighted[currency] = self.weighted.get(currency, 0) + sign * weighted_minor(card, stage)  # type: ignore[operator]

    def add_tally(self, tally: DealTally) -> None:
        """Deals of the column counted in SQL (a board read in part), as if added card by card."""
        self.count += tally.count
        if tally.priced:
            currency = tally.currency
            self.priced[currency] = self.priced.get(currency, 0) + tally.priced
            self.total[currency] = self.total.get(currency, 0) + tally.total
            self.weighted[currency] = self.weighted.get(currency, 0) + tally.weighted

    def add_all(self, cards: Iterable[DealCard], stage: Stage, sign: int = 1) -> None:
        """Count every card of `stage`'s column in (or, with `sign` -1, out): `add` for each, in one
        pass, with `weighted_minor`'s rule (nothing kept per card)."""
        count = 0
        priced, total, weighted = self.priced, self.total, self.weighted
        final = stage.is_closed
        for card in cards:
            count += 1
            minor = card.amount_minor
            if minor is None:
                continue
            currency = card.currency
            priced[currency] = priced.get(currency, 0) + sign
            total[currency] = total.get(currency, 0) + sign * minor
            own = card.probability
            weight = weighted_of(minor, stage.probability if final or own is None else own)
            weighted[currency] = weighted.get(currency, 0) + sign * weight
        self.count += sign * count

    def totals(self) -> ColumnTotals:
        """Exact Decimals per currency, for the currencies the column's cards have."""
        held = [c for c, n in self.priced.items() if n]
        return ColumnTotals(
            count=self.count,
            total={c: from_minor(self.total[c], c) for c in held},
            weighted={c: from_minor(self.weighted[c], c) for c in held},
        )
