"""`closedwon deal ...`: add, edit, move, close, reopen, list and show deals."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import chain

from closedwon_tui.cli.arguments import deal_id, position, whole_number
from closedwon_tui.cli.context import Context
from closedwon_tui.cli.filtering import add_filter_options, matching_ids
from closedwon_tui.cli.output import (
    detail_json,
    echo,
    money,
    print_json,
    print_json_batches,
    print_json_texts,
    safe,
    table,
)
from closedwon_tui.domain.errors import ConflictError, ValidationError
from closedwon_tui.domain.models import EDITABLE_FIELDS, Deal
from closedwon_tui.domain.parsing import parse_whole_number
from closedwon_tui.domain.rules import days_in_stage
from closedwon_tui.domain.timeline import absolute_time, describe_event, relative_time

#: `deal list --format`.
LIST_FORMATS = ("table", "json", "csv", "ids")

Handler = Callable[[argparse.Namespace, Context], int]
_ASCII_DIGITS = frozenset("0123456789")

_ADD_OPTIONS = {
    "company": "company",
    "contact": "contact_name",
    "email": "contact_email",
    "amount": "amount",
    "currency": "currency",
    "close_date": "close_date",
    "owner": "owner",
    "probability": "probability",
    "source": "source",
    "next_step": "next_step",
}


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    deal = commands.add_parser("deal", help="add, change and look at deals")
    sub = deal.add_subparsers(dest="deal_command", metavar="COMMAND", required=True)

    add = sub.add_parser("add", help="add a deal and print its id")
    add.add_argument("title")
    for option in _ADD_OPTIONS:
        add.add_argument(f"--{option.replace('_', '-')}", dest=option)
    add.add_argument("--stage", help="stage name (default: the first stage)")
    add.add_argument("--pipeline", metavar="NAME", help="the pipeline (default: the first, Sales)")
    add.add_argument("--reason", help="lost reason, when the stage is Closed Lost")
    add.set_defaults(handler=_add)

    move = sub.add_parser(
        "move", help="move deals to a stage (all or none)", usage="%(prog)s [-h] [options] ID [ID ...] STAGE"
    )
    move.add_argument("words", nargs="+", type=_id_or_stage, metavar="ID [ID ...] STAGE",
                      help="the deals' ids, then the stage")  # fmt: skip
    move.add_argument("--reason", help="lost reason, when the stage is Closed Lost")
    move.add_argument("--note", default="", help="more detail on the lost reason")
    move.add_argument("--position", type=position, help="1 is the top of the column (default)")
    move.add_argument("--pipeline", metavar="NAME", help="move the deals across to this pipeline's stage")
    _keep_followups(move)
    move.set_defaults(handler=_move)

    won = sub.add_parser("won", help="mark deals closed won (all or none)")
    won.add_argument("ids", type=deal_id, nargs="+", metavar="ID")
    _keep_followups(won)
    won.set_defaults(handler=_won)

    lost = sub.add_parser("lost", help="mark deals closed lost (all or none)")
    lost.add_argument("ids", type=deal_id, nargs="+", metavar="ID")
    lost.add_argument("--reason", required=True, help="why it was lost (price, timing, competitor, ...)")
    lost.add_argument("--note", default="", help="more detail on the reason")
    _keep_followups(lost)
    lost.set_defaults(handler=_lost)

    reopen = sub.add_parser("reopen", help="reopen a closed deal")
    reopen.add_argument("id", type=deal_id)
    reopen.add_argument("--stage", help="open stage to reopen into (default: where it closed from)")
    reopen.set_defaults(handler=lambda a, c: _report_move(c, c.service.reopen(a.id, a.stage)))

    edit = sub.add_parser("edit", help="change deals' fields (all or none)")
    edit.add_argument("ids", type=deal_id, nargs="+", metavar="ID")
    for name in EDITABLE_FIELDS:
        edit.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="VALUE")
    for alias, name in (("contact", "contact_name"), ("email", "contact_email")):
        edit.add_argument(f"--{alias}", dest=name, metavar="VALUE", help=argparse.SUPPRESS)
    edit.set_defaults(handler=_edit)

    undo = sub.add_parser(
        "undo", help="take back the latest change of a deal (made to several deals at once: all of it)"
    )
    undo.add_argument("id", type=deal_id)
    undo.add_argument("--only", action="store_true",
                      help="only this deal's part of a change made to several deals at once")  # fmt: skip
    undo.set_defaults(handler=_undo)

    listing = sub.add_parser("list", help="list deals (all of them, or those a filter or a saved view matches)")
    listing.add_argument("--stage")
    listing.add_argument("--owner")
    add_filter_options(listing)
    listing.add_argument("--pipeline", metavar="NAME", help="only this pipeline's deals")
    listing.add_argument(
        "--format", choices=LIST_FORMATS, default="table",
        help="table (default), json, csv, or ids (the ids space-separated, for $(...) and xargs)",
    )  # fmt: skip
    listing.add_argument("--json", action="store_const", const="json", dest="format", help="the same as --format json")
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="show a deal with its history")
    show.add_argument("id", type=deal_id)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=_show)


def _add(args: argparse.Namespace, ctx: Context) -> int:
    fields = {
        field: getattr(args, option) for option, field in _ADD_OPTIONS.items() if getattr(args, option) is not None
    }
    deal = ctx.service.create_deal(
        args.title, stage=args.stage, pipeline=args.pipeline, lost_reason=args.reason or "", **fields
    ).deal
    echo(str(deal.id))
    return 0


def _keep_followups(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep-followups", action="store_true",
                        help="a close leaves the deal's pending follow-ups as they are (default: marked done)")  # fmt: skip


def _id_or_stage(word: str) -> str:
    """A word of `deal move`: a number must be one a row id can be (a stage name is anything else)."""
    if word and _ASCII_DIGITS.issuperset(word):
        whole_number("deal id")(word)
    return word


def ids_and_stage(words: list[str]) -> tuple[list[int], str]:
    """`3 4 5 Proposal` -> ([3, 4, 5], "Proposal"): the leading numbers are deal ids, the rest the
    stage (its name, which may have spaces, or its number: `3 4 5` moves deals 3 and 4 to stage 5)."""
    split = next((i for i, word in enumerate(words) if not _ASCII_DIGITS.issuperset(word)), len(words) - 1)
    if split == 0 and len(words) > 1:
        parse_whole_number(words[0], "deal id")  # says what is wrong with it
    if split == 0:
        raise ValidationError("say which deals and where: closedwon deal move ID [ID ...] STAGE")
    return [parse_whole_number(word, "deal id") for word in words[:split]], " ".join(words[split:])


def _move(args: argparse.Namespace, ctx: Context) -> int:
    ids, stage = ids_and_stage(args.words)
    top_based = None if args.position is None else args.position - 1
    settle = not args.keep_followups
    if len(ids) == 1:
        change = ctx.service.move_deal(ids[0], stage, position=top_based, lost_reason=args.reason,
                                       lost_note=args.note, settle_followups=settle, pipeline=args.pipeline)  # fmt: skip
    else:
        change = ctx.service.move_deals(ids, stage, position=top_based, lost_reason=args.reason, lost_note=args.note,
                                        settle_followups=settle, pipeline=args.pipeline)  # fmt: skip
    return _report_move(ctx, change)


def _won(args: argparse.Namespace, ctx: Context) -> int:
    return _report_move(ctx, ctx.service.win_deals(args.ids, settle_followups=not args.keep_followups))


def _lost(args: argparse.Namespace, ctx: Context) -> int:
    # The service checks the reason against the settings' list (any case, or a unique prefix).
    change = ctx.service.lose_deals(args.ids, args.reason, args.note, settle_followups=not args.keep_followups)
    return _report_move(ctx, change)


def _report_move(ctx: Context, change) -> int:  # type: ignore[no-untyped-def]
    """A line per deal: what happened to it, where it is now (and its pipeline, when there are
    several), and the follow-ups its close marked done."""
    several = len(ctx.service.pipelines()) > 1
    for part in change.parts:
        stage = ctx.service.stage(part.deal.stage_id)
        kind = part.kind.value if part.kind else "unchanged"
        settled = len(part.companions)
        done = f" ({settled} pending follow-up{'s' if settled != 1 else ''} marked done)" if settled else ""
        where = safe(stage.name) + (f" ({safe(ctx.service.pipeline_of(stage).name)})" if several else "")
        echo(f"deal {part.deal.id} {kind}: now in {where}{done}")
    return 0


def _edit(args: argparse.Namespace, ctx: Context) -> int:
    changes = {name: getattr(args, name) for name in EDITABLE_FIELDS if getattr(args, name, None) is not None}
    if not changes:
        raise ValidationError("say what to change, e.g. --amount 12k or --close-date 2026-12-31")
    if len(args.ids) == 1:
        change = ctx.service.edit_deal(args.ids[0], changes)
    else:
        change = ctx.service.edit_deals(args.ids, changes)
    for part in change.parts:
        if part.event is None:
            echo(f"deal {part.deal.id} unchanged")
        else:
            echo(f"deal {part.deal.id} edited: {safe(describe_event(part.event, {})[len('edited ') :])}")
    return 0


def _undo(args: argparse.Namespace, ctx: Context) -> int:
    """The deal's latest change taken back; a change made to several deals at once (`deal move 3 4 5
    proposal`) is taken back whole, a line per deal, unless `--only`."""
    try:
        change = ctx.service.undo_last(args.id, only=args.only)
    except ConflictError as exc:
        if args.only or str(exc).startswith(f"deal {args.id} "):
            raise
        raise ConflictError(f"{exc}; nothing was undone (to take back only deal {args.id}'s part of that change: "
                            f"closedwon deal undo {args.id} --only)") from exc  # fmt: skip
    names = {s.id: s.name for s in ctx.service.all_stages()}
    if change.is_bulk:
        ids = ", ".join(str(d.id) for d in change.deals)
        echo(f"took back one change made to {len(change.parts)} deals at once (deals {ids}):")
    for part in change.parts:
        assert part.event is not None
        echo(f"deal {part.deal.id}: {safe(describe_event(part.event, names))}")
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    now = service.now()
    wanted = matching_ids(args, ctx)
    if args.format == "json":
        with service.deal_listing_json(stage=args.stage, owner=args.owner, pipeline=args.pipeline) as batches:
            if wanted is None:
                print_json_batches(batches)
            else:
                print_json_texts(_only(chain.from_iterable(batches), set(wanted)))
        return 0
    deals = service.deals(stage=args.stage, owner=args.owner, pipeline=args.pipeline)
    if wanted is not None:
        keep = set(wanted)
        deals = [d for d in deals if d.id in keep]
    if args.format == "ids":
        if deals:
            echo(" ".join(str(d.id) for d in deals))
        return 0
    if args.format == "csv":
        _csv(deals, ctx, now)
        return 0
    rows = [
        [str(d.id), d.title, d.company, service.stage(d.stage_id).name, money(d), str(days_in_stage(d, now)), d.owner]
        for d in deals
    ]  # fmt: skip
    headers = ["ID", "TITLE", "COMPANY", "STAGE", "AMOUNT", "DAYS", "OWNER"]
    if args.pipeline is None and len(service.pipelines()) > 1:  # several pipelines listed: say which
        for row, deal in zip(rows, deals):
            row.insert(4, service.pipeline_of(deal.stage_id).name)
        headers.insert(4, "PIPELINE")
    echo(table(rows, headers) if rows else "no deals")
    return 0


def _only(objects: Iterator[str], ids: set[int]) -> Iterator[str]:
    """The JSON objects of the deals in `ids` (each object's first key is its id)."""
    for text in objects:
        if json.loads(text)["id"] in ids:
            yield text


_CSV_COLUMNS = ["id", "title", "company", "contact", "stage", "amount", "currency", "probability", "close_date",
                "owner", "days_in_stage", "next_step"]  # fmt: skip


def _csv(deals: list[Deal], ctx: Context, now: datetime) -> None:
    """One row per deal, amounts as exact decimals; every cell shown literally (no control characters).
    A database with several pipelines gets a `pipeline` column after `stage` (with `--pipeline`
    too: a script reads the same columns from every listing of that database)."""
    service = ctx.service
    several = len(service.pipelines()) > 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS[:5] + ["pipeline"] + _CSV_COLUMNS[5:] if several else _CSV_COLUMNS)
    for d in deals:
        stage = service.stage(d.stage_id)
        where = [stage.name, service.pipeline_of(stage).name] if several else [stage.name]
        writer.writerow([safe(str(v)) for v in (
            d.id, d.title, d.company, d.contact_name, *where,
            "" if d.amount is None else d.amount, d.currency, "" if d.probability is None else d.probability,
            d.close_date.isoformat() if d.close_date else "", d.owner, days_in_stage(d, now), d.next_step,
        )])  # fmt: skip
    sys.stdout.write(out.getvalue())


def _show(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    detail = service.deal_detail(args.id)
    now = service.now()
    if args.json:
        pipeline = service.pipeline_of(detail.stage).name
        place = service.place_in_column(detail.deal)
        print_json(detail_json(detail, service.all_stages(), now, pipeline=pipeline, place=place))
        return 0
    deal, stage = detail.deal, detail.stage
    names = {s.id: s.name for s in service.all_stages()}
    lines = [f"#{deal.id} {safe(deal.title)}", f"  stage       {safe(stage.name)} ({days_in_stage(deal, now)} days)"]
    if len(service.pipelines()) > 1:
        lines.append(f"  pipeline    {safe(service.pipeline_of(stage).name)}")
    for label, value in (
        ("company", deal.company), ("contact", deal.contact_name), ("email", deal.contact_email),
        ("amount", money(deal) if deal.amount is not None else ""),
        ("probability", f"{deal.probability}%" if deal.probability is not None else ""),
        ("close date", deal.close_date.isoformat() if deal.close_date else ""), ("owner", deal.owner),
        ("source", deal.source), ("next step", deal.next_step),
        ("lost reason", deal.lost_reason), ("went well", deal.went_well), ("nearly lost", deal.nearly_lost),
    ):  # fmt: skip
        if value:
            lines.append(f"  {label:<11} {safe(str(value))}")
    if detail.objections:
        lines.append("\nObjections")
        for o in sorted(detail.objections, key=lambda o: (o.status.value != "open", o.id)):
            response = f" → {safe(o.response)}" if o.response else ""
            lines.append(f"  [{o.status.value}] {o.kind.value}: {safe(o.text)}{response}")
    pending = [f for f in detail.followups if not f.is_done]
    if pending:
        lines.append("\nFollow-ups")
        for f in pending:
            when = f.due.strftime("%Y-%m-%d %H:%M" if f.has_time else "%Y-%m-%d")
            lines.append(f"  #{f.id} {when} {safe(f.note)}")
    lines.append("\nHistory (newest first)")
    for event in reversed(detail.history):
        who = f" by {safe(event.actor)}" if event.actor else ""
        lines.append(
            f"  {absolute_time(event.at)}  {relative_time(event.at, now):>14}  "
            f"{safe(describe_event(event, names))}{who}"
        )
    echo("\n".join(lines))
    return 0
