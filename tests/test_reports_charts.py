"""The report charts line up by terminal cells: a CJK or emoji label (two cells a character) keeps
every bar and figure in its column, like the CLI's tables."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from textual.app import App, ComposeResult

from closedwon_tui.app.reports.charts import MAX_LABEL, BarChart, BarRow

ROWS = [
    BarRow("東京オフィス", Decimal(30), "  3  ¥300,000"),
    BarRow("🚀 Launch", Decimal(20), "  2  $20.00"),
    BarRow("Plain", Decimal(10), " 10  $1.00"),
    BarRow("価格が高すぎるとの意見が多い案件", Decimal(5), "  1  $5.00"),  # longer than the label column
]


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BarChart(id="chart")


async def test_bars_and_figures_line_up_whatever_the_width_of_the_labels_characters():
    app = ChartApp()
    async with app.run_test(size=(60, 10)) as pilot:
        chart = app.query_one(BarChart)
        chart.show(ROWS)
        await pilot.pause()
        lines = str(chart.render()).splitlines()
    assert len(lines) == len(ROWS)
    # No line is wider than the chart, the bars start in the same cell, and so do the figures.
    assert max(cell_len(line) for line in lines) <= 60
    starts = {cell_len(line[: line.index("█")]) for line in lines}
    assert starts == {MAX_LABEL + 1}, lines
    figures = {cell_len(line[: line.rindex(row.figures)]) for line, row in zip(lines, ROWS)}
    assert len(figures) == 1, lines
    # A label longer than its column is cut with an ellipsis, at a whole character.
    assert lines[3].startswith("価格が高すぎる…")


async def test_labels_are_drawn_literally():
    app = ChartApp()
    async with app.run_test(size=(60, 10)) as pilot:
        chart = app.query_one(BarChart)
        chart.show([BarRow("[b]x[/b]\x1b[2J", 3, "3")])
        await pilot.pause()
        line = str(chart.render())
    assert line.startswith("[b]x[/b]\\x1b[2J") and "\x1b" not in line
