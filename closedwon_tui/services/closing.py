"""What the closed-won celebration tells the rep: the win, and where it leaves their month and quarter."""

from __future__ import annotations

import dataclasses
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
    def won_context(self, deal_id: int) -> WonContext:
        """The figures the celebration shows for a deal that is now closed won."""
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
            closed = repo.deals(stage_ids=[won_stage.id, lost_stage.id], owner=deal.owner or None)
            history = repo.events(deal_id)
        stages = self.stages(pipeline)
        month = outcome_figures(closed, stages, *period_range(Period.MONTH, now))
        quarter_range = period_range(Period.QUARTER, now)
        quarter = outcome_figures(closed, stages, *quarter_range)
        before_win = _state_before_win(deal, history)
        others = [d for d in closed if d.id != deal.id]
        before = outcome_figures(others + ([before_win] if before_win else []), stages, *quarter_range)
        return WonContext(
            deal=deal,
            cycle_days=sales_cycle_days(deal) or 0,
            owner=deal.owner,
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
