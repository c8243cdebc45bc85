"""History events in words, times as a rep says them ("3 days ago"), the stages a deal went through,
and follow-ups grouped by when they are due."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from closedwon_tui.domain.models import DealEvent, EventKind, FollowUp
from closedwon_tui.domain.replay import stage_path, stays
from closedwon_tui.domain.rules import Due, DueBuckets, local_today

T = TypeVar("T")

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

_KIND_NAMES = {
    EventKind.CREATED: "creation",
    EventKind.EDITED: "edit",
    EventKind.MOVED: "move",
    EventKind.REORDERED: "reorder",
    EventKind.WON: "win",
    EventKind.LOST: "loss",
    EventKind.REOPENED: "reopening",
    EventKind.OBJECTION_ADDED: "new objection",
    EventKind.OBJECTION_ANSWERED: "objection answer",
    EventKind.OBJECTION_ADDRESSED: "objection addressed",
    EventKind.FOLLOWUP_SCHEDULED: "follow-up scheduled",
    EventKind.FOLLOWUP_DONE: "follow-up done",
    EventKind.FOLLOWUP_SNOOZED: "follow-up snoozed",
    EventKind.NOTE_ADDED: "note",
    EventKind.LOOKBACK: "look back",
    EventKind.UNDONE: "undo",
    EventKind.REDONE: "redo",
    EventKind.IMPORTED: "import",
}


def field_label(name: str) -> str:
    return _FIELD_NAMES.get(name, name.replace("_", " "))


def _value(value: Any, name: str = "") -> str:
    if name == "amount" and value not in (None, ""):
        try:
            return f"{Decimal(str(value)):,}"
        except InvalidOperation:
            return str(value)
    if value is None or value == "":
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def duration_text(seconds: float) -> str:
    """A stay as a rep says it: `40 minutes`, `5 hours`, `1 day`, `12 days`."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return "under a minute"
    if seconds < 3600:
        minutes = seconds // 60
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    if seconds < 86400:
        hours = seconds // 3600
        return "1 hour" if hours == 1 else f"{hours} hours"
    return _days(seconds // 86400)


def _stay(details: Mapping[str, Any], stage: str) -> str:
    """` after 12 days in Analysis`, from what a stage change recorded."""
    if "seconds_in_stage" in details:
        return f" after {duration_text(details['seconds_in_stage'])} in {stage}"
    if "days_in_stage" in details:
        return f" after {_days(details['days_in_stage'])} in {stage}"
    return ""


def _due_text(value: Any) -> str:
    return str(value or "")[:16].replace("T00:00", "").replace("T", " ")


def describe_event(
    event: DealEvent, stage_names: Mapping[int, str], events_by_id: Mapping[int, DealEvent] | None = None
) -> str:
    """One line saying what happened, e.g. `moved Analysis → Proposal after 12 days in Analysis`.

    With `events_by_id` (the deal's history by id), an undo or redo also says what it took back.
    """
    d = event.details
    src = d.get("from_stage") or stage_names.get(event.from_stage_id or -1, "?")
    dst = d.get("to_stage") or stage_names.get(event.to_stage_id or -1, "?")
    match event.kind:
        case EventKind.CREATED:
            return f"created in {dst}"
        case EventKind.EDITED:
            changes = d.get("changes", {})
            parts = [f"{field_label(k)}: {_value(old, k)} → {_value(new, k)}" for k, (old, new) in changes.items()]
            return "edited " + "; ".join(parts) if parts else "edited"
        case EventKind.MOVED:
            return f"moved {src} → {dst}{_stay(d, src)}"
        case EventKind.REORDERED:
            return f"reordered within its column (position {d.get('from_position', 0) + 1} → {d.get('to_position', 0) + 1})"
        case EventKind.WON:
            return f"closed won, from {src}{_stay(d, src)}"
        case EventKind.LOST:
            note = f" — {d['note']}" if d.get("note") else ""
            return f"closed lost: {d.get('reason', '?')}{note} (from {src}{_stay(d, src)})"
        case EventKind.REOPENED:
            previous = f", was {d['previous_outcome']}" if d.get("previous_outcome") else ""
            return f"reopened into {dst}{previous}{_stay(d, src)}"
        case EventKind.OBJECTION_ADDED:
            return f"objection ({d.get('objection_kind', '?')}): {d.get('text', '')}"
        case EventKind.OBJECTION_ANSWERED:
            return f"objection answered ({d.get('text', '')}): {d.get('response', '')}"
        case EventKind.OBJECTION_ADDRESSED:
            response = f": {d['response']}" if d.get("response") else ""
            return f"objection addressed ({d.get('text', '')}){response}"
        case EventKind.FOLLOWUP_SCHEDULED:
            return f"follow-up scheduled for {_due_text(d.get('due'))}: {d.get('note', '')}".rstrip(": ")
        case EventKind.FOLLOWUP_DONE:
            due = f" (due {_due_text(d['due'])})" if d.get("due") else ""
            settled = " as the deal closed" if d.get("settled") else ""
            return f"follow-up done{due}{settled}: {d.get('note', '')}".rstrip(": ")
        case EventKind.FOLLOWUP_SNOOZED:
            dates = f"{_due_text(d.get('from_due'))} → {_due_text(d.get('due'))}"
            return f"follow-up snoozed {dates}: {d.get('note', '')}".rstrip(": ")
        case EventKind.NOTE_ADDED:
            return f"note: {d.get('text', '')}"
        case EventKind.LOOKBACK:
            parts = []
            if d.get("went_well"):
                parts.append(f"went well: {d['went_well']}")
            if d.get("nearly_lost"):
                parts.append(f"nearly lost it: {d['nearly_lost']}")
            return "look back — " + "; ".join(parts)
        case EventKind.UNDONE | EventKind.REDONE:
            return _describe_flip(event, stage_names, events_by_id, src, dst)
        case EventKind.IMPORTED:
            return _describe_import(d, src, dst)
    return event.kind.value.replace("_", " ")  # pragma: no cover


def _describe_import(d: Mapping[str, Any], src: str, dst: str) -> str:
    """`imported from Pipedrive (deals.csv, row 7) into Proposal`, or what a later import changed."""
    origin = f"{d.get('source_label') or d.get('source', '?')} ({d.get('file', '?')}, row {d.get('row', '?')})"
    if d.get("action") != "updated":
        stage = f" into {dst}" if dst != "?" else ""
        return f"imported from {origin}{stage}"
    parts = [f"{field_label(k)}: {_value(old, k)} → {_value(new, k)}" for k, (old, new) in d.get("changes", {}).items()]
    if d.get("to_stage") and d.get("from_stage"):
        parts.insert(0, f"{src} → {dst}")
    return f"updated by an import from {origin}" + (": " + "; ".join(parts) if parts else "")


def _describe_flip(
    event: DealEvent,
    stage_names: Mapping[int, str],
    events_by_id: Mapping[int, DealEvent] | None,
    src: str,
    dst: str,
) -> str:
    d = event.details
    verb = "undid" if event.kind is EventKind.UNDONE else "redid"
    # An undo names the event it took back; a redo names that same original event.
    original_id = d.get("undoes") if event.kind is EventKind.UNDONE else d.get("redoes")
    original = events_by_id.get(original_id) if events_by_id and original_id is not None else None
    if original is not None:
        return f"{verb}: {describe_event(original, stage_names)}"
    try:
        kind_name = _KIND_NAMES[EventKind(d.get("undone_kind"))]
    except ValueError:
        kind_name = "a change"
    return f"{verb} {kind_name}" + (f" ({src} → {dst})" if event.to_stage_id else "")


def relative_time(then: datetime, now: datetime) -> str:
    """`just now`, `5 minutes ago`, `3 days ago`, `5 weeks ago`, `in 2 days`: days up to two weeks,
    weeks up to about two months, then months and years."""
    seconds = int((now - then).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now"
    day = 86400
    if seconds >= 365 * day:
        n, unit = seconds // (365 * day), "year"
    elif seconds >= 60 * day:
        n, unit = seconds // (30 * day), "month"
    elif seconds >= 14 * day:
        n, unit = seconds // (7 * day), "week"
    elif seconds >= day:
        n, unit = seconds // day, "day"
    elif seconds >= 3600:
        n, unit = seconds // 3600, "hour"
    else:
        n, unit = seconds // 60, "minute"
    text = f"{n} {unit}{'s' if n != 1 else ''}"
    return f"in {text}" if future else f"{text} ago"


def absolute_time(moment: datetime) -> str:
    """Local time, e.g. `2026-11-25 14:05`."""
    local = moment.astimezone() if moment.tzinfo else moment
    return local.strftime("%Y-%m-%d %H:%M")


# stages over time ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageStay:
    """One uninterrupted stretch of a deal in one stage."""

    stage_id: int
    stage_name: str
    start: datetime
    end: datetime
    current: bool = False

    @property
    def seconds(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds())


def stage_stays(history: Iterable[DealEvent], stage_names: Mapping[int, str], now: datetime) -> list[StageStay]:
    """The stages a deal went through, oldest first, from its history (by the one replay rule,
    `replay.stage_path`: an undone change never happened); the last one lasts until `now` (for a
    won or lost deal the stay in the closed stage is its own stretch)."""
    out = []
    for stay in stays(stage_path(history)):
        name = stage_names.get(stay.stage_id, "?")
        if stay.left is None:
            out.append(StageStay(stay.stage_id, name, stay.entered, max(now, stay.entered), True))
        else:
            out.append(StageStay(stay.stage_id, name, stay.entered, stay.left))
    return out


def time_per_stage(stays: Iterable[StageStay]) -> list[tuple[int, str, float]]:
    """Seconds spent in each stage, summed over every visit, in the order first visited."""
    totals: dict[int, tuple[str, float]] = {}
    for stay in stays:
        name, seconds = totals.get(stay.stage_id, (stay.stage_name, 0.0))
        totals[stay.stage_id] = (name, seconds + stay.seconds)
    return [(stage_id, name, seconds) for stage_id, (name, seconds) in totals.items()]


# follow-ups by when they are due ----------------------------------------------


def group_by_due(items: Iterable[T], followup_of: Callable[[T], FollowUp], now: datetime) -> dict[Due, list[T]]:
    """Overdue, today, this week, later (every bucket present, in that order), each soonest first."""
    groups: dict[Due, list[T]] = {bucket: [] for bucket in Due}
    buckets = DueBuckets(now)
    for item in sorted(items, key=lambda i: (followup_of(i).due, followup_of(i).id)):
        followup = followup_of(item)
        groups[buckets.of(followup.due, has_time=followup.has_time)].append(item)
    return groups


def due_words(followup: FollowUp, now: datetime, *, year: bool = False) -> str:
    """`Mon 23 Nov (2 days ago)`, `Wed 25 Nov 14:30 (today)`, `Thu 26 Nov (tomorrow)`."""
    due = followup.due
    days = (due.date() - local_today(now)).days
    when = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(
        days, f"in {days} days" if days > 0 else f"{-days} days ago"
    )
    clock = f" {due:%H:%M}" if followup.has_time else ""
    day = f"{due:%a %Y-%m-%d}" if year else f"{due:%a} {due.day} {due:%b}"
    return f"{day}{clock} ({when})"
