"""The three lines at the top of a stage column: its number, name and count, its total (and the
order it is shown in), and its weighted total or, for a closed stage, which closed deals it shows."""

from __future__ import annotations

from closedwon_tui.app.board.card import fit
from closedwon_tui.app.board.sums import ColumnTotals
from closedwon_tui.app.literal import literal
from closedwon_tui.domain.card_order import ColumnOrder
from closedwon_tui.domain.models import Stage
from closedwon_tui.domain.money import format_totals

#: How a column header names the order it shows (nothing for the manual order).
_ORDER_NAMES = {
    ColumnOrder.URGENCY: "urgency",
    ColumnOrder.AMOUNT: "amount",
    ColumnOrder.CLOSE: "close",
    ColumnOrder.DAYS: "days",
}


def header_lines(
    number: int, stage: Stage, totals: ColumnTotals, hidden: int, order: ColumnOrder, show_all_closed: bool, width: int
) -> list[str]:
    """The header of column `number` (`hidden`: the older closed deals it leaves out), `width` cells wide."""
    inner = max(1, width - 4 if width else 20)
    name = fit(literal(f"{number} {stage.name}"), max(1, inner - len(str(totals.count)) - 1))
    total = format_totals(totals.total, compact=True, empty="$0")
    weighted = format_totals(totals.weighted, compact=True, empty="$0")
    third = f"≈ {weighted}" if stage.is_open else _closed_scope(hidden, show_all_closed)
    # The total first: on a narrow column the order's name is cut, never the figure.
    by = "" if order is ColumnOrder.MANUAL else f" ⇅{_ORDER_NAMES[order]}"
    return [f"{name} {totals.count}", f"Σ {total}{by}", third]


def _closed_scope(hidden: int, show_all_closed: bool) -> str:
    """Which closed deals the column shows: every one (`C`), or this quarter's (saying how many older ones it leaves out)."""
    if show_all_closed:
        return "all closed"
    return f"+{hidden} older" if hidden else "this quarter"
