"""The open pipeline per stage, and the forecast by expected close month.

The figures are assembled from tallies counted where the data lives (storage adds up each
stage's and each close date's deals per currency, in integer minor units), so a report never
loads every deal. Weighted amounts use each deal's own probability over its stage's, each
rounded as `rules.weighted_value` rounds it; every sum is exact and per currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from closedwon_tui.domain.models import Stage, StageKind
from closedwon_tui.domain.money import sum_by_currency, sum_minor_by_currency

Totals = dict[str, Decimal]

#: How many months ahead the forecast looks, the current month included.
FORECAST_MONTHS = 6


class DealTally(NamedTuple):
    """Deals of one stage and currency (and, for open deals, one close bucket: see `close_bounds`), counted in SQL."""

    stage_id: int
    currency: str
    #: Where the close date falls among `close_bounds` (None: no close date, or a closed deal).
    bucket: int | None
    count: int
    #: How many of them have an amount.
    priced: int
    #: Their amounts, in minor units.
    total: int
    #: Their weighted amounts in minor units, each rounded as `weighted_value` rounds it.
    weighted: int


def close_bounds(today: date, months: list[date], end: datetime | None) -> list[date]:
    """The edges that sort open deals by close date for a period's figures.

    A close date's bucket is how many edges are on or before it (counted in SQL): 0 is
    overdue (before today), 1 to len(months) the forecast's months (the first from today on),
    then the rest of the period; with a period end, one more bucket for after the period (not
    in its pipeline).
    """
    bounds = [today, *months[1:], _next_month(months[-1])]
    if end is not None:
        bounds.append(end.astimezone().date())
    return bounds


def in_pipeline(bucket: int | None, bounds: list[date], end: datetime | None) -> bool:
    """An open deal is in a period's pipeline when it is expected to close before the period ends
    (overdue ones too); a deal without a close date only in all time's."""
    if end is None:
        return True
    return bucket is not None and bucket < len(bounds)


def _next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


class WonTally(NamedTuple):
    """The deals won in one forecast month (an index into the months), in one currency."""

    month: int
    currency: str
    count: int
    priced: int
    total: int


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
        return sum_by_currency((amount, c) for s in self.stages for c, amount in s.totals.items())

    @property
    def weighted(self) -> Totals:
        return sum_by_currency((amount, c) for s in self.stages for c, amount in s.weighted.items())

    @property
    def without_amount(self) -> int:
        return sum(s.without_amount for s in self.stages)


def pipeline_figures(tallies: Iterable[DealTally], stages: Iterable[Stage]) -> Pipeline:
    """Count, total and weighted amount of the period's open deals (`tallies`), per open stage in board order."""
    open_stages = [s for s in stages if s.kind is StageKind.OPEN]
    by_stage: dict[int, list[DealTally]] = {s.id: [] for s in open_stages}
    for tally in tallies:
        if tally.stage_id in by_stage:
            by_stage[tally.stage_id].append(tally)
    return Pipeline(
        tuple(
            StagePipeline(
                stage,
                count=sum(t.count for t in by_stage[stage.id]),
                totals=sum_minor_by_currency((t.total, t.currency) for t in by_stage[stage.id] if t.priced),
                weighted=sum_minor_by_currency((t.weighted, t.currency) for t in by_stage[stage.id] if t.priced),
                without_amount=sum(t.count - t.priced for t in by_stage[stage.id]),
            )
            for stage in open_stages
        )
    )


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
    """First days of the months the forecast shows: this month and the next five, up to the period's end
    (the rep's calendar: `today` and the end's date are local)."""
    months = []
    year, month = today.year, today.month
    last = None if end is None else end.astimezone().date()
    for _ in range(FORECAST_MONTHS):
        first = date(year, month, 1)
        if last is not None and first >= last:
            break
        months.append(first)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def forecast_figures(
    open_tallies: Iterable[DealTally], won_tallies: Iterable[WonTally], months: list[date]
) -> tuple[ForecastMonth, ...]:
    """The overdue row (open deals whose close date has passed), then one row per month in `months`.

    `open_tallies` count the open deals of the period's pipeline by close bucket (see
    `close_bounds`); `won_tallies` the deals won in the period, by the month (in the rep's
    zone) they closed in.
    """
    keys: list[date | None] = [None, *months]
    counts = {k: 0 for k in keys}
    won_counts = {k: 0 for k in keys}
    weighted: dict[date | None, list[tuple[int, str]]] = {k: [] for k in keys}
    best: dict[date | None, list[tuple[int, str]]] = {k: [] for k in keys}
    won: dict[date | None, list[tuple[int, str]]] = {k: [] for k in keys}
    for tally in open_tallies:
        if tally.bucket is None or tally.bucket > len(months):
            continue
        key = None if tally.bucket == 0 else months[tally.bucket - 1]
        counts[key] += tally.count
        if tally.priced:
            weighted[key].append((tally.weighted, tally.currency))
            best[key].append((tally.total, tally.currency))
    for tally in won_tallies:
        key = months[tally.month]
        won_counts[key] += tally.count
        if tally.priced:
            won[key].append((tally.total, tally.currency))
    return tuple(
        ForecastMonth(
            label=_label(k),
            month=k,
            count=counts[k],
            weighted=sum_minor_by_currency(weighted[k]),
            best_case=sum_minor_by_currency(best[k]),
            won=sum_minor_by_currency(won[k]),
            won_count=won_counts[k],
        )  # fmt: skip
        for k in keys
    )


def _label(month: date | None) -> str:
    return "overdue" if month is None else month.strftime("%b %Y")
