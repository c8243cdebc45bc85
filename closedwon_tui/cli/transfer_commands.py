"""Moving in and out on the command line: import, export, backup, restore, calendar."""

from __future__ import annotations

import argparse
import json
import sys

from closedwon_tui.cli import calendar_commands, import_commands
from closedwon_tui.cli.context import Context
from closedwon_tui.cli.filtering import add_filter_options, matching_ids
from closedwon_tui.cli.output import json_safe
from closedwon_tui.cli.output_files import write_output
from closedwon_tui.domain.rules import local_today
from closedwon_tui.domain.text import printable
from closedwon_tui.services.importing import read_file

#: `closedwon export --format` (closedwon_tui.transfer.exporting writes each).
FORMATS = ("csv", "json", "markdown")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    import_commands.register(commands)

    export = commands.add_parser("export", help="write every deal as CSV (which import reads back), JSON or Markdown")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    add_filter_options(export)
    export.add_argument("--pipeline", metavar="NAME", help="only this pipeline's deals (default: every pipeline)")
    export.set_defaults(handler=_export)

    backup = commands.add_parser("backup", help="write the whole database to a backup file")
    backup.add_argument("file", metavar="FILE", help="the backup file to write (- for the screen)")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser("restore", help="restore a backup file into an empty database")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=_restore)

    calendar_commands.register(commands)


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from closedwon_tui.transfer.exporting import to_csv, to_json, to_markdown

    service = ctx.service
    only = None if args.pipeline is None else service.pipeline(args.pipeline)  # unknown: one line, exit 2
    export = service.export_deals(matching_ids(args, ctx), pipeline=only)
    if args.format == "csv":
        text = to_csv(export.deals, export.database_id)
    elif args.format == "json":
        text = json_safe(json.dumps(to_json(export.deals, export.database_id), indent=2, ensure_ascii=False)) + "\n"
    else:
        title = f"Pipeline{'' if only is None else ' ' + only.name}, {local_today(service.now()).isoformat()}"
        pipelines = service.pipelines() if only is None else [only]
        stages = [s for p in pipelines for s in service.stages(p)]
        names = {p.id: p.name for p in pipelines} if len(pipelines) > 1 else None
        text = to_markdown(export.deals, stages, title=title, pipelines=names)
    # A CSV is data for `closedwon import`: exact when piped or written to a file, literal on a terminal.
    on_terminal = args.format == "csv" and sys.stdout.isatty()
    shown = (lambda part: printable(part, multiline=True)) if on_terminal else None
    write_output(args.output, lambda out: out.write(text), bom=args.format == "csv", shown=shown)
    if args.output not in (None, "-"):
        print(
            f"exported {len(export.deals)} deal{'s' if len(export.deals) != 1 else ''} to {args.output}",
            file=sys.stderr,
        )
    return 0


def _counts(rows: dict[str, int]) -> str:
    parts = [f"{rows.get(name, 0)} {label}" for name, label in (
        ("deal_events", "history events"), ("objections", "objections"), ("followups", "follow-ups"),
        ("notes", "notes"), ("import_batches", "import batches"), ("stages", "stages"),
    )]  # fmt: skip
    return ", ".join(parts)


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    from closedwon_tui.transfer.backup_format import FORMAT_VERSION

    summaries = []
    write_output(args.file, lambda out: summaries.append(ctx.service.write_backup(out)), shown=json_safe)
    summary = summaries[0]
    where = "" if args.file == "-" else f" to {args.file}"
    print(f"backed up {summary.deals} deals ({_counts(summary.rows)}){where} "
          f"(schema {summary.schema_revision}, backup format {FORMAT_VERSION})", file=sys.stderr)  # fmt: skip
    return 0


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    data = sys.stdin.buffer.read() if args.file == "-" else read_file(args.file)
    summary = ctx.service.restore_backup(data)
    print(f"restored {summary.deals} deals ({_counts(summary.rows)}) into {ctx.service.db.url}")
    return 0
