"""Follow-ups as an iCalendar (RFC 5545) file that a rep's phone calendar can import or subscribe to.

Each follow-up is a VEVENT (Google rejects VTODO, Outlook ignores it). Its UID is the same in
every export (`followup-<id>@<database id>`), SEQUENCE goes up each time the follow-up changes,
and a follow-up that is done (or was taken back) stays in the file as STATUS:CANCELLED, so a
subscribed calendar removes it instead of keeping a ghost. A follow-up with a time carries its
zone (TZID, with the VTIMEZONE it needs); one without is an all-day event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from closedwon_tui.domain.models import Deal, FollowUp, Stage
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.text import printable

#: How long a timed follow-up blocks in the calendar.
TIMED_LENGTH = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    followup: FollowUp
    deal: Deal
    stage: Stage
    #: How many times the follow-up changed since it was scheduled.
    sequence: int = 0
    #: Taken back (its scheduling undone): kept as cancelled so subscribers drop it.
    removed: bool = False


def uid(followup_id: int, database_id: str) -> str:
    return f"followup-{followup_id}@{database_id}"


def _start(followup: FollowUp, zone: ZoneInfo | None) -> date | datetime:
    """A date; or the rep's wall-clock time in their named zone, or failing a name, in UTC."""
    if not followup.has_time:
        return followup.due.date()
    if zone is not None:
        return followup.due.replace(tzinfo=zone)
    return followup.due.astimezone().astimezone(UTC)


def _summary(entry: CalendarEntry) -> str:
    note = " ".join(entry.followup.note.split())
    return printable(f"Follow up: {entry.deal.title}" + (f" — {note}" if note else ""))


def _description(entry: CalendarEntry) -> str:
    deal = entry.deal
    lines = []
    if deal.company:
        lines.append(f"Company: {deal.company}")
    lines.append(f"Stage: {entry.stage.name}")
    if deal.amount is not None:
        lines.append(f"Amount: {format_money(deal.amount, deal.currency)}")
    if deal.owner:
        lines.append(f"Owner: {deal.owner}")
    lines.append(f"Deal #{deal.id} in closedwon")
    if entry.followup.note:
        lines += ["", entry.followup.note]
    return printable("\n".join(lines), multiline=True)


def build_calendar(
    entries: Iterable[CalendarEntry], *, database_id: str, now: datetime, zone: ZoneInfo | None, product: str
) -> bytes:
    """The calendar file's bytes (CRLF lines, as RFC 5545 wants)."""
    from icalendar import Calendar, Event  # imported when a calendar is written: a faster start

    calendar = Calendar()
    calendar.add("prodid", f"-//closedwon//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "closedwon follow-ups")
    stamp = now.astimezone(UTC)
    for entry in entries:
        followup = entry.followup
        event = Event()
        event.add("uid", uid(followup.id, database_id))
        event.add("dtstamp", stamp)
        start = _start(followup, zone)
        event.add("dtstart", start)
        if isinstance(start, datetime):
            event.add("dtend", start + TIMED_LENGTH)
        else:
            event.add("dtend", start + timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # a day's reminder does not make the rep busy
        event.add("summary", _summary(entry))
        event.add("description", _description(entry))
        event.add("created", followup.created_at.astimezone(UTC))
        event.add("sequence", entry.sequence)
        cancelled = entry.removed or followup.is_done
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
