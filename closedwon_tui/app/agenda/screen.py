"""The agenda: every pending follow-up across the pipeline, grouped overdue, today, this week, later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from closedwon_tui.app.agenda.agenda_list import AgendaList
from closedwon_tui.app.app import app_of
from closedwon_tui.app.commands import ListedCommands
from closedwon_tui.app.literal import notify_literal, plain
from closedwon_tui.domain.models import Change
from closedwon_tui.domain.rules import Due
from closedwon_tui.domain.timeline import group_by_due
from closedwon_tui.services.queries import AgendaItem

if TYPE_CHECKING:
    from closedwon_tui.app.activity import ActivityForms

#: Follow-ups read before the agenda's first frame: several screenfuls (a follow-up takes three lines).
FIRST_READ = 200


class AgendaCommands(ListedCommands):
    """The agenda's keys in the command palette."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, AgendaScreen):
            return []
        return [
            ("Agenda: go to the deal", screen.action_jump, "enter · the highlighted follow-up's deal, panel open"),
            ("Agenda: mark the follow-up done", screen.action_done, "space · then schedule the next one"),
            ("Agenda: snooze the follow-up", screen.action_snooze, "z · tomorrow, in 3 days, next week, in 2 weeks"),
            ("Agenda: back to the board", screen.action_close, "escape"),
        ]


