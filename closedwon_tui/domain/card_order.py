"""The orders a column can show its cards in (`s` on the board cycles them).

Only the manual order is stored (each deal's position); the others are a way of looking at the
column and never change a position. Ties keep the manual order (the sorts are stable).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from closedwon_tui.domain.models import CardFacts, DealCard, Stage
from closedwon_tui.domain.rules import is_past_due

_NO_FACTS = CardFacts()
_FAR = date.max
_ZERO = Decimal(0)


class ColumnOrder(StrEnum):
    MANUAL = "manual"
    URGENCY = "urgency"
    AMOUNT = "amount"
    CLOSE = "expected close"
    DAYS = "days in stage"

    @property
    def following(self) -> ColumnOrder:
        """The next order `s` switches to (after the last, manual again)."""
        orders = list(ColumnOrder)
        return orders[(orders.index(self) + 1) % len(orders)]


def _urgency(stage: Stage, facts: Mapping[int, CardFacts], now: datetime) -> Callable[[DealCard], tuple[int, datetime]]:
    """Overdue follow-ups first (the most overdue first), then the others by due date, then open
    deals with no next step, then the rest."""

    def key(card: DealCard) -> tuple[int, datetime]:
        due = (facts.get(card.id) or _NO_FACTS).next_followup
        if due is not None:
            timed = due.time() != datetime.min.time()  # the card facts keep the time only: midnight means a day
            return (0 if is_past_due(due, timed, now) else 1, due)
        return (2 if stage.is_open else 3, datetime.min)

    return key


def _amount(card: DealCard) -> tuple[int, Decimal]:
    # Largest first; without an amount, last. Different currencies compare by their figures
    # (there is no exchange rate; the column's totals stay per currency).
    amount = card.amount
    return (1, _ZERO) if amount is None else (0, -amount)


def _close(card: DealCard) -> date:
    return card.close_date or _FAR  # soonest first; without a date, last


def _days(card: DealCard) -> datetime:
    return card.stage_entered_at  # longest in the stage first


def ordered(
    cards: Sequence[DealCard], order: ColumnOrder, stage: Stage, facts: Mapping[int, CardFacts], now: datetime
) -> list[DealCard]:
    """`cards` (in manual order) in `order`; ties keep their manual order."""
    if order is ColumnOrder.MANUAL:
        return list(cards)
    if order is ColumnOrder.URGENCY:
        return sorted(cards, key=_urgency(stage, facts, now))
    if order is ColumnOrder.AMOUNT:
        return sorted(cards, key=_amount)
    if order is ColumnOrder.CLOSE:
        return sorted(cards, key=_close)
    return sorted(cards, key=_days)
