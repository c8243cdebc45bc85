"""The activity forms for one deal (objection, answer, follow-up, note), and where what the rep
enters goes: the board's session, which saves it, or opens the form again with what was typed
and why when the save is refused. The board's keys and the panel's use the same object."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from textual.app import App

from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.models import Change, FollowUp, Objection

if TYPE_CHECKING:  # the forms are imported when first opened: the board opens faster without them
    from closedwon_tui.app.panel.answer import AnswerEntry
    from closedwon_tui.app.panel.followup_form import FollowUpEntry
    from closedwon_tui.app.panel.forms import ObjectionEntry


def deal_line(title: str, company: str = "") -> str:
    """What a form says it is about: `Helios rollout · Helios Energy`."""
    return " · ".join(p for p in (title, company) if p)


class ActivityForms:
    def __init__(self, app: App[Any], session: BoardSession) -> None:
        self.app = app
        self.session = session

    def objection(self, deal_id: int, about: str, entry: ObjectionEntry | None = None, error: str = "") -> None:
        from closedwon_tui.app.panel.forms import ObjectionForm

        def entered(entry: ObjectionEntry | None) -> None:
            if entry is not None:
                self.session.add_objection(deal_id, entry.kind, entry.text,
                                           failed=lambda why: self.objection(deal_id, about, entry, str(why)))  # fmt: skip

        self.app.push_screen(ObjectionForm(about, entry=entry, error=error), entered)

    def answer(self, objection: Objection, about: str, entry: AnswerEntry | None = None, error: str = "") -> None:
        from closedwon_tui.app.panel.answer import AnswerForm

        def entered(entry: AnswerEntry | None) -> None:
            if entry is not None:
                self.session.answer_objection(objection, entry.response, entry.addressed,
                                              failed=lambda why: self.answer(objection, about, entry, str(why)))  # fmt: skip

        self.app.push_screen(AnswerForm(objection, about, entry=entry, error=error), entered)

    def address(self, objection: Objection) -> None:
        self.session.address_objection(
            objection, then=lambda _change: notify_literal(self.app, f"Objection addressed ({objection.kind.value}).")
        )

    def followup(
        self,
        deal_id: int,
        about: str,
        entry: FollowUpEntry | None = None,
        error: str = "",
        *,
        heading: str | None = None,
        then: Callable[[Change[Any]], None] | None = None,
    ) -> None:
        from closedwon_tui.app.panel.followup_form import FollowUpForm

        def entered(entry: FollowUpEntry | None) -> None:
            if entry is not None:
                self.session.schedule_followup(deal_id, entry.due, entry.note, then=then,
                                               failed=lambda why: self.followup(deal_id, about, entry, str(why)))  # fmt: skip

        self.app.push_screen(FollowUpForm(about, heading=heading, entry=entry, error=error), entered)

    def followups(
        self, deal_ids: list[int], entry: FollowUpEntry | None = None, error: str = "", *,
        then: Callable[[Change[Any]], None] | None = None,
    ) -> None:  # fmt: skip
        """`f` with cards marked: one follow-up (the same day and note) on each."""
        from closedwon_tui.app.panel.followup_form import FollowUpForm

        def entered(entry: FollowUpEntry | None) -> None:
            if entry is not None:
                self.session.schedule_many(deal_ids, entry.due, entry.note, then=then,
                                           failed=lambda why: self.followups(deal_ids, entry, str(why), then=then))  # fmt: skip

        about = f"{len(deal_ids)} marked deals: one follow-up on each"
        self.app.push_screen(FollowUpForm(about, entry=entry, error=error), entered)

    def complete(self, followup: FollowUp, about: str, *, then: Callable[[Change[Any]], None] | None = None) -> None:
        """Mark it done, then offer the next one (escape skips)."""

        def offer_next(change: Change[Any]) -> None:
            if then is not None:
                then(change)
            done = f"Done: {followup.note}" if followup.note else "Follow-up done"
            self.followup(followup.deal_id, about, heading=f"{done}. Schedule the next one? (escape skips)",
                          then=then)  # fmt: skip

        self.session.complete_followup(followup, then=offer_next)

    def snooze(self, followup: FollowUp, about: str, *, then: Callable[[Change[Any]], None] | None = None) -> None:
        """Put it off (`z` in the agenda): a quick choice (1-4) or a date."""
        from closedwon_tui.app.agenda.snooze import SnoozeForm

        def entered(due: date | datetime | None) -> None:
            if due is not None:
                self.session.snooze_followup(followup, due, then=then)

        self.app.push_screen(SnoozeForm(about, followup), entered)

    def note(self, deal_id: int, about: str, text: str = "", error: str = "") -> None:
        from closedwon_tui.app.panel.forms import NoteForm

        def entered(text: str | None) -> None:
            if text is not None:
                self.session.add_note(deal_id, text, failed=lambda why: self.note(deal_id, about, text, str(why)))

        self.app.push_screen(NoteForm(about, text=text, error=error), entered)