class AgendaScreen(Screen[int | None]):
    """`enter` dismisses with the deal of the highlighted follow-up; escape with None. `space` and `z`
    change the highlighted follow-up through the board's session (`forms`); the agenda stays open
    and is read again when the change has landed."""

    CSS_PATH = "agenda.tcss"
    COMMANDS = {AgendaCommands}
    BINDINGS = [
        Binding("space", "done", "Done", id="agenda.done",
                tooltip="Mark the highlighted follow-up done, then schedule the next one"),
        Binding("z", "snooze", "Snooze", id="agenda.snooze",
                tooltip="Put the highlighted follow-up off: 1-4 quick choices, or a date"),
        Binding("escape,a", "close", "Back to board", id="agenda.close", tooltip="Close the agenda"),
    ]  # fmt: skip

    def __init__(self, forms: ActivityForms | None = None) -> None:
        super().__init__()
        #: The board's activity forms (its session writes what they collect); None: the agenda only reads.
        self.forms = forms
        #: Where the highlight goes back to once every follow-up is read (see `reload`).
        self._was: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="agenda-title")
        yield AgendaList(id="agenda-list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Agenda"
        self.reload()
        self.query_one(AgendaList).focus()

    def reload(self, *, in_place: bool = False) -> None:
        """Read the agenda again (`in_place`: after a change, the highlight stays where it was, on the
        follow-up now there).

        The soonest `FIRST_READ` follow-ups are read and shown at once; when there are more (a team's
        agenda: tens of thousands), every one is read in a worker and shown in their place, the
        highlight where the rep has it by then. Meanwhile the title says so, and the keys work on
        the follow-ups shown."""
        service = app_of(self).service
        now = service.now()
        agenda = self.query_one(AgendaList)
        was = agenda.highlighted if in_place else None
        items = service.agenda(first=FIRST_READ)
        complete = len(items) < FIRST_READ
        self._show(items, now, in_place=in_place, was=was, complete=complete)
        if complete:
            self.workers.cancel_group(self, "agenda")  # a read of every follow-up still under way is stale
            return
        # Where the highlight was, if the soonest follow-ups do not reach it: it goes back there.
        self._was = was if was is not None and was >= agenda.row_count else None
        self._read_every_followup(now)

    @work(thread=True, exclusive=True, group="agenda", exit_on_error=False)
    def _read_every_followup(self, now: datetime) -> None:
        items = app_of(self).service.agenda()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._every_followup_read, items, now)

    def _every_followup_read(self, items: list[AgendaItem], now: datetime) -> None:
        if not self.is_attached:  # closed meanwhile
            return
        agenda = self.query_one(AgendaList)
        was, self._was = self._was, None
        kept = agenda.highlighted_item if was is None else None  # the follow-up the rep has highlighted now
        self._show(items, now, in_place=True, was=was, complete=True)
        if kept is not None:
            agenda.highlight_followup(kept.followup.id)

    @on(Worker.StateChanged)
    def _read_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "agenda" and event.state is WorkerState.ERROR:
            event.stop()
            message = plain(str(event.worker.error) or type(event.worker.error).__name__)
            self.query_one("#agenda-title", Static).update(
                Content.assemble(("Agenda", "bold"), ("  cannot read every follow-up: ", "$text-error"), message)
            )

    def _show(self, items: list[AgendaItem], now: datetime, *, in_place: bool, was: int | None, complete: bool) -> None:
        service = app_of(self).service
        groups = group_by_due(items, lambda item: item.followup, now)
        self.query_one(AgendaList).show(groups, now, in_place=in_place, was=was, complete=complete,
                                        name_pipelines=len(service.pipelines()) > 1)  # fmt: skip
        if not complete:
            shown = sum(len(items) for items in groups.values())
            self.query_one("#agenda-title", Static).update(
                Content.assemble(
                    ("Agenda", "bold"),
                    plain(f"  reading every pending follow-up… (the soonest {shown} shown)", "$text-muted"),
                )  # fmt: skip
            )
            return
        total = sum(len(items) for items in groups.values())
        overdue, today = len(groups[Due.OVERDUE]), len(groups[Due.TODAY])
        title = Content.assemble(
            ("Agenda", "bold"),
            plain(f"  {total} follow-up{'s' if total != 1 else ''} pending · ", "$text-muted"),
            plain(f"{overdue} overdue", "$text-error" if overdue else "$text-muted"),
            (" · ", "$text-muted"),
            plain(f"{today} today", "$text-warning" if today else "$text-muted"),
        )
        self.query_one("#agenda-title", Static).update(
            title
            if total
            else title + Content.styled("\nNothing to follow up. Press escape for the board.", "$text-muted")
        )

    @property
    def highlighted(self) -> AgendaItem | None:
        """The follow-up the rep has highlighted (the one `enter`, and later keys, act on)."""
        return self.query_one(AgendaList).highlighted_item

    def selected_deal_id(self) -> int | None:
        item = self.highlighted
        return None if item is None else item.deal.id

    @on(AgendaList.Selected)
    def _selected(self, event: AgendaList.Selected) -> None:
        event.stop()
        self.dismiss(event.item.deal.id)

    def action_jump(self) -> None:
        deal_id = self.selected_deal_id()
        if deal_id is not None:
            self.dismiss(deal_id)

    def action_close(self) -> None:
        self.dismiss(None)

    def _acting(self) -> tuple[ActivityForms, AgendaItem] | None:
        item = self.highlighted
        if item is None:
            return None
        if self.forms is None:
            notify_literal(self, "Open the agenda from the board (a) to change follow-ups", timeout=3)
            return None
        return self.forms, item

    def _landed(self, _change: Change[Any]) -> None:
        if self.is_attached:
            self.reload(in_place=True)

    def action_done(self) -> None:
        """`space`: done, and the form for the next one (as in the panel); the agenda is read again."""
        if (acting := self._acting()) is None:
            return
        from closedwon_tui.app.activity import deal_line

        forms, item = acting
        forms.complete(item.followup, deal_line(item.deal.title, item.deal.company),
                       then=self._landed)  # fmt: skip

    def action_snooze(self) -> None:
        """`z`: put it off (1-4 quick choices, or a date); the agenda is read again."""
        if (acting := self._acting()) is None:
            return
        from closedwon_tui.app.activity import deal_line

        forms, item = acting
        forms.snooze(item.followup, deal_line(item.deal.title, item.deal.company), then=self._landed)
