"""Import and export across pipelines: `import FILE --pipeline NAME` maps the file's stages to that
pipeline's; the export has a "pipeline" column, which importing the file again honours."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import migrated_sqlite


@pytest.fixture
def make_db(tmp_path, sqlite_template):  # type: ignore[no-untyped-def]
    def make(name: str) -> str:
        return migrated_sqlite(sqlite_template, tmp_path / name)

    return make


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def where(url: str) -> dict[str, tuple[str, str]]:
    """title -> (pipeline, stage), as the database has it."""
    db = Database.open(url)
    try:
        service = PipelineService(db)
        return {
            d.title: (service.pipeline_of(d.stage_id).name, service.stage(d.stage_id).name) for d in service.deals()
        }
    finally:
        db.close()


def test_the_export_names_each_deals_pipeline_and_a_reimport_puts_it_back(capsys, make_db, tmp_path):
    source = make_db("source.db")
    assert run(capsys, "--db", source, "pipeline", "add", "Renewals", "--stages", "Due,Talking")[0] == 0
    run(capsys, "--db", source, "deal", "add", "Sales deal", "--stage", "Proposal")
    run(capsys, "--db", source, "deal", "add", "Renewal deal", "--pipeline", "Renewals", "--stage", "Talking")
    out = tmp_path / "deals.csv"
    assert run(capsys, "--db", source, "export", "--output", str(out))[0] == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["title"], r["pipeline"], r["stage"]) for r in rows] == [
        ("Sales deal", "Sales", "Proposal"), ("Renewal deal", "Renewals", "Talking")]  # fmt: skip

    target = f"sqlite:///{tmp_path / 'target.db'}"  # migrated afresh: a database id of its own
    code, _, err = run(capsys, "--db", target, "import", str(out))
    assert code == 2 and "no pipeline named 'Renewals'" in err and len(err.strip().splitlines()) == 1
    assert where(target) == {}  # nothing imported
    run(capsys, "--db", target, "pipeline", "add", "renewals", "--stages", "Due,Talking")
    code, _, err = run(capsys, "--db", target, "import", str(out))
    assert code == 0, err
    assert where(target) == {"Sales deal": ("Sales", "Proposal"), "Renewal deal": ("renewals", "Talking")}


def test_import_into_a_chosen_pipeline_maps_to_its_stages(capsys, make_db, tmp_path):
    url = make_db("db.db")
    run(capsys, "--db", url, "pipeline", "add", "Partners", "--stages", "Intro,Pilot")
    file = Path(tmp_path / "theirs.csv")
    file.write_text(
        "Title,Stage,Value\nAcme pilot,Pilot,100\nBeta intro,intro,50\nGamma,Proposal,10\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "--db", url, "import", str(file), "--pipeline", "partners")
    assert code == 2 and "'Proposal'" in err and "Intro, Pilot" in err  # mapped against Partners' stages only
    assert where(url) == {}
    code, _, err = run(
        capsys, "--db", url, "import", str(file), "--pipeline", "Partners", "--map-stage", "Proposal=pilot"
    )
    assert code == 0, err
    assert where(url) == {"Acme pilot": ("Partners", "Pilot"), "Beta intro": ("Partners", "Intro"),
                          "Gamma": ("Partners", "Pilot")}  # fmt: skip
    code, _, err = run(capsys, "--db", url, "import", str(file), "--pipeline", "Nowhere")
    assert code == 2 and "unknown pipeline" in err
