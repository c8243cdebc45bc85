"""`closedwon calendar`: follow-ups as iCalendar events a phone calendar keeps in step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from closedwon_tui.cli.main import main
from closedwon_tui.storage.imports import ImportStore
from tests.conftest import set_local_zone


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def deal(service):  # type: ignore[no-untyped-def]
    return service.create_deal(
        "Helios rollout", company="Helios Energy", amount="48250", stage="Proposal", owner="Dana"
    ).deal


def test_each_follow_up_is_an_event_with_a_stable_uid(service, deal):
    first = service.schedule_followup(deal.id, "2026-12-01", "Send revised quote").item
    second = service.schedule_followup(deal.id, "2026-12-03 14:30", "Call the CFO").item
    with service.db.read() as repo:
        database_id = ImportStore(repo).database_id()
    one, two = events(service.calendar()), events(service.calendar())
    assert set(one) == set(two) == {f"followup-{first.id}@{database_id}", f"followup-{second.id}@{database_id}"}
    event = one[f"followup-{first.id}@{database_id}"]
    assert event.decoded("DTSTART") == date(2026, 12, 1) and event.decoded("DTEND") == date(2026, 12, 2)
    assert str(event["SUMMARY"]) == "Follow up: Helios rollout — Send revised quote"
    assert str(event["DESCRIPTION"]) == (
        "Company: Helios Energy\nStage: Proposal\nAmount: $48,250.00\nOwner: Dana\nDeal #1 in closedwon\n\n"
        "Send revised quote"
    )
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (0, "CONFIRMED")


def test_a_timed_follow_up_carries_the_reps_zone(monkeypatch, service, deal):
    set_local_zone(monkeypatch, "Europe/Berlin")
    followup = service.schedule_followup(deal.id, "2026-12-03 14:30", "Call the CFO").item
    data = service.calendar()
    event = next(iter(events(data).values()))
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 3, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert start.utcoffset() == timedelta(hours=1)
    assert event.decoded("DTEND") - start == timedelta(minutes=30)
    assert b"DTSTART;TZID=Europe/Berlin:20261203T143000" in data
    assert [str(tz["TZID"]) for tz in Calendar.from_ical(data).walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert followup.has_time


def test_a_done_follow_up_stays_as_cancelled_with_a_higher_sequence(service, deal):
    followup = service.schedule_followup(deal.id, "2026-12-01", "Send revised quote").item
    uid = next(iter(events(service.calendar())))
    service.complete_followup(followup.id)
    event = events(service.calendar())[uid]
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (1, "CANCELLED")
    done = service.history(deal.id)[-1]
    service.undo_event(done.id)  # not done after all
    event = events(service.calendar())[uid]
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (2, "CONFIRMED")


def test_a_follow_up_taken_back_is_cancelled_not_dropped(service, deal):
    followup = service.schedule_followup(deal.id, "2026-12-01", "Oops").item
    uid = next(iter(events(service.calendar())))
    service.undo_last(deal.id)
    assert service.deal_detail(deal.id).followups == ()
    event = events(service.calendar())[uid]
    assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (1, "CANCELLED")
    assert event.decoded("DTSTART") == date(2026, 12, 1) and str(event["SUMMARY"]).endswith(followup.note)


def test_owner_filter_and_hostile_text(service, deal):
    other = service.create_deal("Orbital \x1b[2Jfleet", owner="Marcus").deal
    service.schedule_followup(deal.id, "2026-12-01", "Dana's call")
    service.schedule_followup(other.id, "2026-12-02", "Line one\nline \x07two")
    mine = events(service.calendar(owner="dana"))
    assert [str(e["SUMMARY"]) for e in mine.values()] == ["Follow up: Helios rollout — Dana's call"]
    data = service.calendar(owner="MARCUS")
    assert b"\x1b" not in data and b"\x07" not in data
    event = next(iter(events(data).values()))
    assert str(event["SUMMARY"]) == "Follow up: Orbital \\x1b[2Jfleet — Line one line \\x07two"
    assert str(event["DESCRIPTION"]).endswith("Line one\nline \\x07two")


def test_calendar_command(tmp_path, capsys):
    db = str(tmp_path / "cal.db")
    assert main(["--db", db, "deal", "add", "Helios"]) == 0
    assert main(["--db", db, "followup", "add", "1", "--due", "2026-12-01", "Call"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "calendar"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Follow up: Helios — Call\r\n" in out
    target = tmp_path / "followups.ics"
    assert main(["--db", db, "calendar", "-o", str(target), "--owner", "nobody"]) == 0
    assert capsys.readouterr().err == f"wrote 0 follow-ups to {target}\n"
    assert Calendar.from_ical(target.read_bytes()).walk("VEVENT") == []
