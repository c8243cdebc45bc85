"""The reports screen: pipeline, forecast, funnel, outcomes and look back for a period and owner.

The figures are computed by the service in a worker thread; widgets are updated on the
app thread when they arrive. The period tabs and the owner filter apply to every section.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Select, Static, Tabs
from textual.worker import Worker, WorkerState, get_current_worker

from closedwon_tui.app.app import app_of
from closedwon_tui.app.commands import ListedCommands
from closedwon_tui.app.literal import plain
from closedwon_tui.app.reports import sections
from closedwon_tui.app.reports.charts import BarChart
from closedwon_tui.app.reports.period_tabs import PeriodTabs
from closedwon_tui.domain.report_text import scope_text
from closedwon_tui.domain.reports import Period, Report
from closedwon_tui.services import PipelineService

ALL_OWNERS = ""
ALL_PIPELINES = 0


class ReportCommands(ListedCommands):
    """The report's keys in the command palette."""

    def commands(self) -> Iterator[tuple[str, object, str]]:
        screen = self.screen
        if not isinstance(screen, ReportsScreen):  # the palette was opened elsewhere
            return
        for period in Period:
            yield f"Report: {period.label}", partial(screen.set_period, period), f"Every figure for {period.label}"
        yield "Report: choose owner", screen.action_choose_owner, "Show one owner's deals, or everyone's"
        yield "Report: choose pipeline", screen.action_choose_pipeline, "Show one pipeline, or every pipeline apart"
        yield "Report: refresh", screen.action_refresh, "Compute the figures again"
        yield "Report: back to board", screen.action_close, "Close the reports"


