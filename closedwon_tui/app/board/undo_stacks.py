"""The session's undo and redo: each entry is the events of one change (one per deal, several for a
bulk action, taken back together) or a stage change, by event id, never "the latest event": on a
shared database that may be a colleague's. Plain Python, like the session."""

from __future__ import annotations

from closedwon_tui.app.board.writes import Follow, SessionView, StageUndo, Undo, Write
from closedwon_tui.domain.errors import ClosedwonError, ConflictError

Entry = tuple[int, ...] | StageUndo


class UndoStacks:
    def __init__(self, view: SessionView) -> None:
        self.view = view
        #: What `u` can take back (newest last) and what `ctrl+y` can redo.
        self.undo: list[Entry] = []
        self.redo: list[Entry] = []

    def record(self, entry: Entry, undo: Undo) -> None:
        """A change landed: a new one is undoable (and clears the redo), an undo can be redone, a redo undone."""
        if undo is Undo.RECORD:
            self.undo.append(entry)
            self.redo.clear()
        elif undo is Undo.UNDO:
            self.redo.append(entry)
        else:
            self.undo.append(entry)

    def take_back(self, undo: Undo) -> Write | None:
        """The write that undoes (`Undo.UNDO`) the newest change on the undo stack, or redoes
        (`Undo.REDO`) the newest undone one; None (and the rep told) when there is none."""
        stack = self.undo if undo is Undo.UNDO else self.redo
        if not stack:
            self.view.say("Nothing to undo in this session" if undo is Undo.UNDO else "Nothing to redo")
            return None
        entry = stack.pop()
        doing = "Undoing" if undo is Undo.UNDO else "Redoing"

        def failed(error: ClosedwonError) -> None:
            self._not_flipped(stack, entry, error)

        if isinstance(entry, StageUndo):
            event_id = entry.event_id
            if undo is Undo.UNDO:
                return Write(lambda s: s.undo_stage_change(event_id), doing, undo, failed=failed)
            return Write(lambda s: s.redo_stage_change(event_id), doing, undo, failed=failed)
        event_ids = entry
        # An undo of one deal's change follows the card; of a bulk action, the cursor stays.
        follow = Follow.CARD if len(event_ids) == 1 else Follow.STAY
        if undo is Undo.UNDO:
            return Write(lambda s: s.undo_events(event_ids), doing, undo, follow=follow, failed=failed)
        return Write(lambda s: s.redo_events(event_ids), doing, undo, follow=follow, failed=failed)

    def _not_flipped(self, stack: list[Entry], entry: Entry, error: ClosedwonError) -> None:
        """An undo or redo was refused: a busy database may let it through later, so it stays on its
        stack; a conflict (the deal changed since) never will, so it is dropped (already shown)."""
        if not isinstance(error, ConflictError):
            stack.append(entry)
            self.view.show_error(str(error), conflict=False)
