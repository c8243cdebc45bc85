"""The board in several pipelines: it opens on one, `P` switches, `S` edits the stages (checked as
typed), and undo, moves and the agenda work the same in each. Every change is checked in the
database, through the services the app uses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from closedwon_tui.app.agenda import AgendaScreen
from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.forms.pipeline_picker import PipelinePicker
from closedwon_tui.app.forms.stage_editor import StageEditor
from closedwon_tui.domain.models import StageKind
from closedwon_tui.settings import Settings
from tests.board_helpers import board, column, seed, settled
from tests.screen_text import drawn


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


def two_pipelines(service) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids = seed(service)
    service.add_pipeline("Renewals", stages="Due,Talking")
    ids["renewal"] = service.create_deal("Acme renewal", pipeline="Renewals", amount="5000").deal.id
    service.schedule_followup(ids["renewal"], service.now().date(), "Call Acme")
    return ids


async def landed(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the writes and for the board read again after them."""
    for _ in range(3):
        await settled(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def stage_names(app: ClosedwonApp) -> list[str]:
    return [c.stage.name for c in board(app).columns]


async def test_p_switches_the_pipeline_shown_and_the_title_names_it(sqlite_service):
    two_pipelines(sqlite_service)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False)
    async with app.run_test(size=(140, 40)) as pilot:
        assert stage_names(app)[0] == "Outreach" and board(app).title == "closedwon: Sales"
        await pilot.press("P")
        assert isinstance(app.screen, PipelinePicker)
        await pilot.press("r", "e", "n")  # typing narrows
        assert "Sales" not in drawn(app).split("Show pipeline")[1]
        await pilot.press("enter")
        await landed(pilot)
        assert stage_names(app) == ["Due", "Talking", "Closed Won", "Closed Lost"]
        assert board(app).title == "closedwon: Renewals"
        assert [c.title for c in column(app, "Due").deals] == ["Acme renewal"]
        await pilot.press("P", "escape")  # escape stays
        await landed(pilot)
        assert stage_names(app)[0] == "Due"


async def test_the_board_opens_on_the_pipeline_asked_for_and_moves_stay_in_it(sqlite_service):
    ids = two_pipelines(sqlite_service)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False,
                       pipeline=sqlite_service.pipeline("Renewals").id)  # fmt: skip
    async with app.run_test(size=(140, 40)) as pilot:
        assert stage_names(app)[0] == "Due"
        await pilot.press("L")  # one stage on: Talking, in Renewals
        await landed(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["renewal"]).stage_id).name == "Talking"
        await pilot.press("u")
        await landed(pilot)
        assert sqlite_service.stage(sqlite_service.deal(ids["renewal"]).stage_id).name == "Due"
        await pilot.press("a")  # the agenda covers every pipeline and names each deal's
        await landed(pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert "Renewals" in drawn(app)


async def test_the_stage_editor_sets_a_probability_the_totals_follow_and_u_takes_it_back(sqlite_service):
    seed(sqlite_service)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False)
    async with app.run_test(size=(140, 40)) as pilot:
        before = board(app).model.totals(sqlite_service.stage("Analysis").id).weighted
        await pilot.press("S")
        assert isinstance(app.screen, StageEditor)
        editor = app.screen
        editor.query_one("#stages").highlighted = 2  # Analysis
        await pilot.pause()
        editor.query_one("#probability").value = "101"
        await pilot.pause()
        assert "from 0 to 100" in drawn(app)  # checked as it is typed
        editor.query_one("#probability").value = "90"
        await pilot.press("ctrl+s")
        await landed(pilot)
        assert sqlite_service.stage("Analysis").probability == 90
        assert isinstance(app.screen, StageEditor)  # open again, on the new stages
        await pilot.press("escape")
        await landed(pilot)
        after = board(app).model.totals(sqlite_service.stage("Analysis").id).weighted
        assert after == {c: v * Decimal(90) / Decimal(40) for c, v in before.items()} and after != before
        await pilot.press("u")
        await landed(pilot)
        sqlite_service.forget_stages()
        assert sqlite_service.stage("Analysis").probability == 40
        assert board(app).model.totals(sqlite_service.stage("Analysis").id).weighted == before


