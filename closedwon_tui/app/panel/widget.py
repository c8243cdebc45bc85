"""The deal panel: everything about the selected deal, docked beside the board."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static

from closedwon_tui.app.app import app_of
from closedwon_tui.app.literal import notify_literal, plain
from closedwon_tui.app.panel.entries import EntryList, PanelText
from closedwon_tui.app.panel.overview import Overview
from closedwon_tui.app.panel.panel_actions import PanelActions
from closedwon_tui.app.panel.tabs import ADDS_AN_ITEM, LANDING_TABS, TABS, ObjectionList, PanelTabs
from closedwon_tui.app.panel.views import (
    NO_HISTORY,
    NO_NOTES,
    followup_option,
    history_entries,
    note_entries,
    objection_option,
    sorted_followups,
    sorted_objections,
)
from closedwon_tui.domain.errors import ClosedwonError, NotFoundError
from closedwon_tui.domain.models import Change, DealDetail, ObjectionStatus

if TYPE_CHECKING:
    from closedwon_tui.app.activity import ActivityForms


class DealPanel(PanelActions, Widget):
    """Shows one deal (`show_deal`, `show_change`). Its keys act on that deal: the panel never writes,
    it posts `Requested` for its host (the board) to open a form or make the change."""

    DEFAULT_CSS = """
    DealPanel {
        dock: right;
        width: 50;
        max-width: 60%;
        height: 1fr;
        display: none;
    }
    DealPanel #panel-body { height: 1fr; border-left: tall $primary; background: $surface; }
    DealPanel:focus-within #panel-body { border-left: tall $accent; }
    DealPanel #panel-title { height: auto; padding: 0 1; background: $boost; }
    DealPanel .pane { height: 1fr; padding: 0 0 0 1; }
    DealPanel .pane.scroll-text, DealPanel Overview.pane { padding: 0 1 0 1; }
    DealPanel OptionList { height: 1fr; border: none; padding: 0; background: $surface; }
    DealPanel .list-hint { height: auto; color: $text-muted; margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("o", "add_objection", "Objection", id="panel.add_objection", tooltip="Record an objection"),
        Binding("f", "schedule_followup", "Follow-up", id="panel.schedule_followup", tooltip="Schedule a follow-up"),
        Binding("N", "add_note", "Note", id="panel.add_note", tooltip="Add a note to this deal"),
        Binding("space", "complete_followup", "Done", id="panel.complete_followup",
                tooltip="Mark the selected follow-up done, then schedule the next one"),
        Binding("space", "address_objection", "Addressed", id="panel.address_objection",
                tooltip="Mark the selected objection addressed"),
        Binding("right,]", "next_tab", "Next tab", id="panel.next_tab", show=False, tooltip="Show the next tab"),
        Binding("left,[", "previous_tab", "Previous tab", id="panel.previous_tab", show=False,
                tooltip="Show the previous tab"),
        *(
            Binding(str(n), f"show_tab('{pane}')", f"{title} tab", id=f"panel.tab_{pane}", show=False,
                    tooltip=f"Show the {title.lower()} tab")
            for n, (pane, title) in enumerate(TABS, 1)
        ),
    ]  # fmt: skip

    @dataclass
    class Requested(Message):
        """The rep asked the panel for a change: `run` does it with the host's activity forms."""

        run: Callable[[ActivityForms], None]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.deal_id: int | None = None
        self.detail: DealDetail | None = None
        self._shown_before_mount = False
        self._drawn: set[str] = set()
        self._pane = "overview"  # the tab shown
        self._panes: dict[str, Widget] = {}
        self._labels: dict[str, Content] = {}
        self._bindings_state: tuple[object, ...] | None = None
        self._landing: tuple[int, str] | None = None  # (deal, tab) a change asked for here shows
        #: The item a change just added, by tab: its list highlights it when next filled.
        self._new_item: dict[str, str] = {}

    #: Opening and closing the panel shows and hides this widget, which Textual then draws again
    #: whole: it draws nothing itself (its body, which keeps its drawn lines, has the border).
    BLANK = True

    def compose(self) -> ComposeResult:
        with Vertical(id="panel-body"):
            yield from self._compose_body()

    def _compose_body(self) -> ComposeResult:
        self._title = PanelText(Content.styled("No deal selected", "$text-muted"), id="panel-title")
        self._tabs = PanelTabs(TABS, active="overview", id="panel-tabs")
        yield self._title
        yield self._tabs
        # Each tab's pane sits in the body itself, only the active one displayed (no ContentSwitcher
        # nor TabPane around them: fewer full-height containers to lay out and draw on each opening).
        self._overview = Overview(id="overview", classes="pane")
        panes: dict[str, Widget] = {
            "overview": self._overview,
            "objections": Vertical(
                Static("o records · enter answers · space marks addressed", classes="list-hint"),
                ObjectionList(id="objection-list", markup=False, compact=True),
                id="objections",
                classes="pane",
            ),
            "followups": Vertical(
                Static("f schedules · space marks done", classes="list-hint"),
                OptionList(id="followup-list", markup=False, compact=True),
                id="followups",
                classes="pane",
            ),
            "notes": VerticalScroll(EntryList(gap=True, id="notes-text"), id="notes", classes="pane scroll-text"),
            "history": VerticalScroll(EntryList(id="history-text"), id="history", classes="pane scroll-text"),
        }
        for pane, widget in panes.items():
            widget.display = pane == self._pane
            yield widget
        self._panes = panes

    def on_mount(self) -> None:
        # Focus stays on the tab's content; the tabs switch with left/right, 1-5 or a click.
        self._draw_pending()

    # showing a deal -------------------------------------------------------
    def show_deal(self, deal_id: int | None) -> None:
        """Read the deal and draw it; a deal that cannot be read shows an empty panel."""
        detail: DealDetail | None = None
        if deal_id is not None:
            try:
                detail = app_of(self).service.deal_detail(deal_id)
            except NotFoundError:
                detail = None
            except ClosedwonError as exc:
                notify_literal(self, str(exc), severity="error")
                detail = None
        self.show_detail(detail, asked=deal_id)

    def draw_ahead(self) -> None:
        """Closed, after `show_detail`: the overview's lines wrapped and drawn now, so that opening the
        panel draws nothing of its own (see `panel_ahead`)."""
        self._title.draw_ahead()
        if self.active_tab == "overview":
            self._overview.draw_ahead()

    def show_change(self, change: Change[Any], detail: DealDetail | None) -> None:
        """A change to the deal shown has landed: draw it (`detail` read with it, or read now), and show
        the tab it landed in when it was asked for here."""
        if change.deal.id != self.deal_id:
            return
        tab = LANDING_TABS.get(change.kind) if change.kind else None
        if change.kind in ADDS_AN_ITEM and tab is not None and change.item is not None:
            self._new_item[tab] = str(change.item.id)  # enter or space then acts on the one just added
        if detail is None:
            self.show_deal(change.deal.id)
        else:
            self.show_detail(detail)
        landing, self._landing = self._landing, None
        if landing == (change.deal.id, tab) and tab != self.active_tab:
            self.action_show_tab(tab)

    def show_detail(self, detail: DealDetail | None, *, asked: int | None = None) -> None:
        """Draw a deal already read (None: nothing, or `asked` could not be read)."""
        if detail is None or detail.deal.id != self.deal_id:
            self._landing = None
            self._new_item.clear()
        deal_id = asked if detail is None else detail.deal.id
        self.deal_id = None if detail is None else detail.deal.id
        self.detail = detail
        if not self.is_mounted:  # the board may ask while the panel is still mounting: draw once it is
            self._shown_before_mount = True
            self.call_after_refresh(self._draw_pending)
            return
        if detail is None:
            self._show_nothing(f"Cannot show deal #{deal_id}" if deal_id is not None else "No deal selected")
            return
        deal = detail.deal
        self._title.show(
            Content.assemble(
                plain(f"#{deal.id} ", "$text-muted"),
                plain(deal.title, "bold"),
                "\n",
                plain(" · ".join(p for p in (deal.company, detail.stage.name) if p), "$text-muted"),
            )  # fmt: skip
        )
        open_objections = sum(o.status is ObjectionStatus.OPEN for o in detail.objections)
        pending = sum(not f.is_done for f in detail.followups)
        self._label("objections", "Objections", open_objections)
        self._label("followups", "Follow-ups", pending)
        # Only the tab in view is drawn now; the others when they are shown (the panel follows the
        # board's selection, so this runs on every card the rep passes over).
        self._drawn.clear()
        self._draw_tab(self.active_tab)
        self._refresh_bindings_if_changed()

    def _draw_tab(self, pane: str) -> None:
        detail = self.detail
        if detail is None or pane in self._drawn or not self.is_mounted:
            return
        self._drawn.add(pane)
        service = app_of(self).service
        now = service.now()
        if pane == "overview":
            self._overview.show(detail, now, service.stages(service.pipeline_of(detail.stage)))
        elif pane == "objections":
            options = [objection_option(o) for o in sorted_objections(detail.objections)]
            self._fill(self.query_one("#objection-list", OptionList), options, self._new_item.pop(pane, None))
        elif pane == "followups":
            options = [followup_option(f, now) for f in sorted_followups(detail.followups)]
            self._fill(self.query_one("#followup-list", OptionList), options, self._new_item.pop(pane, None))
        elif pane == "notes":
            self.query_one("#notes-text", EntryList).set_entries(note_entries(detail.notes, now), NO_NOTES)
        elif pane == "history":
            names = {s.id: s.name for s in service.all_stages()}
            self.query_one("#history-text", EntryList).set_entries(
                history_entries(detail.history, now, names), NO_HISTORY
            )

    def _refresh_bindings_if_changed(self) -> None:
        """The footer is rebuilt on every refresh of the bindings: only ask when what they offer changed."""
        followup = self.selected_followup() if self.active_tab == "followups" else None
        objection = self.selected_objection() if self.active_tab == "objections" else None
        state = (
            self.deal_id is None,
            self.active_tab,
            followup is not None,
            None if objection is None else objection.status,
        )
        if state != self._bindings_state:
            self._bindings_state = state
            self.refresh_bindings()

    def _draw_pending(self) -> None:
        if not self._shown_before_mount:
            return
        if not self.is_mounted:
            self.call_after_refresh(self._draw_pending)
            return
        self._shown_before_mount = False
        self.show_deal(self.deal_id)

    def _show_nothing(self, message: str) -> None:
        self._title.show(plain(message, "$text-muted"))
        for list_id in ("#objection-list", "#followup-list"):
            self.query_one(list_id, OptionList).clear_options()
        for text_id in ("#notes-text", "#history-text"):
            self.query_one(text_id, EntryList).set_entries([], Content(""))
        for pane, title in TABS[1:4]:
            self._label(pane, title, 0)
        self._drawn.clear()
        self._refresh_bindings_if_changed()

    def _fill(self, option_list: OptionList, options: list, new_item: str | None = None) -> None:  # type: ignore[type-arg]
        """Replace the options, highlighting the item just added, or keeping the highlight on the same
        item when it is still there."""
        current = option_list.highlighted_option
        keep = new_item or (current.id if current is not None else None)
        option_list.clear_options()
        option_list.add_options(options)
        ids = [o.id for o in options]
        enabled = [n for n, o in enumerate(options) if not o.disabled]
        if keep in ids and not options[ids.index(keep)].disabled:
            option_list.highlighted = ids.index(keep)
        elif enabled:
            option_list.highlighted = enabled[0]

    def _label(self, pane: str, title: str, count: int) -> None:
        label = plain(title) if not count else Content.assemble(plain(title), plain(f" {count}", "bold $text-accent"))
        if self._labels.get(pane) != label:
            self._labels[pane] = label
            self._tabs.set_label(pane, label)

    # focus and tabs -------------------------------------------------------
    def focus(self, scroll_visible: bool = True) -> DealPanel:
        """The panel itself never holds focus: its active tab's content does (once it exists)."""
        if not self.is_mounted:
            self.call_after_refresh(self.focus, scroll_visible)
            return self
        try:
            self._content_widget().focus(scroll_visible)
        except NoMatches:
            self.call_after_refresh(self.focus, scroll_visible)
        return self

    def _content_widget(self) -> Widget:
        return {
            "overview": lambda: self._overview,
            "objections": lambda: self.query_one("#objection-list"),
            "followups": lambda: self.query_one("#followup-list"),
            "notes": lambda: self.query_one("#notes"),
            "history": lambda: self.query_one("#history"),
        }[self.active_tab]()

    @property
    def active_tab(self) -> str:
        return self._pane

    def action_show_tab(self, pane: str) -> None:
        if not self.is_mounted:
            return
        self._tabs.active = pane
        self._switch_to(pane)
        self.call_after_refresh(self._focus_content)

    def _switch_to(self, pane: str) -> None:
        """Show the pane (its tab is the active one), drawn."""
        if pane != self._pane:
            self._panes[self._pane].display = False
            self._panes[pane].display = True
            self._pane = pane
        self._draw_tab(pane)
        self._refresh_bindings_if_changed()

    def _focus_content(self) -> None:
        self._content_widget().focus()

    def action_next_tab(self) -> None:
        self._step_tab(+1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        panes = [pane for pane, _title in TABS]
        self.action_show_tab(panes[(panes.index(self.active_tab) + step) % len(panes)])

    @on(PanelTabs.Clicked)
    def _tab_clicked(self, event: PanelTabs.Clicked) -> None:
        """A tab was clicked: its pane shows (the focus stays where it is)."""
        event.stop()
        self._tabs.active = event.pane
        self._switch_to(event.pane)

    @on(OptionList.OptionHighlighted)
    def _highlight_changed(self) -> None:
        self._refresh_bindings_if_changed()

    @on(OptionList.OptionSelected, "#objection-list")
    def _objection_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_answer_objection()