class ReportsScreen(Screen[None]):
    """`r` on the board. Escape or q goes back."""

    CSS_PATH = "reports.tcss"
    #: Under 100 columns the owner and pipeline choices are narrower: the period tabs keep their room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    COMMANDS = {ReportCommands}
    AUTO_FOCUS = "#report-body"
    BINDINGS = [
        Binding("escape,q", "close", "Back to board", id="reports.close", tooltip="Close the reports"),
        Binding(
            "p",
            "next_period",
            "Period",
            id="reports.period",
            tooltip="Next period: this month, this quarter, this year, all time",
        ),  # fmt: skip
        Binding("o", "choose_owner", "Owner", id="reports.owner", tooltip="Show one owner's deals, or everyone's"),
        Binding(
            "P",
            "choose_pipeline",
            "Pipeline",
            id="reports.pipeline",
            show=False,
            tooltip="Show one pipeline, or every pipeline (each one's stages apart)",
        ),  # fmt: skip
        Binding("R", "refresh", "Refresh", id="reports.refresh", tooltip="Compute the figures again"),
    ]

    def __init__(self, period: Period | str = Period.QUARTER, owner: str | None = None) -> None:
        super().__init__()
        self.period = Period(period)
        self.owner = owner or None
        #: The pipeline shown (None: every pipeline, each one's stage sections apart).
        self.pipeline_id: int | None = None
        self.report: Report | None = None
        self.owner_choices: list[str] = []
        self.pipeline_choices: list[int] = []

    @property
    def service(self) -> PipelineService:
        return app_of(self).service

    def compose(self) -> ComposeResult:
        yield Static(id="report-title")
        with Horizontal(id="report-controls"):
            yield PeriodTabs(self.period, id="report-period")
            owners = [("All owners", ALL_OWNERS)] + ([(plain(self.owner), self.owner)] if self.owner else [])
            yield Select(owners, value=self.owner or ALL_OWNERS, allow_blank=False, id="report-owner")
            pipelines: Select[int] = Select([("All pipelines", ALL_PIPELINES)], value=ALL_PIPELINES,
                                            allow_blank=False, id="report-pipeline")  # fmt: skip
            pipelines.display = False  # shown once there is more than one pipeline
            yield pipelines
        with VerticalScroll(id="report-body"):
            yield Static(id="report-empty")
            with _section("Pipeline", "pipeline"):
                yield BarChart(id="pipeline-chart")
                yield Static(id="pipeline-notes", classes="notes")
            with _section("Forecast by expected close month", "forecast"):
                yield BarChart(id="forecast-chart")
                yield Static(id="forecast-notes", classes="notes")
            with _section("Funnel", "funnel"):
                yield BarChart(centred=True, id="funnel-chart")
                yield Static(id="funnel-notes", classes="notes")
            with _section("Outcomes", "outcomes"):
                yield BarChart(id="outcome-chart")
                yield Static(id="outcome-notes")
                yield Static("Lost reasons", classes="subheading")
                yield BarChart(id="lost-chart")
                yield Static(id="lost-none", classes="notes")
                yield Static("Average days in each stage", classes="subheading")
                yield BarChart(id="stage-time-chart")
                yield Static(id="stage-time-notes", classes="notes")
            with _section("Look back", "lookback"):
                yield Static(id="lookback-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Reports"
        self.reload()

    # loading --------------------------------------------------------------
    def reload(self) -> None:
        self.query_one("#report-title", Static).update(
            Content.assemble(("Reports", "bold"), plain(f"  computing {self.period.label}…", "$text-muted"))
        )
        self.compute(self.period, self.owner, self.pipeline_id)

    @work(thread=True, exit_on_error=False, exclusive=True, group="report")
    def compute(self, period: Period, owner: str | None, pipeline_id: int | None = None) -> None:
        report = self.service.report(period, owner=owner, pipeline=pipeline_id)
        owners = self.service.owners()
        pipelines = [(p.id, p.name) for p in self.service.pipelines()]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_report, report, owners, pipelines)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "report" and event.state is WorkerState.ERROR:
            message = plain(str(event.worker.error) or type(event.worker.error).__name__)
            self.query_one("#report-title", Static).update(
                Content.assemble(("Reports", "bold"), ("  cannot compute the figures: ", "$text-error"), message)
            )

    def show_report(self, report: Report, owners: list[str], pipelines: list[tuple[int, str]] | None = None) -> None:
        """Draw every section from a freshly computed report (app thread)."""
        if report.period is not self.period or report.owner != self.owner:
            return  # the rep has asked for something else since
        self.report = report
        self._set_owners(owners)
        self._set_pipelines(pipelines or [])
        self.query_one("#report-title", Static).update(
            Content.assemble(("Reports", "bold"), plain("  " + scope_text(report), "$text-muted"))
        )
        empty = self.query_one("#report-empty", Static)
        empty.display = report.is_empty
        empty.update(
            Content.styled("No deals here yet: every figure is zero. Add deals on the board with n.", "$text-warning")
        )
        self.query_one("#pipeline-chart", BarChart).show(sections.by_pipeline(report, sections.pipeline_rows))
        self.query_one("#pipeline-notes", Static).update(sections.pipeline_notes(report))
        self.query_one("#forecast-chart", BarChart).show(sections.forecast_rows(report))
        self.query_one("#forecast-notes", Static).update(sections.forecast_notes(report))
        self.query_one("#funnel-chart", BarChart).show(sections.by_pipeline(report, sections.funnel_rows))
        self.query_one("#funnel-notes", Static).update(sections.funnel_notes(report))
        self.query_one("#outcome-chart", BarChart).show(sections.outcome_rows(report))
        self.query_one("#outcome-notes", Static).update(sections.outcome_notes(report))
        lost = sections.lost_reason_rows(report)
        self.query_one("#lost-chart", BarChart).show(lost)
        self.query_one("#lost-chart").display = bool(lost)
        self.query_one("#lost-none", Static).update("No deals lost." if not lost else "")
        self.query_one("#lost-none").display = not lost
        self.query_one("#stage-time-chart", BarChart).show(sections.by_pipeline(report, sections.stage_time_rows))
        ended = report.period.label if report.start else "at any time"
        self.query_one("#stage-time-notes", Static).update(
            plain(f"Stays that ended {ended} (deals still in a stage not counted)")
        )
        self.query_one("#lookback-text", Static).update(sections.lookback_content(report))
        for name, subtitle in sections.subtitles(report).items():
            self.query_one(f"#{name}-section").border_subtitle = subtitle

    def _set_owners(self, owners: list[str]) -> None:
        select: Select[str] = self.query_one("#report-owner", Select)
        options: list[tuple[str | Content, str]] = [("All owners", ALL_OWNERS)] + [(plain(o), o) for o in owners]
        if self.owner and self.owner.lower() not in {o.lower() for o in owners}:
            options.append((plain(self.owner), self.owner))
        values = [v for _, v in options]
        if values == self.owner_choices:
            return
        self.owner_choices = values
        with select.prevent(Select.Changed):
            select.set_options(options)
            select.value = next((v for _, v in options if v and self.owner and v.lower() == self.owner.lower()),
                                ALL_OWNERS)  # fmt: skip

    def _set_pipelines(self, pipelines: list[tuple[int, str]]) -> None:
        select: Select[int] = self.query_one("#report-pipeline", Select)
        select.display = len(pipelines) > 1
        options: list[tuple[str | Content, int]] = [("All pipelines", ALL_PIPELINES)]
        options += [(plain(name), pipeline_id) for pipeline_id, name in pipelines]
        values = [v for _, v in options]
        if values == self.pipeline_choices:
            return
        self.pipeline_choices = values
        with select.prevent(Select.Changed):
            select.set_options(options)
            select.value = self.pipeline_id if self.pipeline_id in values else ALL_PIPELINES

    # choosing --------------------------------------------------------------
    @on(Tabs.TabActivated, "#report-period")
    def _period_chosen(self, event: Tabs.TabActivated) -> None:
        event.stop()
        period = Period(str(event.tab.id).removeprefix("period-"))
        if period is not self.period:
            self.period = period
            self.reload()

    @on(Select.Changed, "#report-owner")
    def _owner_chosen(self, event: Select.Changed) -> None:
        event.stop()
        owner = str(event.value) if event.value not in (Select.BLANK, ALL_OWNERS) else None
        if owner != self.owner:
            self.owner = owner
            self.reload()

    @on(Select.Changed, "#report-pipeline")
    def _pipeline_chosen(self, event: Select.Changed) -> None:
        event.stop()
        chosen = event.value if isinstance(event.value, int) and event.value != ALL_PIPELINES else None
        if chosen != self.pipeline_id:
            self.pipeline_id = chosen
            self.reload()

    def action_choose_pipeline(self) -> None:
        select = self.query_one("#report-pipeline", Select)
        if not select.display:
            return
        select.focus()
        select.action_show_overlay()

    def set_period(self, period: Period) -> None:
        self.query_one("#report-period", Tabs).active = f"period-{Period(period).value}"

    def action_next_period(self) -> None:
        # From the tab shown, not self.period: quick presses arrive before the tabs report back.
        shown = Period(str(self.query_one("#report-period", Tabs).active).removeprefix("period-"))
        periods = list(Period)
        self.set_period(periods[(periods.index(shown) + 1) % len(periods)])

    def action_choose_owner(self) -> None:
        select = self.query_one("#report-owner", Select)
        select.focus()
        select.action_show_overlay()

    def action_refresh(self) -> None:
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)


def _section(title: str, name: str) -> Vertical:
    section = Vertical(id=f"{name}-section", classes="report-section")
    section.border_title = title
    return section
