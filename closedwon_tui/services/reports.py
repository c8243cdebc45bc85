"""The reports a manager asks for: pipeline, forecast, funnel, outcomes, look back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import EventKind
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services.base import ServiceBase

if TYPE_CHECKING:  # the report code is imported when a report is asked for: a faster start
    from closedwon_tui.domain.reports import Period, Report

#: The history a report reads: every event that can put a deal into a stage or take that back.
STAGE_HISTORY = (
    EventKind.CREATED,
    EventKind.IMPORTED,
    EventKind.MOVED,
    EventKind.WON,
    EventKind.LOST,
    EventKind.REOPENED,
    EventKind.UNDONE,
    EventKind.REDONE,
)


class ReportQueries(ServiceBase):
    def report(self, period: Period | str = "quarter", owner: str | None = None) -> Report:
        """Every report figure for `period` (month, quarter, year, all) and, if given, one owner.

        Deals and their history are read in one transaction, so the figures agree.
        """
        from closedwon_tui.domain.reports import Period, build_report

        try:
            period = Period(str(period).strip().lower())
        except ValueError:
            choices = ", ".join(p.value for p in Period)
            raise ValidationError(f"unknown period {period!r} (choose {choices})", "period") from None
        owner = (owner or "").strip() or None
        now = self.clock()
        stages = self.stages()
        with self.db.read() as repo:
            deals = repo.deals(owner=owner)
            events = repo.events(kinds=STAGE_HISTORY, owner=owner)
        return build_report(deals, events, stages, period=period, now=now, today=local_today(now), owner=owner)

    def owners(self) -> list[str]:
        """Everyone who owns a deal (once, whatever the case), for the report's owner filter."""
        with self.db.read() as repo:
            names = repo.owners()
        seen: dict[str, str] = {}
        for name in names:
            seen.setdefault(name.strip().lower(), name.strip())
        return sorted(seen.values(), key=str.lower)
