"""Turning domain objects into JSON and readable text for the command line."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from typing import Any

from closedwon_tui.domain.models import Deal, DealDetail, DealEvent, FollowUp, Objection, Stage
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.rules import days_in_stage, weighted_value
from closedwon_tui.domain.text import printable
from closedwon_tui.domain.timeline import describe_event
from closedwon_tui.services.snapshots import encode


def deal_json(deal: Deal, stage: Stage, now: datetime) -> dict[str, Any]:
    data = {key: encode(value) for key, value in asdict(deal).items()}
    data["stage"] = stage.name
    data["stage_kind"] = stage.kind.value
    weighted = weighted_value(deal, stage)
    data["weighted_amount"] = None if weighted is None else str(weighted)
    data["days_in_stage"] = days_in_stage(deal, now)
    return data


def event_json(event: DealEvent, stage_names: dict[int, str]) -> dict[str, Any]:
    data = {key: encode(value) for key, value in asdict(event).items()}
    data["from_stage"] = stage_names.get(event.from_stage_id) if event.from_stage_id else None
    data["to_stage"] = stage_names.get(event.to_stage_id) if event.to_stage_id else None
    data["summary"] = describe_event(event, stage_names)
    return data


def item_json(item: Objection | FollowUp) -> dict[str, Any]:
    return {key: encode(value) for key, value in asdict(item).items()}


def detail_json(detail: DealDetail, stages: list[Stage], now: datetime) -> dict[str, Any]:
    names = {s.id: s.name for s in stages}
    data = deal_json(detail.deal, detail.stage, now)
    data["history"] = [event_json(e, names) for e in detail.history]
    data["objections"] = [item_json(o) for o in detail.objections]
    data["followups"] = [item_json(f) for f in detail.followups]
    data["notes"] = [item_json(n) for n in detail.notes]  # type: ignore[arg-type]
    return data


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def money(deal: Deal) -> str:
    return format_money(deal.amount, deal.currency)


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain aligned table; the text is printed literally."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def safe(text: str) -> str:
    """Control characters shown as escapes, so a pasted title cannot drive the terminal."""
    return printable(text)
