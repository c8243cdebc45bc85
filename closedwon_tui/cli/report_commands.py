"""`closedwon report`: pipeline, forecast, funnel, outcomes and look back, as text or JSON."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from closedwon_tui.cli.context import Context
from closedwon_tui.cli.filtering import add_filter_options, filter_text
from closedwon_tui.cli.output import echo, print_json, safe, table
from closedwon_tui.domain.report_text import (
    closed_scope,
    cohort_scope,
    days_text,
    money_text,
    percent_text,
    pipeline_scope,
    scope_text,
    velocity_text,
)
from closedwon_tui.domain.reports import Period, Report


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = commands.add_parser(
        "report", help="pipeline, forecast, funnel and win rate for a period",
        description="The figures of the reports screen: pipeline, forecast, funnel, outcomes, look back.",
    )  # fmt: skip
    report.add_argument("--period", choices=[p.value for p in Period], default=Period.QUARTER.value,
                        help="this month, quarter or year, or all time (default: quarter)")  # fmt: skip
    report.add_argument("--owner", help="only this owner's deals")
    add_filter_options(report)
    report.add_argument("--pipeline", metavar="NAME", help="only this pipeline (default: every pipeline, each apart)")
    report.add_argument("--json", action="store_true", help="JSON, amounts as exact decimal strings")
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace, ctx: Context) -> int:
    text = filter_text(args, ctx)
    deal_ids = None if text is None else ctx.service.matching_deal_ids(text, args.pipeline)
    report = ctx.service.report(args.period, owner=args.owner, deal_ids=deal_ids, pipeline=args.pipeline)
    if args.json:
        print_json({**report_json(report), "filter": text})
    else:
        echo((f"Filter: {safe(text)}\n" if text is not None else "") + report_text(report))
    return 0


# JSON -----------------------------------------------------------------------
def _amounts(totals: dict[str, Decimal]) -> dict[str, str]:
    return {currency: str(amount) for currency, amount in sorted(totals.items())}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def report_json(report: Report) -> dict[str, Any]:
    o = report.outcomes
    data = {
        "period": report.period.value,
        "start": report.start.isoformat() if report.start else None,
        "end": report.end.isoformat() if report.end else None,
        "owner": report.owner,
        "generated_at": report.now.isoformat(),
        "currencies": list(report.currencies),
        "pipeline": _pipeline_json(report),
        "forecast": [
            {
                "month": "overdue" if m.month is None else m.month.strftime("%Y-%m"),
                "count": m.count,
                "weighted": _amounts(m.weighted),
                "best_case": _amounts(m.best_case),
                "won": _amounts(m.won),
                "won_count": m.won_count,
            }
            for m in report.forecast
        ],  # fmt: skip
        "funnel": _funnel_json(report),
        "outcomes": {
            "won_count": o.won_count,
            "lost_count": o.lost_count,
            "won_total": _amounts(o.won_totals),
            "won_without_amount": o.won_without_amount,
            "win_rate": _text(o.win_rate),
            "average_won": _amounts(o.average_won),
            "average_cycle_days": _text(o.average_cycle_days),
            "sales_velocity_per_day": _amounts(o.velocity),
            "open_deals": dict(sorted(o.open_counts.items())),
            "lost_reasons": [{"reason": reason, "count": count} for reason, count in o.lost_reasons],
        },
        "stage_days": _stage_days_json(report),
        "lookback": [
            {
                "deal_id": b.deal_id,
                "title": b.title,
                "company": b.company,
                "closed_at": b.closed_at.isoformat(),
                "amount": _text(b.amount),
                "currency": b.currency,
                "went_well": b.went_well,
                "nearly_lost": b.nearly_lost,
            }
            for b in report.lookback
        ],  # fmt: skip
    }
    if report.pipeline_name is not None:
        data["pipeline_name"] = report.pipeline_name
    if report.sections:  # every pipeline: the figures by stage of each, apart
        data["pipelines"] = [
            {
                "name": section.pipeline_name,
                "pipeline": _pipeline_json(section),
                "funnel": _funnel_json(section),
                "stage_days": _stage_days_json(section),
            }  # fmt: skip
            for section in report.sections
        ]
    return data


def _pipeline_json(report: Report) -> dict[str, Any]:
    p = report.pipeline
    return {
        "stages": [
            {
                "stage": s.stage.name,
                "count": s.count,
                "total": _amounts(s.totals),
                "weighted": _amounts(s.weighted),
                "without_amount": s.without_amount,
            }
            for s in (() if report.sections else p.stages)  # every pipeline: by stage in "pipelines"
        ],  # fmt: skip
        "count": p.count,
        "total": _amounts(p.totals),
        "weighted": _amounts(p.weighted),
        "without_amount": p.without_amount,
    }


def _funnel_json(report: Report) -> list[dict[str, Any]]:
    return [{"stage": s.stage.name, "reached": s.reached, "conversion": _text(s.conversion)} for s in report.funnel]


def _stage_days_json(report: Report) -> list[dict[str, Any]]:
    return [
        {"stage": t.stage.name, "stays": t.stays, "average_days": _text(t.average_days)} for t in report.stage_times
    ]


# text -----------------------------------------------------------------------
def report_text(report: Report) -> str:
    cur = report.currencies
    p, o = report.pipeline, report.outcomes
    lines = [f"closedwon report: {safe(scope_text(report))}"]
    if report.is_empty:
        lines.append("No deals yet: every figure is zero. Add one with `closedwon deal add`.")
    for section in report.sections or (report,):
        lines += ["", f"PIPELINE{_named(section)} ({pipeline_scope(report)})"]
        rows = [[safe(s.stage.name), str(s.count), money_text(s.totals, cur), money_text(s.weighted, cur)]
                for s in section.pipeline.stages]  # fmt: skip
        q = section.pipeline
        rows.append(["Total", str(q.count), money_text(q.totals, cur), money_text(q.weighted, cur)])
        lines.append(table(rows, ["STAGE", "DEALS", "TOTAL", "WEIGHTED"]))
    if report.sections:
        lines.append(
            f"All pipelines: {p.count} deals, {money_text(p.totals, cur)}, weighted {money_text(p.weighted, cur)}"
        )
    if p.without_amount:
        lines.append(f"({p.without_amount} without an amount: in the counts, not in the sums)")
    lines += ["", "FORECAST (by expected close month)"]
    rows = [
        [m.label, str(m.count), money_text(m.weighted, cur), money_text(m.best_case, cur),
         money_text(m.won, cur) if m.month else ""]
        for m in report.forecast
    ]  # fmt: skip
    lines.append(table(rows, ["MONTH", "DEALS", "WEIGHTED", "BEST CASE", "WON SO FAR"]))
    for section in report.sections or (report,):
        lines += ["", f"FUNNEL{_named(section)} ({cohort_scope(report)}, from their history)"]
        rows = [[safe(s.stage.name), str(s.reached), percent_text(s.conversion) if s.conversion is not None else ""]
                for s in section.funnel]  # fmt: skip
        lines.append(table(rows, ["STAGE", "REACHED", "FROM PREVIOUS"]))
    lines += ["", f"OUTCOMES ({closed_scope(report)})"]
    lines.append(f"won {o.won_count}, lost {o.lost_count}, win rate {percent_text(o.win_rate)}")
    lines.append(f"won amount            {money_text(o.won_totals, cur)}")
    lines.append(f"average won deal      {money_text(o.average_won, cur) if o.average_won else '—'}")
    lines.append(f"average sales cycle   {days_text(o.average_cycle_days)}")
    lines.append(f"sales velocity        {velocity_text(report)}")
    reasons = ", ".join(f"{safe(r)} ({n})" for r, n in o.lost_reasons) or "none"
    lines.append(f"lost reasons          {reasons}")
    for section in report.sections or (report,):
        ended = report.period.label if report.start else "any time"
        lines += ["", f"DAYS IN STAGE{_named(section)} (stays that ended {ended})"]
        rows = [[safe(t.stage.name), days_text(t.average_days), str(t.stays)] for t in section.stage_times]
        lines.append(table(rows, ["STAGE", "AVERAGE", "STAYS"]))
    lines += ["", "LOOK BACK (latest win retrospectives)"]
    if not report.lookback:
        lines.append("no retrospectives written for these wins yet")
    for b in report.lookback:
        lines.append(f"#{b.deal_id} {safe(b.title)} ({b.closed_at.date().isoformat()})")
        if b.went_well:
            lines.append(f"  went well: {safe(b.went_well)}")
        if b.nearly_lost:
            lines.append(f"  nearly lost it: {safe(b.nearly_lost)}")
    return "\n".join(lines)


def _named(section: Report) -> str:
    """A stage section's heading names its pipeline when the report covers several."""
    return f": {safe(section.pipeline_name).upper()}" if section.pipeline_name else ""
