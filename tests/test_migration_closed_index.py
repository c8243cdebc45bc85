"""Migration 0007 adds the index of closed deals by stage and close time to a database of the
previous release (schema 0006) with nothing else changed: every deal, event and report the same;
and the reports' period figures of closed deals read it."""

from __future__ import annotations

from sqlalchemy import event

from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import FROZEN_NOW
from tests.test_migration_forecast import _index_columns
from tests.test_migration_pipelines import _everything, _filled, build_at


def test_an_0006_database_opens_upgraded_with_the_closed_index_and_every_report_as_it_was(
    empty_db_url, tmp_path, sqlite_template
):
    source = _filled(tmp_path, sqlite_template)
    before = _everything(source)  # every report too, by period and by owner
    build_at(empty_db_url, source, "0006")
    db = Database.open(empty_db_url)  # what a rep's next start does: the upgrade
    try:
        closed = _index_columns(db, "deals", "ix_deals_closed")
        if db.engine.dialect.name == "sqlite":
            assert closed == ["stage_id", "closed_at"]
        else:
            assert closed[0].endswith("(stage_id, closed_at)"), closed
        after = _everything(PipelineService(db, clock=lambda: FROZEN_NOW, actor="Dana"))
        for key in before:
            assert after[key] == before[key], key
    finally:
        db.close()


def test_a_periods_look_backs_and_outcomes_read_only_its_closed_deals(tmp_path, sqlite_template):
    """The latest look backs come from the index in order (no sort of every won deal), and the
    outcomes search the period's closed deals by stage and close time."""
    from tests.conftest import open_migrated

    db = open_migrated(sqlite_template, tmp_path / "plan.db")
    try:
        plans: list[tuple[str, str]] = []

        def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            plan = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            plans.append((statement, " / ".join(row[3] for row in plan)))

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            PipelineService(db, clock=lambda: FROZEN_NOW).report("quarter")
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        lookbacks = [plan for statement, plan in plans if "went_well" in statement]
        outcomes = [plan for statement, plan in plans if "lost_reason" in statement and "GROUP BY" in statement]
        assert len(lookbacks) == 1 and "ix_deals_closed (stage_id=? AND closed_at>? AND closed_at<?)" in lookbacks[0]
        assert "TEMP B-TREE FOR ORDER BY" not in lookbacks[0], lookbacks
        assert len(outcomes) == 1 and "ix_deals_closed (stage_id=? AND closed_at>? AND closed_at<?)" in outcomes[0]
    finally:
        db.close()
