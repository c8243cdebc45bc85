"""What the history says: how far deals got through the stages, and how long they stayed in them.

Both figures come from the deals' stays (`replay.stays`, the one replay rule: an undone
change never happened), counted where the data lives: how many deals got at most so far
(`furthest`), and per stage how many stays ended in the period and their seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from closedwon_tui.domain.models import Stage, StageKind

ONE_DECIMAL = Decimal("0.1")
SECONDS_PER_DAY = Decimal(86400)


def funnel_stages(stages: Iterable[Stage]) -> list[Stage]:
    """The funnel's steps: the open stages in board order, then Closed Won."""
    ordered = sorted(stages, key=lambda s: s.position)
    return [s for s in ordered if s.kind is StageKind.OPEN] + [s for s in ordered if s.kind is StageKind.WON]


def funnel_steps(stages: Iterable[Stage]) -> dict[int, int]:
    """stage id -> its step in the funnel (Closed Lost is not a step)."""
    return {stage.id: step for step, stage in enumerate(funnel_stages(stages))}


def furthest_step(path: Iterable[tuple[datetime, int]], steps: Mapping[int, int]) -> int | None:
    """The furthest funnel step a deal's path reached; None when it reached none."""
    return max((steps[stage_id] for _, stage_id in path if stage_id in steps), default=None)


@dataclass(frozen=True, slots=True)
class FunnelStep:
    stage: Stage
    #: Deals that ever reached this stage or a later step of the funnel.
    reached: int
    #: reached here / reached the step before, in percent; None for the first step or after an empty one.
    conversion: Decimal | None


def funnel_figures(furthest: Mapping[int, int], stages: Iterable[Stage]) -> tuple[FunnelStep, ...]:
    """Stage-to-stage conversion from the history, not from where deals sit now.

    `furthest` says, for each step, how many deals got that far and no further. A deal that
    reached a step also passed every step before it (a deal created in Proposal, or won from
    Analysis, still counts for the stages it skipped), so a step never converts more than 100%.
    """
    steps = funnel_stages(stages)
    reached = [sum(n for step, n in furthest.items() if step >= i) for i in range(len(steps))]
    out = []
    for i, stage in enumerate(steps):
        before = reached[i - 1] if i else 0
        conversion = None if not i or not before else (Decimal(100) * reached[i] / before).quantize(ONE_DECIMAL)
        out.append(FunnelStep(stage, reached[i], conversion))
    return tuple(out)


class StayTally(NamedTuple):
    """The stays in one stage that ended in a period: how many, and their whole seconds added up."""

    stage_id: int
    stays: int
    seconds: int


@dataclass(frozen=True, slots=True)
class StageTime:
    stage: Stage
    #: How many stays in this stage ended in the period.
    stays: int
    #: Their average length in days, one decimal; None when there were none.
    average_days: Decimal | None


def stage_time_figures(tallies: Iterable[StayTally], stages: Iterable[Stage]) -> tuple[StageTime, ...]:
    """Average days a deal spent in each open stage, over the stays that ended in the period.

    A stay ends when the deal enters another stage; deals still sitting in a stage are not
    averaged in (their stay is not over yet).
    """
    by_stage = {t.stage_id: t for t in tallies}
    out = []
    for stage in sorted(stages, key=lambda s: s.position):
        if stage.kind is not StageKind.OPEN:
            continue
        tally = by_stage.get(stage.id)
        if tally is None or not tally.stays:
            out.append(StageTime(stage, 0, None))
        else:
            average = (Decimal(tally.seconds) / SECONDS_PER_DAY / tally.stays).quantize(ONE_DECIMAL)
            out.append(StageTime(stage, tally.stays, average))
    return tuple(out)
