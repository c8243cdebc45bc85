"""Reports with several pipelines: one pipeline's report counts only its deals; every pipeline's
has each pipeline's stage sections apart (the funnel never mixes their stages) and totals that
add up; the CLI and the reports screen choose the pipeline."""

from __future__ import annotations

import json
from datetime import timedelta

from closedwon_tui.app.reports import ReportsScreen
from closedwon_tui.cli.main import main
from closedwon_tui.domain.reports import Period
from tests.board_helpers import make_app
from tests.screen_text import drawn


def two_pipelines(service) -> None:  # type: ignore[no-untyped-def]
    service.add_pipeline("Renewals", stages="Due,Talking")
    close = service.now().date() + timedelta(days=5)
    service.create_deal("Sales one", stage="Proposal", amount="1000", close_date=close)
    won = service.create_deal("Sales won", stage="Negotiation", amount="3000").deal
    service.mark_won(won.id)
    renewal = service.create_deal("Renewal one", pipeline="Renewals", amount="500", close_date=close).deal
    service.move_deal(renewal.id, "Talking")
    lost = service.create_deal("Renewal lost", pipeline="Renewals", amount="200").deal
    service.mark_lost(lost.id, "price")


def test_one_pipelines_report_counts_only_its_deals(service):
    two_pipelines(service)
    renewals = service.report(Period.ALL, pipeline="renewals")
    assert renewals.pipeline_name == "Renewals" and not renewals.sections
    assert [s.stage.name for s in renewals.pipeline.stages] == ["Due", "Talking"]
    assert renewals.pipeline.count == 1 and renewals.deal_count == 2
    assert (renewals.outcomes.won_count, renewals.outcomes.lost_count) == (0, 1)
    assert [(f.stage.name, f.reached) for f in renewals.funnel] == [("Due", 2), ("Talking", 1), ("Closed Won", 0)]
    sales = service.report(Period.ALL, pipeline="Sales")
    assert (sales.outcomes.won_count, sales.outcomes.lost_count, sales.deal_count) == (1, 0, 2)


def test_every_pipelines_report_keeps_each_pipelines_stages_apart_and_adds_up(service):
    two_pipelines(service)
    report = service.report(Period.ALL)
    assert report.pipeline_name is None
    assert [s.pipeline_name for s in report.sections] == ["Sales", "Renewals"]
    for section in report.sections:
        own = {s.name for s in service.stages(section.pipeline_name)}
        assert {f.stage.name for f in section.funnel} <= own  # never another pipeline's stage
        assert {t.stage.pipeline_id for t in section.stage_times} <= {service.pipeline(section.pipeline_name).id}
    assert report.funnel == () and report.stage_times == ()
    assert report.deal_count == sum(s.deal_count for s in report.sections) == 4
    assert report.pipeline.count == sum(s.pipeline.count for s in report.sections) == 2
    assert (report.outcomes.won_count, report.outcomes.lost_count) == (1, 1)


def test_with_one_pipeline_the_report_is_as_it_always_was(service):
    service.create_deal("Only", stage="Proposal", amount="1000")
    report = service.report(Period.ALL)
    assert report.sections == () and report.pipeline_name is None and report.funnel


def test_report_pipeline_on_the_command_line(capsys, tmp_path, sqlite_template, clock):
    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage.database import Database
    from tests.conftest import migrated_sqlite

    url = migrated_sqlite(sqlite_template, tmp_path / "r.db")
    db = Database.open(url)
    two_pipelines(PipelineService(db, clock=clock))
    db.close()
    assert main(["--db", url, "report", "--period", "all", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in data["pipelines"]] == ["Sales", "Renewals"]
    assert data["pipeline"]["stages"] == [] and data["pipeline"]["count"] == 2
    assert main(["--db", url, "report", "--period", "all", "--pipeline", "ren"]) == 0
    out = capsys.readouterr().out
    assert "pipeline Renewals" in out.splitlines()[0] and "Proposal" not in out
    assert main(["--db", url, "report", "--pipeline", "nope"]) == 2
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and "unknown pipeline" in err


async def test_the_reports_screen_chooses_a_pipeline(sqlite_service):
    two_pipelines(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(140, 60)) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        shown = drawn(app)
        assert "every pipeline" in shown and "Renewals" in shown and "Proposal" in shown
        screen.query_one("#report-pipeline").value = sqlite_service.pipeline("Renewals").id
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = drawn(app)
        assert "pipeline Renewals" in shown and "Proposal" not in shown
        assert screen.report is not None and screen.report.pipeline_name == "Renewals"
