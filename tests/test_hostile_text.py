"""Stored text is hostile: a value in every text field that tries to drive the terminal (retitle it,
clear it, the one-character CSI) and to be read as markup (a live link, a tag that does not close)
is drawn literally on every screen, and no raw control character reaches what is drawn.

Each field gets its own tag (`CO` for the company, `OW` for the owner...) so a test can say which
fields a screen shows: `CO[b]x[/b]` on screen is the company, shown literally."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from closedwon_tui.app.agenda import AgendaScreen
from closedwon_tui.app.agenda.snooze import SnoozeForm
from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.app.board.owner_form import OwnerForm
from closedwon_tui.app.closing import CelebrationScreen, LookbackScreen, LostReasonScreen, ask_lookback
from closedwon_tui.app.forms.deal_form import DealForm
from closedwon_tui.app.forms.pipeline_picker import PipelinePicker
from closedwon_tui.app.forms.stage_editor import StageEditor
from closedwon_tui.app.forms.stage_picker import StagePicker
from closedwon_tui.app.help import HelpScreen
from closedwon_tui.app.panel.answer import AnswerForm
from closedwon_tui.app.panel.confirm import ConfirmScreen
from closedwon_tui.app.panel.followup_form import FollowUpForm
from closedwon_tui.app.panel.forms import NoteForm, ObjectionForm
from closedwon_tui.app.reports import ReportsScreen
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings
from tests.board_helpers import board, settled
from tests.screen_text import drawn

#: Retitles the terminal, clears it, and the one-character CSI (asks the terminal to answer).
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b6n"
#: How those show: every control character as a visible escape.
SHOWN_ESCAPES = "\\x1b]0;pwned\\x07\\x1b[2J\\x9b6n"
#: Markup that would crash a notification (a closing tag never opened).
TITLE = f"Deal [/b] x [@click=app.quit]q {ESCAPES}"
REASON = f"RS[b]x[/b] [EU] {ESCAPES}"


def hostile(tag: str) -> str:
    """A value for one field: its tag, markup (bold, a live link, a bracketed word) and escapes."""
    return f"{tag}[b]x[/b] [@click=app.quit]q ACME [EU] {ESCAPES}"


def shows(screen_text: str, *tags: str) -> None:
    """Each tagged value is on the screen with its markup as typed, and the escapes are visible."""
    for tag in tags:
        assert f"{tag}[b]x[/b]" in screen_text, f"{tag} is not shown literally:\n{screen_text}"
    assert "[@click=app.quit]q" in screen_text
    assert "\\x1b]0;pwned" in screen_text


def seed(service: PipelineService, clock) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A hostile stage name; a hostile open deal with every field, an objection, a follow-up and a note;
    a lost deal and a won one with their look back; a colleague's change in the history."""
    service.lost_reasons = (REASON, "price")  # as the rep's settings file would give them
    with service.db.engine.begin() as conn:
        conn.execute(text("UPDATE stages SET name = :name WHERE name = 'Outreach'"), {"name": hostile("ST")})
    deal = service.create_deal(
        TITLE, stage=1, amount="48,250", company=hostile("CO"), contact_name=hostile("CN"),
        contact_email=f"EM[b]x[/b]{ESCAPES}@evil.example", owner=hostile("OW"), source=hostile("SO"),
        next_step=hostile("NS"), budget_note=hostile("BN"), authority_note=hostile("AU"), need_note=hostile("NE"),
        timing_note=hostile("TI"),
    ).deal  # fmt: skip
    objection = service.add_objection(deal.id, "price", hostile("OB")).item
    assert objection is not None
    service.answer_objection(objection.id, hostile("RE"))
    service.schedule_followup(deal.id, local_today(clock()) + timedelta(days=1), hostile("FU"))
    service.add_note(deal.id, hostile("NO") + "\nsecond line")
    colleague = PipelineService(service.db, clock=clock, actor=hostile("AC")[:120])
    colleague.add_note(deal.id, "from a colleague")
    lost = service.create_deal(hostile("LT"), stage=2, owner=hostile("OW")).deal
    service.mark_lost(lost.id, REASON, hostile("LN"))
    service.record_lookback(lost.id, hostile("WW"), hostile("NL"))
    won = service.create_deal(hostile("WT"), stage=3, amount="9,000", owner=hostile("OW")).deal
    service.mark_won(won.id)
    service.record_lookback(won.id, hostile("WG"), hostile("NG"))
    return {"deal": deal.id, "lost": lost.id, "won": won.id}


