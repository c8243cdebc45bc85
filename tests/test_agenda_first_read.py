"""A team's agenda opens on its soonest follow-ups at once; every other one is read in a worker and
shown in their place, with the highlight where the rep has it by then."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from closedwon_tui.app.agenda import AgendaScreen
from closedwon_tui.app.agenda import screen as agenda_screen
from closedwon_tui.app.agenda.agenda_list import AgendaList
from closedwon_tui.domain.rules import local_today
from tests.test_panel_harness import PanelApp

FOLLOWUPS = 10


def _followups(service, clock) -> None:  # type: ignore[no-untyped-def]
    """Ten follow-ups, one a day from three days ago, over three deals."""
    today = local_today(clock())
    deals = [service.create_deal(f"Deal {n}", stage="Proposal").deal for n in range(3)]
    for n in range(FOLLOWUPS):
        service.schedule_followup(deals[n % 3].id, today + timedelta(days=n - 3), f"step {n}")


def test_the_first_follow_ups_are_the_soonest_of_them_all(service, clock):
    _followups(service, clock)
    every = service.agenda()
    assert [i.followup.note for i in every] == [f"step {n}" for n in range(FOLLOWUPS)]
    assert service.agenda(first=4) == every[:4]
    assert service.agenda(first=50) == every


def _notes(listed: AgendaList) -> list[str]:
    return [listed.row_text(i).splitlines()[-1].strip() for i in range(listed.row_count) if not listed.is_heading(i)]


@pytest.fixture
def held_read(sqlite_service, monkeypatch):  # type: ignore[no-untyped-def]
    """The agenda reads its first 4 follow-ups at once; reading every one waits for `release.set()`."""
    monkeypatch.setattr(agenda_screen, "FIRST_READ", 4)
    release = threading.Event()
    read = sqlite_service.agenda

    def agenda(*, owner=None, first=None):  # type: ignore[no-untyped-def]
        if first is None:
            assert release.wait(10)
        return read(owner=owner, first=first)

    monkeypatch.setattr(sqlite_service, "agenda", agenda)
    return release


async def test_the_agenda_shows_its_soonest_follow_ups_then_every_one_with_the_highlight_kept(
    sqlite_service, clock, held_read
):
    _followups(sqlite_service, clock)
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        pilot.app.push_screen(AgendaScreen())
        await pilot.pause()
        listed = pilot.app.screen.query_one(AgendaList)
        title = str(pilot.app.screen.query_one("#agenda-title").render())
        assert "reading every pending follow-up… (the soonest 4 shown)" in title
        assert _notes(listed) == ["step 0", "step 1", "step 2", "step 3"]
        headings = [listed.row_text(i) for i in range(listed.row_count) if listed.is_heading(i)]
        assert headings and all(h.endswith("…") for h in headings)  # not counted before everything is here
        await pilot.press("j", "j")  # the keys work on what is shown
        assert listed.highlighted_item is not None and listed.highlighted_item.followup.note == "step 2"

        held_read.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert _notes(listed) == [f"step {n}" for n in range(FOLLOWUPS)]
        assert listed.highlighted_item is not None and listed.highlighted_item.followup.note == "step 2"
        title = str(pilot.app.screen.query_one("#agenda-title").render())
        assert f"{FOLLOWUPS} follow-ups pending" in title and "reading" not in title
        assert not any(listed.row_text(i).endswith("…") for i in range(listed.row_count) if listed.is_heading(i))


async def test_read_again_in_place_the_highlight_goes_back_past_the_first_follow_ups(sqlite_service, clock, held_read):
    """After a change far down the list, the soonest follow-ups do not reach the highlight's row:
    once every follow-up is read, it is back at that row."""
    _followups(sqlite_service, clock)
    held_read.set()
    async with PanelApp(sqlite_service).run_test(size=(120, 40)) as pilot:
        screen = AgendaScreen()
        pilot.app.push_screen(screen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        listed = screen.query_one(AgendaList)
        listed.highlight_followup(next(i.followup.id for i in sqlite_service.agenda() if i.followup.note == "step 8"))
        row = listed.highlighted
        assert row is not None and row > 6
        held_read.clear()
        screen.reload(in_place=True)
        await pilot.pause()
        assert len(_notes(listed)) == 4
        held_read.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert listed.highlighted == row
