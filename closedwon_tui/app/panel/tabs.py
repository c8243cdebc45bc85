"""The panel's tabs: their order and titles, the tab a change lands in, and the objections list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList, Tab

from closedwon_tui.app.panel.entries import leaf_virtual_size
from closedwon_tui.domain.models import EventKind

#: The tabs, in order: (pane id, title).
TABS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("objections", "Objections"),
    ("followups", "Follow-ups"),
    ("notes", "Notes"),
    ("history", "History"),
)

#: The tab a change made from the panel lands in, by the kind of its event.
LANDING_TABS = {
    EventKind.OBJECTION_ADDED: "objections",
    EventKind.OBJECTION_ANSWERED: "objections",
    EventKind.OBJECTION_ADDRESSED: "objections",
    EventKind.FOLLOWUP_SCHEDULED: "followups",
    EventKind.FOLLOWUP_DONE: "followups",
    EventKind.FOLLOWUP_SNOOZED: "followups",
    EventKind.NOTE_ADDED: "notes",
}


#: The changes that add an item to a list: the list highlights the new item.
ADDS_AN_ITEM = frozenset({EventKind.OBJECTION_ADDED, EventKind.FOLLOWUP_SCHEDULED})


class ObjectionList(OptionList):
    """The objections; enter on one writes its response."""

    BINDINGS = [
        Binding("enter", "select", "Answer", id="panel.answer_objection",
                tooltip="Write the response to the selected objection, and mark it addressed if it is"),
    ]  # fmt: skip


class PanelTab(Tab):
    """A tab of the panel. Its label counts the open objections or pending follow-ups of the deal
    shown, so its width changes from deal to deal: it takes the new width in one layout pass."""

    virtual_size = leaf_virtual_size()
