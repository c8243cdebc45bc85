"""Periods and outcomes, computed by hand from a few deals (pure domain, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from closedwon_tui.domain.models import Deal, Stage, StageKind
from closedwon_tui.domain.reports import Outcomes, Period, outcome_figures, period_range
from tests.conftest import FROZEN_NOW

UTC = UTC
STAGES = [
    Stage(1, "Outreach", 0, 10),
    Stage(2, "Proposal", 1, 60),
    Stage(3, "Closed Won", 2, 100, StageKind.WON),
    Stage(4, "Closed Lost", 3, 0, StageKind.LOST),
]


def at(month: int, day: int, hour: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def deal(id: int, stage_id: int, *, created: datetime, closed: datetime | None = None, **fields) -> Deal:
    return Deal(
        id=id, title=f"deal {id}", stage_id=stage_id, position=0, created_at=created, updated_at=created,
        stage_entered_at=closed or created, last_activity_at=closed or created, closed_at=closed, **fields,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.MONTH, at(11, 1, 0), at(12, 1, 0)),
        (Period.QUARTER, at(10, 1, 0), at(1, 1, 0, year=2027)),
        (Period.YEAR, at(1, 1, 0), at(1, 1, 0, year=2027)),
        (Period.ALL, None, None),
    ],
)
def test_period_range_is_the_calendar_period_holding_now(period, start, end):
    assert period_range(period, FROZEN_NOW) == (start, end)


def test_period_range_at_the_edges_of_the_year_and_from_a_string():
    assert period_range("quarter", at(1, 1, 0)) == (at(1, 1, 0), at(4, 1, 0))
    assert period_range("month", at(12, 31, 23)) == (at(12, 1, 0), at(1, 1, 0, year=2027))
    with pytest.raises(ValueError):
        period_range("week", FROZEN_NOW)


def test_nothing_closed_gives_zeros_and_no_rates():
    outcomes = outcome_figures([], STAGES, *period_range("quarter", FROZEN_NOW))
    assert outcomes == Outcomes()
    assert outcomes.win_rate is None and outcomes.average_cycle_days is None
    assert outcomes.closed_count == 0 and outcomes.velocity == {}


def hand_made_deals() -> list[Deal]:
    return [
        # won this month, USD, 10 days
        deal(1, 3, created=at(11, 5), closed=at(11, 15), amount=Decimal("1000.00"), lost_reason=""),
        # won last month (in the quarter, not the month), USD, 20 days
        deal(2, 3, created=at(10, 1), closed=at(10, 21), amount=Decimal("2000.50")),
        # won this month, EUR, 4 days
        deal(3, 3, created=at(11, 10), closed=at(11, 14), amount=Decimal("300.00"), currency="EUR"),
        # won this month without an amount, 0 days
        deal(4, 3, created=at(11, 20, 9), closed=at(11, 20, 17)),
        # lost this month for price, 6 days; lost in the quarter for timing, 30 days
        deal(5, 4, created=at(11, 1), closed=at(11, 7), amount=Decimal("999.99"), lost_reason="price"),
        deal(6, 4, created=at(9, 1), closed=at(10, 1), lost_reason="timing"),
        deal(7, 4, created=at(11, 2), closed=at(11, 3), lost_reason="price"),
        # lost last year: outside this year
        deal(8, 4, created=at(11, 1, year=2025), closed=at(12, 1, year=2025), lost_reason="competitor"),
        # reopened: open again, its closed_at cleared; it is not counted as closed
        deal(9, 2, created=at(11, 1), amount=Decimal("5000.00"), close_date=date(2026, 11, 30)),
        # open, expected this month / next quarter / no date; USD, USD, EUR
        deal(10, 1, created=at(11, 1), amount=Decimal("100.00"), close_date=date(2026, 11, 20)),
        deal(11, 1, created=at(11, 1), amount=Decimal("100.00"), close_date=date(2027, 2, 1)),
        deal(12, 1, created=at(11, 1), currency="EUR"),
    ]


def test_outcomes_this_month_by_hand():
    o = outcome_figures(hand_made_deals(), STAGES, *period_range("month", FROZEN_NOW))
    assert (o.won_count, o.lost_count, o.won_without_amount) == (3, 2, 1)
    assert o.won_totals == {"USD": Decimal("1000.00"), "EUR": Decimal("300.00")}
    assert o.win_rate == Decimal("60.0")  # 3 / 5
    assert o.average_won == {"USD": Decimal("1000.00"), "EUR": Decimal("300.00")}
    assert o.average_cycle_days == Decimal("4.2")  # (10 + 4 + 0 + 6 + 1) / 5
    assert o.lost_reasons == (("price", 2),)
    # open in this month's pipeline: deals 9 and 10 (USD); velocity = 2 x 1000 x 3/5 / 4.2
    assert o.open_counts == {"USD": 2}
    assert o.velocity == {"USD": Decimal("285.71")}


def test_outcomes_this_quarter_and_all_time():
    q = outcome_figures(hand_made_deals(), STAGES, *period_range("quarter", FROZEN_NOW))
    assert (q.won_count, q.lost_count) == (4, 3)
    assert q.won_totals["USD"] == Decimal("3000.50")
    assert q.average_won["USD"] == Decimal("1500.25")
    assert q.win_rate == Decimal("57.1")  # 4 / 7
    assert q.lost_reasons == (("price", 2), ("timing", 1))
    everything = outcome_figures(hand_made_deals(), STAGES, None, None)
    assert (everything.won_count, everything.lost_count) == (4, 4)
    assert everything.win_rate == Decimal("50.0")
    assert everything.lost_reasons == (("price", 2), ("competitor", 1), ("timing", 1))
    assert everything.open_counts == {"USD": 3, "EUR": 1}


def test_a_reopened_deal_is_not_closed_and_same_day_wins_do_not_divide_by_zero():
    won_today = deal(1, 3, created=at(11, 25, 9), closed=at(11, 25, 14), amount=Decimal("10.00"))
    open_deal = deal(2, 1, created=at(11, 1), amount=Decimal("1.00"))
    o = outcome_figures([won_today, open_deal], STAGES, None, None)
    assert o.average_cycle_days == Decimal("0.0")
    assert o.velocity == {"USD": Decimal("10.00")}  # 1 x 10 x 100% / 1 day (at least a day)
    reopened = replace(won_today, stage_id=2, closed_at=None)
    assert outcome_figures([reopened], STAGES, None, None).won_count == 0
