"""What closed-won data says: the period a report covers, and the outcomes of deals closed in it.

Pure functions over domain objects. Money stays exact (Decimal) and per currency; a deal
without an amount counts in counts but not in sums; no figure ever divides by zero
(it is None instead).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from closedwon_tui.domain.forecast import (
    ForecastMonth,
    Pipeline,
    forecast_figures,
    forecast_months,
    pipeline_figures,
)
from closedwon_tui.domain.funnel import FunnelStep, StageTime, funnel_figures, paths_by_deal, stage_time_figures
from closedwon_tui.domain.models import Deal, DealEvent, Stage, StageKind
from closedwon_tui.domain.money import quantize
from closedwon_tui.domain.rules import sales_cycle_days

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
    """[start, end) of the calendar month, quarter or year holding `now`, in UTC; (None, None) for all time."""
    period = Period(period)
    if period is Period.ALL:
        return None, None
    now = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    if period is Period.MONTH:
        first_month, months = now.month, 1
    elif period is Period.QUARTER:
        first_month, months = 3 * ((now.month - 1) // 3) + 1, 3
    else:
        first_month, months = 1, 12
    start = datetime(now.year, first_month, 1, tzinfo=UTC)
    return start, add_months(start, months)


def add_months(moment: datetime, months: int) -> datetime:
    """The first of the month `months` after `moment`'s month, same time and zone."""
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)


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
    """An open deal counts in a period's pipeline when it is expected to close before the period ends.

    Overdue deals (close date already passed) are included; a deal without a close date
    is only in the all-time pipeline.
    """
    if not stage.is_open:
        return False
    if end is None:
        return True
    return deal.close_date is not None and deal.close_date < _end_date(end)


def _end_date(end: datetime) -> date:
    return end.astimezone(UTC).date() if end.tzinfo else end.date()


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


def outcome_figures(
    deals: Iterable[Deal], stages: Iterable[Stage], start: datetime | None, end: datetime | None
) -> Outcomes:
    """Outcomes of the deals closed in [start, end), judged by `closed_at`.

    A deal counts as won or lost by the stage it is in now: a reopened deal is open, so it
    is neither. Velocity uses the open deals of the period's pipeline (see `in_scope`).
    """
    by_id = {s.id: s for s in stages}
    won: list[Deal] = []
    lost: list[Deal] = []
    open_counts: Counter[str] = Counter()
    for deal in deals:
        stage = by_id[deal.stage_id]
        if stage.kind is StageKind.WON and within(deal.closed_at, start, end):
            won.append(deal)
        elif stage.kind is StageKind.LOST and within(deal.closed_at, start, end):
            lost.append(deal)
        elif in_scope(deal, stage, end):
            open_counts[deal.currency] += 1
    closed = won + lost
    won_totals = _sums(won)
    won_counts = Counter(d.currency for d in won if d.amount is not None)
    average_won = {c: quantize(total / won_counts[c], c) for c, total in won_totals.items()}
    cycle_days = sum(sales_cycle_days(d) or 0 for d in closed)
    average_cycle = (Decimal(cycle_days) / len(closed)).quantize(ONE_DECIMAL) if closed else None
    reasons = Counter((d.lost_reason or "no reason given") for d in lost)
    return Outcomes(
        won_count=len(won),
        lost_count=len(lost),
        won_totals=won_totals,
        won_without_amount=sum(1 for d in won if d.amount is None),
        win_rate=percent(len(won), len(closed)),
        average_won=average_won,
        average_cycle_days=average_cycle,
        velocity=_velocity(open_counts, average_won, len(won), len(closed), cycle_days),
        lost_reasons=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        open_counts=dict(open_counts),
    )


def _sums(deals: Iterable[Deal]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for deal in deals:
        if deal.amount is not None:
            totals[deal.currency] = totals.get(deal.currency, Decimal(0)) + deal.amount
    return totals


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


def lookback_figures(won_deals: Iterable[Deal], *, limit: int = 5) -> tuple[LookBack, ...]:
    """The latest retrospectives written for the given won deals, newest first."""
    written = [d for d in won_deals if d.closed_at is not None and (d.went_well or d.nearly_lost)]
    written.sort(key=lambda d: (d.closed_at, d.id), reverse=True)
    return tuple(
        LookBack(d.id, d.title, d.company, d.closed_at, d.amount, d.currency, d.went_well, d.nearly_lost)  # type: ignore[arg-type]
        for d in written[:limit]
    )


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

    @property
    def is_empty(self) -> bool:
        return self.deal_count == 0


def build_report(
    deals: Iterable[Deal],
    events: Iterable[DealEvent],
    stages: Iterable[Stage],
    *,
    period: Period | str,
    now: datetime,
    today: date,
    owner: str | None = None,
) -> Report:
    """All the figures from the deals (already filtered by owner) and their history."""
    period = Period(period)
    deals, stages = list(deals), list(stages)
    start, end = period_range(period, now)
    by_id = {s.id: s for s in stages}
    open_deals = [d for d in deals if in_scope(d, by_id[d.stage_id], end)]
    won = [d for d in deals if by_id[d.stage_id].kind is StageKind.WON and within(d.closed_at, start, end)]
    ids = {d.id for d in deals}
    paths = paths_by_deal(e for e in events if e.deal_id in ids)
    cohort = [paths[d.id] for d in deals if d.id in paths and within(d.created_at, start, end)]
    return Report(
        period=period,
        start=start,
        end=end,
        owner=owner or None,
        now=now,
        pipeline=pipeline_figures(open_deals, stages),
        forecast=forecast_figures(open_deals, won, stages, today, forecast_months(today, end)),
        funnel=funnel_figures(cohort, stages),
        outcomes=outcome_figures(deals, stages, start, end),
        stage_times=stage_time_figures(paths.values(), stages, start, end),
        lookback=lookback_figures(won),
        currencies=tuple(sorted({d.currency for d in deals if d.amount is not None})),
        deal_count=len(deals),
    )
