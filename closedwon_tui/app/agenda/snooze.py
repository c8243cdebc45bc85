"""`z` in the agenda: put a follow-up off. `1`-`4` pick the quick choices of the follow-up form
(tomorrow, in 3 days, next week, in 2 weeks) at once, keeping a timed follow-up's time of day; `tab` goes to a field for any date as typed
(`friday`, `+10d`, `2026-12-01 14:30`), saved with enter. The form only asks: the board's session
writes the change."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from closedwon_tui.app.app import app_of
from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.app.panel.choices import ChoiceList
from closedwon_tui.app.panel.followup_form import QUICK_DUE, day_label
from closedwon_tui.app.panel.forms import ActivityForm
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import FollowUp
from closedwon_tui.domain.parsing import parse_datetime
from closedwon_tui.domain.rules import local_today


class SnoozeForm(ActivityForm[date | datetime | None]):
    """Dismisses with the new due day (a datetime when a time was typed), or None on escape."""

    CSS_PATH = str(Path(__file__).parent.parent / "panel" / "forms.tcss")
    TITLE_TEXT = "Snooze the follow-up"
    BINDINGS = [
        Binding("tab", "switch_field", "Date field", id="agenda.snooze.field", show=False,
                tooltip="Between the quick choices and a date typed in full"),
    ]  # fmt: skip

    def __init__(self, about: str, followup: FollowUp, *, error: str = "") -> None:
        super().__init__(about, error=error)
        self.followup = followup

    def compose(self) -> ComposeResult:
        today = self._today()
        with Vertical(classes="form"):
            yield from self.compose_header()
            due = day_label(self.followup.due.date()) + (
                f" {self.followup.due:%H:%M}" if self.followup.has_time else ""
            )
            yield Static(plain(f"Due {due}" + (f": {self.followup.note}" if self.followup.note else "")),
                         classes="form-label")  # fmt: skip
            yield Label("Put it off to (1-4)", classes="form-label")
            yield ChoiceList(
                *(
                    Option(plain(f"{n}  {label:<11} {day_label(today + timedelta(days=days))}"), id=str(days))
                    for n, (label, days) in enumerate(QUICK_DUE, 1)
                ),
                id="snooze-quick",
                compact=True,
            )
            yield Label("or a date (tab)", classes="form-label")
            yield LiteralInput(placeholder="friday, +10d, 2026-12-01 14:30", id="snooze-due", compact=True)
            yield Static("", id="snooze-error", classes="form-error -empty")
            yield Static("1-4 picks · tab: a date, then enter · escape cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#snooze-quick", ChoiceList))
        self.show_first_error("snooze-error")

    def _today(self) -> date:
        return local_today(app_of(self).service.now())

    def action_switch_field(self) -> None:
        quick = self.query_one("#snooze-quick", ChoiceList)
        self.set_focus(self.query_one("#snooze-due", Input) if self.focused is quick else quick)

    @on(OptionList.OptionSelected, "#snooze-quick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        """A quick choice: that day, at the follow-up's time of day when it has one."""
        event.stop()
        day = self._today() + timedelta(days=int(event.option_id or 1))
        self.dismiss(datetime.combine(day, self.followup.due.time()) if self.followup.has_time else day)

    @on(ChoiceList.TypedAhead, "#snooze-quick")
    def _typed_ahead(self, event: ChoiceList.TypedAhead) -> None:
        self.type_into("snooze-due", event.character)

    @on(Input.Submitted, "#snooze-due")
    def _typed(self) -> None:
        text = self.query_one("#snooze-due", LiteralInput).entered
        try:
            parsed = parse_datetime(text, self._today(), field="due")
        except ValidationError as exc:
            self.show_error("snooze-error", f"{exc}; nothing was changed.")
            return
        if parsed is None:
            self.show_error("snooze-error", "Type a date, or pick 1-4; nothing was changed.")
            return
        moment, timed = parsed
        self.dismiss(moment if timed else moment.date())
