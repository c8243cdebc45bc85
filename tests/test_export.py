"""`closedwon export`: every field, exactly, in a CSV that import reads back to the same deals."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from closedwon_tui.services.demo import seed_demo
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.imports import ImportStore
from closedwon_tui.transfer.exporting import to_csv, to_json, to_markdown
from closedwon_tui.transfer.headers import CLOSEDWON_COLUMNS
from tests.import_helpers import request, write

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
#: What a deal keeps through an export and an import into another database.
_NOT_CARRIED = {"id", "position", "version", "updated_at"}


def comparable(deal) -> dict:  # type: ignore[no-untyped-def]
    return {k: v for k, v in asdict(deal).items() if k not in _NOT_CARRIED}


@pytest.fixture
def other(tmp_path, clock):  # type: ignore[no-untyped-def]
    database = Database.open(f"sqlite:///{tmp_path / 'other.db'}")
    yield PipelineService(database, clock=clock, actor="dana")
    database.close()


def test_the_csv_export_imports_back_to_the_same_deals(tmp_path, service, other):
    seed_demo(service.db, now=NOW)
    service.edit_deal(service.deals()[0].id, {"title": 'Quote "big", with\nnewline', "company": "Ünïcode; Ltd"})
    export = service.export_deals()
    path = write(tmp_path, "deals.csv", to_csv(export.deals, export.database_id))
    summary = other.import_file(request(path))
    assert (summary.source.value, summary.created, summary.errors) == ("closedwon", 32, [])
    mine = sorted((comparable(d) | {"stage": service.stage(d.stage_id).name} for d in service.deals()), key=str)
    theirs = sorted((comparable(d) | {"stage": other.stage(d.stage_id).name} for d in other.deals()), key=str)
    for deal in mine + theirs:
        deal.pop("stage_id")
    assert mine == theirs
    # each copy remembers where it came from, so importing the file again changes nothing
    with other.db.read() as repo:
        origins = ImportStore(repo).origins([d.id for d in other.deals()])
    assert {o for o, _ in origins.values()} == {"closedwon"}
    assert {i.split("/")[0] for _, i in origins.values()} == {export.database_id}
    assert other.import_file(request(path)).unchanged == 32
    # and this database recognises its own deals, in its own export or in the copy's
    assert service.import_file(request(path)).unchanged == 32
    copy = other.export_deals()
    back = write(tmp_path, "back.csv", to_csv(copy.deals, copy.database_id))
    again = service.import_file(request(back))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 32)


def test_an_edited_export_updates_the_deals_it_names(tmp_path, service):
    deal = service.create_deal("Helios", amount="1000", owner="Dana", next_step="Call").deal
    export = service.export_deals()
    rows = list(csv.DictReader(io.StringIO(to_csv(export.deals, export.database_id))))
    rows[0].update(amount="1250.50", next_step="", stage="Negotiation")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CLOSEDWON_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    summary = service.import_file(request(write(tmp_path, "edited.csv", out.getvalue())))
    assert (summary.updated, summary.created) == (1, 0)
    after = service.deal(deal.id)
    assert (str(after.amount), after.next_step, service.stage(after.stage_id).name) == ("1250.50", "", "Negotiation")


def test_csv_and_json_carry_every_field_exactly(service):
    deal = service.create_deal("Yen deal", amount="1500000", currency="JPY", probability=35, close_date="2026-12-31",
                               budget_ok=True, stage="Closed Lost", lost_reason="price").deal  # fmt: skip
    export = service.export_deals()
    row = next(csv.DictReader(io.StringIO(to_csv(export.deals, export.database_id))))
    assert list(row) == list(CLOSEDWON_COLUMNS)
    assert (row["id"], row["amount"], row["currency"], row["probability"]) == (str(deal.id), "1500000", "JPY", "35")
    assert (row["stage"], row["lost_reason"], row["budget_ok"], row["need_ok"]) == (
        "Closed Lost",
        "price",
        "true",
        "false",
    )
    assert (row["created_at"], row["closed_at"]) == ("2026-11-25T15:00:00+00:00", "2026-11-25T15:00:00+00:00")
    assert (row["close_date"], row["origin_source"], row["database_id"]) == ("2026-12-31", "", export.database_id)
    data = to_json(export.deals, export.database_id)[0]
    assert (data["amount"], data["probability"], data["budget_ok"], data["origin_id"]) == ("1500000", 35, True, None)


def test_markdown_is_a_table_per_stage_and_shows_stored_text_literally(service):
    service.create_deal("Pipe | and *stars*", company="\x1b[31mRed", amount="48250", stage="Proposal")
    service.create_deal("Second", amount="100", currency="EUR", stage="Proposal")
    export = service.export_deals()
    text = to_markdown(export.deals, service.stages(), title="Pipeline")
    assert "## Outreach (0 deals, no amounts)\n\nNo deals." in text
    assert "## Proposal (2 deals, €100.00 + $48,250.00)" in text
    assert "| Pipe \\| and \\*stars\\* | \\\\x1b\\[31mRed | $48,250.00 |  |  |  |" in text
    assert "\x1b" not in text


@pytest.fixture
def cli_db(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "cli.db"
    assert main(["--db", str(path), "deal", "add", "Helios", "--amount", "12,000.50", "--stage", "proposal"]) == 0
    return path


def test_export_command_writes_each_format(tmp_path, capsys, cli_db):
    capsys.readouterr()
    assert main(["--db", str(cli_db), "export"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("id,title,company,") and ",Helios,," in out and "12000.50" in out
    assert main(["--db", str(cli_db), "export", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["amount"] == "12000.50"
    target = tmp_path / "deals.md"
    assert main(["--db", str(cli_db), "export", "--format", "markdown", "-o", str(target)]) == 0
    assert capsys.readouterr().err == f"exported 1 deal to {target}\n"
    assert "| Helios |  | $12,000.50 |" in target.read_text(encoding="utf-8")
    csv_file = tmp_path / "deals.csv"
    assert main(["--db", str(cli_db), "export", "-o", str(csv_file)]) == 0
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfid,title,")  # a BOM, so Excel reads accents right


@pytest.mark.parametrize(("where", "message"), [("missing/deals.csv", "does not exist"), (".", "is a folder")])
def test_export_to_a_place_that_cannot_be_written_is_one_line(tmp_path, capsys, cli_db, where, message):
    capsys.readouterr()
    code = main(["--db", str(cli_db), "export", "-o", str(tmp_path / where)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "") and err.startswith("closedwon: ") and message in err and err.count("\n") == 1
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] and not (tmp_path / "missing").exists()
