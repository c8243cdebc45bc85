"""Migration 0006 adds the indexes the reports count from, to a database of the previous release
(schema 0005) with nothing else changed: every deal, event and report the same.

The 0005 database is built with the 0005 migrations and filled with rows the services wrote (the
demo pipeline plus a few more changes); it is then opened as a rep would open it, which upgrades it.
"""

from __future__ import annotations

from sqlalchemy import event, text

from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import FROZEN_NOW
from tests.test_migration_pipelines import _everything, _filled, build_at


def _index_columns(db: Database, table: str, name: str) -> list[str]:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.execute(text(f"SELECT name FROM pragma_index_xinfo('{name}') WHERE key = 1")).all()
            return [row[0] or "(expression)" for row in rows]
        query = text("SELECT indexdef FROM pg_indexes WHERE tablename = :table AND indexname = :name")
        definition = connection.execute(query, {"table": table, "name": name}).scalar() or ""
        return [definition] if definition else []


def test_an_0005_database_opens_upgraded_with_the_report_indexes_and_every_report_as_it_was(
    empty_db_url, tmp_path, sqlite_template
):
    source = _filled(tmp_path, sqlite_template)
    before = _everything(source)  # every report too, by period and by owner
    assert before["details"] and before["agenda"]
    build_at(empty_db_url, source, "0005")

    db = Database.open(empty_db_url)  # what a rep's next start does: the upgrade
    try:
        forecast = _index_columns(db, "deals", "ix_deals_forecast")
        stays = _index_columns(db, "deal_stays", "ix_deal_stays_left_at")
        if db.engine.dialect.name == "sqlite":
            assert forecast == ["stage_id", "currency", "close_date", "probability", "(expression)", "amount_minor",
                                "closed_at"]  # fmt: skip
            assert stays == ["left_at", "stage_id", "seconds"]
        else:
            assert "(stage_id, currency, close_date, probability, ((amount_minor %" in forecast[0], forecast
            assert forecast[0].endswith("amount_minor, closed_at)"), forecast
            assert "left_at, stage_id, seconds" in stays[0]
        upgraded = PipelineService(db, clock=lambda: FROZEN_NOW, actor="Dana")
        after = _everything(upgraded)
        for key in before:
            assert after[key] == before[key], key  # the reports counted from the new indexes: the same figures
    finally:
        db.close()


def test_sqlite_counts_a_reports_deals_and_stays_from_the_indexes_alone(tmp_path, sqlite_template):
    """The plans the reports' speed rests on: every deal tallied from the forecast index alone with
    no sort, and a period's days in stage from the stays' index alone."""
    from tests.conftest import open_migrated

    db = open_migrated(sqlite_template, tmp_path / "plan.db")
    try:
        service = PipelineService(db, clock=lambda: FROZEN_NOW)
        plans: list[tuple[str, str]] = []

        def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            plan = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            plans.append((statement, plan))

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            service.report("quarter")
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        tallies = [plan for statement, plan in plans if "close_date" in statement and "GROUP BY" in statement]
        stays = [str(plan) for statement, plan in plans if "sum(deal_stays.seconds)" in statement]
        assert len(tallies) == 1, plans
        (plan,) = tallies
        # The deals, grouped per close date as the index orders them: read from it alone, not sorted.
        (reading,) = [row for row in plan if "ix_deals_forecast" in row[3]]
        assert "COVERING INDEX" in reading[3], plan
        per_date = reading[1]  # the query those groups are made in
        assert not [row for row in plan if row[1] == per_date and "TEMP B-TREE" in row[3]], plan
        # Only those groups (one per close date, not one per deal) are sorted into close buckets.
        assert [row[3] for row in plan if row[1] != per_date][-1] == "USE TEMP B-TREE FOR GROUP BY", plan
        assert len(stays) == 1 and "COVERING INDEX ix_deal_stays_left_at" in stays[0], plans
    finally:
        db.close()
