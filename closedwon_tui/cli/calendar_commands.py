"""`closedwon calendar`: follow-ups as an iCalendar file for the rep's phone."""

from __future__ import annotations

import argparse
import sys

from closedwon_tui.cli.context import Context
from closedwon_tui.cli.output_files import write_output


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    calendar = commands.add_parser("calendar", help="write follow-ups as an iCalendar (.ics) file")
    calendar.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    calendar.add_argument("--owner", metavar="NAME", help="only the follow-ups of this owner's deals")
    calendar.set_defaults(handler=_calendar)


def _calendar(args: argparse.Namespace, ctx: Context) -> int:
    data = ctx.service.calendar(owner=args.owner)
    write_output(args.output, lambda out: out.write(data.decode("utf-8")))
    if args.output not in (None, "-"):
        count = data.count(b"BEGIN:VEVENT")
        print(f"wrote {count} follow-up{'s' if count != 1 else ''} to {args.output}", file=sys.stderr)
    return 0
