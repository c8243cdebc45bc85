"""History events in words, and times as a rep says them ("3 days ago")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from closedwon_tui.domain.models import DealEvent, EventKind

_FIELD_NAMES = {
    "contact_name": "contact",
    "contact_email": "email",
    "close_date": "close date",
    "next_step": "next step",
    "budget_ok": "budget confirmed",
    "authority_ok": "authority confirmed",
    "need_ok": "need confirmed",
    "timing_ok": "timing confirmed",
    "budget_note": "budget note",
    "authority_note": "authority note",
    "need_note": "need note",
    "timing_note": "timing note",
}


def field_label(name: str) -> str:
    return _FIELD_NAMES.get(name, name.replace("_", " "))


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def describe_event(event: DealEvent, stage_names: dict[int, str]) -> str:
    """One line saying what happened, e.g. `moved Analysis → Proposal (12 days in Analysis)`."""
    d = event.details
    src = d.get("from_stage") or stage_names.get(event.from_stage_id or -1, "?")
    dst = d.get("to_stage") or stage_names.get(event.to_stage_id or -1, "?")
    stay = f" after {_days(d['days_in_stage'])} in {src}" if "days_in_stage" in d else ""
    match event.kind:
        case EventKind.CREATED:
            return f"created in {dst}"
        case EventKind.EDITED:
            changes = d.get("changes", {})
            parts = [f"{field_label(k)}: {_value(old)} → {_value(new)}" for k, (old, new) in changes.items()]
            return "edited " + "; ".join(parts) if parts else "edited"
        case EventKind.MOVED:
            return f"moved {src} → {dst}{stay}"
        case EventKind.REORDERED:
            return f"reordered within its column (position {d.get('from_position', 0) + 1} → {d.get('to_position', 0) + 1})"
        case EventKind.WON:
            return f"closed won (from {src}{stay.replace(' in ' + src, '')})"
        case EventKind.LOST:
            note = f" — {d['note']}" if d.get("note") else ""
            return f"closed lost: {d.get('reason', '?')}{note} (from {src})"
        case EventKind.REOPENED:
            previous = f", was {d['previous_outcome']}" if d.get("previous_outcome") else ""
            return f"reopened into {dst}{previous}"
        case EventKind.OBJECTION_ADDED:
            return f"objection ({d.get('objection_kind', '?')}): {d.get('text', '')}"
        case EventKind.OBJECTION_ANSWERED:
            return f"objection answered: {d.get('response', '')}"
        case EventKind.OBJECTION_ADDRESSED:
            response = f": {d['response']}" if d.get("response") else ""
            return f"objection addressed ({d.get('text', '')}){response}"
        case EventKind.FOLLOWUP_SCHEDULED:
            return f"follow-up scheduled for {str(d.get('due', ''))[:16].replace('T00:00', '').replace('T', ' ')}: {d.get('note', '')}".rstrip(": ")
        case EventKind.FOLLOWUP_DONE:
            return f"follow-up done: {d.get('note', '')}".rstrip(": ")
        case EventKind.NOTE_ADDED:
            return f"note: {d.get('text', '')}"
        case EventKind.LOOKBACK:
            parts = []
            if d.get("went_well"):
                parts.append(f"went well: {d['went_well']}")
            if d.get("nearly_lost"):
                parts.append(f"nearly lost it: {d['nearly_lost']}")
            return "look back — " + "; ".join(parts)
        case EventKind.UNDONE:
            return f"undid {str(d.get('undone_kind', 'a change')).replace('_', ' ')}" + (
                f" ({src} → {dst})" if event.to_stage_id else ""
            )
        case EventKind.REDONE:
            return f"redid {str(d.get('undone_kind', 'a change')).replace('_', ' ')}" + (
                f" ({src} → {dst})" if event.to_stage_id else ""
            )
    return event.kind.value.replace("_", " ")  # pragma: no cover


def relative_time(then: datetime, now: datetime) -> str:
    """`just now`, `5 minutes ago`, `3 days ago`, `in 2 days`."""
    seconds = int((now - then).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400 * 7, "week"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):  # fmt: skip
        if seconds >= size:
            n = seconds // size
            text = f"{n} {unit}{'s' if n != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "just now"  # pragma: no cover


def absolute_time(moment: datetime) -> str:
    """Local time, e.g. `2026-11-25 14:05`."""
    local = moment.astimezone() if moment.tzinfo else moment
    return local.strftime("%Y-%m-%d %H:%M")
