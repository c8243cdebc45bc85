"""Pure pipeline rules: weighted value, time in stage, rotting, follow-up timing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from operator import add, floordiv, mod, mul

from closedwon_tui.domain.models import BANT_KEYS, Deal, DealCard, FollowUp, Stage
from closedwon_tui.domain.money import quantize
from closedwon_tui.domain.parsing import match_choice

_HUNDRED = Decimal(100)


def find_stage(stages: Sequence[Stage], text: str) -> Stage:
    """The stage a rep means: its 1-based number on the board, or its name (any case, or a unique
    prefix). The one rule for the command line, the services and the board's stage picker."""
    text = text.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(stages):
        return stages[int(text) - 1]
    name = match_choice(text, [s.name for s in stages], "stage")
    return next(s for s in stages if s.name == name)


def effective_probability(deal: Deal | DealCard, stage: Stage) -> int:
    """The deal's own probability overrides its stage's; closed stages are final."""
    return effective_probability_of(deal.probability, stage)


def effective_probability_of(own: int | None, stage: Stage) -> int:
    """`effective_probability` of a deal whose own probability is `own` (None: none of its own)."""
    if stage.is_closed or own is None:
        return stage.probability
    return own


def weighted_value(deal: Deal, stage: Stage) -> Decimal | None:
    if deal.amount is None:
        return None
    return quantize(deal.amount * effective_probability(deal, stage) / _HUNDRED, deal.currency)


def weighted_minor(card: DealCard, stage: Stage) -> int | None:
    """`weighted_value` in minor units, in integer arithmetic: the same half-even rounding,
    several times faster, for the board's column totals over thousands of deals."""
    if card.amount_minor is None:
        return None
    return weighted_of(card.amount_minor, effective_probability(card, stage))


def weighted_of(amount_minor: int, probability: int) -> int:
    """amount x probability / 100 in minor units, rounded half to even (`weighted_minor`'s rule)."""
    whole, rest = divmod(amount_minor * probability, 100)
    if rest > 50 or (rest == 50 and whole % 2):
        whole += 1
    return whole


def weighted_total(amounts: Iterable[int], probabilities: Iterable[int]) -> int:
    """The sum of `weighted_of(a, p)` over the pairs, with no Python call per pair (the board adds
    up tens of thousands as a filter is typed): (x + 50) // 100 rounds every half up, and the halves
    of an even whole, which round down, are those where x leaves 50 divided by 200."""
    products = list(map(mul, amounts, probabilities))
    rounded_up = sum(map(floordiv, map(add, products, repeat(50)), repeat(100)))
    return rounded_up - list(map(mod, products, repeat(200))).count(50)


def weighted_sum(count: int, total: int, remainder: int, probability: int) -> int:
    """The sum of `weighted_of(a, probability)` over `count` amounts a adding up to `total` that
    all leave `remainder` divided by 200 (SQL groups them so; a remainder may be negative, as SQL's
    is for a negative amount). Each is 200k + remainder, weighted 2kp + weighted_of(remainder, p):
    adding an even whole number keeps the half-to-even rounding, so the sum is exact."""
    return (total - count * remainder) * probability // 100 + count * weighted_of(remainder, probability)


def days_between(start: datetime, end: datetime) -> int:
    return max(0, (end - start).days)


def days_in_stage(deal: Deal | DealCard, now: datetime) -> int:
    return days_between(deal.stage_entered_at, now)


def is_stale(deal: Deal | DealCard, stage: Stage, now: datetime) -> bool:
    """Untouched for longer than the stage's rotting days (open stages only)."""
    if stage.is_closed or not stage.rotting_days:
        return False
    return now - deal.last_activity_at > timedelta(days=stage.rotting_days)


def wall_clock(now: datetime) -> datetime:
    """Follow-ups are due in the rep's wall-clock time: a naive local datetime."""
    return now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now


def local_today(now: datetime) -> date:
    return wall_clock(now).date()


def is_past_due(due: datetime, has_time: bool, now: datetime) -> bool:
    """The overdue rule, the one place it is written: a due time has passed once that moment
    has; a due day (no time) once the day is over. `due` is wall-clock time (see `wall_clock`)."""
    return _past_due(due, has_time, wall_clock(now))


def _past_due(due: datetime, has_time: bool, wall_now: datetime) -> bool:
    return due < wall_now if has_time else due.date() < wall_now.date()


def is_overdue(followup: FollowUp, now: datetime) -> bool:
    return not followup.is_done and is_past_due(followup.due, followup.has_time, now)


def next_followup(followups: Iterable[FollowUp]) -> FollowUp | None:
    pending = [f for f in followups if not f.is_done]
    return min(pending, key=lambda f: f.due, default=None)


class Due(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this week"
    LATER = "later"


def due_bucket(due: datetime, now: datetime, *, has_time: bool = False) -> Due:
    """Where a follow-up falls in a rep's agenda."""
    return DueBuckets(now).of(due, has_time=has_time)


class DueBuckets:
    """`due_bucket` for many follow-ups at one moment: the rep's today and week worked out once."""

    __slots__ = ("now", "today", "end_of_week")

    def __init__(self, now: datetime) -> None:
        self.now = wall_clock(now)
        self.today = self.now.date()
        self.end_of_week = self.today + timedelta(days=6 - self.today.weekday())

    def of(self, due: datetime, *, has_time: bool = False) -> Due:
        if _past_due(due, has_time, self.now):
            return Due.OVERDUE
        day = due.date()
        if day == self.today:
            return Due.TODAY
        if day <= self.end_of_week:
            return Due.THIS_WEEK
        return Due.LATER


def close_date_passed(deal: Deal, stage: Stage, today: date) -> bool:
    return stage.is_open and deal.close_date is not None and deal.close_date < today


def bant_score(deal: Deal) -> int:
    """How many of budget, authority, need and timing are confirmed (0-4)."""
    return sum(bool(getattr(deal, f"{key}_ok")) for key in BANT_KEYS)


def sales_cycle_days(deal: Deal) -> int | None:
    if deal.closed_at is None:
        return None
    return days_between(deal.created_at, deal.closed_at)


def quarter_start(now: datetime) -> datetime:
    """The first moment of the calendar quarter `now` falls in (same time zone as `now`)."""
    return now.replace(month=3 * ((now.month - 1) // 3) + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
