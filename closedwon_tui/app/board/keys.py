"""The board's keys: the contract documented in the README and the help screen."""

from __future__ import annotations

from textual.binding import Binding

#: Keys that act on the board itself (active while the board has focus).
BOARD_BINDINGS: list[Binding] = [
    Binding(
        "left,h",
        "screen.column(-1)",
        "Prev column",
        id="board.column_prev",
        show=False,
        tooltip="Focus the previous column",
    ),
    Binding(
        "right,l",
        "screen.column(1)",
        "Next column",
        id="board.column_next",
        show=False,
        tooltip="Focus the next column",
    ),
    Binding(
        "up,k", "screen.card(-1)", "Prev card", id="board.card_prev", show=False, tooltip="Select the previous card"
    ),
    Binding("down,j", "screen.card(1)", "Next card", id="board.card_next", show=False, tooltip="Select the next card"),
    Binding(
        "home,g",
        "screen.card_edge(0)",
        "First card",
        id="board.card_first",
        show=False,
        tooltip="Select the first card of the column",
    ),
    Binding(
        "end,G",
        "screen.card_edge(1)",
        "Last card",
        id="board.card_last",
        show=False,
        tooltip="Select the last card of the column",
    ),
    Binding(
        "shift+right,L",
        "screen.move_stage(1)",
        "Next stage",
        id="board.move_next",
        tooltip="Move the selected deal to the next stage",
    ),
    Binding(
        "shift+left,H",
        "screen.move_stage(-1)",
        "Prev stage",
        id="board.move_prev",
        show=False,
        tooltip="Move the selected deal to the previous stage",
    ),
    Binding(
        "shift+up,K",
        "screen.reorder(-1)",
        "Move up",
        id="board.reorder_up",
        show=False,
        tooltip="Move the selected deal up its column",
    ),
    Binding(
        "shift+down,J",
        "screen.reorder(1)",
        "Move down",
        id="board.reorder_down",
        show=False,
        tooltip="Move the selected deal down its column",
    ),
    # Priority, like `/`: the picker opens before the digit typed right after `m` is routed
    # (a board binding, so it is not active while the filter box or the panel has focus).
    Binding(
        "m",
        "screen.pick_stage",
        "Move to…",
        id="board.move_to",
        priority=True,
        tooltip="Move the selected deal to any stage (by number or name)",
    ),
    Binding("e", "screen.edit_deal", "Edit", id="board.edit", tooltip="Edit the selected deal"),
    Binding("w", "screen.mark_won", "Won", id="board.won", tooltip="Mark the selected deal closed won"),
    Binding(
        "x",
        "screen.mark_lost",
        "Lost",
        id="board.lost",
        tooltip="Mark the selected deal closed lost (asks for the reason)",
    ),
    Binding(
        "enter",
        "screen.open_panel",
        "Details",
        id="board.panel",
        tooltip="Open the deal's side panel: overview, objections, follow-ups, notes, history",
    ),
    Binding(
        "o",
        "screen.add_objection",
        "Objection",
        id="board.objection",
        show=False,
        tooltip="Record an objection on the selected deal",
    ),
    Binding(
        "f",
        "screen.schedule_followup",
        "Follow-up",
        id="board.followup",
        show=False,
        tooltip="Schedule a follow-up on the selected deal",
    ),
    Binding("N", "screen.add_note", "Note", id="board.note", show=False, tooltip="Add a note to the selected deal"),
    Binding(
        "s",
        "screen.cycle_order",
        "Sort",
        id="board.sort",
        show=False,
        tooltip="Show the column in another order: manual, urgency, amount, expected close, days in stage "
        "(the manual order stays stored)",
    ),
    Binding(
        "v",
        "screen.pick_view",
        "Views",
        id="board.views",
        show=False,
        tooltip="Pick a saved view: a filter kept under a name in the settings file",
    ),
    Binding(
        "V",
        "screen.save_view",
        "Save view",
        id="board.save_view",
        show=False,
        tooltip="Save the current filter as a view, under a name",
    ),
    Binding(
        "C",
        "screen.toggle_closed",
        "All closed",
        id="board.toggle_closed",
        show=False,
        tooltip="Show all closed deals, or only this quarter's",
    ),
    # Marks: with cards marked, L, H, m, a drag, w, x, f and O act on every marked card at once.
    Binding(
        "space",
        "screen.toggle_mark",
        "Mark",
        id="board.mark",
        show=False,
        tooltip="Mark or unmark the card; L H m w x f O and drag act on marks",
    ),
    Binding(
        "asterisk",
        "screen.mark_column",
        "Mark column",
        id="board.mark_column",
        key_display="*",
        show=False,
        tooltip="Mark every card shown in the focused column (filter applies)",
    ),
    Binding(
        "O",
        "screen.change_owner",
        "Owner",
        id="board.owner",
        show=False,
        tooltip="Give the selected deal, or every marked one, a new owner",
    ),
]

#: Keys that work anywhere on the board screen.
SCREEN_BINDINGS: list[Binding] = [
    Binding("n", "new_deal", "New", id="board.new", tooltip="Add a new deal"),
    # Priority: the filter box takes focus before the keys typed right after `/` are routed
    # (a `/` typed into the filter box stays text: see BoardScreen.action_filter).
    Binding(
        "slash",
        "filter",
        "Filter",
        id="board.filter",
        key_display="/",
        priority=True,
        tooltip="Filter cards: words, owner:NAME, stage:NAME, amount>N, amount<N, currency:EUR, close:overdue|"
        "this-month|next-month|this-quarter|next-quarter, stale, no-next-step, objections, open, won, lost, -TERM",
    ),
    Binding(
        "escape",
        "escape",
        "Close / clear",
        id="board.escape",
        show=False,
        tooltip="Close the panel, clear the marks, or clear the filter",
    ),
    Binding("u,ctrl+z", "undo", "Undo", id="board.undo", tooltip="Undo the last change made in this session"),
    Binding("ctrl+y", "redo", "Redo", id="board.redo", show=False, tooltip="Redo the last undone change"),
    Binding(
        "tab",
        "switch_focus",
        "Board/panel",
        id="board.switch_focus",
        show=False,
        priority=True,
        tooltip="Move focus between the board and the panel",
    ),
    Binding("a", "agenda", "Agenda", id="board.agenda", tooltip="Open the agenda of follow-ups across all deals"),
    Binding(
        "P",
        "pick_pipeline",
        "Pipelines…",
        id="board.pipeline",
        show=False,
        tooltip="Show another pipeline on the board",
    ),
    Binding(
        "S",
        "edit_stages",
        "Stages…",
        id="board.stages",
        show=False,
        tooltip="Edit the pipeline's stages: add, rename, reorder, probability, rotting days, remove",
    ),
    Binding(
        "r", "reports", "Reports", id="board.reports", tooltip="Open the reports: pipeline, forecast, funnel, outcomes"
    ),
    Binding("question_mark", "help", "Help", id="board.help", key_display="?", tooltip="Show every key"),
    Binding("q", "app.quit", "Quit", id="app.quit", tooltip="Quit closedwon"),
]

#: Mouse gestures, for the help screen.
MOUSE_HELP: list[tuple[str, str]] = [
    ("click", "select a card; click the selected card to open its details"),
    ("drag", "move a card to another column, or up and down its own column (a sorted column goes back to manual)"),
    ("drop outside", "dropping anywhere but a column changes nothing"),
    ("wheel", "scroll a column"),
]
