"""What the history says: which stages each deal reached, and how long it stayed in them.

A deal's path is read from its stage events (created, imported, moved, won, lost, reopened, and the
undo/redo of those). A change that was undone never happened as far as the funnel is
concerned: the undone event and the undo that took it back are both left out, and a redo
counts as entering the stage again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from closedwon_tui.domain.models import DealEvent, EventKind, Stage, StageKind

ONE_DECIMAL = Decimal("0.1")
SECONDS_PER_DAY = Decimal(86400)

#: Events that put a deal into a stage the first time round.
_ENTRY_KINDS = frozenset(
    {EventKind.CREATED, EventKind.IMPORTED, EventKind.MOVED, EventKind.WON, EventKind.LOST, EventKind.REOPENED}
)


def entered_at(event: DealEvent) -> datetime:
    """When the deal entered the event's stage: the event's time, or for a deal brought in by an
    import, when it entered that stage in the system it came from (the file says so)."""
    if event.kind is EventKind.IMPORTED and event.details.get("entered_at"):
        try:
            return min(event.at, datetime.fromisoformat(str(event.details["entered_at"])))
        except ValueError:
            return event.at
    return event.at


def stage_path(events: Iterable[DealEvent]) -> list[tuple[datetime, int]]:
    """(when, stage id) each time one deal entered a stage, oldest first, undone changes left out."""
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    by_id = {e.id: e for e in ordered}
    undone = {e.details.get("undoes") for e in ordered if e.kind is EventKind.UNDONE}
    path: list[tuple[datetime, int]] = []
    for event in ordered:
        if event.to_stage_id is None or event.id in undone:
            continue
        if event.kind is EventKind.UNDONE:
            target = by_id.get(event.details.get("undoes"))  # type: ignore[arg-type]
            if target is None or target.kind is not EventKind.UNDONE:
                continue  # taking back a change: the deal goes back where it was
        elif event.kind not in _ENTRY_KINDS and event.kind is not EventKind.REDONE:
            continue
        if not path or path[-1][1] != event.to_stage_id:
            path.append((entered_at(event), event.to_stage_id))
    return path


def paths_by_deal(events: Iterable[DealEvent]) -> dict[int, list[tuple[datetime, int]]]:
    grouped: dict[int, list[DealEvent]] = defaultdict(list)
    for event in events:
        grouped[event.deal_id].append(event)
    return {deal_id: stage_path(evs) for deal_id, evs in grouped.items()}


def funnel_stages(stages: Iterable[Stage]) -> list[Stage]:
    """The funnel's steps: the open stages in board order, then Closed Won."""
    ordered = sorted(stages, key=lambda s: s.position)
    return [s for s in ordered if s.kind is StageKind.OPEN] + [s for s in ordered if s.kind is StageKind.WON]


@dataclass(frozen=True, slots=True)
class FunnelStep:
    stage: Stage
    #: Deals that ever reached this stage or a later step of the funnel.
    reached: int
    #: reached here / reached the step before, in percent; None for the first step or after an empty one.
    conversion: Decimal | None


def funnel_figures(paths: Iterable[list[tuple[datetime, int]]], stages: Iterable[Stage]) -> tuple[FunnelStep, ...]:
    """Stage-to-stage conversion from the history, not from where deals sit now.

    A deal that reached a step also passed every step before it (a deal created in Proposal,
    or won from Analysis, still counts for the stages it skipped), so a step never converts
    more than 100%. Closed Lost is not a step.
    """
    steps = funnel_stages(stages)
    index = {s.id: i for i, s in enumerate(steps)}
    reached = [0] * len(steps)
    for path in paths:
        furthest = max((index[stage_id] for _, stage_id in path if stage_id in index), default=None)
        if furthest is None:
            continue
        for i in range(furthest + 1):
            reached[i] += 1
    out = []
    for i, stage in enumerate(steps):
        before = reached[i - 1] if i else 0
        conversion = None if not i or not before else (Decimal(100) * reached[i] / before).quantize(ONE_DECIMAL)
        out.append(FunnelStep(stage, reached[i], conversion))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class StageTime:
    stage: Stage
    #: How many stays in this stage ended in the period.
    stays: int
    #: Their average length in days, one decimal; None when there were none.
    average_days: Decimal | None


def stage_time_figures(
    paths: Iterable[list[tuple[datetime, int]]], stages: Iterable[Stage], start: datetime | None, end: datetime | None
) -> tuple[StageTime, ...]:
    """Average days a deal spent in each open stage, over the stays that ended in [start, end).

    A stay ends when the deal enters another stage; deals still sitting in a stage are not
    averaged in (their stay is not over yet).
    """
    open_stages = [s for s in sorted(stages, key=lambda s: s.position) if s.kind is StageKind.OPEN]
    seconds: dict[int, list[Decimal]] = {s.id: [] for s in open_stages}
    for path in paths:
        for (entered, stage_id), (left, _) in zip(path, path[1:]):
            if stage_id in seconds and (start is None or left >= start) and (end is None or left < end):
                seconds[stage_id].append(Decimal(int((left - entered).total_seconds())))
    return tuple(
        StageTime(
            stage,
            len(seconds[stage.id]),
            (sum(seconds[stage.id]) / SECONDS_PER_DAY / len(seconds[stage.id])).quantize(ONE_DECIMAL)
            if seconds[stage.id]
            else None,
        )
        for stage in open_stages
    )
