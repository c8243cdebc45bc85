"""A report turned into what each section of the screen draws: bar rows and lines of text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from textual.content import Content

from closedwon_tui.app.literal import plain
from closedwon_tui.app.reports.charts import BarRow
from closedwon_tui.domain.forecast import Totals
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.report_text import (
    closed_scope,
    cohort_scope,
    days_text,
    money_text,
    percent_text,
    pipeline_scope,
    velocity_text,
)
from closedwon_tui.domain.reports import Report

MUTED = "$text-muted"


def _per_currency(report: Report, *totals: Totals) -> list[str]:
    """The currencies a row has figures in; the report's one currency (or none) gives one row."""
    used = sorted({c for t in totals for c in t})
    return used if len(used) > 1 else [used[0] if used else ""]


def _money(totals: Totals, currency: str, report: Report) -> str:
    if not currency:
        return money_text({}, report.currencies)
    return format_money(totals.get(currency, Decimal(0)), currency)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def by_pipeline(report: Report, rows_of: Callable[[Report], list[BarRow]]) -> list[BarRow]:
    """A section by stage: the report's own, or with every pipeline each pipeline's, under its name."""
    if not report.sections:
        return rows_of(report)
    rows: list[BarRow] = []
    for section in report.sections:
        if not section.currencies:  # a pipeline with no deals yet: its zeros in the report's currency
            section = replace(section, currencies=report.currencies)
        rows.append(BarRow(section.pipeline_name or "", 0, "", scale="heading", style="$text-muted"))
        rows.extend(BarRow(f"  {row.label}" if row.label else "", row.value, row.figures, scale=row.scale,
                           behind=row.behind, style=row.style, figures_style=row.figures_style)
                    for row in rows_of(section))  # fmt: skip
    return rows


def pipeline_rows(report: Report) -> list[BarRow]:
    rows = []
    for s in report.pipeline.stages:
        for i, currency in enumerate(_per_currency(report, s.totals, s.weighted)):
            count = f"{s.count:>3}" if i == 0 else "   "
            figures = f"{count}  {_money(s.totals, currency, report)} → {_money(s.weighted, currency, report)}"
            rows.append(BarRow(s.stage.name if i == 0 else "", s.weighted.get(currency, 0), figures, scale=currency,
                               behind=s.totals.get(currency, 0)))  # fmt: skip
    return rows


def pipeline_notes(report: Report) -> Content:
    p, cur = report.pipeline, report.currencies
    total = Content.assemble(
        ("Total ", "bold"), plain(_plural(p.count, "deal")), " · ", plain(money_text(p.totals, cur)),
        " · weighted ", plain(money_text(p.weighted, cur), "bold $text-primary"),
    )  # fmt: skip
    notes = [total, Content.styled("█ weighted (amount × probability)  ░ total", MUTED)]
    if p.without_amount:
        notes.append(plain(f"{_plural(p.without_amount, 'deal')} without an amount: counted, not summed", MUTED))
    return Content("\n").join(notes)


def forecast_rows(report: Report) -> list[BarRow]:
    rows = []
    for m in report.forecast:
        for i, currency in enumerate(_per_currency(report, m.weighted, m.best_case, m.won)):
            count = f"{m.count:>3}" if i == 0 else "   "
            figures = f"{count}  {_money(m.weighted, currency, report)} of {_money(m.best_case, currency, report)}"
            if m.won_count or (m.month is not None and m.month == report.now.date().replace(day=1)):
                figures += f" · won {_money(m.won, currency, report)}"
            rows.append(BarRow(m.label if i == 0 else "", m.weighted.get(currency, 0), figures, scale=currency,
                               behind=m.best_case.get(currency, 0),
                               style="$warning" if m.is_overdue else "$primary"))  # fmt: skip
    return rows


def forecast_notes(report: Report) -> Content:
    return Content.styled("█ weighted (amount × probability)  ░ best case · won so far in the month", MUTED)