async def test_the_stage_editor_adds_a_stage_and_removes_one_moving_its_deals(sqlite_service):
    ids = seed(sqlite_service)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("S")
        editor = app.screen
        assert isinstance(editor, StageEditor)
        editor.query_one("#stages").highlighted = 1  # after Qualification
        await pilot.pause()
        editor.query_one("#name").value = "outreach"
        await pilot.pause()
        assert "already a stage named" in drawn(app)
        editor.query_one("#name").value = "Demo"
        await pilot.press("ctrl+n")
        await landed(pilot)
        sqlite_service.forget_stages()
        assert [s.name for s in sqlite_service.stages()][:3] == ["Outreach", "Qualification", "Demo"]
        await pilot.press("escape")
        await landed(pilot)
        assert stage_names(app)[2] == "Demo"
        negotiation = [
            t for t, i in ids.items() if sqlite_service.stage(sqlite_service.deal(i).stage_id).name == "Negotiation"
        ]
        await pilot.press("S")
        editor = app.screen
        editor.query_one("#stages").highlighted = 5  # Negotiation, which holds deals
        await pilot.press("ctrl+d")
        assert "pick the stage they go to" in drawn(app)
        editor.query_one("#stages").highlighted = 4  # Proposal
        await pilot.press("enter")
        await landed(pilot)
        await pilot.press("escape")
        await landed(pilot)
        sqlite_service.forget_stages()
        assert "Negotiation" not in [s.name for s in sqlite_service.stages()]
        assert "Negotiation" not in stage_names(app)
        for title in negotiation:
            assert sqlite_service.stage(sqlite_service.deal(ids[title]).stage_id).name == "Proposal"
        await pilot.press("u")  # the removal, with its deals' moves
        await landed(pilot)
        sqlite_service.forget_stages()
        assert "Negotiation" in stage_names(app)
        for title in negotiation:
            assert sqlite_service.stage(sqlite_service.deal(ids[title]).stage_id).name == "Negotiation"


async def test_a_colleagues_new_stage_appears_on_the_board(sqlite_service, clock):
    from closedwon_tui.services import PipelineService

    seed(sqlite_service)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False)
    async with app.run_test(size=(140, 40)) as pilot:
        colleague = PipelineService(sqlite_service.db, clock=clock, actor="sam")
        colleague.add_stage("Demo", after="Qualification")
        board(app).sync.check()  # the poll's tick
        await landed(pilot)
        assert stage_names(app)[:3] == ["Outreach", "Qualification", "Demo"]


async def test_the_board_opens_on_the_pipeline_shown_last(sqlite_service):
    from closedwon_tui.app.launch import board_pipeline

    two_pipelines(sqlite_service)
    renewals = sqlite_service.pipeline("Renewals").id
    assert board_pipeline(sqlite_service, None, remember=True) is None  # nothing remembered: the first
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False, pipeline=renewals, remember=True)
    async with app.run_test(size=(140, 40)):
        pass
    assert board_pipeline(sqlite_service, None, remember=True) == renewals
    assert board_pipeline(sqlite_service, "sales", remember=True) == sqlite_service.pipeline("Sales").id
    assert board_pipeline(sqlite_service, None, remember=False) is None  # a demo never remembers
    sqlite_service.move_deal(sqlite_service.deals(pipeline="Renewals")[0].id, "Outreach", pipeline="Sales")
    sqlite_service.remove_pipeline("Renewals")
    assert board_pipeline(sqlite_service, None, remember=True) is None  # gone: the first again


async def test_c_on_another_pipelines_board_reads_its_own_older_outcomes(sqlite_service, clock):
    sqlite_service.add_pipeline("Renewals", stages="Due,Talking")
    clock.advance(days=-200)  # won two quarters ago, in each pipeline
    renewal = sqlite_service.create_deal("Old renewal", pipeline="Renewals").deal
    sqlite_service.mark_won(renewal.id)
    sale = sqlite_service.create_deal("Old sale").deal
    sqlite_service.mark_won(sale.id)
    clock.advance(days=200)
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False,
                       pipeline=sqlite_service.pipeline("Renewals").id)  # fmt: skip
    async with app.run_test(size=(140, 40)) as pilot:
        won = sqlite_service.stage_of_kind(StageKind.WON, "Renewals").id
        assert board(app).model.columns[won] == []  # this quarter's outcomes only
        await pilot.press("C")
        await landed(pilot)
        assert [c.title for c in board(app).model.columns[won]] == ["Old renewal"]
        assert sale.id not in board(app).model.stage_of  # never another pipeline's deal