async def screen_after(pilot, *keys: str) -> str:  # type: ignore[no-untyped-def]
    """Press `keys`, wait for what they asked to land and be drawn, and read the screen."""
    await pilot.press(*keys)
    await settled(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    return drawn(pilot.app)


def make_app(service: PipelineService, *, celebrate: bool = False) -> ClosedwonApp:
    return ClosedwonApp(service, settings=Settings(lost_reasons=(REASON, "price")), celebrate=celebrate)


async def test_the_board_the_panels_tabs_and_the_agenda_show_stored_text_literally(sqlite_service, clock):
    ids = seed(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await screen_after(pilot)
        assert "Deal [/b] x" in screen and "ST[b]x[/b]" in screen and "CO[b]x[/b]" in screen
        screen = await screen_after(pilot, "enter")
        assert board(app).panel.deal_id == ids["deal"]
        assert "Deal [/b] x [@click=app.quit]q" in screen and SHOWN_ESCAPES in screen  # the panel's title
        shows(screen, "CO", "ST", "OW", "CN", "EM", "SO", "NS", "BN", "AU", "NE", "TI")
        shows(await screen_after(pilot, "tab", "2"), "OB", "RE")
        shows(await screen_after(pilot, "3"), "FU")
        shows(await screen_after(pilot, "4"), "NO")
        shows(await screen_after(pilot, "5"), "AC", "NO", "OB", "RE", "FU")
        screen = await screen_after(pilot, "escape", "a")
        assert isinstance(app.screen, AgendaScreen)
        assert "Deal [/b] x" in screen
        shows(screen, "CO", "FU", "ST")
        assert "OW[b]x[/b" in screen  # the owner ends the row, cut at the screen's edge, literal up to there
        await screen_after(pilot, "escape")
        for closed, tags in ((ids["lost"], ("LT", "OW", "RS", "LN", "WW", "NL")), (ids["won"], ("WT", "WG", "NG"))):
            assert board(app).select_deal(closed)
            shows(await screen_after(pilot, "enter", "tab", "1"), *tags)  # the lost note beside its reason
            await screen_after(pilot, "escape")


async def test_the_forms_show_stored_text_literally(sqlite_service, clock):
    seed(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await screen_after(pilot, "e")
        assert isinstance(app.screen, DealForm)
        shows(screen, "CO", "CN", "EM", "OW", "SO", "NS")
        for key, form in (("o", ObjectionForm), ("f", FollowUpForm), ("N", NoteForm)):
            screen = await screen_after(pilot, "escape", key)
            assert isinstance(app.screen, form)
            assert "Deal [/b] x [@click=app.quit]q" in screen  # what the form is about
            shows(screen, "CO")
        screen = await screen_after(pilot, "escape", "m")
        assert isinstance(app.screen, StagePicker)
        shows(screen, "ST")
        screen = await screen_after(pilot, "escape", "enter", "tab", "2", "enter")
        assert isinstance(app.screen, AnswerForm)
        shows(screen, "CO", "OB", "RE")
        screen = await screen_after(pilot, "escape", "3", "space")  # done: the next one is offered, naming it
        assert isinstance(app.screen, FollowUpForm)
        shows(screen, "FU", "CO")


async def test_the_closing_screens_show_stored_text_literally(sqlite_service, clock):
    ids = seed(sqlite_service, clock)
    app = make_app(sqlite_service, celebrate=True)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await screen_after(pilot, "x")
        assert isinstance(app.screen, LostReasonScreen)
        assert "Deal [/b] x [@click=app.quit]q" in screen
        shows(screen, "RS")
        screen = await screen_after(pilot, "escape", "w")
        assert isinstance(app.screen, ConfirmScreen)  # its pending follow-up: mark it done as it closes?
        assert "Deal [/b] x [@click=app.quit]q" in screen
        screen = await screen_after(pilot, "y")
        assert isinstance(app.screen, CelebrationScreen)
        assert "Deal [/b] x [@click=app.quit]q" in screen
        shows(screen, "CO", "OW")
        screen = await screen_after(pilot, "z")
        assert isinstance(app.screen, LookbackScreen)
        assert "Deal [/b] x [@click=app.quit]q" in screen
        await screen_after(pilot, "escape")
        ask_lookback(app, sqlite_service.deal(ids["lost"]), lambda deal, answer: None, won=False)
        screen = await screen_after(pilot)
        shows(screen, "LT", "NL")  # what went well is in the focused field, scrolled to its end
        assert f"ACME [EU] {SHOWN_ESCAPES}" in screen


async def test_the_bulk_and_agenda_screens_show_stored_text_literally(sqlite_service, clock):
    ids = seed(sqlite_service, clock)
    second = sqlite_service.create_deal(hostile("SD"), stage=1, amount="1,000").deal
    app = make_app(sqlite_service, celebrate=True)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await screen_after(pilot)
        assert board(app).select_deal(ids["deal"])
        screen = await screen_after(pilot, "O")
        assert isinstance(app.screen, OwnerForm)
        assert "Deal [/b] x [@click=app.quit]q" in screen
        shows(screen, "CO")
        assert (
            "[@click=app.quit]q ACME [EU] \\x1b]0;pwned" in screen.split("New owner")[1]
        )  # the owner, scrolled to its end
        screen = await screen_after(pilot, "escape", "a", "z")
        assert isinstance(app.screen, SnoozeForm)
        assert "Deal [/b] x [@click=app.quit]q" in screen
        shows(screen, "CO", "FU")
        await screen_after(pilot, "escape", "escape")
        assert board(app).select_deal(second.id)
        await screen_after(pilot, "space")
        assert board(app).select_deal(ids["deal"])
        screen = await screen_after(pilot, "space", "w")
        assert isinstance(app.screen, ConfirmScreen)
        screen = await screen_after(pilot, "y")
        assert isinstance(app.screen, CelebrationScreen)
        assert "2 deals won" in screen
        shows(screen, "SD")


async def test_reports_and_help_show_stored_text_literally(sqlite_service, clock):
    seed(sqlite_service, clock)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 80), notifications=True) as pilot:
        screen = await screen_after(pilot, "r")
        assert isinstance(app.screen, ReportsScreen)
        shows(screen, "ST", "RS", "WT", "WG", "NG")
        shows(await screen_after(pilot, "o"), "OW")  # the owner list
        app.sub_title = hostile("SU")  # the title bar
        shows(await screen_after(pilot, "escape", "escape", "question_mark"), "SU")
        assert isinstance(app.screen, HelpScreen)


async def test_a_conflict_names_a_hostile_deal_literally_in_its_notification(sqlite_service, clock):
    ids = seed(sqlite_service, clock)
    colleague = PipelineService(sqlite_service.db, clock=clock, actor="marcus")
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await screen_after(pilot)
        colleague.edit_deal(ids["deal"], {"amount": "50,000"})  # under the board, which has not looked yet
        screen = await screen_after(pilot, "L")
        assert "Changed elsewhere" in screen
        assert "Deal [/b] x [@click=app.quit]q" in screen
        assert sqlite_service.deal(ids["deal"]).stage_id == sqlite_service.stages()[0].id  # nothing moved


async def test_saving_the_edit_form_against_a_stale_version_names_the_deal_literally(sqlite_service, clock):
    ids = seed(sqlite_service, clock)
    colleague = PipelineService(sqlite_service.db, clock=clock, actor="marcus")
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await screen_after(pilot, "e")
        colleague.edit_deal(ids["deal"], {"amount": "50,000"})
        screen = await screen_after(pilot, "ctrl+s")
        assert isinstance(app.screen, DealForm)  # open again, saying why
        assert "Changed elsewhere" in screen and "Not saved" in screen
        assert "Deal [/b] x [@click=app.quit]q" in screen
        shows(screen, "CO")
        assert sqlite_service.deal(ids["deal"]).amount == 50000  # the colleague's, untouched


# An input pre-filled with stored text shows it made visible, and saves it back as it was ----------


async def test_the_edit_form_saves_untouched_fields_as_stored_not_as_their_visible_escapes(sqlite_service):
    deal = sqlite_service.create_deal(TITLE, company=hostile("CO"), next_step=f"call\tback{ESCAPES}").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await settled(pilot)
        assert app.screen.query_one("#f-company").value == hostile("CO").replace(ESCAPES, SHOWN_ESCAPES)
        app.screen.query_one("#f-amount").value = "5,200"
        await pilot.press("ctrl+s")
        await settled(pilot)
    saved = sqlite_service.deal(deal.id)
    assert (saved.title, saved.company, saved.next_step) == (TITLE, hostile("CO"), f"call\tback{ESCAPES}")
    edit = sqlite_service.history(deal.id)[-1]
    assert list(edit.details["changes"]) == ["amount"]  # nothing else was touched, nothing else changed


async def test_a_field_the_rep_changes_saves_what_it_shows(sqlite_service):
    deal = sqlite_service.create_deal("Helios", company=f"Helios{ESCAPES}").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await settled(pilot)
        company = app.screen.query_one("#f-company")
        company.focus()
        await pilot.press("end", "backspace")  # the last visible character of the escapes
        await pilot.press("ctrl+s")
        await settled(pilot)
    assert sqlite_service.deal(deal.id).company == "Helios" + SHOWN_ESCAPES[:-1]


async def test_control_characters_pasted_into_a_field_arrive_as_visible_text(sqlite_service):
    from textual import events

    deal = sqlite_service.create_deal("Helios").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await settled(pilot)
        company = app.screen.query_one("#f-company")
        company.focus()
        app.post_message(events.Paste(f"Acme{ESCAPES}"))  # as the terminal sends it
        await pilot.pause()
        assert company.value == f"Acme{SHOWN_ESCAPES}"
        await pilot.press("ctrl+s")
        await settled(pilot)
    assert sqlite_service.deal(deal.id).company == f"Acme{SHOWN_ESCAPES}"


async def test_the_look_back_saves_an_untouched_answer_as_stored(sqlite_service):
    deal = sqlite_service.create_deal("Helios", amount="1k").deal
    sqlite_service.mark_won(deal.id)
    sqlite_service.record_lookback(deal.id, hostile("WW"), "")
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40)) as pilot:
        ask_lookback(app, sqlite_service.deal(deal.id), board(app).dialogs.lookback_answered, won=True)
        await screen_after(pilot)
        app.screen.query_one("#lookback-nearly-lost").value = "Legal took two weeks"
        await screen_after(pilot, "ctrl+s")
    saved = sqlite_service.deal(deal.id)
    assert (saved.went_well, saved.nearly_lost) == (hostile("WW"), "Legal took two weeks")


