"""The open pipeline per stage, and the forecast by expected close month.

Weighted amounts use each deal's own probability over its stage's (see
`rules.weighted_value`); every sum is exact and per currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from closedwon_tui.domain.models import Deal, Stage, StageKind
from closedwon_tui.domain.rules import weighted_value

Totals = dict[str, Decimal]

#: How many months ahead the forecast looks, the current month included.
FORECAST_MONTHS = 6


def _add(totals: Totals, currency: str, amount: Decimal | None) -> None:
    if amount is not None:
        totals[currency] = totals.get(currency, Decimal(0)) + amount


@dataclass(frozen=True, slots=True)
class StagePipeline:
    """The open deals sitting in one stage."""

    stage: Stage
    count: int = 0
    totals: Totals = field(default_factory=dict)
    weighted: Totals = field(default_factory=dict)
    without_amount: int = 0


@dataclass(frozen=True, slots=True)
class Pipeline:
    stages: tuple[StagePipeline, ...] = ()

    @property
    def count(self) -> int:
        return sum(s.count for s in self.stages)

    @property
    def totals(self) -> Totals:
        return _merge(s.totals for s in self.stages)

    @property
    def weighted(self) -> Totals:
        return _merge(s.weighted for s in self.stages)

    @property
    def without_amount(self) -> int:
        return sum(s.without_amount for s in self.stages)


def _merge(parts: Iterable[Totals]) -> Totals:
    merged: Totals = {}
    for part in parts:
        for currency, amount in part.items():
            _add(merged, currency, amount)
    return merged


def pipeline_figures(open_deals: Iterable[Deal], stages: Iterable[Stage]) -> Pipeline:
    """Count, total and weighted amount of the given open deals, per open stage in board order."""
    open_stages = [s for s in stages if s.kind is StageKind.OPEN]
    by_stage: dict[int, list[Deal]] = {s.id: [] for s in open_stages}
    for deal in open_deals:
        if deal.stage_id in by_stage:
            by_stage[deal.stage_id].append(deal)
    rows = []
    for stage in open_stages:
        totals: Totals = {}
        weighted: Totals = {}
        for deal in by_stage[stage.id]:
            _add(totals, deal.currency, deal.amount)
            _add(weighted, deal.currency, weighted_value(deal, stage))
        deals = by_stage[stage.id]
        rows.append(StagePipeline(stage, len(deals), totals, weighted, sum(1 for d in deals if d.amount is None)))
    return Pipeline(tuple(rows))


@dataclass(frozen=True, slots=True)
class ForecastMonth:
    """Open deals expected to close in one month (or already overdue), and what was won in it."""

    label: str
    #: The first day of the month; None for the overdue row.
    month: date | None
    count: int = 0
    weighted: Totals = field(default_factory=dict)
    #: Best case: every open amount closes.
    best_case: Totals = field(default_factory=dict)
    #: Won so far with a close in this month.
    won: Totals = field(default_factory=dict)
    won_count: int = 0

    @property
    def is_overdue(self) -> bool:
        return self.month is None


def forecast_months(today: date, end: datetime | None) -> list[date]:
    """First days of the months the forecast shows: this month and the next five, up to the period's end."""
    months = []
    year, month = today.year, today.month
    for _ in range(FORECAST_MONTHS):
        first = date(year, month, 1)
        if end is not None and first >= end.date():
            break
        months.append(first)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def forecast_figures(
    open_deals: Iterable[Deal], won_deals: Iterable[Deal], stages: Iterable[Stage], today: date, months: list[date]
) -> tuple[ForecastMonth, ...]:
    """The overdue row (open deals whose close date has passed), then one row per month in `months`.

    `won_deals` are the deals won in the period; each counts in the month of its `closed_at`.
    """
    by_id = {s.id: s for s in stages}
    keys: list[date | None] = [None, *months]
    rows: dict[date | None, dict] = {
        k: {"count": 0, "weighted": {}, "best_case": {}, "won": {}, "won_count": 0} for k in keys
    }
    for deal in open_deals:
        if deal.close_date is None:
            continue
        key = None if deal.close_date < today else deal.close_date.replace(day=1)
        if key not in rows:
            continue
        row = rows[key]
        row["count"] += 1
        _add(row["weighted"], deal.currency, weighted_value(deal, by_id[deal.stage_id]))
        _add(row["best_case"], deal.currency, deal.amount)
    for deal in won_deals:
        if deal.closed_at is None:
            continue
        key = deal.closed_at.date().replace(day=1)
        if key in rows and key is not None:
            rows[key]["won_count"] += 1
            _add(rows[key]["won"], deal.currency, deal.amount)
    return tuple(ForecastMonth(label=_label(k), month=k, **rows[k]) for k in keys)


def _label(month: date | None) -> str:
    return "overdue" if month is None else month.strftime("%b %Y")
