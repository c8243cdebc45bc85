"""Report periods follow the rep's calendar, far east and far west of UTC.

In Pacific/Kiritimati (UTC+14) local 1 January is still 31 December in UTC; in America/Adak
(UTC-10) local 31 December evening is already 1 January in UTC. This month, quarter and year,
the forecast's months and what is overdue are the rep's; a closed deal counts in the period
its close time falls in, in the rep's zone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.domain.reports import period_range
from tests.conftest import set_local_zone
from tests.report_reference import reference_report

UTC = UTC


def local(*args: int) -> datetime:
    """A wall-clock time in the zone the test has set, as an aware moment."""
    return datetime(*args).astimezone()


def _won_at(service, clock, title: str, moment: datetime, amount: str = "1000") -> int:  # type: ignore[no-untyped-def]
    clock.now = moment - timedelta(days=3)
    deal = service.create_deal(title, stage="Negotiation", amount=amount, close_date=date(2026, 12, 15)).deal
    clock.now = moment
    service.mark_won(deal.id)
    return deal.id


def test_kiritimati_on_local_new_year_is_in_january(service, clock, monkeypatch):
    set_local_zone(monkeypatch, "Pacific/Kiritimati")
    new_year = local(2027, 1, 1, 5)  # 2026-12-31 15:00 UTC
    assert new_year.astimezone(UTC) == datetime(2026, 12, 31, 15, tzinfo=UTC)
    _won_at(service, clock, "Won on local new year's morning", new_year)
    _won_at(service, clock, "Won on local new year's eve", local(2026, 12, 31, 23), amount="500")
    clock.now = local(2026, 12, 20)
    service.create_deal("Due last year", stage="Proposal", amount="700", close_date=date(2026, 12, 31))
    clock.now = local(2027, 1, 1, 9)

    month = service.report("month")
    assert month.start == local(2027, 1, 1) and month.end == local(2027, 2, 1)
    assert month.start.isoformat() == "2027-01-01T00:00:00+14:00"
    assert month.outcomes.won_count == 1 and month.outcomes.won_totals == {"USD": 1000}
    assert service.report("year").outcomes.won_count == 1
    assert service.report("quarter").start == local(2027, 1, 1)
    forecast = service.report("all").forecast
    assert [m.month for m in forecast][:2] == [None, date(2027, 1, 1)]
    assert forecast[0].count == 1  # closing on 31 December is overdue on local 1 January
    assert forecast[1].won_count == 1 and forecast[1].won == {"USD": 1000}


def test_adak_on_local_new_years_eve_is_still_in_december(service, clock, monkeypatch):
    set_local_zone(monkeypatch, "America/Adak")
    eve = local(2026, 12, 31, 18)  # 2027-01-01 04:00 UTC
    assert eve.astimezone(UTC) == datetime(2027, 1, 1, 4, tzinfo=UTC)
    _won_at(service, clock, "Won on local new year's eve", eve)
    clock.now = local(2026, 12, 31, 20)

    year = service.report("year")
    assert (year.start, year.end) == (local(2026, 1, 1), local(2027, 1, 1))
    assert year.outcomes.won_count == 1
    month = service.report("month")
    assert month.start == local(2026, 12, 1) and month.outcomes.won_count == 1
    forecast = service.report("quarter").forecast
    assert [m.month for m in forecast] == [None, date(2026, 12, 1)]  # the quarter ends with December
    assert forecast[1].won_count == 1


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak", "Asia/Tokyo"])
def test_period_edges_are_local_midnights(monkeypatch, zone):
    set_local_zone(monkeypatch, zone)
    for now in (local(2027, 1, 1, 0, 5), local(2026, 12, 31, 23, 55), local(2026, 3, 31, 23, 59)):
        start, end = period_range("month", now)
        assert start is not None and end is not None
        assert start <= now < end
        assert start.astimezone().time() == end.astimezone().time() == datetime.min.time()
        assert (start.astimezone().day, end.astimezone().day) == (1, 1)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak"])
def test_wins_either_side_of_a_local_month_match_the_replay(service, clock, monkeypatch, zone):
    set_local_zone(monkeypatch, zone)
    for n, moment in enumerate((local(2027, 1, 1, 0, 30), local(2026, 12, 31, 23, 30), local(2027, 1, 1, 13))):
        _won_at(service, clock, f"Won {n}", moment, amount=str(100 * (n + 1)))
    for now in (local(2027, 1, 1, 2), local(2027, 1, 2, 12), local(2026, 12, 31, 23, 45)):
        clock.now = now
        for period in ("month", "quarter", "year", "all"):
            expected = reference_report(service.deals(), service.all_events(), service.stages(), period=period, now=now)
            assert service.report(period) == expected


def test_the_timezone_setting_sets_the_reports_calendar(tmp_path, capsys, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Pacific/Kiritimati"\n', encoding="utf-8")
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(config))
    assert main(["--db", str(tmp_path / "cal.db"), "report", "--period", "month", "--json"]) == 0
    start = datetime.fromisoformat(json.loads(capsys.readouterr().out)["start"])
    assert start.utcoffset() == timedelta(hours=14)


def test_the_timezone_setting_is_the_boards_calendar_too(tmp_path, monkeypatch):
    """The board opens through the same context as every command: today, overdue and the report
    periods on the board follow the setting as the CLI's do."""
    from closedwon_tui.app import launch

    config = tmp_path / "config.toml"
    config.write_text('timezone = "Pacific/Kiritimati"\n', encoding="utf-8")
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(config))
    offsets = []

    def board(service, settings, **_options):  # type: ignore[no-untyped-def]
        offsets.append(service.now().astimezone().utcoffset())
        return 0

    monkeypatch.setattr(launch, "run_board", board)
    assert main(["--db", str(tmp_path / "board.db")]) == 0
    assert offsets == [timedelta(hours=14)]


def test_an_unknown_timezone_setting_is_one_clear_line(tmp_path, capsys, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Mars/Olympus_Mons"\n', encoding="utf-8")
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(config))
    assert main(["--db", str(tmp_path / "cal.db"), "report"]) == 2
    err = capsys.readouterr().err
    assert "timezone" in err and "Mars/Olympus_Mons" in err and len(err.strip().splitlines()) == 1
