"""Import… on the board: the dry run first, enter imports, escape changes nothing, the board reloads."""

from __future__ import annotations

from textual.widgets import Input, Static

from closedwon_tui.app.transfer import ImportScreen, open_import
from tests.board_helpers import board, cards_text, make_app, seed
from tests.dbstate import dump_tables
from tests.import_helpers import fixture


async def _wait_for(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.pause(0.02)
        if condition():
            return
    raise AssertionError("timed out")


def _summary(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#import-summary", Static).render())


def _hint(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#import-hint", Static).render())


async def _read(pilot, app, path: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#import-path", Input).value = path
    await pilot.press("enter")
    await _wait_for(pilot, lambda: not app.screen.busy and (_summary(app)))


async def test_the_palette_opens_import_which_shows_the_dry_run_and_imports_on_enter(sqlite_service, monkeypatch):
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)  # the import reloads, not team sync
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Import")
        await pilot.pause()
        await pilot.press("enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        before = dump_tables(sqlite_service.db.engine)
        await _read(pilot, app, fixture("pipedrive_deals.csv"))
        assert "created        4  (would be new deals)" in _summary(app)
        assert _hint(app) == "enter imports 4 deals · esc changes nothing"
        assert dump_tables(sqlite_service.db.engine) == before  # the dry run wrote nothing
        await pilot.press("enter")
        await _wait_for(pilot, lambda: not isinstance(app.screen, ImportScreen))
        helios = next(d for d in sqlite_service.deals() if d.title == "Helios platform rollout")
        await _wait_for(pilot, lambda: board(app).model.index_of(helios.id) is not None)  # the board reloaded
        assert any("Helios platf" in line for line in cards_text(app, "Proposal"))
        assert len(sqlite_service.deals()) == 5 + 4
        assert [b.created for b in sqlite_service.import_batches()] == [4]
        assert any("Imported from Pipedrive: 4 new" in n.message for n in app._notifications)


async def test_escape_after_the_dry_run_changes_nothing(sqlite_service):
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        before = dump_tables(sqlite_service.db.engine)
        open_import(board(app), board(app).session, board(app).reload_board)
        await pilot.pause()
        await _read(pilot, app, fixture("zoho_deals.csv"))
        assert "Zoho export zoho_deals.csv" in _summary(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert dump_tables(sqlite_service.db.engine) == before


async def test_unknown_stages_are_mapped_in_the_dialog(sqlite_service):
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        open_import(board(app), board(app).session, board(app).reload_board)
        await pilot.pause()
        await _read(pilot, app, fixture("unknown_stages.csv"))
        mapping = app.screen.query_one("#import-map", Input)
        assert mapping.value == "Blue Sky Stage=; Handshake=" and mapping.has_focus
        assert "'Blue Sky Stage': 2 rows" in _summary(app)
        await pilot.press(*"outreach", "end", *"negotiation", "enter")
        await _wait_for(pilot, lambda: not app.screen.busy and "created        4" in _summary(app))
        assert mapping.value == "Blue Sky Stage=outreach; Handshake=negotiation"
        await pilot.press("enter")
        await _wait_for(pilot, lambda: not isinstance(app.screen, ImportScreen))
        stages = {d.title: sqlite_service.stage(d.stage_id).name for d in sqlite_service.deals()}
        assert stages == {"Willow reminders": "Outreach", "Marble billing": "Outreach",
                          "Beacon donor CRM": "Negotiation", "Orion traceability": "Proposal"}  # fmt: skip


async def test_rows_with_problems_are_named_and_left_out_only_when_the_rep_says_enter(sqlite_service):
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        open_import(board(app), board(app).session, board(app).reload_board)
        await pilot.pause()
        await _read(pilot, app, fixture("bad_rows.csv"))
        assert "row 3, column 'Deal - Value': not an amount: 'lots'" in _summary(app)
        assert _hint(app) == "enter imports 2 deals (4 rows with problems are left out) · esc changes nothing"
        await pilot.press("enter")
        await _wait_for(pilot, lambda: not isinstance(app.screen, ImportScreen))
        assert sorted(d.title for d in sqlite_service.deals()) == ["Good one", "Good two"]


async def test_a_file_that_cannot_be_read_says_why_and_stays_open(sqlite_service, tmp_path):
    app = make_app(sqlite_service)
    async with app.run_test(size=(80, 24)) as pilot:
        open_import(board(app), board(app).session, board(app).reload_board)
        await pilot.pause()
        await _read(pilot, app, str(tmp_path / "nowhere.csv"))
        assert _summary(app) == f"no such file: {tmp_path / 'nowhere.csv'}"
        assert isinstance(app.screen, ImportScreen)
        (tmp_path / "evil.csv").write_text("Deal - Title,Deal - Stage\nX,\x1b[31mRed\n", encoding="utf-8")
        await _read(pilot, app, str(tmp_path / "evil.csv"))
        assert "\x1b" not in _summary(app) and "\\x1b[31mRed" in _summary(app)


async def test_importing_from_a_pipelines_board_brings_the_deals_into_that_pipeline(sqlite_service, tmp_path):
    from closedwon_tui.app.app import ClosedwonApp
    from closedwon_tui.settings import Settings

    sqlite_service.add_pipeline("Renewals", stages="Due,Talking")
    file = tmp_path / "renewals.csv"
    file.write_text("Title,Stage,Value\nAcme renewal,Talking,100\n", encoding="utf-8")
    app = ClosedwonApp(sqlite_service, settings=Settings(), celebrate=False,
                       pipeline=sqlite_service.pipeline("Renewals").id)  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        open_import(board(app), board(app).session, board(app).reload_board)
        await _wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        assert "into pipeline Renewals" in str(app.screen.query_one(Static).render())
        await _read(pilot, app, str(file))
        await pilot.press("enter")
        await _wait_for(pilot, lambda: not isinstance(app.screen, ImportScreen))
    deal = next(d for d in sqlite_service.deals() if d.title == "Acme renewal")
    assert (sqlite_service.pipeline_of(deal.stage_id).name, sqlite_service.stage(deal.stage_id).name) == (
        "Renewals", "Talking")  # fmt: skip
