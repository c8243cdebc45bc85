"""closedwon's own export: every field of every deal, as CSV (which `closedwon import` reads back to
the same deals), JSON, or a Markdown table per stage for notes and chats.

Values are exact: amounts are decimal strings in their currency's minor units, times ISO 8601 in
UTC with their microseconds, yes/no as true/false.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from closedwon_tui.domain.models import Deal, Stage
from closedwon_tui.domain.money import format_money, format_totals, sum_by_currency
from closedwon_tui.domain.text import printable
from closedwon_tui.transfer.headers import CLOSEDWON_COLUMNS

FORMATS = ("csv", "json", "markdown")


@dataclass(frozen=True, slots=True)
class ExportedDeal:
    deal: Deal
    stage: Stage
    origin_source: str | None
    origin_id: str | None
    #: The name of the pipeline the deal is in (a re-import puts it back there).
    pipeline: str = ""


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def deal_values(item: ExportedDeal, database_id: str) -> dict[str, Any]:
    """One deal under closedwon's export column names, as JSON values (amount a decimal string)."""
    deal = item.deal
    values: dict[str, Any] = {}
    for name in CLOSEDWON_COLUMNS:
        if name == "stage":
            values[name] = item.stage.name
        elif name == "pipeline":
            values[name] = item.pipeline
        elif name == "origin_source":
            values[name] = item.origin_source
        elif name == "origin_id":
            values[name] = item.origin_id
        elif name == "database_id":
            values[name] = database_id
        else:
            values[name] = _value(getattr(deal, name))
    return values


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def to_csv(items: Iterable[ExportedDeal], database_id: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CLOSEDWON_COLUMNS)
    for item in items:
        values = deal_values(item, database_id)
        writer.writerow([_cell(values[name]) for name in CLOSEDWON_COLUMNS])
    return out.getvalue()


def to_json(items: Iterable[ExportedDeal], database_id: str) -> list[dict[str, Any]]:
    return [deal_values(item, database_id) for item in items]


def _md(text: str) -> str:
    """A Markdown table cell: shown literally (controls escaped, pipes and markup characters guarded)."""
    cell = printable(text)
    for ch in "\\|*_`[]<>#":
        cell = cell.replace(ch, "\\" + ch)
    return cell


def to_markdown(
    items: Iterable[ExportedDeal],
    stages: Sequence[Stage],
    *,
    title: str = "Pipeline",
    pipelines: Mapping[int, str] | None = None,
) -> str:
    """A table per stage, in pipeline order: title, company, amount, probability, close date, owner.
    With `pipelines` (id -> name, when there are several), each stage's heading names its pipeline."""
    by_stage: dict[int, list[Deal]] = {s.id: [] for s in stages}
    for item in items:
        by_stage.setdefault(item.stage.id, []).append(item.deal)
    lines = [f"# {_md(title)}", ""]
    for stage in stages:
        deals = by_stage.get(stage.id, [])
        totals = format_totals(sum_by_currency((d.amount, d.currency) for d in deals), empty="no amounts")
        count = f"{len(deals)} deal{'s' if len(deals) != 1 else ''}"
        named = f"{pipelines[stage.pipeline_id]}: {stage.name}" if pipelines else stage.name
        lines += [f"## {_md(named)} ({count}, {_md(totals)})", ""]
        if not deals:
            lines += ["No deals.", ""]
            continue
        lines += [
            "| Deal | Company | Amount | Probability | Close date | Owner |",
            "| --- | --- | ---: | ---: | --- | --- |",
        ]
        for deal in deals:
            probability = f"{deal.probability}%" if deal.probability is not None else ""
            close = deal.close_date.isoformat() if deal.close_date else ""
            amount = format_money(deal.amount, deal.currency) if deal.amount is not None else ""
            lines.append(
                f"| {_md(deal.title)} | {_md(deal.company)} | {_md(amount)} | {probability} | {close} | {_md(deal.owner)} |"
            )
        lines.append("")
    return "\n".join(lines)
