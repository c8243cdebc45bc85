"""Every report figure against a pipeline whose history was built by hand with a frozen clock.

The story (now = Wed 2026-11-25 15:00 UTC; t0 = 30 days earlier, Mon 2026-10-26 15:00):

  A  Helios     dana    10,000.00 USD  Outreach t0, Qualification t0+5, Proposal t0+10, won t0+20 (look back)
  B  Orbital    dana     2,000.00 EUR  Outreach t0, Qualification t0+4, lost t0+6 for price
  C  Northwind  dana     5,000.50 USD  Analysis t0 (own probability 70%), Proposal t0+3; close 2026-11-20 (overdue)
  D  Bluefin    marcus   no amount     Outreach t0, won t0+2, reopened t0+25 (back to Outreach); no close date
  E  Copperleaf marcus   3,000.00 USD  Proposal t0+1, to Negotiation t0+2 by mistake and undone an hour later;
                                       close 2026-12-20
  F  Granite    dana     1,000.00 USD  created 2025-06-01, lost 2025-06-11 for competitor (last year)
  G  Lumen      dana       400.00 EUR  Outreach t0+12, won t0+15 (look back)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.reports import Period
from tests.conftest import FROZEN_NOW

T0 = FROZEN_NOW - timedelta(days=30)
D = Decimal


def at(clock, days: float) -> None:
    clock.now = T0 + timedelta(days=days)


@pytest.fixture
def story(service, clock):
    s = service
    at(clock, 0)
    a = s.create_deal("Helios rollout", company="Helios", amount="10000", close_date="2026-12-15", owner="dana").deal
    b = s.create_deal("Orbital fleet", amount="2000", currency="EUR", owner="dana").deal
    c = s.create_deal("Northwind sync", stage="Analysis", amount="5000.50", probability=70,
                      close_date="2026-11-20", owner="dana").deal  # fmt: skip
    d = s.create_deal("Bluefin dashboard", owner="marcus").deal
    at(clock, 1)
    e = s.create_deal(
        "Copperleaf clinics", stage="Proposal", amount="3000", close_date="2026-12-20", owner="marcus"
    ).deal
    at(clock, 2)
    s.mark_won(d.id)
    s.move_deal(e.id, "Negotiation")
    clock.advance(hours=1)
    s.undo_last(e.id)
    at(clock, 3)
    s.move_deal(c.id, "Proposal")
    at(clock, 4)
    s.move_deal(b.id, "Qualification")
    at(clock, 5)
    s.move_deal(a.id, "Qualification")
    at(clock, 6)
    s.mark_lost(b.id, "price")
    at(clock, 10)
    s.move_deal(a.id, "Proposal")
    at(clock, 12)
    g = s.create_deal("Lumen ads", amount="400", currency="EUR", owner="dana").deal
    at(clock, 15)
    s.mark_won(g.id)
    s.record_lookback(g.id, "Fast legal review", "Budget freeze in October")
    at(clock, 20)
    s.mark_won(a.id)
    s.record_lookback(a.id, "Champion pushed it through")
    at(clock, 25)
    s.reopen(d.id)
    clock.now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    f = s.create_deal("Granite warehouse", amount="1000", owner="dana").deal
    clock.advance(days=10)
    s.mark_lost(f.id, "competitor")
    clock.now = FROZEN_NOW
    return {"A": a.id, "B": b.id, "C": c.id, "D": d.id, "E": e.id, "F": f.id, "G": g.id}


def test_outcomes_this_quarter(service, story):
    o = service.report("quarter").outcomes
    assert (o.won_count, o.lost_count) == (2, 1)  # A and G won; B lost; D was won but is reopened
    assert o.won_totals == {"USD": D("10000.00"), "EUR": D("400.00")}
    assert o.win_rate == D("66.7")
    assert o.average_won == {"USD": D("10000.00"), "EUR": D("400.00")}
    assert o.average_cycle_days == D("9.7")  # (20 + 3 + 6) / 3
    assert o.lost_reasons == (("price", 1),)
    # 2 open USD deals in the quarter's pipeline (C, E) x 10,000 x 2/3 / (29/3 days)
    assert o.open_counts == {"USD": 2}
    assert o.velocity == {"USD": D("1379.31")}


def test_outcomes_all_time_include_last_year(service, story):
    o = service.report("all").outcomes
    assert (o.won_count, o.lost_count, o.win_rate) == (2, 2, D("50.0"))
    assert o.lost_reasons == (("competitor", 1), ("price", 1))


def test_pipeline_per_open_stage(service, story):
    quarter = service.report(Period.QUARTER).pipeline
    proposal = next(s for s in quarter.stages if s.stage.name == "Proposal")
    assert proposal.count == 2  # C and E; D has no close date so it is only in the all-time pipeline
    assert proposal.totals == {"USD": D("8000.50")}
    assert proposal.weighted == {"USD": D("5300.35")}  # 5,000.50 x 70% (its own) + 3,000 x 60%
    assert (quarter.count, quarter.weighted) == (2, {"USD": D("5300.35")})
    assert [s.count for s in quarter.stages] == [0, 0, 0, 2, 0]
    everything = service.report("all").pipeline
    outreach = everything.stages[0]
    assert (outreach.count, outreach.totals, outreach.without_amount) == (1, {}, 1)  # D, no amount
    assert everything.count == 3 and everything.without_amount == 1
    month = service.report("month").pipeline
    assert month.count == 1 and month.totals == {"USD": D("5000.50")}  # only C: E closes in December


def test_forecast_by_expected_close_month(service, story):
    overdue, november, december = service.report("quarter").forecast
    assert overdue.is_overdue and overdue.count == 1  # C, expected 2026-11-20
    assert overdue.weighted == {"USD": D("3500.35")} and overdue.best_case == {"USD": D("5000.50")}
    assert november.label == "Nov 2026" and november.count == 0
    assert november.won == {"USD": D("10000.00"), "EUR": D("400.00")} and november.won_count == 2
    assert december.count == 1 and december.weighted == {"USD": D("1800.00")}
    assert december.best_case == {"USD": D("3000.00")} and december.won == {}
    labels = [m.label for m in service.report("all").forecast]
    assert labels == ["overdue", "Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027"]
    assert [m.label for m in service.report("month").forecast] == ["overdue", "Nov 2026"]


def test_funnel_comes_from_history_not_from_where_deals_are(service, story):
    funnel = service.report("quarter").funnel
    assert [s.stage.name for s in funnel] == [
        "Outreach", "Qualification", "Analysis", "Proposal", "Negotiation", "Closed Won"]  # fmt: skip
    # Created this quarter: A B C D E G. Furthest reached: A won, B Qualification, C Proposal,
    # D won (then reopened: it still reached it), E Proposal (its Negotiation was undone), G won.
    assert [s.reached for s in funnel] == [6, 6, 5, 5, 3, 3]
    assert [s.conversion for s in funnel] == [None, D("100.0"), D("83.3"), D("100.0"), D("60.0"), D("100.0")]
    assert [s.reached for s in service.report("month").funnel] == [1, 1, 1, 1, 1, 1]  # only G
    assert [s.reached for s in service.report("all").funnel][:2] == [7, 6]  # F was lost from Outreach


def test_average_days_in_each_stage_from_history(service, story):
    times = {t.stage.name: (t.stays, t.average_days) for t in service.report("quarter").stage_times}
    assert times == {
        "Outreach": (4, D("3.5")),  # A 5, B 4, D 2, G 3
        "Qualification": (2, D("3.5")),  # A 5, B 2
        "Analysis": (1, D("3.0")),  # C
        "Proposal": (1, D("10.0")),  # A; C and E are still there; E's undone hour does not count
        "Negotiation": (0, None),
    }
    last_year = {t.stage.name: t.stays for t in service.report("all").stage_times}
    assert last_year["Outreach"] == 5  # F's 10 days in Outreach, ended in 2025


def test_look_back_lists_latest_retrospectives(service, story):
    lookback = service.report("quarter").lookback
    assert [(b.title, b.went_well, b.nearly_lost) for b in lookback] == [
        ("Helios rollout", "Champion pushed it through", ""),
        ("Lumen ads", "Fast legal review", "Budget freeze in October"),
    ]


def test_owner_filter_applies_to_everything(service, story):
    report = service.report("quarter", owner="MARCUS")
    assert report.owner == "MARCUS" and report.deal_count == 2
    assert report.outcomes.won_count == 0 and report.outcomes.win_rate is None and report.outcomes.velocity == {}
    assert report.pipeline.count == 1 and report.pipeline.totals == {"USD": D("3000.00")}  # E
    assert [s.reached for s in report.funnel] == [2, 2, 2, 2, 1, 1]  # D (won, reopened), E
    assert report.lookback == ()
    assert service.owners() == ["dana", "marcus"]


def test_currencies_in_use(service, story):
    assert service.report("all").currencies == ("EUR", "USD")


def test_empty_database_gives_zeros_and_no_division_error(service):
    for period in Period:
        report = service.report(period)
        assert report.is_empty
        assert report.pipeline.count == 0 and report.pipeline.weighted == {}
        assert report.outcomes.win_rate is None and report.outcomes.average_cycle_days is None
        assert all(s.reached == 0 and s.conversion is None for s in report.funnel)
        assert all(t.average_days is None for t in report.stage_times)
        assert all(m.count == 0 for m in report.forecast)
    assert service.owners() == []


def test_unknown_period_is_a_clear_error(service):
    with pytest.raises(ValidationError, match="unknown period 'week'"):
        service.report("week")


def test_a_deal_created_in_a_later_stage_counts_for_the_stages_it_skipped(service, clock):
    deal = service.create_deal("Straight to proposal", stage="Proposal", amount="100",
                               close_date=date(2026, 11, 30)).deal  # fmt: skip
    service.mark_won(deal.id)
    funnel = service.report("month").funnel
    assert [s.reached for s in funnel] == [1, 1, 1, 1, 1, 1]
    assert all(s.conversion in (None, D("100.0")) for s in funnel)