async def test_control_characters_pasted_into_a_note_arrive_as_visible_text(sqlite_service):
    from textual import events

    deal = sqlite_service.create_deal("Helios").deal
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await screen_after(pilot, "N")
        assert isinstance(app.screen, NoteForm)
        app.post_message(events.Paste(f"line one\nline{ESCAPES}"))  # as the terminal sends it
        assert f"line{SHOWN_ESCAPES}" in await screen_after(pilot)
        await screen_after(pilot, "ctrl+s")
    assert [n.text for n in sqlite_service.deal_detail(deal.id).notes] == [f"line one\nline{SHOWN_ESCAPES}"]


async def test_the_pipeline_picker_the_stage_editor_and_the_title_show_stored_text_literally(sqlite_service, clock):
    seed(sqlite_service, clock)
    sqlite_service.add_pipeline("Renewals")
    with sqlite_service.db.engine.begin() as conn:
        conn.execute(text("UPDATE pipelines SET name = :name WHERE name = 'Sales'"), {"name": hostile("PI")})
    sqlite_service.forget_stages()
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await screen_after(pilot)
        assert "closedwon: PI[b]x[/b]" in screen  # the title bar names the pipeline, literally
        screen = await screen_after(pilot, "P")
        assert isinstance(app.screen, PipelinePicker)
        shows(screen, "PI")
        screen = await screen_after(pilot, "escape", "S")
        assert isinstance(app.screen, StageEditor)
        shows(screen, "PI", "ST")


async def test_the_view_picker_and_form_and_a_filter_error_show_text_literally(sqlite_service, clock):
    """A view's name and filter come from a settings file; a filter error quotes what was typed
    (or pasted): each is drawn as it is."""
    from closedwon_tui.app.forms.views import SaveViewForm, ViewPicker

    seed(sqlite_service, clock)
    app = ClosedwonApp(sqlite_service, settings=Settings(views={hostile("VN"): hostile("VF")}), celebrate=False)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await screen_after(pilot, "v")
        assert isinstance(app.screen, ViewPicker)
        shows(screen, "VN", "VF")
        screen = await screen_after(pilot, "down", "enter")  # the hostile filter, in the box and under it
        assert "VF[b]x[/b]" in screen and "\\x1b]0;pwned" in screen
        box = board(app).query_one("#filter")
        box.value = "close:" + hostile("FE")
        screen = await screen_after(pilot)
        shows(screen, "FE")  # the error names the term literally
        box.value = "stale"
        await screen_after(pilot, "enter")
        screen = await screen_after(pilot, "V")
        assert isinstance(app.screen, SaveViewForm)
        assert "stale" in screen
