"""How the board is styled: its component classes, their rules in the theme's terms, and the rich
styles a column draws with, resolved from them once per theme."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style

from closedwon_tui.app.board.card import CardStyles

COMPONENT_CLASSES = {
    "card", "card--selected", "card--selected-blur", "card--title", "card--muted", "card--amount",
    "card--overdue", "card--today", "card--later", "card--objections", "card--stale", "card--no-next", "card--marker",
    "card--bar", "header", "header--active", "header--name", "column--border", "column--drop",
    "column--track", "column--thumb", "board--more",
}  # fmt: skip

BOARD_CSS = """
BoardView {
    height: 1fr;
    width: 1fr;
    background: $background;
    & > .card { background: $surface; }
    & > .card--selected { background: $primary 40%; }
    & > .card--selected-blur { background: $panel; }
    & > .card--title { text-style: bold; color: $foreground; }
    & > .card--muted { color: $text-muted; }
    & > .card--amount { color: $text-success; }
    & > .card--overdue { color: $text-error; text-style: bold; }
    & > .card--today { color: $text-warning; text-style: bold; }
    & > .card--later { color: $text-muted; }
    & > .card--objections { color: $text-warning; }
    & > .card--stale { color: $text-error; }
    & > .card--no-next { color: $text-warning; }
    & > .card--marker { color: $accent; text-style: bold; }
    & > .card--bar { color: $accent; }
    & > .header { background: $panel; color: $text-muted; }
    & > .header--active { background: $primary; color: $text; }
    & > .header--name { text-style: bold; }
    & > .column--border { color: $panel-lighten-1; }
    & > .column--drop { color: $accent; }
    & > .column--track { color: $scrollbar-background; }
    & > .column--thumb { color: $scrollbar; }
    & > .board--more { color: $accent; text-style: bold; }
}
"""


@dataclass(frozen=True)
class ColumnStyles:
    """Rich styles for everything a column draws, resolved once from the board's theme."""

    cards: CardStyles
    selected_blur: Style
    header: Style
    header_active: Style
    header_name: Style
    border: Style
    border_drop: Style
    track: Style
    thumb: Style
    #: The ‹ and › on the board's top corners when columns are hidden to the left or right.
    more: Style


def resolve_column_styles(get: Callable[..., Style], base: Style) -> ColumnStyles:
    """The styles a column draws with: `get` is the board's `get_component_rich_style`, `base` its own."""
    return ColumnStyles(
        cards=CardStyles(
            base=base,
            card=get("card"),
            selected=get("card--selected"),
            title=get("card--title", partial=True),
            muted=get("card--muted", partial=True),
            amount=get("card--amount", partial=True),
            overdue=get("card--overdue", partial=True),
            today=get("card--today", partial=True),
            later=get("card--later", partial=True),
            objections=get("card--objections", partial=True),
            stale=get("card--stale", partial=True),
            no_next=get("card--no-next", partial=True),
            marker=get("card--marker"),
            bar=get("card--bar", partial=True),
        ),
        selected_blur=get("card--selected-blur"),
        header=get("header"),
        header_active=get("header--active"),
        header_name=get("header--name", partial=True),
        border=base + get("column--border", partial=True),
        border_drop=base + get("column--drop", partial=True),
        track=base + get("column--track", partial=True),
        thumb=base + get("column--thumb", partial=True),
        more=base + get("board--more", partial=True),
    )
