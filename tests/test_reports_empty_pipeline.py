"""A pipeline with no deals yet reads like any other in the reports: its stages show $0.00, in the
report's currency, not a bare 0."""

from __future__ import annotations

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.reports import ReportsScreen
from closedwon_tui.app.reports.charts import BarChart
from closedwon_tui.settings import Settings


async def test_an_empty_pipelines_stages_show_zero_in_the_reports_currency(sqlite_service):
    sqlite_service.create_deal("Helios rollout", amount="48250", stage="Proposal", close_date="2026-11-30")
    sqlite_service.add_pipeline("Renewals", stages="Due,Talking")
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(ReportsScreen())
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReportsScreen)
        lines = str(screen.query_one("#pipeline-chart", BarChart).render()).splitlines()
        due = next(line for line in lines if line.strip().startswith("Due"))
        assert due.rstrip().endswith("0  $0.00 → $0.00"), due
