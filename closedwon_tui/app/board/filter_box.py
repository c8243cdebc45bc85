"""The board's filter box (`/`): what is typed filters the cards as it is typed, a malformed term is
named under the box, and saved views (`v`, `V`) are put into it and saved from it. The board screen
owns one and routes the box's events and those keys to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Static

from closedwon_tui.app.app import app_of
from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.filters import unfinished_term

if TYPE_CHECKING:
    from closedwon_tui.app.board.screen import BoardScreen


class FilterInput(LiteralInput):
    """The filter box's input. Its size is fixed (one line in a border), so the text growing with
    each key needs no layout of the screen: only the box and the cards that change are painted
    again (Input's virtual size, its text's width, asks for a layout of the whole screen otherwise)."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class FilterBox:
    def __init__(self, screen: BoardScreen) -> None:
        self.screen = screen

    @property
    def box(self) -> Input:
        return self.screen.query_one("#filter", Input)

    @property
    def in_use(self) -> bool:
        """The box is shown, or a filter is applied (escape clears it)."""
        return self.box.has_class("-shown") or bool(self.screen.model.filter_text)

    def open(self) -> None:
        """`/`: the box shown and focused."""
        if isinstance(self.screen.focused, Input):
            raise SkipAction()  # `/` typed in the filter box is text (the binding is a priority one)
        box = self.box
        box.add_class("-shown")
        # Focus at once, so the keys typed right after `/` go to the box: widget.focus()
        # would move focus only after the keys already queued.
        self.screen.set_focus(box)
        if self.screen.board_load.done:  # every card's searchable text, once the box is on screen
            self.screen.call_after_refresh(self._prepare)

    def _prepare(self) -> None:
        self.screen.model.prepare_filtering()

    def changed(self, text: str) -> None:
        """The rep typed in the box."""
        typing = self.box.cursor_position == len(text) and not text[-1:].isspace()
        unfinished = unfinished_term(text)
        if unfinished is not None and typing:
            text = text[:unfinished]  # `amou`, `sta`: filter by what comes before until it is more than a term's start
        # `close:nextw` on its way: named under the box, and meanwhile the words before it filter
        self.apply(text, meanwhile=text[: len(text) - len(text.split()[-1])] if typing and text.strip() else None)

    def submitted(self, text: str) -> None:
        if self.apply(text):  # enter: every word as typed, a term's start included
            self.screen.to_a_shown_card()
            self.screen.focus_board()  # a malformed filter keeps the box, to fix it

    def apply(self, text: str, *, meanwhile: str | None = None) -> bool:
        """Filter the board; a malformed term is named under the filter box, and the board keeps
        the last filter that made sense meanwhile (so typing `amount>` does not blank it), or
        filters by `meanwhile` (the words before the one being typed) when that makes sense."""
        screen = self.screen
        error = screen.query_one("#filter-error", Static)
        # While a big board is still read, a filter is checked now and applied once every card is here.
        set_filter = screen.model.set_filter if screen.board_load.done else self._later
        try:
            changed = set_filter(text)
        except ValidationError as exc:
            _name_problem(error, str(exc))
            if meanwhile is not None:
                try:
                    changed = set_filter(meanwhile)
                except ValidationError:
                    return False
                if changed:
                    screen.refresh_all_columns()
            return False
        if not screen.board_load.done:
            error.update(plain("Filtering once the board is read (a moment)…"))
            error.add_class("-shown")
        elif error.has_class("-shown"):
            error.remove_class("-shown")
            error.update("")
        if changed:  # `clos` on its way to `close:` filters as before: nothing to draw again
            screen.refresh_all_columns()
        return True

    def _later(self, text: str) -> bool:
        """Check `text` (a malformed term raises `ValidationError`) and keep it to filter by once the
        board is read; the board shows the same cards meanwhile (False: nothing to draw again)."""
        self.screen.model.parse_filter(text)
        self.screen.board_load.filter_text = text
        return False

    def show(self, text: str) -> None:
        """Put `text` in the filter box and apply it (a saved view)."""
        box = self.box
        box.add_class("-shown")
        with box.prevent(Input.Changed):
            box.value = text
        if self.apply(text):
            self.screen.to_a_shown_card()

    def clear(self) -> None:
        box = self.box
        with box.prevent(Input.Changed):
            box.value = ""
        box.remove_class("-shown")
        self.apply("")

    # saved views -------------------------------------------------------------
    def pick_view(self) -> None:
        """`v`: a saved view's filter into the filter box (or no filter)."""
        from closedwon_tui.app.forms.views import ViewPicker

        def picked(text: str | None) -> None:
            if text is None:
                return
            if text:
                self.show(text)
            else:
                self.clear()
            self.screen.focus_board()

        views = app_of(self.screen).settings.views
        self.screen.app.push_screen(ViewPicker(views, current=self.box.value), picked)

    def save_view(self) -> None:
        """`V`: the filter as it is in the box, saved under a name in the settings file."""
        from closedwon_tui.app.forms.views import SaveViewForm

        view = self.screen.view
        text = " ".join(self.box.value.split())
        if not text:
            view.say("Nothing to save: filter with / first, then V saves the filter as a view")
            return
        try:
            self.screen.model.parse_filter(text)
        except ValidationError as exc:
            view.show_error(str(exc), conflict=False)
            return
        app = app_of(self.screen)

        def named(name: str | None) -> None:
            if name is None:
                return
            from dataclasses import replace

            from closedwon_tui.paths import config_path
            from closedwon_tui.saved_views import save_view

            path = app.settings.source or config_path()
            try:
                saved = save_view(path, name, text)
            except ValidationError as exc:
                view.show_error(str(exc), conflict=False)
                return
            views = {n: f for n, f in app.settings.views.items() if n.casefold() != saved.casefold()}
            views[saved] = text
            app.settings = replace(app.settings, views=views, source=path)
            view.say(f"Saved the view {saved}: v shows it")

        self.screen.app.push_screen(SaveViewForm(text, list(app.settings.views)), named)


def _name_problem(error: Static, message: str) -> None:
    """Show `message` under the box. While a term is typed its message changes with each key; when
    it takes as many lines as the one shown, the board below keeps its size and is not laid out again."""
    content = plain(message)
    region = error.content_region
    same_lines = error.has_class("-shown") and region.width > 0 and len(content.wrap(region.width)) == region.height
    error.update(content, layout=not same_lines)
    error.add_class("-shown")
