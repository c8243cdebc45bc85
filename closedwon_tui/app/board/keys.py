"""The board's keys: the contract documented in the README and the help screen."""

from __future__ import annotations

from textual.binding import Binding

#: Keys that act on the board itself (active while the board has focus).
BOARD_BINDINGS: list[Binding] = [
    Binding("left,h", "screen.column(-1)", "Prev column", id="board.column_prev", show=False),
    Binding("right,l", "screen.column(1)", "Next column", id="board.column_next", show=False),
    Binding("up,k", "screen.card(-1)", "Prev card", id="board.card_prev", show=False),
    Binding("down,j", "screen.card(1)", "Next card", id="board.card_next", show=False),
    Binding("home,g", "screen.card_edge(0)", "First card", id="board.card_first", show=False),
    Binding("end,G", "screen.card_edge(1)", "Last card", id="board.card_last", show=False),
    Binding("shift+right,L", "screen.move_stage(1)", "Next stage", id="board.move_next"),
    Binding("shift+left,H", "screen.move_stage(-1)", "Prev stage", id="board.move_prev", show=False),
    Binding("shift+up,K", "screen.reorder(-1)", "Move up", id="board.reorder_up", show=False),
    Binding("shift+down,J", "screen.reorder(1)", "Move down", id="board.reorder_down", show=False),
    # Priority, like `/`: the picker opens before the digit typed right after `m` is routed
    # (a board binding, so it is not active while the filter box or the panel has focus).
    Binding("m", "screen.pick_stage", "Move to…", id="board.move_to", priority=True),
    Binding("e", "screen.edit_deal", "Edit", id="board.edit"),
    Binding("w", "screen.mark_won", "Won", id="board.won"),
    Binding("x", "screen.mark_lost", "Lost", id="board.lost"),
    Binding("enter", "screen.open_panel", "Details", id="board.panel"),
    Binding("o", "screen.add_objection", "Objection", id="board.objection", show=False),
    Binding("f", "screen.schedule_followup", "Follow-up", id="board.followup", show=False),
    Binding("N", "screen.add_note", "Note", id="board.note", show=False),
    Binding("C", "screen.toggle_closed", "All closed", id="board.toggle_closed", show=False),
]

#: Keys that work anywhere on the board screen.
SCREEN_BINDINGS: list[Binding] = [
    Binding("n", "new_deal", "New", id="board.new"),
    # Priority: the filter box takes focus before the keys typed right after `/` are routed
    # (a `/` typed into the filter box stays text: see BoardScreen.action_filter).
    Binding("slash", "filter", "Filter", id="board.filter", key_display="/", priority=True),
    Binding("escape", "escape", "Close / clear", id="board.escape", show=False),
    Binding("u,ctrl+z", "undo", "Undo", id="board.undo"),
    Binding("ctrl+y", "redo", "Redo", id="board.redo", show=False),
    Binding("tab", "switch_focus", "Board/panel", id="board.switch_focus", show=False, priority=True),
    Binding("a", "agenda", "Agenda", id="board.agenda"),
    Binding("r", "reports", "Reports", id="board.reports"),
    Binding("question_mark", "help", "Help", id="board.help", key_display="?"),
    Binding("q", "app.quit", "Quit", id="app.quit"),
]

#: Mouse gestures, for the help screen.
MOUSE_HELP: list[tuple[str, str]] = [
    ("click", "select a card; click the selected card to open its details"),
    ("drag", "move a card to another column, or up and down its own column"),
    ("drop outside", "dropping anywhere but a column changes nothing"),
    ("wheel", "scroll a column"),
]

#: Extra words for the help screen and the command palette, by binding id.
DESCRIPTIONS: dict[str, str] = {
    "board.column_prev": "Focus the previous column",
    "board.column_next": "Focus the next column",
    "board.card_prev": "Select the previous card",
    "board.card_next": "Select the next card",
    "board.card_first": "Select the first card of the column",
    "board.card_last": "Select the last card of the column",
    "board.move_next": "Move the selected deal to the next stage",
    "board.move_prev": "Move the selected deal to the previous stage",
    "board.reorder_up": "Move the selected deal up its column",
    "board.reorder_down": "Move the selected deal down its column",
    "board.move_to": "Move the selected deal to any stage (then 1-7 or a name)",
    "board.edit": "Edit the selected deal",
    "board.won": "Mark the selected deal closed won",
    "board.lost": "Mark the selected deal closed lost (asks for the reason)",
    "board.panel": "Open the deal's side panel: overview, objections, follow-ups, notes, history",
    "board.objection": "Record an objection on the selected deal",
    "board.followup": "Schedule a follow-up on the selected deal",
    "board.note": "Add a note to the selected deal",
    "board.toggle_closed": "Show all closed deals, or only this quarter's",
    "board.new": "Add a new deal",
    "board.filter": "Filter cards by title, company, contact or owner",
    "board.escape": "Close the panel, or clear the filter",
    "board.undo": "Undo the last change made in this session",
    "board.redo": "Redo the last undone change",
    "board.switch_focus": "Move focus between the board and the panel",
    "board.agenda": "Open the agenda of follow-ups across all deals",
    "board.reports": "Open the reports: pipeline, forecast, funnel, outcomes",
    "board.help": "Show every key",
    "app.quit": "Quit closedwon",
}