def funnel_rows(report: Report) -> list[BarRow]:
    rows = []
    previous = None
    for step in report.funnel:
        conversion = "" if step.conversion is None else f"  {step.conversion}% of {previous or ''}"
        rows.append(BarRow(step.stage.name, step.reached, f"{step.reached:>3}{conversion}",
                           style="$success" if step.stage.is_closed else "$primary"))  # fmt: skip
        previous = step.stage.name
    return rows


def funnel_notes(report: Report) -> Content:
    return Content.styled("How far each deal got, from its history; % of the stage before", MUTED)


def outcome_rows(report: Report) -> list[BarRow]:
    o = report.outcomes
    won = f"{o.won_count:>3}  {money_text(o.won_totals, report.currencies)}"
    return [
        BarRow("Won", o.won_count, won, scale="count", style="$success"),
        BarRow("Lost", o.lost_count, f"{o.lost_count:>3}", scale="count", style="$error"),
    ]


def outcome_notes(report: Report) -> Content:
    o = report.outcomes
    average = money_text(o.average_won, report.currencies) if o.average_won else "—"
    lines = [
        Content.assemble(
            plain("Win rate".ljust(21), "bold"),
            plain(percent_text(o.win_rate), "bold $text-success"),
            ("  won ÷ (won + lost)", MUTED),
        ),  # fmt: skip
        Content.assemble(plain("Average won deal".ljust(21)), plain(average, "bold")),
        Content.assemble(
            plain("Average sales cycle".ljust(21)),
            plain(days_text(o.average_cycle_days), "bold"),
            ("  created → closed", MUTED),
        ),  # fmt: skip
        Content.assemble(
            plain("Sales velocity".ljust(21)),
            plain(velocity_text(report), "bold"),
            plain("  open × avg won × win rate ÷ cycle" if report.outcomes.velocity else "", MUTED),
        ),
    ]
    if o.won_without_amount:
        lines.append(plain(f"{_plural(o.won_without_amount, 'won deal')} without an amount", MUTED))
    return Content("\n").join(lines)


def lost_reason_rows(report: Report) -> list[BarRow]:
    return [BarRow(reason, count, f"{count:>3}", style="$error") for reason, count in report.outcomes.lost_reasons]


def stage_time_rows(report: Report) -> list[BarRow]:
    return [
        BarRow(
            t.stage.name,
            t.average_days or 0,
            f"{days_text(t.average_days):>10}  {_plural(t.stays, 'stay')}",
            style="$accent",
        )  # fmt: skip
        for t in report.stage_times
    ]


def subtitles(report: Report) -> dict[str, Content]:
    """What each section covers, for its border."""
    return {
        "pipeline": plain(pipeline_scope(report)),
        "forecast": plain("next six months" if report.end is None else f"to the end of {report.period.label}"),
        "funnel": plain(cohort_scope(report)),
        "outcomes": plain(closed_scope(report)),
        "lookback": plain(f"latest wins, {report.period.label}"),
    }


def lookback_content(report: Report) -> Content:
    if not report.lookback:
        return Content.styled("No retrospectives for these wins yet: write one after a win (w on the board).", MUTED)
    blocks = []
    for b in report.lookback:
        head = Content.assemble(
            plain(b.title, "bold"), plain(f"  {b.closed_at:%d %b %Y}", MUTED),
            plain("  " + format_money(b.amount, b.currency) if b.amount is not None else "", MUTED),
        )  # fmt: skip
        lines = [head]
        if b.went_well:
            lines.append(Content.assemble(("  ✓ went well: ", "$text-success"), plain(b.went_well)))
        if b.nearly_lost:
            lines.append(Content.assemble(("  ! nearly lost it: ", "$text-warning"), plain(b.nearly_lost)))
        blocks.append(Content("\n").join(lines))
    return Content("\n").join(blocks)
