"""Migration 0007 adds the index of pending follow-ups, soonest first, to a database of the previous
release (schema 0006) with nothing else changed; and the agenda's first follow-ups are read from it
in order, not sorted from every pending one."""

from __future__ import annotations

from sqlalchemy import event

from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import FROZEN_NOW
from tests.test_migration_forecast import _index_columns
from tests.test_migration_pipelines import _everything, _filled, build_at


def test_an_0006_database_opens_upgraded_with_the_pending_index_and_every_follow_up_as_it_was(
    empty_db_url, tmp_path, sqlite_template
):
    source = _filled(tmp_path, sqlite_template)
    before = _everything(source)  # the agenda among the rest
    assert before["agenda"]
    build_at(empty_db_url, source, "0006")
    db = Database.open(empty_db_url)  # what a rep's next start does: the upgrade
    try:
        pending = _index_columns(db, "followups", "ix_followups_pending")
        if db.engine.dialect.name == "sqlite":
            assert pending == ["due", "id"]
        else:
            assert "(due, id) WHERE (done_at IS NULL)" in pending[0], pending
        upgraded = PipelineService(db, clock=lambda: FROZEN_NOW, actor="Dana")
        after = _everything(upgraded)
        for key in before:
            assert after[key] == before[key], key
        assert upgraded.agenda(first=2) == upgraded.agenda()[:2]
    finally:
        db.close()


def test_the_agendas_first_follow_ups_are_read_in_the_pending_index_order(tmp_path, sqlite_template):
    from tests.conftest import open_migrated

    db = open_migrated(sqlite_template, tmp_path / "plan.db")
    try:
        plans: list[str] = []

        def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if "followups" in statement and "LIMIT" in statement:
                plan = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
                plans.append(" / ".join(row[3] for row in plan))

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            PipelineService(db, clock=lambda: FROZEN_NOW).agenda(first=200)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert len(plans) == 1 and "USING INDEX ix_followups_pending" in plans[0], plans
        assert "TEMP B-TREE" not in plans[0], plans
    finally:
        db.close()
