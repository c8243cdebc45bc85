"""`closedwon backup` and `restore`: every row of every table comes back as it was, or nothing changes."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from closedwon_tui.cli.main import main
from closedwon_tui.domain.errors import ClosedwonError, ValidationError
from closedwon_tui.services import PipelineService
from closedwon_tui.services.demo import seed_demo
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.migrate import SCHEMA_HEAD
from closedwon_tui.storage.tables import metadata
from closedwon_tui.transfer.backup_format import FORMAT_VERSION, read_backup
from tests.conftest import FrozenClock
from tests.dbstate import dump_tables
from tests.import_helpers import request

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A SQLite database with the demo pipeline, an import, and every kind of row (built once: read only)."""
    database = Database.open(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    service = PipelineService(database, clock=FrozenClock(), actor="dana")
    seed_demo(database, now=NOW)
    service.import_file(request("pipedrive_deals.csv"))
    service.undo_import(service.import_file(request("zoho_deals.csv")).batch)
    yield service
    database.close()


def backup_of(service: PipelineService) -> bytes:
    out = io.StringIO()
    service.write_backup(out)
    return out.getvalue().encode("utf-8")


def test_a_backup_restores_every_row_of_every_table(demo, service):
    """Demo database (SQLite) -> backup -> restore into an empty one, on each backend."""
    data = backup_of(demo)
    summary = service.restore_backup(data)
    assert summary.deals == len(demo.deals()) > 30
    assert dump_tables(service.db.engine) == dump_tables(demo.db.engine)
    # the restored database backs up to the same rows again
    assert read_backup(backup_of(service)).tables == read_backup(data).tables
    # and ids keep counting after the restored ones
    assert service.create_deal("After the restore").deal.id == max(d.id for d in demo.deals()) + 1


def test_the_backup_is_the_documented_format(demo):
    doc = json.loads(backup_of(demo))
    assert (doc["format"], doc["format_version"], doc["schema_revision"]) == (
        "closedwon-backup",
        FORMAT_VERSION,
        SCHEMA_HEAD,
    )
    assert list(doc["tables"]) == [t.name for t in metadata.sorted_tables]  # every table, in load order
    deals = doc["tables"]["deals"]
    columns = [name for name, _ in deals["columns"]]
    assert dict(deals["columns"])["created_at"] == "utc_datetime"
    first = dict(zip(columns, deals["rows"][0]))
    assert isinstance(first["amount_minor"], int) and first["created_at"].endswith("+00:00")
    followup = dict(zip([n for n, _ in doc["tables"]["followups"]["columns"]], doc["tables"]["followups"]["rows"][0]))
    assert "+" not in followup["due"]  # a wall-clock time stays one


def test_restore_refuses_a_database_that_is_not_empty(demo, service):
    service.create_deal("Mine")
    before = dump_tables(service.db.engine)
    with pytest.raises(ValidationError, match=r"the database is not empty \(it has 1 deal\)"):
        service.restore_backup(backup_of(demo))
    assert dump_tables(service.db.engine) == before


def test_a_changed_pipeline_is_not_empty_either(demo, service):
    with service.db.write() as repo:
        repo.connection.execute(text("UPDATE stages SET name = 'Discovery' WHERE name = 'Outreach'"))
    with pytest.raises(ValidationError, match="not empty .*stages"):
        service.restore_backup(backup_of(demo))


def test_a_backup_of_an_older_schema_restores_and_is_upgraded(demo, service):
    doc = json.loads(backup_of(demo))
    # The same pipeline as the first schema wrote it: no import columns, no batches, no database id,
    # no stays (the upgrade replays them from the history).
    doc["schema_revision"] = "0001"
    for name in ("import_batches", "database_info", "deal_stays", "pipelines", "pipeline_events"):
        del doc["tables"][name]
    stages = doc["tables"]["stages"]  # one pipeline then: its stages had none
    kept = [i for i, (name, _) in enumerate(stages["columns"]) if name not in ("pipeline_id", "archived")]
    stages["columns"] = [stages["columns"][i] for i in kept]
    stages["rows"] = [[row[i] for i in kept] for row in stages["rows"]]
    deals = doc["tables"]["deals"]
    keep = [i for i, (name, _) in enumerate(deals["columns"]) if not name.startswith("origin_")]
    deals["columns"] = [deals["columns"][i] for i in keep]
    deals["rows"] = [[row[i] for i in keep] for row in deals["rows"]]
    service.restore_backup(json.dumps(doc).encode())
    restored, original = dump_tables(service.db.engine), dump_tables(demo.db.engine)
    assert restored["alembic_version"] == [(SCHEMA_HEAD,)]
    for name in ("stages", "deal_events", "objections", "followups", "notes", "deal_stays"):
        assert restored[name] == original[name], name
    assert [row[:-2] for row in restored["deals"]] == [row[:-2] for row in original["deals"]]
    assert len(restored["database_info"]) == 1  # the upgrade gave it an id of its own


def test_a_restore_that_fails_halfway_changes_nothing(demo, service):
    doc = json.loads(backup_of(demo))
    doc["tables"]["notes"]["rows"].append(doc["tables"]["notes"]["rows"][0])  # a duplicate key, late in the load
    before = dump_tables(service.db.engine)
    with pytest.raises(ClosedwonError, match="cannot be restored, nothing was written"):
        service.restore_backup(json.dumps(doc).encode())
    assert dump_tables(service.db.engine) == before


@pytest.fixture
def files(tmp_path, demo) -> Path:  # type: ignore[no-untyped-def]
    (tmp_path / "good.json").write_bytes(backup_of(demo))
    return tmp_path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_and_restore_commands(capsys, files, demo):
    deals = len(demo.deals())
    code, out, err = cli(capsys, "--db", str(files / "first.db"), "restore", str(files / "good.json"))
    assert (code, err) == (0, "") and out.startswith(f"restored {deals} deals (")
    code, out, err = cli(capsys, "--db", str(files / "first.db"), "backup", str(files / "b.json"))
    assert (code, out) == (0, "") and err.startswith(f"backed up {deals} deals (")
    assert f"to {files / 'b.json'} (schema {SCHEMA_HEAD}, backup format 1)" in err
    code, out, err = cli(capsys, "--db", str(files / "second.db"), "restore", str(files / "b.json"))
    assert (code, err) == (0, "") and out.startswith(f"restored {deals} deals (")
    code, out, err = cli(capsys, "--db", str(files / "second.db"), "restore", str(files / "b.json"))
    assert (code, out) == (2, "") and err == (
        f"closedwon: the database is not empty (it has {deals} deals); restore into a new one, e.g. "
        "closedwon --db restored.db restore FILE\n"
    )


def _doc(files: Path, change) -> bytes:  # type: ignore[no-untyped-def]
    doc = json.loads((files / "good.json").read_bytes())
    change(doc)
    return json.dumps(doc).encode()


BAD_BACKUPS = {
    "missing": (None, "no such file"),
    "empty": (lambda f: b"", "not a closedwon backup (the file is empty)"),
    "not json": (lambda f: b"id,title\n1,x\n", "not a closedwon backup (it is not JSON)"),
    "binary": (lambda f: b"\x00\x01\x02\xff", "not a closedwon backup (it is not JSON)"),
    "other json": (lambda f: b'{"deals": []}', 'not a closedwon backup (it has no "format": "closedwon-backup")'),
    "newer format": (lambda f: _doc(f, lambda d: d.update(format_version=2)), "format 2, written by a newer closedwon"),
    "newer schema": (lambda f: _doc(f, lambda d: d.update(schema_revision="9999")), "schema 9999, written by a newer"),
    "bad value": (lambda f: _doc(f, lambda d: d["tables"]["deals"]["rows"][0].__setitem__(0, "one")),
                  "table 'deals', row 1: not an integer: 'one'"),
    "short row": (lambda f: _doc(f, lambda d: d["tables"]["notes"]["rows"][0].pop()), "row 1 does not have 4 values"),
    "bad moment": (lambda f: _doc(f, lambda d: d["tables"]["deals"]["rows"][0].__setitem__(20, "2026-11-25T15:00:00")),
                   "a moment needs its zone"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_BACKUPS))
def test_every_bad_backup_gets_one_line_and_changes_nothing(capsys, files, case):
    make, message = BAD_BACKUPS[case]
    path = files / "bad.json"
    if make is not None:
        path.write_bytes(make(files))
    target = files / "target.db"
    Database.open(f"sqlite:///{target}").close()
    database = Database.open(f"sqlite:///{target}")
    before = dump_tables(database.engine)
    code, out, err = cli(capsys, "--db", str(target), "restore", str(path))
    assert (code, out) == (2, "")
    assert err.startswith("closedwon: ") and err.count("\n") == 1 and message in err, err
    assert dump_tables(database.engine) == before
    database.close()
