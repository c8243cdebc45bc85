"""How the panel draws objections, follow-ups, notes and the history, as literal text (never markup)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from textual.content import Content
from textual.widgets.option_list import Option

from closedwon_tui.app.literal import plain
from closedwon_tui.domain.models import DealEvent, EventKind, FollowUp, Note, Objection, ObjectionStatus
from closedwon_tui.domain.rules import Due, due_bucket, is_overdue, local_today
from closedwon_tui.domain.timeline import absolute_time, describe_event, relative_time

#: The colour of an event's bullet in the history.
EVENT_STYLES = {
    EventKind.CREATED: "$text-primary",
    EventKind.MOVED: "$text-primary",
    EventKind.WON: "$text-success",
    EventKind.LOST: "$text-error",
    EventKind.REOPENED: "$text-warning",
    EventKind.OBJECTION_ADDED: "$text-warning",
    EventKind.OBJECTION_ADDRESSED: "$text-success",
    EventKind.FOLLOWUP_DONE: "$text-success",
    EventKind.UNDONE: "$text-accent",
    EventKind.REDONE: "$text-accent",
}


def sorted_objections(objections: Iterable[Objection]) -> list[Objection]:
    """Open ones first, then the addressed; each group oldest first."""
    return sorted(objections, key=lambda o: (o.status is not ObjectionStatus.OPEN, o.created_at, o.id))


def objection_option(objection: Objection) -> Option:
    if objection.status is ObjectionStatus.OPEN:
        status = Content.styled("● open", "bold $text-warning")
    else:
        status = Content.styled("✓ addressed", "$text-success")
    head = Content.assemble(status, "  ", plain(objection.kind.value, "bold"))
    response = (
        Content.assemble(("↳ ", "$text-muted"), plain(objection.response))
        if objection.response
        else Content.styled("no response yet", "italic $text-muted")
    )
    return Option(Content("\n").join([head, plain(objection.text), response]), id=str(objection.id))


def sorted_followups(followups: Iterable[FollowUp]) -> list[FollowUp]:
    """Pending ones first by due date, then the done ones, most recently done first."""
    pending = sorted((f for f in followups if not f.is_done), key=lambda f: (f.due, f.id))
    done = sorted((f for f in followups if f.is_done), key=lambda f: (f.done_at, f.id), reverse=True)
    return pending + done


def due_text(followup: FollowUp) -> str:
    when = followup.due
    return f"{when:%a} {when.day} {when:%b %Y}" + (f" {when:%H:%M}" if followup.has_time else "")


def followup_option(followup: FollowUp, now: datetime) -> Option:
    note = plain(followup.note) if followup.note else Content.styled("(no note)", "italic $text-muted")
    if followup.is_done:
        assert followup.done_at is not None
        head = plain(f"✓ done {relative_time(followup.done_at, now)} · was due {due_text(followup)}", "$text-muted")
        return Option(Content("\n").join([head, note.stylize("$text-muted strike")]), id=str(followup.id),
                      disabled=True)  # fmt: skip
    if is_overdue(followup, now):
        days = (local_today(now) - followup.due.date()).days
        late = "overdue" if days <= 0 else f"overdue {days} day{'s' if days != 1 else ''}"
        head = Content.assemble(("! ", "bold $text-error"), plain(due_text(followup), "bold $text-error"),
                                plain(f" · {late}", "$text-error"))  # fmt: skip
    elif due_bucket(followup.due, now, has_time=followup.has_time) is Due.TODAY:
        head = Content.assemble(("● ", "$text-warning"), plain(due_text(followup), "bold $text-warning"),
                                (" · today", "$text-warning"))  # fmt: skip
    else:
        head = Content.assemble(("○ ", "$text-muted"), plain(due_text(followup), "bold"),
                                plain(f" · {relative_day(followup, now)}", "$text-muted"))  # fmt: skip
    return Option(Content("\n").join([head, note]), id=str(followup.id))


def relative_day(followup: FollowUp, now: datetime) -> str:
    days = (followup.due.date() - local_today(now)).days
    return "tomorrow" if days == 1 else f"in {days} days"


def note_entries(notes: Sequence[Note], now: datetime) -> list[tuple[Content, Content]]:
    """Newest first: when it was written, then the text as typed."""
    return [
        (plain(f"{relative_time(note.created_at, now)} · {absolute_time(note.created_at)}", "$text-muted"),
         plain(note.text, multiline=True))
        for note in sorted(notes, key=lambda n: (n.created_at, n.id), reverse=True)
    ]  # fmt: skip


NO_NOTES = Content.styled("No notes yet. Press N to add one.", "$text-muted")
NO_HISTORY = Content.styled("No history.", "$text-muted")


def history_entries(
    history: Sequence[DealEvent], now: datetime, stage_names: dict[int, str]
) -> list[tuple[Content, Content]]:
    """Every event, newest first: when (relative and absolute) and who, then what happened."""
    by_id = {event.id: event for event in history}
    entries = []
    for event in sorted(history, key=lambda e: (e.at, e.id), reverse=True):
        who = f" · {event.actor}" if event.actor else ""
        heading = Content.assemble(
            ("● ", EVENT_STYLES.get(event.kind, "$text-muted")),
            plain(f"{relative_time(event.at, now)} · {absolute_time(event.at)}{who}", "$text-muted"),
        )
        entries.append((heading, plain(describe_event(event, stage_names, by_id), multiline=True)))
    return entries
