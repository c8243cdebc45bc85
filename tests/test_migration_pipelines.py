"""Migration 0004 brings a database of the previous release (schema 0003) over to pipelines with
nothing lost: every deal, event, objection, follow-up and note, and every report figure, the same.

The 0003 database is built here with the 0003 migrations and filled with rows the services wrote
(the demo pipeline plus a few more changes): the tables the services write did not change shape
in 0004 but for the stages' two new columns, which the old rows simply do not have. It is then
opened as a rep would open it, which upgrades it.
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, insert, select, text

from closedwon_tui.domain.models import DEFAULT_PIPELINE
from closedwon_tui.domain.reports import Period
from closedwon_tui.services import PipelineService
from closedwon_tui.services.demo import frozen_demo
from closedwon_tui.storage.database import Database
from closedwon_tui.storage.engine import make_engine
from closedwon_tui.storage.migrate import MIGRATIONS, current_revision, migrating
from tests.conftest import FROZEN_NOW, open_migrated


def _filled(tmp_path, sqlite_template) -> PipelineService:  # type: ignore[no-untyped-def]
    db = open_migrated(sqlite_template, tmp_path / "source.db")
    service = frozen_demo(db, FROZEN_NOW)
    deal = service.deals()[0]
    service.add_objection(deal.id, "price", "Too dear")
    service.schedule_followup(deal.id, FROZEN_NOW.date(), "Call back")
    service.add_note(deal.id, "Met at the fair")
    moved = service.move_deal(deal.id, "Proposal")
    service.undo_event(moved.event.id)  # type: ignore[union-attr]
    return service


def _everything(service: PipelineService) -> dict[str, Any]:
    """What a rep can see: every deal in full, the board, the agenda, every report."""
    details = [service.deal_detail(d.id) for d in service.deals()]
    board = service.board()
    return {
        "details": details,
        "board": (board.stages, board.cards, board.facts),
        "agenda": [(i.followup, i.deal, i.stage) for i in service.agenda()],
        "reports": {p: service.report(p) for p in Period},
        "owners": {o: service.report("quarter", owner=o) for o in service.owners()},
        "stage_names": {s.id: s.name for s in service.all_stages()},
    }


def _build_0003(url: str, source: PipelineService) -> None:
    """A database at schema 0003 holding the source's rows (the columns 0003 has)."""
    build_at(url, source, "0003")


def build_at(url: str, source: PipelineService, revision: str) -> None:
    """A database at schema `revision` holding the source's rows (the columns it has)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection, migrating(connection), connection.begin():
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            old = MetaData()
            old.reflect(connection)
            for table in reversed(old.sorted_tables):  # what the migrations seeded: the source's rows come instead
                if table.name != "alembic_version":
                    connection.execute(table.delete())
            with source.db.read() as repo:
                new = MetaData()
                new.reflect(repo.connection)
                for table in old.sorted_tables:
                    if table.name == "alembic_version":
                        continue
                    names = [c.name for c in table.columns]
                    rows = [
                        dict(r._mapping) for r in repo.connection.execute(select(*new.tables[table.name].c[*names]))
                    ]
                    if rows:
                        connection.execute(insert(table), rows)
            if connection.dialect.name == "postgresql":
                for table in old.sorted_tables:
                    if "id" in table.columns:
                        connection.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                            )  # fmt: skip
                        )
        assert current_revision(engine) == revision
    finally:
        engine.dispose()


def test_an_0003_database_opens_upgraded_with_everything_as_it_was(empty_db_url, tmp_path, sqlite_template):
    source = _filled(tmp_path, sqlite_template)
    before = _everything(source)
    assert before["details"] and before["agenda"] and before["reports"][Period.ALL].deal_count
    _build_0003(empty_db_url, source)

    db = Database.open(empty_db_url)  # what a rep's next start does: the upgrade
    try:
        upgraded = PipelineService(db, clock=lambda: FROZEN_NOW, actor="Dana")
        assert [p.name for p in upgraded.pipelines()] == [DEFAULT_PIPELINE]
        assert {s.pipeline_id for s in upgraded.all_stages()} == {upgraded.pipeline().id}
        after = _everything(upgraded)
        for key in before:
            assert after[key] == before[key], key
        # and the upgraded database takes the new features at once
        upgraded.add_pipeline("Renewals")
        assert [s.name for s in upgraded.stages("Renewals")] == [s.name for s in upgraded.stages("Sales")]
        deal = upgraded.create_deal("New one", pipeline="Renewals").deal
        assert upgraded.pipeline_of(deal.stage_id).name == "Renewals"
    finally:
        db.close()


@pytest.mark.parametrize("sqlite_only", [True])
def test_the_upgrade_keeps_every_row_of_every_old_table(tmp_path, sqlite_template, sqlite_only):
    source = _filled(tmp_path, sqlite_template)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _build_0003(url, source)
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {
            name: connection.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar()
            for name in ("deals", "deal_events", "objections", "followups", "notes", "deal_stays", "stages")
        }
    engine.dispose()
    db = Database.open(url)
    try:
        with db.engine.connect() as connection:
            for name, count in counts.items():
                assert connection.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar() == count, name
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # switched back on
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").first() is None
    finally:
        db.close()
