"""What the board's session works with: a write (the service call and what it means to the rep),
its outcome, how it joins the undo and where the cursor goes, and what the session asks of the
screen it serves (`SessionView`). Plain Python, like the session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.domain.models import Change, DealCard, DealDetail, StageChange
from closedwon_tui.services import PipelineService

Call = Callable[[PipelineService], "Change[Any] | StageChange"]
#: Told why a write was refused (a form opens again with what was typed, and the message).
Failed = Callable[[ClosedwonError], None]


class Follow(Enum):
    """Where the cursor goes when a change lands."""

    CARD = "card"  # with the changed deal, if the cursor is still on it (a move: the selection follows)
    ALWAYS = "always"  # to the changed deal (a new deal)
    STAY = "stay"  # where it is (activity, a look back: the rep may be elsewhere by now)


class Undo(Enum):
    """How a change joins the session's undo."""

    RECORD = "record"  # a new change: undoable, and it clears the redo stack
    UNDO = "undo"  # an undo: its event can be redone
    REDO = "redo"  # a redo: its event can be undone again


@dataclass(frozen=True)
class Write:
    """One service call, ready to run, with what it means to the rep."""

    call: Call
    #: What the rep is waiting for, e.g. "Moving Helios rollout to Proposal".
    doing: str
    undo: Undo = Undo.RECORD
    follow: Follow = Follow.CARD
    #: After the change is applied (e.g. offer the next follow-up).
    then: Callable[[Any], None] | None = None
    #: When the write is refused: gets the message instead of the view (e.g. the form opens again
    #: with what was typed and why). A conflict is always shown, and the board read again.
    failed: Callable[[ClosedwonError], None] | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker hands back: the change (and the panel's deal read again), or the error."""

    change: Change[Any] | None = None
    detail: DealDetail | None = None
    error: ClosedwonError | None = None
    #: A change to the pipeline's stages (or the pipeline), in place of a deal's.
    stage_change: StageChange | None = None


@dataclass(frozen=True)
class StageUndo:
    """On the session's undo and redo stacks: a stage or pipeline change, by its event id."""

    event_id: int


@dataclass(frozen=True)
class StageEdit:
    """What the stage editor asks for, as typed (the service checks it again): `action` is one of
    "add", "rename", "edit", "move", "remove"; stages by id, in the board's pipeline."""

    action: str
    stage_id: int | None = None
    name: str = ""
    probability: str | None = None
    rotting_days: str | None = None
    after: int | None = None
    first: bool = False
    move_deals_to: int | None = None


#: Runs `work` off the UI thread and calls `done` with its outcome on the UI thread.
Runner = Callable[[Callable[[], Outcome], Callable[[Outcome], None]], None]


def run_at_once(work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
    """A runner for code without an event loop (and tests): the call runs right here."""
    done(work())


class SessionView(Protocol):
    """What the session asks of the screen it serves."""

    def panel_deal(self) -> int | None:
        """The deal the panel shows (its detail is read again after a change to it), if any."""

    def waiting(self, doing: str | None) -> None:
        """Show that a write waits for the database (None: it landed, or failed)."""

    def show_change(self, change: Change[Any], stages: set[int], detail: DealDetail | None, follow: Follow) -> None:
        """Redraw what a change touched: these columns, the card, the panel when `detail` is given."""

    def show_undo(self, change: Change[Any]) -> None:
        """Say what an undo or a redo took back."""

    def show_error(self, message: str, *, conflict: bool) -> None:
        """One line; after a conflict the board is read again."""

    def say(self, message: str) -> None:
        """A short note (nothing to undo, no stage that way)."""

    def reload_board(self) -> None:
        """Read the whole board again: a change spread out a column's ordering keys (rare), so the
        keys the board holds for that column's other cards are out of date."""

    def ask_lost_reason(self, deal: DealCard, position: int | None) -> None:
        """A move into Closed Lost needs its reason first; the answer comes back as `move(..., lost=)`."""

    def ask_lost_reasons(self, deals: list[DealCard], answered: Callable[[LostReason], None]) -> None:
        """Marked deals going into Closed Lost: one reason for all of them (not called when cancelled)."""

    def ask_settle(self, deals: list[DealCard], answered: Callable[[bool], None]) -> None:
        """Closing deals with pending follow-ups: mark them done (True, the default) or keep them (False)."""

    def stages_changed(self, change: StageChange, undo: Undo) -> None:
        """The pipeline's stages changed (or an undo took a change back): say what, draw them again."""


@dataclass(frozen=True)
class LostReason:
    reason: str
    note: str = ""
