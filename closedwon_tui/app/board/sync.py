"""Team sync: the board notices changes others made to a shared database and reads it again.

Every change writes a history event, so a cheap poll of the newest event ids tells whether
anything happened; the events this session wrote itself (its `BoardSession` knows them) are
skipped. The database is read in thread workers; the decisions are made on the app thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from closedwon_tui.app.board.model import BoardModel, long_lived
from closedwon_tui.app.board.session import BoardSession
from closedwon_tui.app.literal import notify_literal
from closedwon_tui.domain.rules import quarter_start

#: How often the board looks for changes made by others (seconds).
POLL_SECONDS = 3.0


class TeamSync:
    def __init__(self, screen: Screen[Any], session: BoardSession, install: Callable[[BoardModel], None]) -> None:
        self.screen = screen
        self.session = session
        self._install = install
        #: The pipeline the board shows: a reload reads it (the picker changes it, then reloads).
        self.pipeline_id = session.model.pipeline.id if session.model.pipeline is not None else None

    def start(self) -> None:
        self.screen.set_interval(POLL_SECONDS, self.check)

    def reload(self) -> None:
        """Read the whole board again (after a conflict, or when others changed it)."""
        self.screen.run_worker(self._read_board, thread=True, exclusive=True, exit_on_error=False, group="reload")

    def _read_board(self) -> None:
        try:
            self._read_whole_board()
        except Exception as exc:
            if self.session.model.loaded:
                raise  # a reload of a whole board: the next look tries again
            # The rest of a big board: keys wait for it, so say why and try again.
            self.screen.app.call_from_thread(self._unread, exc)

    def _unread(self, error: Exception) -> None:
        notify_literal(self.screen, f"Could not read the rest of the board ({error}); trying again", severity="error",
                       timeout=6)  # fmt: skip
        self.screen.set_timer(POLL_SECONDS, self.reload)

    def _read_whole_board(self) -> None:
        service = self.session.service
        latest = service.last_event_id()
        now = service.now()
        # As the board has it: with every closed deal once `C` (or a drop) read them, otherwise this quarter's.
        closed_since = None if self.session.model.complete else quarter_start(now)
        with long_lived():  # built here, column sums included: the app thread only swaps it in
            model = BoardModel(service.board(pipeline=self.pipeline_id, closed_since=closed_since), now)
            for stage in model.stages:
                model.totals(stage.id)
        self.screen.app.call_from_thread(self._read, model, latest)

    def _read(self, model: BoardModel, latest: int) -> None:
        old = self.session.model
        model.keep_view_of(old)
        self.session.reloaded(model, latest)
        self._install(model)

    def check(self) -> None:
        """Look for events written since the board last looked (the poll's tick)."""
        self.screen.run_worker(self._new_events, thread=True, exclusive=True, exit_on_error=False, group="poll")

    def _new_events(self) -> None:
        new = self.session.service.event_ids_since(self.session.known_event)
        if new:
            self.screen.app.call_from_thread(self._seen, new)
        latest = self.session.service.last_stage_change_id()
        if latest > self.session.known_stage_event:
            self.screen.app.call_from_thread(self._stages_seen, latest)

    def _stages_seen(self, latest: int) -> None:
        if not self.session.busy and self.session.foreign_stage_change(latest):
            self.reload()  # a colleague changed the stages: the columns are built again

    def _seen(self, new: list[int]) -> None:
        if self.session.busy:
            return  # our own write may be among them, not yet taken in: look again next time
        if self.session.foreign(new):
            self.reload()
