"""`--filter EXPR` and `--view NAME`: the board's filter language on the command line.

`deal list`, `export` and `report` take both; a view's filter and `--filter` must then both hold.
The deals are picked by the same parser and matcher the board uses (domain/filters.py, through
`matching_deal_ids`), so the board and the command line always agree. A malformed filter or an
unknown view is one line and exit status 2.
"""

from __future__ import annotations

import argparse

from closedwon_tui.cli.context import Context
from closedwon_tui.saved_views import find_view


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--filter", metavar="EXPR",
        help="only deals matching EXPR, as the board's / filter: words, owner:NAME, stage:NAME, pipeline:NAME, "
        "amount>10k, amount<N, currency:EUR, close:overdue|this-month|next-month|this-quarter|next-quarter, stale, "
        "no-next-step, objections, open, won, lost, -TERM",
    )  # fmt: skip
    parser.add_argument("--view", metavar="NAME", help="only deals matching a saved view ([views] in the settings)")


def attach_filter_values(argv: list[str]) -> list[str]:
    """`--filter -stale` as `--filter=-stale`: a filter often starts with a negated term, which
    argparse would take for an unknown option and refuse."""
    out: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            out.append(word)
            out.extend(words)
            break
        if word == "--filter":
            value = next(words, None)
            out.append(word if value is None else f"--filter={value}")
        else:
            out.append(word)
    return out


def filter_text(args: argparse.Namespace, ctx: Context) -> str | None:
    """The filter asked for (a view's and --filter's terms together), None when neither was given."""
    parts: list[str] = []
    if args.view is not None:
        parts.append(find_view(ctx.settings, args.view)[1])
    if args.filter is not None:
        parts.append(args.filter)
    return " ".join(parts) if parts else None


def matching_ids(args: argparse.Namespace, ctx: Context) -> list[int] | None:
    """The ids of the deals the filter matches, in board order; None when there is no filter."""
    text = filter_text(args, ctx)
    return None if text is None else ctx.service.matching_deal_ids(text, getattr(args, "pipeline", None))
