"""The one history replay: which stages a deal went through, and when it entered each.

Used by the panel's time-in-stage bar (`timeline.stage_stays`), by the reports' funnel and
days in stage, and by storage to keep each deal's stays current (`deal_stays`), so the
panel and the reports can never disagree.

The rule for undo: a change that was taken back never happened. A rep undoes a move because
it was a mistake, so the hour the deal spent in the wrong stage is not an hour in that stage:
the deal stayed where it was, and its stay there goes on through the mistake. The history
tab still lists the move and its undo; only where the deal *was* follows this rule.

So a deal enters a stage when it is created, imported, moved, won, lost or reopened; when a redo
applies such a change again; and when an undo takes back an undo (a redo by another name), each
at the time of that event. A deal brought in (or moved) by an import entered its stage when the
file says it did (`details["entered_at"]`), if that is earlier, though never before it entered
the stage it left. A stage change that was undone, and the undo that took it back, put the
deal nowhere. Entering the stage the deal is already in starts
no new stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from closedwon_tui.domain.models import DealEvent, EventKind

#: Events that put a deal into a stage the first time round.
ENTRY_KINDS = frozenset(
    {EventKind.CREATED, EventKind.IMPORTED, EventKind.MOVED, EventKind.WON, EventKind.LOST, EventKind.REOPENED}
)


class StageEvent(NamedTuple):
    """What the replay needs of a history event: a lean row, or taken from a `DealEvent`."""

    id: int
    at: datetime
    kind: str
    to_stage_id: int | None
    #: For an undo, the event it took back.
    undoes: int | None = None
    #: For an import, when the file says the deal entered its stage (ISO text), if it says so.
    entered_at: Any = None

    @classmethod
    def of(cls, event: DealEvent) -> StageEvent:
        undoes = event.details.get("undoes") if event.kind is EventKind.UNDONE else None
        entered = event.details.get("entered_at") if event.kind is EventKind.IMPORTED else None
        return cls(event.id, event.at, event.kind.value, event.to_stage_id, undoes, entered)

    @property
    def entered(self) -> datetime:
        """When the deal entered the event's stage: the event's time, or the earlier time an
        import's file gave (a time the file gave without a zone is read as UTC)."""
        if not self.entered_at:
            return self.at
        try:
            given = datetime.fromisoformat(str(self.entered_at))
        except ValueError:
            return self.at
        if given.tzinfo is None:
            given = given.replace(tzinfo=UTC)
        if self.at.tzinfo is None:  # a naive history is in UTC too
            given = given.astimezone(UTC).replace(tzinfo=None)
        return min(self.at, given)


class Stay(NamedTuple):
    """One uninterrupted stretch of a deal in one stage; `left` is None while it is still there."""

    stage_id: int
    entered: datetime
    left: datetime | None


_ENTRY = frozenset(kind.value for kind in ENTRY_KINDS) | {EventKind.REDONE.value}
_UNDONE = EventKind.UNDONE.value


def stage_path(events: Iterable[StageEvent | DealEvent]) -> list[tuple[datetime, int]]:
    """(when, stage id) each time one deal entered a stage, oldest first, by the rule above."""
    ordered = sorted((e if isinstance(e, StageEvent) else StageEvent.of(e) for e in events), key=lambda e: (e.at, e.id))
    undone = {e.undoes for e in ordered if e.kind == _UNDONE}
    kinds = {e.id: e.kind for e in ordered}
    path: list[tuple[datetime, int]] = []
    for event in ordered:
        if event.to_stage_id is None or event.id in undone:
            continue
        if event.kind == _UNDONE:
            if kinds.get(event.undoes) != _UNDONE:  # type: ignore[arg-type]
                continue  # taking back a change: the deal goes back where it was, and never left
        elif event.kind not in _ENTRY:
            continue
        if not path or path[-1][1] != event.to_stage_id:
            # never before the deal entered the stage it left (a file's time can be older than that)
            path.append((max(event.entered, path[-1][0]) if path else event.entered, event.to_stage_id))
    return path


def stays(path: list[tuple[datetime, int]]) -> list[Stay]:
    """The stays of a path: each lasts until the deal entered the next stage; the last is still on."""
    return [
        Stay(stage_id, entered, path[n + 1][0] if n + 1 < len(path) else None)
        for n, (entered, stage_id) in enumerate(path)
    ]


def stay_seconds(stay: Stay) -> int | None:
    """Whole seconds of a stay that has ended (as the reports average them)."""
    return None if stay.left is None else int((stay.left - stay.entered).total_seconds())
