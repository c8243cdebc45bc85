"""Migration 0005 adds the index a big board's first frame counts from, to a database of the
previous release (schema 0004) with nothing else changed: every deal, event and report the same.

The 0004 database is built with the 0004 migrations and filled with rows the services wrote (the
demo pipeline plus a few more changes); it is then opened as a rep would open it, which upgrades it.
"""

from __future__ import annotations

from sqlalchemy import text

from closedwon_tui.app.board.model import BoardModel
from closedwon_tui.domain.rules import quarter_start
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import FROZEN_NOW
from tests.test_migration_pipelines import _everything, _filled, build_at


def _has_index(db: Database) -> bool:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_deals_board_sums'"
        else:
            query = "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_deals_board_sums'"
        return connection.execute(text(query)).scalar() == 1


def test_an_0004_database_opens_upgraded_with_the_board_sums_index_and_everything_as_it_was(
    empty_db_url, tmp_path, sqlite_template
):
    source = _filled(tmp_path, sqlite_template)
    before = _everything(source)
    assert before["details"] and before["agenda"]
    build_at(empty_db_url, source, "0004")

    db = Database.open(empty_db_url)  # what a rep's next start does: the upgrade
    try:
        assert _has_index(db)
        upgraded = PipelineService(db, clock=lambda: FROZEN_NOW, actor="Dana")
        after = _everything(upgraded)
        for key in before:
            assert after[key] == before[key], key
        # the board read in part counts from the new index exactly what the whole board holds
        since = quarter_start(FROZEN_NOW)
        whole = BoardModel(upgraded.board(closed_since=since), FROZEN_NOW)
        first = BoardModel(upgraded.opening_board(closed_since=since, in_part_over=0, per_column=2), FROZEN_NOW)
        assert first.older_closed == whole.older_closed
        for stage in whole.stages:
            assert first.totals(stage.id) == whole.totals(stage.id), stage.name
    finally:
        db.close()


def test_sqlite_counts_a_big_boards_columns_from_the_index_alone(tmp_path, sqlite_template):
    """The plan the first frame's speed rests on: the sums from the new index alone with no sort,
    and a column's first cards still through the (stage, position) index, already in order."""
    from tests.conftest import open_migrated

    db = open_migrated(sqlite_template, tmp_path / "plan.db")
    try:
        service = PipelineService(db, clock=lambda: FROZEN_NOW)
        stages = service.stages()
        statements: list[str] = []

        def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            statements.append(cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall())

        from sqlalchemy import event

        with db.read() as repo:
            event.listen(repo.connection, "before_cursor_execute", seen)
            repo.column_tallies(stages, closed_since=quarter_start(FROZEN_NOW))
            tallies = [str(plan) for plan in statements]
            statements.clear()
            repo.first_cards(stages[:1], 5)
            first = [str(plan) for plan in statements]
            event.remove(repo.connection, "before_cursor_execute", seen)
        assert tallies and all("COVERING INDEX ix_deals_board_sums" in plan for plan in tallies), tallies
        assert not any("TEMP B-TREE" in plan for plan in tallies), tallies
        assert first and "ix_deals_stage_position" in first[0] and "TEMP B-TREE" not in first[0], first
    finally:
        db.close()
