"""`closedwon report`: readable text, and JSON with exact decimal strings."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.services import PipelineService
from tests.conftest import FROZEN_NOW, open_migrated


@pytest.fixture
def db_file(tmp_path, sqlite_template, clock, monkeypatch):
    """A SQLite file with two currencies, a win, a loss and a deal without amount; the CLI's clock frozen."""
    path = tmp_path / "report.db"
    db = open_migrated(sqlite_template, path)
    service = PipelineService(db, clock=clock, actor="dana")
    clock.now = FROZEN_NOW - timedelta(days=10)
    won = service.create_deal("Helios rollout", amount="48250", owner="Dana").deal
    service.create_deal("Orbital fleet", amount="0.10", currency="EUR", probability=33, close_date="2026-12-01",
                        stage="Proposal", owner="Dana")  # fmt: skip
    lost = service.create_deal("Northwind <b>sync</b>", owner="Marcus").deal
    clock.now = FROZEN_NOW - timedelta(days=2)
    service.mark_won(won.id)
    service.record_lookback(won.id, "Champion [bold]pushed[/bold]", "Legal review took two weeks")
    service.mark_lost(lost.id, "price")
    db.close()
    clock.now = FROZEN_NOW
    monkeypatch.setattr("closedwon_tui.services.base.utc_now", lambda: FROZEN_NOW)
    return str(path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exact_amounts_per_currency(db_file, capsys):
    code, out, _ = run(capsys, "--db", db_file, "report", "--period", "all", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["period"] == "all" and data["start"] is None and data["owner"] is None
    assert data["currencies"] == ["EUR", "USD"]
    assert data["outcomes"]["won_total"] == {"USD": "48250.00"}
    assert data["outcomes"]["win_rate"] == "50.0"
    assert data["outcomes"]["average_cycle_days"] == "8.0"
    assert data["outcomes"]["lost_reasons"] == [{"reason": "price", "count": 1}]
    proposal = next(s for s in data["pipeline"]["stages"] if s["stage"] == "Proposal")
    assert proposal == {"stage": "Proposal", "count": 1, "total": {"EUR": "0.10"}, "weighted": {"EUR": "0.03"},
                        "without_amount": 0}  # fmt: skip
    assert data["forecast"][0]["month"] == "overdue"
    assert data["forecast"][1]["month"] == "2026-11"
    assert data["forecast"][1]["won"] == {"USD": "48250.00"}
    assert data["forecast"][2]["weighted"] == {"EUR": "0.03"}
    assert [s["reached"] for s in data["funnel"]] == [3, 2, 2, 2, 1, 1]
    assert data["lookback"][0]["went_well"] == "Champion [bold]pushed[/bold]"


def test_json_owner_and_period_filter(db_file, capsys):
    _, out, _ = run(capsys, "--db", db_file, "report", "--period", "month", "--owner", "marcus", "--json")
    data = json.loads(out)
    assert data["owner"] == "marcus" and data["start"] == "2026-11-01T00:00:00+00:00"
    assert (data["outcomes"]["won_count"], data["outcomes"]["lost_count"]) == (0, 1)
    assert data["outcomes"]["win_rate"] == "0.0"
    assert data["pipeline"]["count"] == 0


def test_text_report_reads_like_a_report(db_file, capsys):
    code, out, _ = run(capsys, "--db", db_file, "report")
    assert code == 0
    assert out.startswith("closedwon report: this quarter (2026-10-01 to 2026-12-31), all owners")
    for heading in ("PIPELINE", "FORECAST", "FUNNEL", "OUTCOMES", "DAYS IN STAGE", "LOOK BACK"):
        assert heading in out
    assert "won 1, lost 1, win rate 50.0%" in out
    assert "€0.10" in out and "$48,250.00" in out
    assert "Proposal       1      €0.10" in out
    assert "went well: Champion [bold]pushed[/bold]" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_empty_database_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("closedwon_tui.services.base.utc_now", lambda: FROZEN_NOW)
    code, out, _ = run(capsys, "--db", str(tmp_path / "empty.db"), "report", "--period", "year")
    assert code == 0
    assert "No deals yet" in out and "win rate —" in out and "Total          0      0" in out


def test_bad_period_is_refused_clearly(db_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db_file, "report", "--period", "week"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'week'" in capsys.readouterr().err
