"""`pipeline:NAME` in the filter language, on the board and the command line (`deal list`, `export`,
`report`): the same deals. The pipeline in CSV listings, `export --pipeline`, and moving several
deals across with `deal move ID ID STAGE --pipeline P`. Bad input: one line, exit 2, nothing changed.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from textual.widgets import Input

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings
from closedwon_tui.storage.database import Database
from tests.board_helpers import board, settled
from tests.test_filters_everywhere import seed_real_time

#: Filters read against every pipeline: the board of each pipeline together must show what the
#: command line lists.
FILTERS = [
    "pipeline:renewals",
    "pipeline:REN",
    "pipeline:2",
    "-pipeline:renewals",
    "pipeline:sales",
    "pipeline:sales owner:dana",
    "pipeline:renewals amount>10k",
    "-pipeline:sales -won -lost",
    "pipeline:renewals won",
    'pipeline:"key accounts"',
]


@pytest.fixture(autouse=True)
def _no_team_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("closedwon_tui.app.board.sync.POLL_SECONDS", 3600)


@pytest.fixture
def url(tmp_path, sqlite_template) -> str:  # type: ignore[no-untyped-def]
    """The real-time pipeline of test_filters_everywhere in Sales, and three deals in Renewals
    (one of them won); Key Accounts has none."""
    from tests.conftest import migrated_sqlite

    url = migrated_sqlite(sqlite_template, tmp_path / "pipelines.db")
    seed_real_time(url)
    db = Database.open(url)
    try:
        service = PipelineService(db, actor="dana")
        service.add_pipeline("Renewals", stages="Due,Talking")
        service.add_pipeline("Key Accounts", stages="Mapping")
        service.create_deal("Acme renewal", pipeline="Renewals", amount="25k", owner="Dana")
        service.create_deal("Globex renewal", pipeline="Renewals", amount="4k", owner="Marcus", stage="Talking")
        won = service.create_deal("Initech renewal", pipeline="Renewals", amount="60k", owner="Priya").deal.id
        service.mark_won(won)
    finally:
        db.close()
    return url


def run(capsys, url: str, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        code = main(["--db", url, *args])
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys, url: str, *args: str) -> list[int]:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, url, "deal", "list", "--format", "ids", *args)
    assert (code, err) == (0, ""), err
    return [int(i) for i in out.split()]


def titles(url: str, ids: list[int]) -> set[str]:
    db = Database.open(url)
    try:
        service = PipelineService(db)
        return {service.deal(i).title for i in ids}
    finally:
        db.close()


def test_the_command_line_reads_pipeline_terms_across_every_pipeline(url, capsys):
    renewals = listed(capsys, url, "--filter", "pipeline:renewals")
    assert titles(url, renewals) == {"Acme renewal", "Globex renewal", "Initech renewal"}
    assert listed(capsys, url, "--filter", "pipeline:ren") == renewals
    assert listed(capsys, url, "--filter", "pipeline:2") == renewals  # by its number, as `pipeline list` shows
    assert listed(capsys, url, "--pipeline", "renewals") == renewals
    everything = listed(capsys, url)
    assert sorted(listed(capsys, url, "--filter", "-pipeline:renewals")) == sorted(set(everything) - set(renewals))
    assert titles(url, listed(capsys, url, "--filter", "pipeline:renewals amount>10k -won")) == {"Acme renewal"}
    assert listed(capsys, url, "--filter", 'pipeline:"key accounts"') == []
    # With --pipeline as well, both hold: another pipeline's name matches nothing.
    assert listed(capsys, url, "--pipeline", "sales", "--filter", "pipeline:renewals") == []


async def test_the_board_of_each_pipeline_shows_what_the_command_line_lists(url, capsys):
    expected = {text: listed(capsys, url, "--filter", text) for text in FILTERS}
    assert len({tuple(sorted(ids)) for ids in expected.values()}) >= 6  # they pick different deals
    db = Database.open(url)
    try:
        service = PipelineService(db)
        shown: dict[str, list[int]] = {text: [] for text in FILTERS}
        for pipeline in service.pipelines():
            app = ClosedwonApp(service, settings=Settings(), celebrate=False, pipeline=pipeline.id)
            async with app.run_test(size=(160, 50)) as pilot:
                await pilot.press("C")  # every closed deal, as the command line lists them
                screen = board(app)
                assert screen.model.pipeline is not None and screen.model.pipeline.id == pipeline.id
                for text in FILTERS:
                    await pilot.press("escape", "slash")
                    if text == FILTERS[0]:
                        await pilot.press(*text)  # typed, as a rep does
                    else:
                        screen.query_one("#filter", Input).value = text  # as pasted: quicker to test
                    await pilot.press("enter")
                    await settled(pilot)
                    assert not screen.query_one("#filter-error").display, text
                    on_board = [d.id for c in screen.columns for d in c.deals]
                    assert sum(screen.model.totals(c.stage.id).count for c in screen.columns) == len(on_board)
                    shown[text] += on_board
        for text in FILTERS:
            assert sorted(shown[text]) == sorted(expected[text]), text
    finally:
        db.close()


async def test_an_unknown_pipeline_is_named_under_the_filter_box_with_the_pipelines_there_are(url):
    db = Database.open(url)
    try:
        app = ClosedwonApp(PipelineService(db), settings=Settings(), celebrate=False)
        async with app.run_test(size=(160, 50)) as pilot:
            screen = board(app)
            before = sorted(d.id for c in screen.columns for d in c.deals)
            await pilot.press("slash", *"pipeline:partners")
            error = screen.query_one("#filter-error")
            assert error.display
            message = str(error.render())
            assert "'pipeline:partners'" in message and "Sales, Renewals, Key Accounts" in message
            assert sorted(d.id for c in screen.columns for d in c.deals) == before  # the board stays
    finally:
        db.close()


@pytest.mark.parametrize("command", [["deal", "list"], ["export"], ["report"]])
def test_an_unknown_pipeline_in_a_filter_is_one_line_and_exit_2(url, capsys, command):
    code, out, err = run(capsys, url, *command, "--filter", "-pipeline:partners")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "'-pipeline:partners'" in err and "Sales, Renewals, Key Accounts" in err


def test_export_and_report_take_pipeline_terms(url, capsys):
    code, out, _ = run(capsys, url, "export", "--format", "json", "--filter", "pipeline:renewals -won")
    assert code == 0
    assert sorted((d["title"], d["pipeline"]) for d in json.loads(out)) == [
        ("Acme renewal", "Renewals"), ("Globex renewal", "Renewals"),
    ]  # fmt: skip
    code, out, _ = run(capsys, url, "report", "--json", "--filter", "pipeline:renewals")
    assert code == 0
    report = json.loads(out)
    assert report["filter"] == "pipeline:renewals"
    # Across pipelines: the won renewal only (not Polar routes, won in Sales), and no Sales deal
    # in Sales's funnel, while Renewals's funnel has its deals.
    assert report["outcomes"]["won_count"] == 1 and report["outcomes"]["won_total"] == {"USD": "60000.00"}
    funnels = {s["name"]: {f["stage"]: f["reached"] for f in s["funnel"]} for s in report["pipelines"]}
    assert set(funnels["Sales"].values()) == {0}
    assert funnels["Renewals"]["Closed Won"] == 1 and funnels["Renewals"]["Talking"] >= 1


def test_csv_listing_has_a_pipeline_column_when_there_are_several(url, capsys, tmp_path, sqlite_template):
    code, out, _ = run(capsys, url, "deal", "list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:6] == ["id", "title", "company", "contact", "stage", "pipeline"]
    by_title = {r["title"]: (r["stage"], r["pipeline"]) for r in rows}
    assert by_title["Globex renewal"] == ("Talking", "Renewals")
    assert by_title["Orbital fleet"] == ("Proposal", "Sales")
    code, out, _ = run(capsys, url, "deal", "list", "--format", "csv", "--pipeline", "renewals")
    assert out.splitlines()[0].split(",")[5] == "pipeline"  # the same columns for every listing
    code, out, _ = run(capsys, url, "deal", "list")  # the table too
    assert "PIPELINE" in out.splitlines()[0] and "Renewals" in out
    # One pipeline: the columns as before.
    from tests.conftest import migrated_sqlite

    single = migrated_sqlite(sqlite_template, tmp_path / "single.db")
    assert run(capsys, single, "deal", "add", "Solo")[0] == 0
    code, out, _ = run(capsys, single, "deal", "list", "--format", "csv")
    assert out.splitlines()[0].startswith("id,title,company,contact,stage,amount,")


def test_export_pipeline_limits_the_export_to_it(url, capsys, tmp_path):
    code, out, _ = run(capsys, url, "export", "--format", "json", "--pipeline", "ren")
    assert code == 0
    exported = json.loads(out)
    assert sorted(d["title"] for d in exported) == ["Acme renewal", "Globex renewal", "Initech renewal"]
    code, out, _ = run(capsys, url, "export", "--format", "json", "--pipeline", "renewals", "--filter", "won")
    assert [d["title"] for d in json.loads(out)] == ["Initech renewal"]
    code, out, _ = run(capsys, url, "export", "--format", "markdown", "--pipeline", "renewals")
    assert "## Due (1 deal" in out and "## Talking (1 deal" in out
    assert "Proposal" not in out and "Helios" not in out
    target = tmp_path / "renewals.csv"
    code, _, err = run(capsys, url, "export", "--pipeline", "renewals", "-o", str(target))
    assert code == 0 and "exported 3 deals" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert {r["pipeline"] for r in rows} == {"Renewals"} and len(rows) == 3


def test_export_of_an_unknown_pipeline_is_one_line_and_exit_2(url, capsys, tmp_path):
    target = tmp_path / "nothing.csv"
    code, out, err = run(capsys, url, "export", "--pipeline", "partners", "-o", str(target))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "unknown pipeline" in err and "Renewals" in err
    assert not target.exists()


def test_deal_move_of_several_deals_across_pipelines_is_all_or_nothing(url, capsys):
    sales = listed(capsys, url, "--filter", "pipeline:sales -won -lost owner:dana")
    assert len(sales) == 2
    renewal = listed(capsys, url, "--filter", "pipeline:renewals stage:due")
    ids = [str(i) for i in (*sales, *renewal)]
    before = run(capsys, url, "deal", "list", "--json")[1]
    # Without --pipeline, a stage of another pipeline is refused; an unknown one too: nothing moves.
    for args in (
        (*ids, "Talking"),
        (*ids, "Talking", "--pipeline", "partners"),
        (*ids, "Proposal", "--pipeline", "ren"),
    ):
        code, out, err = run(capsys, url, "deal", "move", *args)
        assert (code, out) == (2, ""), args
        assert err.count("\n") == 1 and "Traceback" not in err, err
    assert run(capsys, url, "deal", "list", "--json")[1] == before
    code, out, err = run(capsys, url, "deal", "move", *ids, "talk", "--pipeline", "renewals")
    assert (code, err) == (0, "")
    assert out.count("now in Talking (Renewals)") == 3
    moved = {d["id"]: (d["stage"], d["pipeline"]) for d in json.loads(run(capsys, url, "deal", "list", "--json")[1])}
    assert all(moved[int(i)] == ("Talking", "Renewals") for i in ids)
