"""Report figures in words and bars, shared by `closedwon report` and the reports screen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.reports import Report

_EIGHTHS = " ▏▎▍▌▋▊▉"


def money_text(totals: dict[str, Decimal], currencies: Iterable[str] = (), *, compact: bool = False) -> str:
    """`$8,000.50`, or `$8,000.50 · €400.00` per currency; zero in the only currency, or `0`."""
    if not totals:
        known = list(currencies)
        return format_money(Decimal(0), known[0], compact=compact) if len(known) == 1 else "0"
    return " · ".join(format_money(amount, c, compact=compact) for c, amount in sorted(totals.items()))


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def days_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return "1 day" if value == 1 else f"{value} days"


def bar(value: Decimal | int, maximum: Decimal | int, width: int) -> str:
    """A horizontal bar of `width` cells at most, in eighths of a cell; empty for zero."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = int((Decimal(value) * width * 8 / Decimal(maximum)).to_integral_value(rounding=ROUND_HALF_EVEN))
    eighths = max(1, min(eighths, width * 8))
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def centred_bar(value: int, maximum: int, width: int) -> str:
    """A bar centred in `width` cells, for drawing a funnel."""
    if maximum <= 0 or value <= 0:
        return " " * width
    cells = max(1, round(value * width / maximum))
    left = (width - cells) // 2
    return " " * left + "█" * cells + " " * (width - cells - left)


def scope_text(report: Report) -> str:
    """`this quarter (2026-10-01 to 2026-12-31), all owners`."""
    if report.start is None or report.end is None:
        span = "all time"
    else:
        last = (report.end - timedelta(days=1)).date()
        span = f"{report.period.label} ({report.start.date().isoformat()} to {last.isoformat()})"
    text = f"{span}, {'owner ' + report.owner if report.owner else 'all owners'}"
    if report.pipeline_name is not None:
        text += f", pipeline {report.pipeline_name}"
    elif report.sections:
        text += ", every pipeline"
    return text


def pipeline_scope(report: Report) -> str:
    if report.end is None:
        return "every open deal"
    last = (report.end - timedelta(days=1)).date().isoformat()
    return f"open deals expected to close by {last}, overdue too"


def cohort_scope(report: Report) -> str:
    return "every deal" if report.start is None else f"deals created {report.period.label}"


def closed_scope(report: Report) -> str:
    return "every closed deal" if report.start is None else f"deals closed {report.period.label}"


def velocity_text(report: Report) -> str:
    velocity = report.outcomes.velocity
    if not velocity:
        return "— (needs open deals and a won deal with an amount)"
    return money_text(velocity) + " per day"
