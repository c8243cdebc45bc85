"""A short list of choices picked with the arrows and enter, or with its number."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class ChoiceList(OptionList):
    """An option list whose first nine options are also picked by pressing their number."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 9; border: none; padding: 0; }
    """

    BINDINGS = [
        Binding(str(n), f"pick({n - 1})", f"Pick choice {n}", id=f"choices.pick_{n}", show=False)
        for n in range(1, 10)
    ]

    def action_pick(self, index: int) -> None:
        if index < self.option_count and not self.get_option_at_index(index).disabled:
            self.highlighted = index
            self.action_select()
