"""Team sync: the board notices changes others made to a shared database and reloads.

Every change writes a history event, so a cheap poll of the newest event ids tells
whether anything happened; events this session wrote itself are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from closedwon_tui.app.board.model import BoardModel

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen

    _Base = BoardScreen
else:
    _Base = object

#: How often the board looks for changes made by others (seconds).
POLL_SECONDS = 3.0


class BoardSync(_Base):
    def reload(self) -> None:
        """Read the whole board again (after a conflict, or when others changed it)."""
        self._load_board()

    @work(thread=True, exclusive=True, exit_on_error=False, group="reload")
    def _load_board(self) -> None:
        latest = self.service.last_event_id()
        board = self.service.board()
        now = self.service.now()
        self.app.call_from_thread(self._install_board, board, now, latest)

    def _install_board(self, board, now, latest: int) -> None:  # type: ignore[no-untyped-def]
        assert self.model is not None
        selected = self.selected_deal
        model = BoardModel(board, now)
        model.filter_text, model.show_all_closed = self.model.filter_text, self.model.show_all_closed
        self.model = model
        self._known_event = max(self._known_event, latest)
        for column in self.columns:
            column.model = model
            column.refresh_column()
        if selected is not None:
            self.select_deal(selected.id)

    def _poll(self) -> None:
        self._check_for_changes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="poll")
    def _check_for_changes(self) -> None:
        new = self.service.event_ids_since(self._known_event)
        if not new:
            return
        foreign = [e for e in new if e not in self._own_events]
        if foreign:
            self.app.call_from_thread(self._load_board)
        else:
            self._known_event = max(new)
