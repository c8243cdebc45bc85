"""What closed-won data says: the period a report covers, and the outcomes of deals closed in it.

Periods follow the rep's calendar: this month, quarter and year start at local midnight in
the local time zone (the `timezone` setting makes that zone the process's own), and a closed
deal counts in the period its close time falls in there. Money stays exact (Decimal) and per
currency; a deal without an amount counts in counts but not in sums; no figure ever divides
by zero (it is None instead).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import NamedTuple

from closedwon_tui.domain.forecast import ForecastMonth, Pipeline
from closedwon_tui.domain.funnel import FunnelStep, StageTime
from closedwon_tui.domain.models import Deal, Stage, StageKind
from closedwon_tui.domain.money import quantize, sum_by_currency
from closedwon_tui.domain.rules import days_between

ONE_DECIMAL = Decimal("0.1")


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ALL = "all"

    @property
    def label(self) -> str:
        return "all time" if self is Period.ALL else f"this {self.value}"


def period_range(period: Period | str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """[start, end) of the calendar month, quarter or year holding `now` in the rep's calendar
    (local midnights, as aware datetimes); (None, None) for all time."""
    period = Period(period)
    if period is Period.ALL:
        return None, None
    local = now.astimezone() if now.tzinfo else now
    if period is Period.MONTH:
        first_month, months = local.month, 1
    elif period is Period.QUARTER:
        first_month, months = 3 * ((local.month - 1) // 3) + 1, 3
    else:
        first_month, months = 1, 12
    first = date(local.year, first_month, 1)
    return local_midnight(first), local_midnight(add_months(first, months))


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def local_midnight(day: date) -> datetime:
    """The moment `day` begins in the rep's time zone (daylight saving included)."""
    return datetime(day.year, day.month, day.day).astimezone()


def local_date(moment: datetime) -> date:
    """The rep's calendar day of an aware moment."""
    return moment.astimezone().date()


