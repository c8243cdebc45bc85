"""A move's and an undo's statements run on the driver's cursor: they must give exactly the rows
SQLAlchemy gives (values and types, hostile text and all), refuse exactly as it refuses, and be what
a plain move really runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select

from closedwon_tui.domain.errors import StorageError
from closedwon_tui.storage import deal_rows, driver_cursor, history_rows, stays, tables
from closedwon_tui.storage.rows import DEAL_SELECT

HOSTILE = "\x1b]0;pwn\x07[b]bold[/b] Acme — Zürich ☃"


def _typed(rows: Any) -> list[list[tuple[type, Any]]]:
    return [[(type(v), v) for v in row] for row in rows]


def _deal_in_analysis(service, clock):  # type: ignore[no-untyped-def]
    deal = service.create_deal(HOSTILE, company="[link=x]evil[/link]", stage="Outreach", amount="48,250.75",
                               currency="EUR").deal  # fmt: skip
    clock.advance(hours=3)
    service.move_deal(deal.id, "Analysis")
    clock.advance(hours=2)
    service.create_deal("Top of Proposal", stage="Proposal", amount="12k")
    return deal


def test_the_moves_reads_give_the_rows_sqlalchemy_gives(service, clock):
    deal = _deal_in_analysis(service, clock)
    proposal = service.stage("Proposal").id
    moved = service.move_deal(deal.id, "Proposal")  # for the undo's read: who holds its old place
    with service.db.read() as repo:
        conn = repo.connection
        for statement, params in [
            (deal_rows._DEAL_FOR_MOVE, {"deal_id": deal.id, "stage_id": proposal}),
            (
                deal_rows._DEAL_FOR_RETURN,
                {"deal_id": deal.id, "back_stage": service.stage("Analysis").id, "back_key": moved.deal.position},
            ),  # fmt: skip
            (deal_rows._DEAL_FOR_RETURN, {"deal_id": deal.id, "back_stage": None, "back_key": None}),
        ]:
            lean = driver_cursor.run(conn, statement, params)
            plain = conn.execute(statement, params).all()
            assert _typed(lean) == _typed(plain)
            assert lean and lean[0]._fields == tuple(plain[0]._fields)
        assert driver_cursor.run(conn, deal_rows._DEAL_FOR_MOVE, {"deal_id": 10**9, "stage_id": proposal}) == []


def test_the_moves_writes_return_what_sqlalchemy_reads_back(service, clock):
    deal = _deal_in_analysis(service, clock)
    now = clock() + timedelta(minutes=1)
    with service.db.write() as repo:
        conn = repo.connection
        update = deal_rows._update_at_version(("last_activity_at", "next_step", "stage_entered_at"))
        params = {"new_last_activity_at": now, "new_next_step": HOSTILE, "new_stage_entered_at": now,
                  "deal_id": deal.id, "seen": service.deal(deal.id).version}  # fmt: skip
        (written,) = driver_cursor.run(conn, update, params)
        assert _typed([written]) == _typed(conn.execute(select(*DEAL_SELECT).where(tables.deals.c.id == deal.id)).all())
        assert written.next_step == HOSTILE and written.last_activity_at == now and now.tzinfo is not None
        values = {"deal_id": deal.id, "at": now, "actor": HOSTILE, "kind": "note_added", "from_stage_id": None,
                  "to_stage_id": None, "details": {"text": HOSTILE, "nested": [1, {"ok": None}]},
                  "before": None, "after": None}  # fmt: skip
        values = {k: v for k, v in values.items() if k in tables.deal_events.c}
        (event,) = driver_cursor.run(conn, history_rows._INSERT_EVENT, values)
        events = tables.deal_events
        assert _typed([event]) == _typed(conn.execute(select(events).where(events.c.id == event.id)).all())
        assert event.details == {"text": HOSTILE, "nested": [1, {"ok": None}]}


def test_a_driver_error_is_refused_with_the_message_sqlalchemys_path_gives(service, clock, monkeypatch):
    deal = _deal_in_analysis(service, clock)
    with service.db.read() as repo:
        seq = repo.connection.execute(
            select(tables.deal_stays.c.seq).where(tables.deal_stays.c.deal_id == deal.id)
        ).first()
    assert seq is not None
    taken = {"deal_id": deal.id, "seq": seq[0], "stage_id": service.stage("Outreach").id, "entered_at": clock(),
             "left_at": None, "seconds": None}  # fmt: skip
    messages = []
    for path in ("driver", "sqlalchemy"):
        if path == "sqlalchemy":
            monkeypatch.setattr(driver_cursor, "_listened", lambda _conn: True)
        with pytest.raises(StorageError) as refused, service.db.write() as repo:
            driver_cursor.run(repo.connection, stays._INSERT_STAYS, taken)  # that stay is there already
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("the database refused the change:")
    assert len(service.history(deal.id)) == 2  # nothing half-written


def test_a_plain_move_and_its_undo_run_their_statements_on_the_drivers_cursor(service, clock, monkeypatch):
    deal = _deal_in_analysis(service, clock)
    through_sqlalchemy: list[str] = []
    execute = Connection.execute

    def counted(self, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
        through_sqlalchemy.append(" ".join(str(statement).split()))
        return execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(Connection, "execute", counted)
    clock.advance(minutes=5)
    moved = service.move_deal(deal.id, "Proposal")
    clock.advance(minutes=5)
    service.undo_events((moved.event.id,))
    assert through_sqlalchemy == [], through_sqlalchemy  # the begin and commit aside, nothing else
    assert service.deal(deal.id).stage_id == service.stage("Analysis").id
