"""The report's period tabs are readable at every size: each label drawn whole, beside the owner
choice and (with several pipelines) the pipeline choice, at 80x24 as at 120x40."""

from __future__ import annotations

import pytest

from tests.screen_text import drawn_lines
from tests.test_reports_screen import make_app, open_reports

LONG = ["This month", "This quarter", "This year", "All time"]
SHORT = ["Month", "Quarter", "Year", "All time"]


def _tab_row(app) -> str:  # type: ignore[no-untyped-def]
    """The screen line the period tabs are drawn on."""
    return next(line for line in drawn_lines(app) if "All time" in line or "All tim" in line)


def _drawn_whole(row: str, labels: list[str]) -> bool:
    """Every label drawn, in order, each whole and apart (two spaces between tabs)."""
    tabs = row.split("▊")[0]
    return "  ".join(labels) in tabs and tabs.lstrip().startswith(labels[0])


@pytest.mark.parametrize(
    ("size", "pipelines", "labels"),
    [
        ((80, 24), 1, LONG),  # only the owner choice beside them: the long labels fit
        ((80, 24), 2, SHORT),  # owner and pipeline choices: the short ones, never cut
        ((100, 30), 2, SHORT),
        ((120, 40), 2, LONG),
    ],
)
async def test_every_period_tab_is_readable(sqlite_service, size, pipelines, labels):
    if pipelines > 1:
        sqlite_service.add_pipeline("Renewals")
    app = make_app(sqlite_service)
    async with app.run_test(size=size) as pilot:
        await open_reports(pilot)
        await pilot.pause()
        row = _tab_row(app)
        assert _drawn_whole(row, labels), row
        await pilot.press("p")  # the next period: the same labels, the tab row redrawn
        await pilot.pause()
        assert _drawn_whole(_tab_row(app), labels)


async def test_the_labels_follow_a_resize(sqlite_service):
    sqlite_service.add_pipeline("Renewals")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_reports(pilot)
        assert _drawn_whole(_tab_row(app), LONG)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert _drawn_whole(_tab_row(app), SHORT)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert _drawn_whole(_tab_row(app), LONG)
