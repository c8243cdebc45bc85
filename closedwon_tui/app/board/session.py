"""BoardSession: the one place where the board changes data.

Every key, drag, form and panel action that changes a deal ends here as one request. The
session runs requests one at a time, in order: when a request's turn comes it is resolved
against the board as it is then (so `L` pressed twice while the first move waits moves the
deal two stages), its service call runs in a worker (`runner`: a thread in the app, at once
in tests), and the `Change` it returns is applied in one place, `_apply`: the session's
undo and redo stacks (by event id, never "the latest event": on a shared database that may
be a colleague's), the events it knows it wrote (team sync skips those), the board model,
and then the view (columns, selection, panel, notifications; the whole board read again when
the change renumbered a column). The requests that move deals are built by `MoveRequests` (one
deal) and `BulkRequests` (the marked ones), the undo entries kept by `UndoStacks`.

Plain Python: no Textual here, so it is tested on its own, like `BoardModel`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from closedwon_tui.app.board.bulk_requests import BulkRequests
from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.app.board.move_requests import MoveRequests
from closedwon_tui.app.board.undo_stacks import Entry, UndoStacks
from closedwon_tui.app.board.writes import (
    Failed,
    Follow,
    Outcome,
    Runner,
    SessionView,
    StageEdit,
    StageUndo,
    Undo,
    Write,
)
from closedwon_tui.domain.errors import ClosedwonError, ConflictError
from closedwon_tui.domain.models import (
    Change,
    DealDetail,
    FollowUp,
    Objection,
    StageChange,
)
from closedwon_tui.services import PipelineService
from closedwon_tui.services.import_summary import ImportSummary
from closedwon_tui.services.importing import ImportRequest, Progress


class BoardSession:
    """The only caller of the write services in the app (see the module's docstring)."""

    def __init__(self, service: PipelineService, model: BoardModel, view: SessionView, runner: Runner) -> None:
        self.service = service
        self.model = model
        self.view = view
        self.runner = runner
        self.stacks = UndoStacks(view)
        #: Every event this session wrote: team sync does not reload the board for those.
        self.own_events: set[int] = set()
        #: The newest event id the board has taken in (its own or by reloading).
        self.known_event = 0
        #: The same for stage and pipeline changes (a colleague's new stage: the board reads it).
        self.own_stage_events: set[int] = set()
        self.known_stage_event = 0
        #: How many writes were refused so far (quitting waits for the writes on their way, and
        #: stays when one of them is refused, so the rep sees why).
        self.refusals = 0
        self._queue: deque[Callable[[], Write | None]] = deque()
        #: A big board's first frame holds only each column's first cards: requests wait until the
        #: whole board is read (`release`), and are then resolved against it.
        self.held = not model.loaded
        self._running: Write | None = None
        self._when_idle: list[Callable[[], None]] = []
        # The requests, by what they act on: one deal's moves, or every marked deal at once.
        moves = MoveRequests(self)
        bulk = BulkRequests(self, moves)
        self.move_by, self.move, self.drop, self.reorder_by = moves.move_by, moves.move, moves.drop, moves.reorder_by
        self.mark_won = moves.mark_won
        self.move_many, self.edit_many, self.schedule_many = bulk.move_many, bulk.edit_many, bulk.schedule_many

    @property
    def undo_stack(self) -> list[Entry]:
        """What `u` can take back, newest last (see `UndoStacks`)."""
        return self.stacks.undo

    @property
    def redo_stack(self) -> list[Entry]:
        return self.stacks.redo

    @property
    def busy(self) -> bool:
        """A write is running or waiting its turn."""
        return self._running is not None or bool(self._queue)

    # the queue -------------------------------------------------------------
    def submit(self, request: Callable[[], Write | None]) -> None:
        """Queue a request; it is resolved (against the board as it is then) when its turn comes."""
        self._queue.append(request)
        if self._running is None:
            self._next()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call `callback` once no write is running or waiting (at once when none is)."""
        self._when_idle.append(callback)
        if not self.busy:
            self._idle()

    def _idle(self) -> None:
        callbacks, self._when_idle = self._when_idle, []
        for callback in callbacks:
            callback()

    def release(self) -> None:
        """The whole board is read: the requests held meanwhile run, in order."""
        if self.held:
            self.held = False
            self._next()
            if not self.busy:
                self._idle()

    def _next(self) -> None:
        while self._queue and self._running is None and not self.held:
            write = self._queue.popleft()()
            if write is None:
                continue  # nothing to do any more (the deal is already there, say)
            self._running = write
            self.view.waiting(write.doing)
            follow = self.view.panel_deal()
            self.runner(lambda w=write, f=follow: self._work(w, f), self._done)

    def _work(self, write: Write, panel_deal: int | None) -> Outcome:
        """Runs in the worker: the write, then the panel's deal read again if the write touched it."""
        try:
            change = write.call(self.service)
        except ClosedwonError as exc:
            return Outcome(error=exc)
        if isinstance(change, StageChange):
            return Outcome(stage_change=change)
        detail = None
        if panel_deal is not None and change.event is not None and panel_deal in {d.id for d in change.deals}:
            try:
                detail = self.service.deal_detail(panel_deal)
            except ClosedwonError:
                detail = None  # the panel reads it itself
        return Outcome(change=change, detail=detail)

    def _done(self, outcome: Outcome) -> None:
        write, self._running = self._running, None
        assert write is not None
        self.view.waiting(None)
        try:
            if outcome.error is not None:
                self._refused(write, outcome.error)
            elif outcome.stage_change is not None:
                self._apply_stage_change(outcome.stage_change, write)
            elif outcome.change is not None:
                self._apply(outcome.change, outcome.detail, write)
        finally:
            self._next()
            if not self.busy:
                self._idle()

    def _refused(self, write: Write, error: ClosedwonError) -> None:
        self.refusals += 1
        conflict = isinstance(error, ConflictError)
        if write.failed is None or conflict:
            self.view.show_error(str(error), conflict=conflict)
        if write.failed is not None:
            write.failed(error)

    # the one place a change is applied ---------------------------------------
    def _apply(self, change: Change[Any], detail: DealDetail | None, write: Write) -> None:
        self.own_events.update(e.id for e in change.events)
        leads = change.leads
        if leads:
            self.stacks.record(leads, write.undo)
        stages: set[int] = set()
        for part in change.parts:  # a bulk action: every deal first, then one repaint
            stages |= self.model.apply(part.deal, part.facts)
        self.view.show_change(change, stages, detail, write.follow)
        if change.renumbered:  # those columns' cards all have new keys: read the board again
            self.view.reload_board()
        if leads and write.undo is not Undo.RECORD:
            self.view.show_undo(change)
        if write.then is not None:
            write.then(change)

    def _apply_stage_change(self, change: StageChange, write: Write) -> None:
        """A stage or pipeline change: onto the undo stacks like a deal's, and the board drawn again."""
        if change.event is not None:
            self.stacks.record(StageUndo(change.event.id), write.undo)
            self.own_stage_events.add(change.event.id)
        for moved in change.moved:  # a removed stage's deals: their moves are ours, not a colleague's
            if moved.event is not None:
                self.own_events.add(moved.event.id)
        self.view.stages_changed(change, write.undo)
        if write.then is not None:
            write.then(change)

    # team sync ---------------------------------------------------------------
    def foreign(self, new_events: list[int]) -> bool:
        """Whether events written since the board last looked include someone else's; takes ours in."""
        if any(e not in self.own_events for e in new_events):
            return True
        if new_events:
            self.known_event = max(self.known_event, *new_events)
        return False

    def foreign_stage_change(self, latest: int) -> bool:
        """Whether the newest stage change is someone else's (ours are drawn when they land)."""
        if latest <= self.known_stage_event:
            return False
        self.known_stage_event = latest
        return latest not in self.own_stage_events

    def reloaded(self, model: BoardModel, latest_event: int) -> None:
        """The board was read again (after a conflict, or a colleague's change)."""
        self.model = model
        self.known_event = max(self.known_event, latest_event)

    # deals -------------------------------------------------------------------
    def create_deal(self, stage_id: int, values: dict[str, Any], *, failed: Failed | None = None) -> None:
        fields = dict(values)
        title = fields.pop("title")
        self.submit(lambda: Write(lambda s: s.create_deal(title, stage=stage_id, **fields), f"Adding {title}",
                                  follow=Follow.ALWAYS, failed=failed))  # fmt: skip

    def edit_deal(self, deal_id: int, version: int, values: dict[str, Any], *, failed: Failed | None = None) -> None:
        self.submit(lambda: Write(lambda s: s.edit_deal(deal_id, values, expected_version=version), "Saving the deal",
                                  failed=failed))  # fmt: skip

    def record_lookback(
        self, deal_id: int, went_well: str, nearly_lost: str, *, failed: Failed | None = None,
        then: Callable[[Change[Any]], None] | None = None,
    ) -> None:  # fmt: skip
        """The look back after a close; the rep may be elsewhere on the board by now: no jump."""
        self.submit(lambda: Write(lambda s: s.record_lookback(deal_id, went_well, nearly_lost), "Saving the look back",
                                  follow=Follow.STAY, then=then, failed=failed))  # fmt: skip

    # activity ----------------------------------------------------------------
    def add_objection(self, deal_id: int, kind: str, text: str, *, failed: Failed | None = None) -> None:
        self.submit(lambda: Write(lambda s: s.add_objection(deal_id, kind, text), "Saving the objection",
                                  follow=Follow.STAY, failed=failed))  # fmt: skip

    def answer_objection(
        self, objection: Objection, response: str, addressed: bool, *, failed: Failed | None = None
    ) -> None:
        self.submit(lambda: Write(lambda s: s.answer_objection(objection.id, response, addressed=addressed),
                                  "Saving the answer", follow=Follow.STAY, failed=failed))  # fmt: skip

    def address_objection(self, objection: Objection, *, then: Callable[[Change[Any]], None] | None = None) -> None:
        self.submit(lambda: Write(lambda s: s.address_objection(objection.id), "Marking the objection addressed",
                                  follow=Follow.STAY, then=then))  # fmt: skip

    def schedule_followup(
        self, deal_id: int, due: date | datetime, note: str, *, failed: Failed | None = None,
        then: Callable[[Change[Any]], None] | None = None,
    ) -> None:  # fmt: skip
        self.submit(lambda: Write(lambda s: s.schedule_followup(deal_id, due, note), "Scheduling the follow-up",
                                  follow=Follow.STAY, failed=failed, then=then))  # fmt: skip

    def complete_followup(self, followup: FollowUp, *, then: Callable[[Change[Any]], None] | None = None) -> None:
        self.submit(lambda: Write(lambda s: s.complete_followup(followup.id), "Marking the follow-up done",
                                  follow=Follow.STAY, then=then))  # fmt: skip

    def snooze_followup(
        self, followup: FollowUp, due: date | datetime, *, then: Callable[[Change[Any]], None] | None = None
    ) -> None:
        self.submit(lambda: Write(lambda s: s.snooze_followup(followup.id, due), "Snoozing the follow-up",
                                  follow=Follow.STAY, then=then))  # fmt: skip

    def add_note(self, deal_id: int, text: str, *, failed: Failed | None = None) -> None:
        self.submit(
            lambda: Write(lambda s: s.add_note(deal_id, text), "Saving the note", follow=Follow.STAY, failed=failed)
        )

    # stages ------------------------------------------------------------------
    def edit_stages(
        self, edit: StageEdit, *, failed: Failed | None = None, then: Callable[[Any], None] | None = None
    ) -> None:
        """A change from the stage editor, to the pipeline the board shows."""
        pipeline = self.model.pipeline.id if self.model.pipeline is not None else None
        stage = edit.stage_id

        def call(s: PipelineService) -> StageChange:
            if edit.action == "add":
                return s.add_stage(edit.name, pipeline=pipeline, after=edit.after, first=edit.first,
                                   probability=edit.probability, rotting_days=edit.rotting_days)  # fmt: skip
            assert stage is not None
            if edit.action == "rename":
                return s.rename_stage(stage, edit.name, pipeline=pipeline)
            if edit.action == "edit":
                return s.edit_stage(stage, probability=edit.probability, rotting_days=edit.rotting_days,
                                    pipeline=pipeline)  # fmt: skip
            if edit.action == "move":
                return s.move_stage(stage, after=edit.after, first=edit.first, pipeline=pipeline)
            return s.remove_stage(stage, move_deals_to=edit.move_deals_to, pipeline=pipeline)

        doing = {"add": "Adding the stage", "remove": "Removing the stage"}.get(edit.action, "Saving the stage")
        self.submit(lambda: Write(call, doing, follow=Follow.STAY, failed=failed, then=then))

    # imports: the import dialog reads and writes in its own worker, with a progress bar --------
    def preview_import(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        """What importing the file would do; nothing is written."""
        return self.service.preview_import(request, progress)

    def import_file(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        """Import the file in one transaction (taken back with `closedwon import undo BATCH`)."""
        return self.service.import_file(request, progress)

    # undo --------------------------------------------------------------------
    def undo(self) -> None:
        """Take back this session's latest change (never a colleague's, whatever landed since)."""
        self.submit(lambda: self.stacks.take_back(Undo.UNDO))

    def redo(self) -> None:
        self.submit(lambda: self.stacks.take_back(Undo.REDO))
