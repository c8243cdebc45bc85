"""What the closed-won celebration tells the rep: the win, and where it leaves their month and quarter."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import Deal, DealEvent, StageKind
from closedwon_tui.domain.rules import sales_cycle_days
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.services.snapshots import restore

if TYPE_CHECKING:  # the report code is imported when a deal is won: a faster start
    from closedwon_tui.domain.reports import Outcomes


@dataclass(frozen=True, slots=True)
class WonContext:
    """A won deal in context: the figures are the deal owner's (everyone's when it has no owner)."""

    deal: Deal
    #: Days from the deal's creation to its close.
    cycle_days: int
    owner: str
    month: Outcomes
    quarter: Outcomes
    #: The quarter's win rate (percent, one decimal) without this win and with it; None when nothing had closed.
    win_rate_before: Decimal | None
    win_rate_after: Decimal | None

    @property
    def win_rate_change(self) -> Decimal | None:
        """In percentage points; None when there was no win rate before."""
        if self.win_rate_before is None or self.win_rate_after is None:
            return None
        return self.win_rate_after - self.win_rate_before


class ClosingQueries(ServiceBase):
    def won_context(self, deal_id: int, *, also: Sequence[int] = ()) -> WonContext:
        """The figures the celebration shows for a deal that is now closed won (with `also`: the other
        deals won with it in one bulk action, so the win rate before leaves them all out)."""
        from closedwon_tui.domain.reports import Period, outcome_figures, period_range

        now = self.clock()
        with self.db.read() as repo:
            deal = repo.deal(deal_id)
            # The figures of the deal's own pipeline: a renewal's win counts among renewals.
            pipeline = self.pipeline_of(deal.stage_id)
            won_stage = self.stage_of_kind(StageKind.WON, pipeline)
            lost_stage = self.stage_of_kind(StageKind.LOST, pipeline)
            if deal.stage_id != won_stage.id:
                raise ValidationError(f"deal {deal_id} is not closed won")
            owners = {deal.owner} | {d.owner for d in repo.deals(ids=list(also))} if also else {deal.owner}
            owner = deal.owner if len(owners) == 1 and deal.owner else None
            closed = repo.deals(stage_ids=[won_stage.id, lost_stage.id], owner=owner)
            histories = {i: repo.events(i) for i in (deal_id, *also)}
        stages = self.stages(pipeline)
        month = outcome_figures(closed, stages, *period_range(Period.MONTH, now))
        quarter_range = period_range(Period.QUARTER, now)
        quarter = outcome_figures(closed, stages, *quarter_range)
        won_now = {d.id: d for d in closed if d.id in histories}
        befores = [b for i, d in won_now.items() if (b := _state_before_win(d, histories[i])) is not None]
        others = [d for d in closed if d.id not in histories]
        before = outcome_figures(others + befores, stages, *quarter_range)
        return WonContext(
            deal=deal,
            cycle_days=sales_cycle_days(deal) or 0,
            owner=owner or "",
            month=month,
            quarter=quarter,
            win_rate_before=before.win_rate,
            win_rate_after=quarter.win_rate,
        )


def _state_before_win(deal: Deal, history: list[DealEvent]) -> Deal | None:
    """The deal as it was just before it entered Closed Won (None when it was created there)."""
    for event in reversed(history):
        before = event.details.get("before")
        if event.to_stage_id == deal.stage_id and isinstance(before, dict) and "stage_id" in before:
            fields = {k: v for k, v in restore(before).items() if k in {f.name for f in dataclasses.fields(Deal)}}
            return dataclasses.replace(deal, **fields)
    return None
