"""The agenda: every pending follow-up across the pipeline, grouped overdue, today, this week, later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from closedwon_tui.app.app import app_of
from closedwon_tui.app.commands import ListedCommands
from closedwon_tui.domain.rules import Due
from closedwon_tui.domain.timeline import due_words, group_by_due
from closedwon_tui.services.queries import AgendaItem

#: How each group's heading looks.
BUCKET_STYLES = {
    Due.OVERDUE: "bold $text-error",
    Due.TODAY: "bold $text-warning",
    Due.THIS_WEEK: "bold $text-primary",
    Due.LATER: "bold $text-muted",
}


def item_option(item: AgendaItem, now: datetime) -> Option:
    deal, followup = item.deal, item.followup
    head = Content.assemble((due_words(followup, now), "bold"), "  ", deal.title)
    facts = " · ".join(p for p in (deal.company, item.stage.name, deal.owner) if p)
    note = followup.note or "(no note)"
    body = Content.assemble(
        ("  ", ""), (facts, "$text-muted"), "\n  ", (note, "" if followup.note else "italic $text-muted")
    )
    return Option(head + "\n" + body, id=f"{followup.id}:{deal.id}")


class AgendaList(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Go to deal", id="agenda.jump", tooltip="Show this deal on the board with its panel")
    ]
    DEFAULT_CSS = """
    AgendaList { height: 1fr; border: none; padding: 0 1; }
    AgendaList > .option-list--option { padding: 0 1; }
    """


class AgendaCommands(ListedCommands):
    """The agenda's keys in the command palette."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, AgendaScreen):
            return []
        return [
            ("Agenda: go to the deal", screen.action_jump, "enter · the highlighted follow-up's deal, panel open"),
            ("Agenda: back to the board", screen.action_close, "escape"),
        ]


class AgendaScreen(Screen[int | None]):
    """`enter` dismisses with the deal of the highlighted follow-up; escape with None."""

    CSS_PATH = "agenda.tcss"
    COMMANDS = {AgendaCommands}
    BINDINGS = [
        Binding("escape,a", "close", "Back to board", id="agenda.close", tooltip="Close the agenda"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="agenda-title")
        yield AgendaList(id="agenda-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Agenda"
        self.reload()
        self.query_one(AgendaList).focus()

    def reload(self) -> None:
        service = app_of(self).service
        now = service.now()
        groups = group_by_due(service.agenda(), lambda item: item.followup, now)
        options: list[Option] = []
        for bucket, items in groups.items():
            if not items:
                continue
            heading = Content.assemble(
                (bucket.value.capitalize(), BUCKET_STYLES[bucket]), (f"  {len(items)}", "$text-muted")
            )
            options.append(Option(heading, id=f"bucket:{bucket.name}", disabled=True))
            options.extend(item_option(item, now) for item in items)
        agenda = self.query_one(AgendaList)
        agenda.clear_options()
        agenda.add_options(options)
        total = sum(len(items) for items in groups.values())
        overdue, today = len(groups[Due.OVERDUE]), len(groups[Due.TODAY])
        title = Content.assemble(
            ("Agenda", "bold"),
            (f"  {total} follow-up{'s' if total != 1 else ''} pending · ", "$text-muted"),
            (f"{overdue} overdue", "$text-error" if overdue else "$text-muted"),
            (" · ", "$text-muted"),
            (f"{today} today", "$text-warning" if today else "$text-muted"),
        )
        self.query_one("#agenda-title", Static).update(
            title
            if total
            else title + Content.styled("\nNothing to follow up. Press escape for the board.", "$text-muted")
        )
        enabled = [n for n, option in enumerate(options) if not option.disabled]
        if enabled:
            agenda.highlighted = enabled[0]

    def selected_deal_id(self) -> int | None:
        option = self.query_one(AgendaList).highlighted_option
        if option is None or option.disabled or not option.id:
            return None
        return int(option.id.split(":")[1])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_jump(self) -> None:
        deal_id = self.selected_deal_id()
        if deal_id is not None:
            self.dismiss(deal_id)

    def action_close(self) -> None:
        self.dismiss(None)
