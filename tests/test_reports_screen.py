"""The reports screen: it draws every section at 80 and 120 columns, and the period and owner apply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Select, Tabs

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.reports import ReportsScreen
from closedwon_tui.app.reports.charts import BarChart
from closedwon_tui.domain.reports import Period
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings
from tests.board_helpers import enter_text
from tests.conftest import FROZEN_NOW, FrozenClock

SECTIONS = ("Pipeline", "Forecast by expected close month", "Funnel", "Outcomes", "Look back")


def make_app(service: PipelineService) -> ClosedwonApp:
    return ClosedwonApp(service, settings=Settings(), celebrate=False)


async def open_reports(pilot, **kwargs) -> ReportsScreen:  # type: ignore[no-untyped-def]
    await pilot.app.push_screen(ReportsScreen(**kwargs))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def text_of(screen: ReportsScreen, selector: str) -> str:
    widget = screen.query_one(selector)
    rendered = widget.render()
    return str(rendered)


def chart_lines(screen: ReportsScreen, selector: str) -> list[str]:
    return str(screen.query_one(selector, BarChart).render()).splitlines()


@pytest.fixture
def story(sqlite_service: PipelineService, clock: FrozenClock) -> PipelineService:
    """Two currencies, a reopened deal, a deal without an amount, a win with a look back, a loss."""
    s = sqlite_service
    clock.now = FROZEN_NOW - timedelta(days=20)
    won = s.create_deal("Helios rollout", amount="48250", owner="Dana", close_date="2026-11-30").deal
    euro = s.create_deal("Orbital fleet", amount="12000", currency="EUR", stage="Proposal", owner="Dana",
                         close_date="2026-12-10").deal  # fmt: skip
    reopened = s.create_deal("Bluefin <b>dash</b>", owner="Marcus", close_date="2026-12-01").deal
    lost = s.create_deal("Granite [red]warehouse[/red]", amount="9500", owner="Marcus").deal
    clock.now = FROZEN_NOW - timedelta(days=10)
    s.move_deal(won.id, "Qualification")
    s.mark_won(reopened.id)
    clock.now = FROZEN_NOW - timedelta(days=2)
    s.mark_won(won.id)
    s.record_lookback(won.id, "Champion [bold]pushed[/bold] it\x1b[2J", "Legal review took two weeks")
    s.mark_lost(lost.id, "price")
    s.reopen(reopened.id)
    clock.now = FROZEN_NOW
    assert euro.id
    return s


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_section_renders_with_exact_figures(story, size):
    app = make_app(story)
    async with app.run_test(size=size) as pilot:
        screen = await open_reports(pilot)
        titles = [w.border_title for w in screen.query(".report-section")]
        assert titles == list(SECTIONS)
        assert "this quarter (2026-10-01 to 2026-12-31), all owners" in text_of(screen, "#report-title")
        pipeline = chart_lines(screen, "#pipeline-chart")
        # Two currencies: one row per currency, never added together.
        assert any(line.startswith("Outreach") and line.endswith("1  0 → 0") for line in pipeline)  # no amount
        assert any("Proposal" in line and "€12,000.00 → €7,200.00" in line for line in pipeline)
        assert all(len(line) <= size[0] - 6 for line in pipeline)
        notes = text_of(screen, "#pipeline-notes")
        assert "Total 2 deals · €12,000.00 · weighted €7,200.00" in notes
        assert "1 deal without an amount: counted, not summed" in notes
        forecast = chart_lines(screen, "#forecast-chart")
        assert forecast[1].startswith("Nov 2026") and forecast[1].endswith("won $48,250.00")
        assert forecast[2].startswith("Dec 2026") and forecast[2].endswith("2  €7,200.00 of €12,000.00")
        funnel = chart_lines(screen, "#funnel-chart")
        assert funnel[0].startswith("Outreach") and "█" in funnel[0]
        assert funnel[1].endswith("3  75.0% of Outreach")  # Orbital was created in Proposal: it passed Outreach
        outcomes = chart_lines(screen, "#outcome-chart")
        assert "1  $48,250.00" in outcomes[0] and outcomes[1].rstrip().endswith("1")
        notes = text_of(screen, "#outcome-notes")
        assert "50.0%" in notes and "$48,250.00" in notes
        assert "price" in chart_lines(screen, "#lost-chart")[0]
        lookback = text_of(screen, "#lookback-text")
        assert "Champion [bold]pushed[/bold] it\\x1b[2J" in lookback and "Legal review took two weeks" in lookback
        assert "\x1b" not in lookback  # pasted control characters are shown, never sent to the terminal


async def test_a_tiny_terminal_still_shows_the_reports_without_errors(story):
    app = make_app(story)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await open_reports(pilot)
        assert screen.report is not None
        assert chart_lines(screen, "#pipeline-chart")[0].startswith("Outreach")
        await pilot.press("pagedown", "pagedown", "end")
        await pilot.pause()
        assert app.is_running


async def test_period_tabs_and_owner_filter_apply_to_everything(story):
    app = make_app(story)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        assert screen.report is not None and screen.report.period is Period.QUARTER
        await pilot.press("p")  # quarter -> year
        await settle(pilot)
        assert screen.report.period is Period.YEAR
        assert "this year (2026-01-01 to 2026-12-31)" in text_of(screen, "#report-title")
        assert screen.query_one(Tabs).active == "period-year"
        owner = screen.query_one("#report-owner", Select)
        assert screen.owner_choices == ["", "Dana", "Marcus"]  # "" is everyone
        owner.value = "Marcus"
        await settle(pilot)
        assert screen.report.owner == "Marcus"
        assert screen.report.outcomes.lost_count == 1 and screen.report.outcomes.won_count == 0
        assert "owner Marcus" in text_of(screen, "#report-title")
        assert "No retrospectives" in text_of(screen, "#lookback-text")
        for _ in range(3):  # p pressed three times faster than the tabs report back: year -> all -> month -> quarter
            screen.action_next_period()
        await settle(pilot)
        assert screen.report.period is Period.QUARTER
        screen.set_period(Period.ALL)
        await settle(pilot)
        assert (screen.report.period, screen.report.owner) == (Period.ALL, "Marcus")
        # Nothing was written by reading.
        assert len(story.all_events()) == 10


async def test_escape_and_q_close_the_reports(story):
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportsScreen)
        await open_reports(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ReportsScreen)
        assert app.is_running


async def test_empty_database_shows_a_friendly_line_and_zeros(sqlite_service):
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, period="all")
        assert screen.query_one("#report-empty").display
        assert "No deals here yet" in text_of(screen, "#report-empty")
        assert "Total 0 deals · 0 · weighted 0" in text_of(screen, "#pipeline-notes")
        assert "Win rate" in text_of(screen, "#outcome-notes") and "—" in text_of(screen, "#outcome-notes")


async def test_a_failing_database_shows_the_error_not_a_traceback(story, monkeypatch):
    from closedwon_tui.domain.errors import StorageError

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StorageError("the database is busy (locked by another program); try again")

    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(story, "report", broken)
        await pilot.app.push_screen(ReportsScreen())
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert "cannot compute the figures: the database is busy" in text_of(screen, "#report-title")
        assert app.is_running


async def test_the_command_palette_offers_the_report_actions(story):
    app = make_app(story)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_reports(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await enter_text(pilot, "all time")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.report is not None and screen.report.period is Period.ALL


def test_snapshot_of_the_reports_on_demo_data(demo, snap_compare):
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.push_screen(ReportsScreen())
        await settle(pilot)

    assert snap_compare(make_app(demo), terminal_size=(100, 60), run_before=open_it)
