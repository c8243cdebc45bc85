"""`closedwon stages ...` and `closedwon pipeline ...`: a team's own stages and pipelines."""

from __future__ import annotations

import argparse

from closedwon_tui.cli.context import Context
from closedwon_tui.cli.output import echo, pipeline_event_json, print_json, safe, table
from closedwon_tui.domain.models import StageChange
from closedwon_tui.domain.timeline import absolute_time, relative_time


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    stages = commands.add_parser("stages", help="list or change a pipeline's stages")
    _pipeline_option(stages)
    stages.add_argument("--json", action="store_true", help="as JSON, one stage a line")
    stages.set_defaults(handler=_list_stages)
    sub = stages.add_subparsers(dest="stages_command", metavar="COMMAND")

    add = sub.add_parser("add", help="add an open stage")
    add.add_argument("name")
    _pipeline_option(add)
    _where(add, required=False)
    add.add_argument("--probability", metavar="N", help="0-100 (default: the stage before it's)")
    add.add_argument("--rotting-days", metavar="N", help="days untouched before a deal rots (0: never)")
    add.set_defaults(handler=_add_stage)

    rename = sub.add_parser("rename", help="rename a stage")
    rename.add_argument("stage")
    rename.add_argument("new_name", metavar="NEW")
    _pipeline_option(rename)
    rename.set_defaults(handler=lambda a, c: _said(c.service.rename_stage(a.stage, a.new_name, pipeline=_chosen(a))))

    edit = sub.add_parser("edit", help="set a stage's probability or rotting days")
    edit.add_argument("stage")
    edit.add_argument("--probability", metavar="N", help="0-100")
    edit.add_argument("--rotting-days", metavar="N", help="days untouched before a deal rots (0: never)")
    _pipeline_option(edit)
    edit.set_defaults(handler=_edit_stage)

    move = sub.add_parser("move", help="put a stage somewhere else in the order")
    move.add_argument("stage")
    _where(move, required=False)  # neither: the service says what is missing (one line, exit 2)
    _pipeline_option(move)
    move.set_defaults(
        handler=lambda a, c: _said(c.service.move_stage(a.stage, after=a.after, first=a.first, pipeline=_chosen(a)))
    )

    remove = sub.add_parser("remove", help="remove a stage (its past stays in the history)")
    remove.add_argument("stage")
    remove.add_argument("--move-deals-to", metavar="STAGE", help="where the stage's deals go")
    _pipeline_option(remove)
    remove.set_defaults(
        handler=lambda a, c: _said(
            c.service.remove_stage(a.stage, move_deals_to=a.move_deals_to, pipeline=_chosen(a))
        )  # fmt: skip
    )

    history = sub.add_parser("history", help="every change to the pipeline and its stages: who, when, what")
    _pipeline_option(history)
    history.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                         help="as JSON, oldest first, one change a line")  # fmt: skip
    history.set_defaults(handler=_history)

    pipeline = commands.add_parser("pipeline", help="list, add, rename and remove pipelines")
    psub = pipeline.add_subparsers(dest="pipeline_command", metavar="COMMAND", required=True)
    listing = psub.add_parser("list", help="the pipelines, with their stages and deals")
    listing.add_argument("--json", action="store_true", help="as JSON, one pipeline a line")
    listing.set_defaults(handler=_list_pipelines)
    padd = psub.add_parser("add", help="add a pipeline")
    padd.add_argument("name")
    padd.add_argument("--stages", metavar='"A,B,C"', help="its open stages (default: a copy of the first pipeline's)")
    padd.set_defaults(handler=lambda a, c: _said(c.service.add_pipeline(a.name, stages=a.stages)))
    prename = psub.add_parser("rename", help="rename a pipeline")
    prename.add_argument("name")
    prename.add_argument("new_name", metavar="NEW")
    prename.set_defaults(handler=lambda a, c: _said(c.service.rename_pipeline(a.name, a.new_name)))
    premove = psub.add_parser("remove", help="remove a pipeline that holds no deals")
    premove.add_argument("name")
    premove.set_defaults(handler=lambda a, c: _said(c.service.remove_pipeline(a.name)))


