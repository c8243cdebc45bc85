"""`closedwon agenda [--json]`: the same groups as the app, for a script or a morning glance."""

from __future__ import annotations

import json
from datetime import date, timedelta

from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from tests.conftest import open_migrated


def _seed(path, template) -> date:  # type: ignore[no-untyped-def]
    """Follow-ups relative to the real today (the CLI runs on the real clock)."""
    db = open_migrated(template, path)
    service = PipelineService(db, actor="dana")
    today = date.today()
    helios = service.create_deal("Helios rollout", company="Helios Energy", stage="Proposal", owner="Dana").deal
    orbital = service.create_deal("Orbital analytics", company="Orbital Freight", owner="Marcus").deal
    service.schedule_followup(helios.id, today - timedelta(days=1), "chase signature")
    service.schedule_followup(orbital.id, today, "send deck")
    service.schedule_followup(helios.id, today + timedelta(days=30), "renewal call")
    db.close()
    return today


def test_agenda_text_groups_followups(tmp_path, sqlite_template, capsys):
    path = tmp_path / "cli.db"
    today = _seed(path, sqlite_template)
    assert main(["--db", str(path), "agenda"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Overdue (1)"
    assert f"{today - timedelta(days=1):%a %Y-%m-%d} (yesterday)" in lines[1] and "Helios rollout" in lines[1]
    assert lines[2].strip() == "Helios Energy · Proposal · Dana — chase signature"
    assert "Today (1)" in lines and "Later (1)" in lines
    assert out.index("Today (1)") < out.index("send deck") < out.index("Later (1)") < out.index("renewal call")


def test_agenda_json_has_one_object_per_followup_with_its_bucket(tmp_path, sqlite_template, capsys):
    path = tmp_path / "cli.db"
    today = _seed(path, sqlite_template)
    assert main(["--db", str(path), "agenda", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["bucket"], i["note"]) for i in items] == [
        ("overdue", "chase signature"), ("today", "send deck"), ("later", "renewal call"),
    ]  # fmt: skip
    assert items[0]["due"] == (today - timedelta(days=1)).isoformat()
    assert {k: items[1][k] for k in ("title", "company", "stage", "owner", "has_time")} == {
        "title": "Orbital analytics", "company": "Orbital Freight", "stage": "Outreach", "owner": "Marcus",
        "has_time": False,
    }  # fmt: skip


def test_agenda_by_owner_and_when_empty(tmp_path, sqlite_template, capsys):
    path = tmp_path / "cli.db"
    _seed(path, sqlite_template)
    assert main(["--db", str(path), "agenda", "--owner", "Marcus", "--json"]) == 0
    assert [i["note"] for i in json.loads(capsys.readouterr().out)] == ["send deck"]
    assert main(["--db", str(tmp_path / "empty.db"), "agenda"]) == 0
    assert capsys.readouterr().out.strip() == "no follow-ups pending"
