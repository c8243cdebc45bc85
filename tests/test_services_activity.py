"""Objections, follow-ups and notes, each with its history event, on every backend."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import EventKind, ObjectionKind, ObjectionStatus
from tests.conftest import FROZEN_NOW
from tests.dbstate import dump_tables


@pytest.fixture
def deal(service):
    return service.create_deal("Helios rollout", stage="Proposal", amount="48k").deal


def test_an_objection_is_recorded_open(service, deal):
    objection = service.add_objection(deal.id, "Price", "  Too expensive for this year  ").item
    assert objection.kind is ObjectionKind.PRICE and objection.status is ObjectionStatus.OPEN
    assert objection.text == "Too expensive for this year" and objection.response == ""
    assert service.deal_detail(deal.id).objections == (objection,)
    event = service.history(deal.id)[-1]
    assert event.kind is EventKind.OBJECTION_ADDED
    assert event.details["objection_kind"] == "price" and event.details["text"] == "Too expensive for this year"


def test_answering_keeps_it_open_until_addressed(service, deal, clock):
    objection = service.add_objection(deal.id, "timing", "Not before Q2").item
    clock.advance(hours=1)
    answered = service.answer_objection(objection.id, "We can start the pilot in Q1").item
    assert answered.status is ObjectionStatus.OPEN and answered.response == "We can start the pilot in Q1"
    assert answered.updated_at == clock.now
    addressed = service.address_objection(objection.id).item
    assert addressed.status is ObjectionStatus.ADDRESSED and addressed.response == "We can start the pilot in Q1"
    kinds = [e.kind for e in service.history(deal.id)]
    assert kinds[-2:] == [EventKind.OBJECTION_ANSWERED, EventKind.OBJECTION_ADDRESSED]
    with pytest.raises(ValidationError, match="already addressed"):
        service.address_objection(objection.id)


def test_answer_and_address_at_once(service, deal):
    objection = service.add_objection(deal.id, "competitor", "Also talking to Rival").item
    done = service.answer_objection(objection.id, "Sent the comparison", addressed=True).item
    assert done.status is ObjectionStatus.ADDRESSED and done.response == "Sent the comparison"
    assert service.history(deal.id)[-1].details["response"] == "Sent the comparison"


def test_bad_objections_change_nothing(service, deal):
    objection = service.add_objection(deal.id, "need", "Unsure it fits").item
    before = dump_tables(service.db.engine)
    with pytest.raises(ValidationError, match="objection kind"):
        service.add_objection(deal.id, "weather", "It rains")
    with pytest.raises(ValidationError, match="empty"):
        service.add_objection(deal.id, "price", "   ")
    with pytest.raises(ValidationError, match="empty"):
        service.answer_objection(objection.id, "")
    assert dump_tables(service.db.engine) == before


def test_a_followup_on_a_date_or_at_a_time(service, deal):
    dated = service.schedule_followup(deal.id, "friday", "Call back").item
    timed = service.schedule_followup(deal.id, "2026-12-01 14:30", "Demo").item
    assert dated.due == datetime(2026, 11, 27) and dated.has_time is False
    assert timed.due == datetime(2026, 12, 1, 14, 30) and timed.has_time is True
    assert service.schedule_followup(deal.id, date(2026, 12, 24)).item.due == datetime(2026, 12, 24)
    event = service.history(deal.id)[-3]
    assert event.kind is EventKind.FOLLOWUP_SCHEDULED and event.details["note"] == "Call back"
    assert [f.id for f in service.deal_detail(deal.id).followups][:2] == [dated.id, timed.id]


def test_completing_a_followup(service, deal, clock):
    followup = service.schedule_followup(deal.id, "tomorrow", "Chase signature").item
    clock.advance(days=1)
    done = service.complete_followup(followup.id).item
    assert done.done_at == clock.now and done.is_done
    assert service.history(deal.id)[-1].kind is EventKind.FOLLOWUP_DONE
    assert service.agenda() == []
    with pytest.raises(ValidationError, match="already done"):
        service.complete_followup(followup.id)


def test_bad_followups_change_nothing(service, deal):
    before = dump_tables(service.db.engine)
    for due in ("someday", "", "2026-12-01 25:00"):
        with pytest.raises(ValidationError):
            service.schedule_followup(deal.id, due, "x")
    with pytest.raises(ValidationError, match="too long"):
        service.schedule_followup(deal.id, "tomorrow", "x" * 5001)
    assert dump_tables(service.db.engine) == before


def test_notes_newest_first(service, deal, clock):
    first = service.add_note(deal.id, "Great discovery call").item
    clock.advance(minutes=5)
    second = service.add_note(deal.id, "CFO is the economic buyer").item
    assert second.created_at == clock.now
    assert service.deal_detail(deal.id).notes == (second, first)
    assert service.history(deal.id)[-1].details["text"] == "CFO is the economic buyer"
    with pytest.raises(ValidationError):
        service.add_note(deal.id, "  ")


def test_every_kind_of_activity_is_one_event_each(service, deal):
    objection = service.add_objection(deal.id, "trust", "Wants references").item
    service.address_objection(objection.id, "Sent two references")
    followup = service.schedule_followup(deal.id, "+3d").item
    service.complete_followup(followup.id)
    service.add_note(deal.id, "ok")
    assert [e.kind.value for e in service.history(deal.id)] == [
        "created", "objection_added", "objection_addressed", "followup_scheduled", "followup_done", "note_added",
    ]  # fmt: skip
    assert all(e.at == FROZEN_NOW and e.actor == "dana" for e in service.history(deal.id))


def test_every_use_case_returns_the_change_it_made(service, deal, clock):
    """The deal after, the event written (by its id, for undo), the item and the card's facts: the
    caller shows the change without reading again."""
    clock.advance(days=1)
    objection = service.add_objection(deal.id, "price", "too dear")
    assert objection.event is not None and objection.event.kind is EventKind.OBJECTION_ADDED
    assert objection.item == service.deal_detail(deal.id).objections[0]
    assert objection.deal == service.deal(deal.id)  # touched: the rotting timer restarted
    assert objection.deal.last_activity_at == clock.now
    assert objection.facts is not None and objection.facts.open_objections == 1
    followup = service.schedule_followup(deal.id, "tomorrow", "call")
    assert followup.facts is not None and followup.facts.next_followup == followup.item.due
    assert followup.event is not None and followup.event.id == service.history(deal.id)[-1].id
    done = service.complete_followup(followup.item.id)
    assert done.item.is_done and done.facts is not None and done.facts.next_followup is None
    note = service.add_note(deal.id, "met the CFO")
    assert note.item.text == "met the CFO" and note.event is not None
    assert note.facts is None  # a note does not change what the card counts
    assert note.event.details["entity_id"] == note.item.id
    created = service.create_deal("Orbital", stage="Analysis")
    assert created.event is not None and created.event.kind is EventKind.CREATED
    assert created.deal == service.deal(created.deal.id)
    moved = service.move_deal(created.deal.id, "Proposal")
    assert moved.deal == service.deal(created.deal.id)  # last activity included
    assert service.undo_event(note.event.id).deal == service.deal(deal.id)
    undone = service.undo_event(objection.event.id)  # the card's facts follow an undo too
    assert undone.facts is not None and undone.facts.open_objections == 0
