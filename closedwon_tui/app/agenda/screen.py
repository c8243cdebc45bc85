"""The agenda: every pending follow-up across the pipeline, grouped overdue, today, this week, later."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

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
        follow-up now there)."""
        service = app_of(self).service
        now = service.now()
        groups = group_by_due(service.agenda(), lambda item: item.followup, now)
        self.query_one(AgendaList).show(groups, now, in_place=in_place, name_pipelines=len(service.pipelines()) > 1)
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
