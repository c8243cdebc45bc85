"""`closedwon agenda`: the follow-ups across all deals, overdue first, as the app's agenda shows them."""

from __future__ import annotations

import argparse
from typing import Any

from closedwon_tui.cli.context import Context
from closedwon_tui.cli.output import echo, print_json, safe
from closedwon_tui.domain.rules import Due
from closedwon_tui.domain.timeline import due_words, group_by_due
from closedwon_tui.services.queries import AgendaItem


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    agenda = commands.add_parser("agenda", help="follow-ups across all deals: overdue, today, this week, later")
    agenda.add_argument("--owner", help="only this owner's deals")
    agenda.add_argument("--json", action="store_true", help="one JSON object per follow-up, with its bucket")
    agenda.set_defaults(handler=_agenda)


def item_json(item: AgendaItem, bucket: Due) -> dict[str, Any]:
    followup, deal = item.followup, item.deal
    return {
        "bucket": bucket.value,
        "followup_id": followup.id,
        "due": followup.due.isoformat() if followup.has_time else followup.due.date().isoformat(),
        "has_time": followup.has_time,
        "note": followup.note,
        "deal_id": deal.id,
        "title": deal.title,
        "company": deal.company,
        "stage": item.stage.name,
        "pipeline": item.pipeline.name if item.pipeline is not None else None,
        "owner": deal.owner,
    }


def _stage_text(item: AgendaItem, name_pipelines: bool) -> str:
    """The deal's stage; with several pipelines, under its pipeline ("Renewals › Due"), as the board's agenda."""
    if name_pipelines and item.pipeline is not None:
        return f"{item.pipeline.name} › {item.stage.name}"
    return item.stage.name


def _agenda(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    now = service.now()
    groups = list(group_by_due(service.agenda(owner=args.owner), lambda i: i.followup, now).items())
    if args.json:
        print_json([item_json(item, bucket) for bucket, items in groups for item in items])
        return 0
    if not any(items for _bucket, items in groups):
        echo("no follow-ups pending")
        return 0
    name_pipelines = len(service.pipelines()) > 1
    lines: list[str] = []
    for bucket, items in groups:
        if not items:
            continue
        if lines:
            lines.append("")
        lines.append(f"{bucket.value.capitalize()} ({len(items)})")
        for item in items:
            deal = item.deal
            facts = " · ".join(safe(p) for p in (deal.company, _stage_text(item, name_pipelines), deal.owner) if p)
            lines.append(f"  {due_words(item.followup, now, year=True)}  #{deal.id} {safe(deal.title)}")
            lines.append(f"      {facts}" + (f" — {safe(item.followup.note)}" if item.followup.note else ""))
    echo("\n".join(lines))
    return 0
