"""`closedwon objection|followup|note ...`: activity on a deal from the command line."""

from __future__ import annotations

import argparse

from closedwon_tui.cli.arguments import deal_id, followup_id, objection_id
from closedwon_tui.cli.context import Context
from closedwon_tui.cli.output import echo
from closedwon_tui.domain.models import ObjectionKind


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    objection = commands.add_parser("objection", help="record and answer objections")
    sub = objection.add_subparsers(dest="objection_command", metavar="COMMAND", required=True)
    add = sub.add_parser("add", help="record an objection on a deal")
    add.add_argument("id", type=deal_id, help="deal id")
    add.add_argument("text", nargs="+")
    add.add_argument("--kind", required=True, help=", ".join(k.value for k in ObjectionKind))
    add.set_defaults(handler=_objection_add)
    answer = sub.add_parser("answer", help="record the response to an objection")
    answer.add_argument("objection_id", type=objection_id)
    answer.add_argument("response", nargs="+")
    answer.add_argument("--addressed", action="store_true", help="also mark it addressed")
    answer.set_defaults(handler=_objection_answer)
    address = sub.add_parser("address", help="mark an objection addressed")
    address.add_argument("objection_id", type=objection_id)
    address.add_argument("response", nargs="*")
    address.set_defaults(handler=_objection_address)

    followup = commands.add_parser("followup", help="schedule and complete follow-ups")
    sub = followup.add_subparsers(dest="followup_command", metavar="COMMAND", required=True)
    add = sub.add_parser("add", help="schedule a follow-up on a deal")
    add.add_argument("id", type=deal_id, help="deal id")
    add.add_argument("text", nargs="*")
    add.add_argument("--due", required=True, help="2026-12-01, 2026-12-01 14:30, tomorrow, +3d, friday")
    add.set_defaults(handler=_followup_add)
    done = sub.add_parser("done", help="mark a follow-up done")
    done.add_argument("followup_id", type=followup_id)
    done.set_defaults(handler=_followup_done)

    note = commands.add_parser("note", help="add notes to deals")
    sub = note.add_subparsers(dest="note_command", metavar="COMMAND", required=True)
    add = sub.add_parser("add", help="add a note to a deal")
    add.add_argument("id", type=deal_id, help="deal id")
    add.add_argument("text", nargs="+")
    add.set_defaults(handler=_note_add)


def _objection_add(args: argparse.Namespace, ctx: Context) -> int:
    objection = ctx.service.add_objection(args.id, args.kind, " ".join(args.text)).item
    echo(str(objection.id))
    return 0


def _objection_answer(args: argparse.Namespace, ctx: Context) -> int:
    objection = ctx.service.answer_objection(args.objection_id, " ".join(args.response), addressed=args.addressed).item
    echo(f"objection {objection.id} {objection.status.value}")
    return 0


def _objection_address(args: argparse.Namespace, ctx: Context) -> int:
    objection = ctx.service.address_objection(args.objection_id, " ".join(args.response) or None).item
    echo(f"objection {objection.id} {objection.status.value}")
    return 0


def _followup_add(args: argparse.Namespace, ctx: Context) -> int:
    followup = ctx.service.schedule_followup(args.id, args.due, " ".join(args.text)).item
    echo(str(followup.id))
    return 0


def _followup_done(args: argparse.Namespace, ctx: Context) -> int:
    followup = ctx.service.complete_followup(args.followup_id).item
    echo(f"follow-up {followup.id} done")
    return 0


def _note_add(args: argparse.Namespace, ctx: Context) -> int:
    note = ctx.service.add_note(args.id, " ".join(args.text)).item
    echo(str(note.id))
    return 0
