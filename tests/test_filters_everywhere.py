"""One filter language on the board (`/`) and the command line (`--filter`): the same deals.

The command line runs on the real clock, so the pipeline here is seeded relative to the real
now, and the board opens on a service with the real clock too: `stale`, `close:` and the
closed deals of this quarter mean the same moment on both sides.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.cli.main import main
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings
from closedwon_tui.storage.database import Database
from tests.board_helpers import board, settled
from tests.conftest import FrozenClock

FILTERS = [
    "",
    "helios",
    "owner:dana",
    "-owner:dana",
    "stage:prop",
    'stage:"closed won"',
    "amount>10k",
    "amount<50k",
    "currency:eur",
    "close:overdue",
    "close:this-month",
    "close:next-quarter",
    "stale",
    "no-next-step",
    "objections",
    "won",
    "lost",
    "-won -lost amount>10k",
    '"polar routes"',
]


def _next_quarter(today: date) -> date:
    start = 3 * ((today.month - 1) // 3) + 1 + 3
    return date(today.year + (start > 12), (start - 1) % 12 + 1, 1)


def seed_real_time(url: str) -> dict[str, int]:
    """A pipeline of every kind of deal, its times relative to the real now; returns ids by title."""
    now = datetime.now(UTC)
    today = local_today(now)
    clock = FrozenClock(now - timedelta(days=40))
    db = Database.open(url)
    try:
        service = PipelineService(db, clock=clock, actor="dana")
        ids = {}
        # Untouched for 40 days in Analysis (rots after 14 days in the default stages), its close date passed.
        ids["Helios rollout"] = service.create_deal(
            "Helios rollout", company="Helios Energy", owner="Dana Smith", amount="48,250", stage="Analysis",
            close_date=(today - timedelta(days=3)).isoformat(),
        ).deal.id  # fmt: skip
        clock.now = now - timedelta(hours=1)
        ids["Orbital fleet"] = service.create_deal(
            "Orbital fleet", owner="Marcus", amount="12k", currency="EUR", stage="Proposal",
            close_date=today.isoformat(),
        ).deal.id  # fmt: skip
        granite = service.create_deal(
            "Granite warehouse", owner="dana", amount="1.5m", stage="Negotiation",
            close_date=_next_quarter(today).isoformat(),
        ).deal.id  # fmt: skip
        ids["Granite warehouse"] = granite
        service.schedule_followup(granite, (today + timedelta(days=2)).isoformat(), "Call the CFO")
        service.add_objection(granite, "price", "Too expensive")
        ids["Atlas renewal"] = service.create_deal("Atlas renewal", owner="Priya").deal.id
        polar = service.create_deal("Polar routes", owner="Marcus", amount="90k", stage="Negotiation").deal.id
        service.mark_won(polar)
        ids["Polar routes"] = polar
        kyoto = service.create_deal("Kyoto licences", amount="1200000", currency="JPY", owner="Dana").deal.id
        service.mark_lost(kyoto, "price")
        ids["Kyoto licences"] = kyoto
        return ids
    finally:
        db.close()


def cli_ids(capsys, url: str, *args: str) -> list[int]:  # type: ignore[no-untyped-def]
    assert main(["--db", url, "deal", "list", "--format", "ids", *args]) == 0
    return [int(i) for i in capsys.readouterr().out.split()]


@pytest.fixture
def real_time_url(tmp_path, sqlite_template) -> str:  # type: ignore[no-untyped-def]
    from tests.conftest import migrated_sqlite

    url = migrated_sqlite(sqlite_template, tmp_path / "real.db")
    seed_real_time(url)
    return url


async def test_the_board_and_the_command_line_show_the_same_deals_for_every_filter(real_time_url, capsys):
    expected = {text: cli_ids(capsys, real_time_url, "--filter", text) for text in FILTERS}
    # Not a vacuous comparison: every filter picks some deals, and they pick different ones.
    assert all(expected.values())
    assert len({tuple(sorted(ids)) for ids in expected.values()}) >= 12
    db = Database.open(real_time_url)
    try:
        app = ClosedwonApp(PipelineService(db), settings=Settings(), celebrate=False)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("C")  # every closed deal, as the command line lists them
            screen = board(app)
            for text in FILTERS:
                await pilot.press("escape")
                if text:
                    await pilot.press("slash", *text, "enter")
                await settled(pilot)
                shown = [d.id for c in screen.columns for d in c.deals]
                assert sorted(shown) == sorted(expected[text]), text
                assert sum(screen.model.totals(c.stage.id).count for c in screen.columns) == len(shown)
    finally:
        db.close()


async def test_a_malformed_filter_is_named_under_the_box_and_the_board_keeps_the_last_good_one(sqlite_service):
    from tests.board_helpers import make_app, seed

    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("slash", *"amount>10k")
        shown = sorted(d.title for c in screen.columns for d in c.deals)
        assert shown == ["Helios rollout", "Orbital fleet", "Polar routes"]  # not Granite (9,500), Atlas (4,800)
        error = screen.query_one("#filter-error")
        assert not error.display
        await pilot.press("backspace", "backspace", "backspace")  # amount>1, then amount>: malformed
        assert error.display
        message = str(error.render())
        assert "'amount>'" in message and "10k" in message
        assert len([d for c in screen.columns for d in c.deals]) == 5  # still amount>1, not a blank board
        await pilot.press("enter")
        assert screen.focused is screen.query_one("#filter")  # enter keeps the box, to fix the term
        await pilot.press(*"50k")
        assert not error.display
        assert [d.title for c in screen.columns for d in c.deals] == ["Polar routes"]
        await pilot.press("space", *"close:soon")
        assert "'close:soon'" in str(error.render()) and "this-quarter" in str(error.render())
        # meanwhile the words before the one being typed filter, not the last filter that parsed (`close`)
        assert [d.title for c in screen.columns for d in c.deals] == ["Polar routes"]


async def test_a_structured_filter_moves_the_column_totals(sqlite_service):
    from tests.board_helpers import make_app, seed

    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        analysis = sqlite_service.stage("Analysis")
        await pilot.press("slash", *"amount>10k -helios", "enter")
        assert [d.title for d in screen.model.visible(analysis.id)] == ["Orbital fleet"]
        assert screen.model.totals(analysis.id).total == {"USD": Decimal("12000.00")}
        header = next(c for c in screen.columns if c.stage.id == analysis.id).header_lines
        assert header[0].endswith(" 1") and header[1] == "Σ $12k"


def test_deal_list_formats(real_time_url, capsys):
    ids = cli_ids(capsys, real_time_url, "--filter", "owner:dana")
    assert len(ids) == 3
    assert main(["--db", real_time_url, "deal", "list", "--filter", "owner:dana", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,title,company,contact,stage,amount,currency")
    assert sorted(int(line.split(",")[0]) for line in lines[1:]) == sorted(ids)
    assert any(",1500000.00,USD," in line for line in lines)  # exact amounts
    assert main(["--db", real_time_url, "deal", "list", "--filter", "owner:dana", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in listed] == ids
    assert main(["--db", real_time_url, "deal", "list", "--filter", "owner:dana"]) == 0
    table = capsys.readouterr().out
    assert "Helios rollout" in table and "Orbital fleet" not in table
    assert main(["--db", real_time_url, "deal", "list", "--filter", "owner:nobody", "--format", "ids"]) == 0
    assert capsys.readouterr().out == ""  # nothing for $(...) to pick up


@pytest.mark.parametrize("command", [["deal", "list"], ["export"], ["report"]])
def test_a_malformed_filter_is_one_line_and_exit_status_2(real_time_url, capsys, command):
    assert main(["--db", real_time_url, *command, "--filter", "amount>lots"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "'amount>lots'" in captured.err and "10k" in captured.err


def test_export_and_report_take_the_same_filter(real_time_url, capsys):
    assert main(["--db", real_time_url, "export", "--format", "json", "--filter", "amount>10k -won -lost"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert sorted(d["title"] for d in exported) == ["Granite warehouse", "Helios rollout", "Orbital fleet"]
    assert main(["--db", real_time_url, "report", "--json", "--filter", "owner:marcus"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["filter"] == "owner:marcus"
    assert report["pipeline"]["count"] == 1  # Orbital fleet (Polar routes is won)
    assert report["pipeline"]["total"] == {"EUR": "12000.00"}
    assert main(["--db", real_time_url, "report", "--json"]) == 0
    everyone = json.loads(capsys.readouterr().out)
    assert everyone["pipeline"]["count"] == 2  # Helios (overdue) and Orbital close by the period's end


async def test_while_a_term_is_being_typed_the_board_filters_by_what_comes_before(sqlite_service):
    from tests.board_helpers import make_app, seed

    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("slash", *"helios sta")  # stale or stage:, on its way: not a word no deal has
        assert [d.title for c in screen.columns for d in c.deals] == ["Helios rollout"]
        await pilot.press(*"ge:neg")
        assert [d.title for c in screen.columns for d in c.deals] == []  # Helios is in Analysis
        await pilot.press("escape")
        await pilot.press("slash", *"sta", "enter")  # enter: every word as typed
        assert screen.model.filter_text == "sta"
