"""`closedwon agenda` with several pipelines names each deal's pipeline, as the board's agenda does:
a stage called "Due" alone does not say which funnel the deal is in."""

from __future__ import annotations

import json
from datetime import date

from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from tests.conftest import open_migrated


def _seed(path, template, *, renewals: bool) -> None:  # type: ignore[no-untyped-def]
    db = open_migrated(template, path)
    service = PipelineService(db, actor="dana")
    helios = service.create_deal("Helios rollout", company="Helios Energy", stage="Proposal", owner="Dana").deal
    service.schedule_followup(helios.id, date.today(), "send deck")
    if renewals:
        service.add_pipeline("Renewals", stages="Due,Talking")
        acme = service.create_deal("Acme renewal", company="Acme", pipeline="Renewals", owner="Dana").deal
        service.schedule_followup(acme.id, date.today(), "call Acme")
    db.close()


def test_the_agenda_names_each_deals_pipeline_when_there_are_several(tmp_path, sqlite_template, capsys):
    path = tmp_path / "cli.db"
    _seed(path, sqlite_template, renewals=True)
    assert main(["--db", str(path), "agenda"]) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert "Helios Energy · Sales › Proposal · Dana — send deck" in lines
    assert "Acme · Renewals › Due · Dana — call Acme" in lines
    assert main(["--db", str(path), "agenda", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert {(i["title"], i["pipeline"], i["stage"]) for i in items} == {
        ("Helios rollout", "Sales", "Proposal"), ("Acme renewal", "Renewals", "Due"),
    }  # fmt: skip


def test_with_one_pipeline_the_agenda_names_only_the_stage(tmp_path, sqlite_template, capsys):
    path = tmp_path / "cli.db"
    _seed(path, sqlite_template, renewals=False)
    assert main(["--db", str(path), "agenda"]) == 0
    assert "Helios Energy · Proposal · Dana — send deck" in [
        line.strip() for line in capsys.readouterr().out.splitlines()
    ]
