"""The report's period tabs: "This month  This quarter  This year  All time" where they fit, and
"Month  Quarter  Year  All time" where they would be cut (80 columns beside the owner and
pipeline choices), so that every label stays readable at any width."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.widgets import Tab, Tabs

from closedwon_tui.domain.reports import Period

#: Each period's tab label: (where it fits, short).
PERIOD_LABELS = {
    Period.MONTH: ("This month", "Month"),
    Period.QUARTER: ("This quarter", "Quarter"),
    Period.YEAR: ("This year", "Year"),
    Period.ALL: ("All time", "All time"),
}
#: A tab's padding, left and right.
_PADDING = 2


def tab_id(period: Period) -> str:
    return f"period-{period.value}"


def labels_that_fit(width: int) -> list[str]:
    """The long labels when all of them fit in `width` cells, else the short ones."""
    long = [full for full, _ in PERIOD_LABELS.values()]
    if sum(cell_len(label) + _PADDING for label in long) <= width:
        return long
    return [short for _, short in PERIOD_LABELS.values()]


class PeriodTabs(Tabs):
    """One tab per period; the labels follow the width the tabs get."""

    def __init__(self, active: Period, *, id: str | None = None) -> None:
        tabs = [Tab(full, id=tab_id(period)) for period, (full, _) in PERIOD_LABELS.items()]
        super().__init__(*tabs, active=tab_id(active), id=id)

    def on_resize(self, event: events.Resize) -> None:
        for period, label in zip(PERIOD_LABELS, labels_that_fit(event.size.width), strict=True):
            tab = self.query_one(f"#{tab_id(period)}", Tab)
            if tab.label_text != label:
                tab.label = label