def within(moment: datetime | None, start: datetime | None, end: datetime | None) -> bool:
    """Is `moment` in [start, end)? A missing bound is open."""
    if moment is None:
        return False
    return (start is None or moment >= start) and (end is None or moment < end)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage with one decimal; None when `whole` is zero."""
    if whole <= 0:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_EVEN)


def in_scope(deal: Deal, stage: Stage, end: datetime | None) -> bool:
    """An open deal counts in a period's pipeline when it is expected to close before the period ends
    (the end's day in the rep's calendar). Overdue deals are included; a deal without a close
    date is only in the all-time pipeline (`forecast.in_pipeline` says the same of tallies)."""
    if not stage.is_open:
        return False
    if end is None:
        return True
    return deal.close_date is not None and deal.close_date < local_date(end)


@dataclass(frozen=True, slots=True)
class Outcomes:
    """How deals closed in a period ended: won and lost, how big, how fast."""

    won_count: int = 0
    lost_count: int = 0
    #: Sum of won amounts, per currency (deals without an amount are not in it).
    won_totals: dict[str, Decimal] = field(default_factory=dict)
    #: Won deals that have no amount (they count in won_count, not in the sums).
    won_without_amount: int = 0
    #: won / (won + lost) in percent, one decimal; None when nothing closed.
    win_rate: Decimal | None = None
    #: Average amount of a won deal, per currency (over won deals that have an amount).
    average_won: dict[str, Decimal] = field(default_factory=dict)
    #: Average days from creation to close over won and lost deals, one decimal; None when nothing closed.
    average_cycle_days: Decimal | None = None
    #: Open deals in the period's pipeline times average won size times win rate over the
    #: average cycle: money per day, per currency. Missing when a factor is unknown.
    velocity: dict[str, Decimal] = field(default_factory=dict)
    #: Why deals were lost, most frequent first: (reason, count).
    lost_reasons: tuple[tuple[str, int], ...] = ()
    #: Open deals in the period's pipeline, per currency (what velocity is computed from).
    open_counts: dict[str, int] = field(default_factory=dict)

    @property
    def closed_count(self) -> int:
        return self.won_count + self.lost_count


class ClosedTally(NamedTuple):
    """Deals closed in a period, of one outcome, currency and lost reason (counted in SQL, or below)."""

    won: bool
    currency: str
    lost_reason: str
    count: int
    #: How many of them have an amount, and those amounts added up.
    priced: int
    total: Decimal
    #: Days from creation to close (`rules.days_between`), added up.
    cycle_days: int


def outcome_figures(
    deals: Iterable[Deal], stages: Iterable[Stage], start: datetime | None, end: datetime | None
) -> Outcomes:
    """Outcomes of the deals closed in [start, end), judged by `closed_at`.

    A deal counts as won or lost by the stage it is in now: a reopened deal is open, so it
    is neither. Velocity uses the open deals of the period's pipeline (see `in_scope`).
    """
    by_id = {s.id: s for s in stages}
    tallies: dict[tuple[bool, str, str], list] = {}
    open_counts: Counter[str] = Counter()
    for deal in deals:
        stage = by_id[deal.stage_id]
        if stage.is_closed and deal.closed_at is not None and within(deal.closed_at, start, end):
            tally = tallies.setdefault(
                (stage.kind is StageKind.WON, deal.currency, deal.lost_reason), [0, 0, Decimal(0), 0]
            )
            tally[0] += 1
            if deal.amount is not None:
                tally[1] += 1
                tally[2] += deal.amount
            tally[3] += days_between(deal.created_at, deal.closed_at)
        elif in_scope(deal, stage, end):
            open_counts[deal.currency] += 1
    return outcomes([ClosedTally(*key, *values) for key, values in tallies.items()], open_counts)


def outcomes(closed: Iterable[ClosedTally], open_counts: Mapping[str, int]) -> Outcomes:
    """The outcome figures of the deals closed in a period, and the open deals of its pipeline per currency."""
    closed = list(closed)
    won = [t for t in closed if t.won]
    lost = [t for t in closed if not t.won]
    won_count, lost_count = sum(t.count for t in won), sum(t.count for t in lost)
    closed_count = won_count + lost_count
    won_totals = sum_by_currency((t.total, t.currency) for t in won if t.priced)
    priced: Counter[str] = Counter()
    for tally in won:
        priced[tally.currency] += tally.priced
    average_won = {c: quantize(total / priced[c], c) for c, total in won_totals.items()}
    cycle_days = sum(t.cycle_days for t in closed)
    average_cycle = (Decimal(cycle_days) / closed_count).quantize(ONE_DECIMAL) if closed_count else None
    reasons: Counter[str] = Counter()
    for tally in lost:
        reasons[tally.lost_reason or "no reason given"] += tally.count
    open_counts = {c: n for c, n in open_counts.items() if n}
    return Outcomes(
        won_count=won_count,
        lost_count=lost_count,
        won_totals=won_totals,
        won_without_amount=sum(t.count - t.priced for t in won),
        win_rate=percent(won_count, closed_count),
        average_won=average_won,
        average_cycle_days=average_cycle,
        velocity=_velocity(open_counts, average_won, won_count, closed_count, cycle_days),
        lost_reasons=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        open_counts=dict(open_counts),
    )


def _velocity(
    open_counts: Mapping[str, int], average_won: Mapping[str, Decimal], won: int, closed: int, cycle_days: int
) -> dict[str, Decimal]:
    """open x average won x (won / closed) / (cycle_days / closed), exact until the final rounding.

    A cycle shorter than a day counts as one day, so same-day wins do not divide by zero.
    """
    if not closed or not won:
        return {}
    average_cycle = max(Decimal(cycle_days) / closed, Decimal(1))
    return {
        currency: quantize(open_counts[currency] * average_won[currency] * won / closed / average_cycle, currency)
        for currency in sorted(open_counts)
        if currency in average_won
    }


@dataclass(frozen=True, slots=True)
class LookBack:
    """A won deal's retrospective: what went well, what nearly lost it."""

    deal_id: int
    title: str
    company: str
    closed_at: datetime
    amount: Decimal | None
    currency: str
    went_well: str
    nearly_lost: str


@dataclass(frozen=True, slots=True)
class Report:
    """Every figure of the reports screen and `closedwon report`, for one period and owner."""

    period: Period
    start: datetime | None
    end: datetime | None
    owner: str | None
    now: datetime
    pipeline: Pipeline
    forecast: tuple[ForecastMonth, ...]
    #: Conversion of the deals created in the period.
    funnel: tuple[FunnelStep, ...]
    outcomes: Outcomes
    #: Average days in each open stage, over the stays that ended in the period.
    stage_times: tuple[StageTime, ...]
    lookback: tuple[LookBack, ...]
    #: Every currency that some deal of the report has an amount in.
    currencies: tuple[str, ...] = ()
    deal_count: int = 0
    #: The pipeline the report is limited to (None: every pipeline).
    pipeline_name: str | None = None
    #: With several pipelines and none chosen: each pipeline's own report, for the sections by
    #: stage (pipeline, funnel, days in stage), which never mix stages of different pipelines.
    sections: tuple[Report, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.deal_count == 0
