"""A board column's count and amounts per currency, in integer minor units, kept up to date card by
card (a move takes one card from a column and adds it to another) and read out as exact Decimals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import attrgetter

from closedwon_tui.domain.forecast import DealTally
from closedwon_tui.domain.models import DealCard, Stage
from closedwon_tui.domain.money import from_minor
from closedwon_tui.domain.rules import weighted_minor, weighted_total

_amount = attrgetter("amount_minor")
_currency = attrgetter("currency")
_probability = attrgetter("probability")


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
        """Count every card of `stage`'s column in (or, with `sign` -1, out): `add` for each, with
        `weighted_minor`'s rule, per currency in a few passes over the cards, the sums and the
        rounding in C (`weighted_total`): a filter typed on a big board adds up or takes away
        thousands of cards at each key."""
        cards = cards if isinstance(cards, list) else list(cards)
        self.count += sign * len(cards)
        priced = [card for card in cards if card.amount_minor is not None]
        if not priced:
            return
        if len(set(map(_currency, priced))) == 1:
            groups = {priced[0].currency: priced}
        else:
            groups = {}
            for card in priced:
                groups.setdefault(card.currency, []).append(card)
        final, probability = stage.is_closed, stage.probability
        for currency, group in groups.items():
            amounts = list(map(_amount, group))
            if final:
                probabilities: Iterable[int] = repeat(probability)
            else:  # a deal's own probability, when it has one, in an open stage
                probabilities = [probability if own is None else own for own in map(_probability, group)]
            self.priced[currency] = self.priced.get(currency, 0) + sign * len(group)
            self.total[currency] = self.total.get(currency, 0) + sign * sum(amounts)
            self.weighted[currency] = self.weighted.get(currency, 0) + sign * weighted_total(amounts, probabilities)

    def totals(self) -> ColumnTotals:
        """Exact Decimals per currency, for the currencies the column's cards have."""
        held = [c for c, n in self.priced.items() if n]
        return ColumnTotals(
            count=self.count,
            total={c: from_minor(self.total[c], c) for c in held},
            weighted={c: from_minor(self.weighted[c], c) for c in held},
        )
