"""What the command line accepts as an argument: ids and positions in ASCII digits that fit a
database row id, and text that is real UTF-8. Anything else is one line and exit status 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.parsing import parse_whole_number
from closedwon_tui.domain.text import printable


def whole_number(what: str) -> Callable[[str], int]:
    """An argparse `type` for an id or a position: 0-9 only, from 1 to 2^63-1 (never `int`, which
    takes ١٢٣, 1_000 and numbers no database row id can hold)."""

    def parse(text: str) -> int:
        try:
            return parse_whole_number(text, what)
        except ValidationError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = what  # argparse names the type in some of its messages
    return parse


deal_id = whole_number("deal id")
objection_id = whole_number("objection id")
followup_id = whole_number("follow-up id")
position = whole_number("position")


def as_typed(argument: str) -> str:
    """An argument as the shell passed it, its bytes that are not UTF-8 shown as `\\xff`."""
    raw = argument.encode("utf-8", "surrogateescape")
    return printable(raw.decode("utf-8", "backslashreplace"))


def check_text(argv: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 (Python hands it over with lone surrogates, which no
    database column and no terminal takes) before anything reads it."""
    for argument in argv:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = as_typed(argument)
            raise ValidationError(
                f"argument '{shown}' is not valid UTF-8 text (check the encoding of the script or terminal)"
            ) from None