def _pipeline_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pipeline", metavar="NAME", default=argparse.SUPPRESS,
                        help="the pipeline (default: the first, Sales)")  # fmt: skip


def _chosen(args: argparse.Namespace) -> str | None:
    """The --pipeline given (before or after the subcommand), if any."""
    return getattr(args, "pipeline", None)


def _where(parser: argparse.ArgumentParser, *, required: bool) -> None:
    where = parser.add_mutually_exclusive_group(required=required)
    where.add_argument("--after", metavar="STAGE", help="right after this stage")
    where.add_argument("--first", action="store_true", help="the first stage")


def _said(change: StageChange) -> int:
    assert change.event is not None
    echo(f"{safe(change.pipeline.name)}: {safe(change.event.summary)}")
    return 0


def _list_stages(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    pipeline = service.pipeline(_chosen(args))
    stages = service.stages(pipeline)
    counts = service.stage_deal_counts(pipeline)
    if args.json:
        print_json(
            [
                {
                    "number": i,
                    "id": s.id,
                    "name": s.name,
                    "probability": s.probability,
                    "kind": s.kind.value,
                    "rotting_days": s.rotting_days,
                    "deals": counts[s.id],
                    "pipeline": pipeline.name,
                }  # fmt: skip
                for i, s in enumerate(stages, start=1)
            ]
        )
        return 0
    rows = [
        [str(i), s.name, f"{s.probability}%", s.kind.value, str(s.rotting_days or ""), str(counts[s.id])]
        for i, s in enumerate(stages, start=1)
    ]
    if len(service.pipelines()) > 1:
        echo(f"Pipeline {safe(pipeline.name)}")
    echo(table(rows, ["#", "STAGE", "PROBABILITY", "KIND", "ROTTING DAYS", "DEALS"]))
    return 0


def _history(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    pipeline = service.pipeline(_chosen(args))
    events = service.stage_history(pipeline)
    if getattr(args, "json", False):  # `stages history --json`, or `stages --json history`
        names = {s.id: s.name for s in service.all_stages()}
        print_json([pipeline_event_json(e, pipeline.name, names) for e in events])
        return 0
    now = service.now()
    rows = [[absolute_time(e.at), relative_time(e.at, now), e.actor, e.summary] for e in reversed(events)]
    echo(table(rows, ["WHEN", "AGO", "WHO", "WHAT"]) if rows else "no changes to the stages yet")
    return 0


def _add_stage(args: argparse.Namespace, ctx: Context) -> int:
    change = ctx.service.add_stage(
        args.name, pipeline=_chosen(args), after=args.after, first=args.first,
        probability=args.probability, rotting_days=args.rotting_days,
    )  # fmt: skip
    return _said(change)


def _edit_stage(args: argparse.Namespace, ctx: Context) -> int:
    change = ctx.service.edit_stage(
        args.stage, probability=args.probability, rotting_days=args.rotting_days, pipeline=_chosen(args)
    )
    return _said(change)


def _list_pipelines(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    counts = service.pipeline_deal_counts()
    pipelines = service.pipelines()
    if args.json:
        print_json(
            [
                {
                    "number": i,
                    "id": p.id,
                    "name": p.name,
                    "deals": counts[p.id],
                    "stages": [s.name for s in service.stages(p)],
                }  # fmt: skip
                for i, p in enumerate(pipelines, start=1)
            ]
        )
        return 0
    rows = [
        [str(i), p.name, str(counts[p.id]), ", ".join(s.name for s in service.stages(p))]
        for i, p in enumerate(pipelines, start=1)
    ]
    echo(table(rows, ["#", "PIPELINE", "DEALS", "STAGES"]))
    return 0
