"""A short list of choices picked with the arrows and enter, or with its number."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import OptionList


class ChoiceList(OptionList):
    """An option list whose first nine options are also picked by pressing their number.

    Any other character typed here is passed on (`TypedAhead`), so a rep who types on without waiting
    for the focus to move loses nothing; once a choice is picked, digits are passed on too, until the
    list has focus again."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 9; border: none; padding: 0; }
    """

    _picked = False

    @property
    def picked(self) -> bool:
        """A choice was picked since the list last had focus (so what is typed now is meant for the next field)."""
        return self._picked

    def on_focus(self) -> None:
        self._picked = False
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def action_select(self) -> None:
        self._picked = True
        super().action_select()

    def action_pick(self, index: int) -> None:
        if index < self.option_count and not self.get_option_at_index(index).disabled:
            self.highlighted = index
            self.action_select()

    @dataclass
    class TypedAhead(Message):
        """A character typed while the choices had focus, meant for the next field."""

        choice_list: ChoiceList
        character: str

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def on_key(self, event: events.Key) -> None:
        """Digits pick here and now (not as bindings, which would run after the keys typed next)."""
        character = event.character
        if not event.is_printable or not character:
            return
        event.stop()
        event.prevent_default()
        if character in "123456789" and not self._picked and int(character) <= self.option_count:
            self.action_pick(int(character) - 1)
        else:
            self.post_message(self.TypedAhead(self, character))
