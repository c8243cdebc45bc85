"""The panel's keys in the command palette, so nothing is reachable only by memory.

A screen that holds a `DealPanel` lists `PanelCommands` in its `COMMANDS`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.css.query import NoMatches

from closedwon_tui.app.commands import ListedCommands
from closedwon_tui.app.panel.tabs import TABS
from closedwon_tui.app.panel.widget import DealPanel


class PanelCommands(ListedCommands):
    """What the open panel can do to its deal, by name."""

    def _panel(self) -> DealPanel | None:
        try:
            panel = self.screen.query_one(DealPanel)
        except NoMatches:
            return None
        return panel if panel.display and panel.deal_id is not None else None

    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        panel = self._panel()
        if panel is None:
            return
        yield "Deal: record an objection", panel.action_add_objection, "o · kind, then what they said"
        yield "Deal: schedule a follow-up", panel.action_schedule_followup, "f · tomorrow, in 3 days, ... or a date"
        yield "Deal: add a note", panel.action_add_note, "N · free text"
        if panel.selected_followup() is not None:
            yield "Deal: mark the follow-up done", partial(self._in_tab, panel, "followups", panel.action_complete_followup), \
                "space · then schedule the next one"  # fmt: skip
        if panel.selected_objection() is not None:
            yield "Deal: answer the objection", partial(self._in_tab, panel, "objections", panel.action_answer_objection), \
                "enter · the response, and whether it is addressed"  # fmt: skip
            yield "Deal: mark the objection addressed", partial(self._in_tab, panel, "objections", panel.action_address_objection), \
                "space"  # fmt: skip
        for n, (pane, title) in enumerate(TABS, 1):
            yield f"Deal: show {title.lower()}", partial(panel.action_show_tab, pane), f"{n} in the panel"

    @staticmethod
    def _in_tab(panel: DealPanel, pane: str, action: Callable[[], object]) -> None:
        """Act on the highlighted item of that tab, and show the tab so the rep sees what changed."""
        panel.action_show_tab(pane)
        action()
