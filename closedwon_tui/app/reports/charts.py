"""Bars drawn in the terminal, with the exact figures beside them.

A `BarChart` lays its rows out to whatever width it has: labels on the left, the
figures on the right at their full length, and the bars in the space between. Widths are
counted in terminal cells (a CJK character or an emoji takes two), so every row lines up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from closedwon_tui.app.cells import fit_cells
from closedwon_tui.app.literal import literal, plain
from closedwon_tui.domain.report_text import bar, centred_bar

#: Bars never get narrower than this, even when the figures are long.
MIN_BAR = 6
#: Labels are cut at this width (stage names, months).
MAX_LABEL = 16


@dataclass(frozen=True, slots=True)
class BarRow:
    """One line: a label, a bar of `value` on a scale shared by every row with the same `scale`."""

    label: str
    value: Decimal | int
    figures: str
    #: Rows that share a scale are drawn against the same maximum (one per currency).
    scale: str = ""
    #: Drawn lighter behind the bar, e.g. the best case behind the weighted amount.
    behind: Decimal | int = 0
    style: str = "$primary"
    figures_style: str = ""


class BarChart(Widget):
    """Rows of bars; `centred` draws each bar in the middle, which makes a funnel."""

    DEFAULT_CSS = """
    BarChart { height: auto; width: 1fr; }
    """

    def __init__(self, *, centred: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.centred = centred
        self.rows: tuple[BarRow, ...] = ()

    def show(self, rows: Sequence[BarRow]) -> None:
        self.rows = tuple(rows)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return max(1, len(self.rows))

    def render(self) -> Content:
        if not self.rows:
            return Content("")
        width = max(self.size.width, 20)
        labels = [literal(r.label) for r in self.rows]
        label_w = min(MAX_LABEL, max(cell_len(label) for label in labels))
        figures_w = max(cell_len(r.figures) for r in self.rows)
        bar_w = max(MIN_BAR, width - label_w - figures_w - 2)
        maxima: dict[str, Decimal | int] = {}
        for row in self.rows:
            maxima[row.scale] = max(maxima.get(row.scale, 0), row.value, row.behind)
        lines = [
            self._line(row, plain(fit_cells(label, label_w)), bar_w, maxima[row.scale])
            for row, label in zip(self.rows, labels)
        ]
        return Content("\n").join(lines)

    def _line(self, row: BarRow, label: Content, bar_w: int, maximum: Decimal | int) -> Content:
        if self.centred:
            drawn = plain(centred_bar(int(row.value), int(maximum), bar_w), row.style)
        else:
            solid = bar(row.value, maximum, bar_w)
            shade = bar(row.behind, maximum, bar_w)
            rest = "░" * max(0, len(shade) - len(solid)) if row.behind else ""
            drawn = Content.assemble(
                plain(solid, row.style), plain(rest, "$text-muted"), plain(" " * (bar_w - len(solid) - len(rest)))
            )
        return Content.assemble(label, " ", drawn, " ", plain(row.figures, row.figures_style))
