"""The reports a manager asks for: pipeline, forecast, funnel, outcomes, look back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import Pipeline, Stage, StageKind
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.storage.repository import Repository

if TYPE_CHECKING:  # the report code is imported when a report is asked for: a faster start
    from closedwon_tui.domain.reports import Period, Report


class ReportQueries(ServiceBase):
    def report(
        self,
        period: Period | str = "quarter",
        owner: str | None = None,
        pipeline: int | str | Pipeline | None = None,
        *,
        deal_ids: Sequence[int] | None = None,
    ) -> Report:
        """Every report figure for `period` (month, quarter, year, all) and, if given, one owner
        and one pipeline. Without a pipeline, with several: the figures of all of them, and each
        pipeline's own report in `sections` (the sections by stage never mix pipelines). With
        `deal_ids` (the deals a filter matched), only those deals count.

        The figures are counted in SQL (see storage/report_queries.py), all in one read
        transaction so that they agree; each is exactly what replaying the whole history gives
        (tests/test_reports_replay.py compares the two on random databases). With `deal_ids`
        (the deals a filter matched), only those deals count.
        """
        from closedwon_tui.domain.reports import Period

        try:
            period = Period(str(period).strip().lower())
        except ValueError:
            choices = ", ".join(p.value for p in Period)
            raise ValidationError(f"unknown period {period!r} (choose {choices})", "period") from None
        owner = (owner or "").strip() or None
        now = self.clock()
        self.forget_stages()  # a colleague may have changed the stages since
        chosen = None if pipeline is None else self.pipeline(pipeline)
        pipelines = self.pipelines()
        with self.db.read() as repo:
            if chosen is not None or len(pipelines) == 1:
                shown = chosen or pipelines[0]
                report = self._figures(repo, period, owner, now, self.stages(shown), deal_ids)
                return replace(report, pipeline_name=None if chosen is None else shown.name)
            every = [s for p in pipelines for s in self.stages(p)]
            sections = tuple(
                replace(self._figures(repo, period, owner, now, self.stages(p), deal_ids), pipeline_name=p.name)
                for p in pipelines
            )
            combined = self._figures(repo, period, owner, now, every, deal_ids)
            # The sections by stage are each pipeline's own: never every pipeline's stages mixed
            # (the combined pipeline figures keep their totals; their rows by stage are not shown).
            return replace(combined, sections=sections, funnel=(), stage_times=())

    @staticmethod
    def _figures(
        repo: Repository, period: Period, owner: str | None, now: datetime, stages: list[Stage],
        deal_ids: Sequence[int] | None = None,
    ) -> Report:  # fmt: skip
        """The report of the deals in `stages` (one pipeline's, or every pipeline's)."""
        from closedwon_tui.domain.forecast import (
            close_bounds,
            forecast_figures,
            forecast_months,
            in_pipeline,
            pipeline_figures,
        )  # fmt: skip
        from closedwon_tui.domain.funnel import funnel_figures, funnel_steps, stage_time_figures
        from closedwon_tui.domain.reports import Report, add_months, local_midnight, outcomes, period_range
        from closedwon_tui.storage.report_queries import ReportCounts, ReportScope

        today = local_today(now)
        start, end = period_range(period, now)
        months = forecast_months(today, end)
        bounds = [local_midnight(m) for m in (*months, add_months(months[-1], 1))]
        close_edges = close_bounds(today, months, end)
        won_ids = [s.id for s in stages if s.kind is StageKind.WON]
        lost_ids = [s.id for s in stages if s.kind is StageKind.LOST]
        counts = ReportCounts(repo.connection, ReportScope(start, end, owner, deal_ids), stages)
        deals = counts.deal_tallies(close_edges)
        closed = counts.closed_tallies(won_ids, lost_ids)
        won = counts.won_tallies(won_ids, bounds)
        lookback = counts.lookbacks(won_ids)
        furthest = counts.furthest_steps(funnel_steps(stages))
        stays = counts.stay_tallies()
        open_ids = {s.id for s in stages if s.is_open}
        pipeline = [t for t in deals if t.stage_id in open_ids and in_pipeline(t.bucket, close_edges, end)]
        open_counts: dict[str, int] = {}
        for tally in pipeline:
            open_counts[tally.currency] = open_counts.get(tally.currency, 0) + tally.count
        return Report(
            period=period,
            start=start,
            end=end,
            owner=owner,
            now=now,
            pipeline=pipeline_figures(pipeline, stages),
            forecast=forecast_figures(pipeline, won, months),
            funnel=funnel_figures(furthest, stages),
            outcomes=outcomes(closed, open_counts),
            stage_times=stage_time_figures(stays, stages),
            lookback=tuple(lookback),
            currencies=tuple(sorted({t.currency for t in deals if t.priced})),
            deal_count=sum(t.count for t in deals),
        )

    def owners(self) -> list[str]:
        """Everyone who owns a deal (once, whatever the case), for the report's owner filter."""
        with self.db.read() as repo:
            names = repo.owners()
        seen: dict[str, str] = {}
        for name in names:
            seen.setdefault(name.strip().lower(), name.strip())
        return sorted(seen.values(), key=str.lower)
