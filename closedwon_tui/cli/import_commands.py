"""`closedwon import FILE | list | undo BATCH`: bring deals in from another CRM's export, and take an
import back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from closedwon_tui.cli.context import Context
from closedwon_tui.cli.output import print_json, safe, table
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.timeline import absolute_time
from closedwon_tui.services.import_summary import ImportRefused, ImportSummary
from closedwon_tui.services.importing import ImportRequest

EXIT_REFUSED = 2

_HELP = """\
closedwon import FILE            import a CSV export (Pipedrive, HubSpot, Salesforce, Zoho, closedwon)
closedwon import list            the imports made so far (batches)
closedwon import undo BATCH      take a whole import back

To import a file named list or undo, write ./list or ./undo."""


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = commands.add_parser(
        "import", help="import deals from a CSV export; `import list`, `import undo BATCH`",
        description=_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    imp.add_argument("file", metavar="FILE|list|undo", help="the CSV file, or list, or undo")
    imp.add_argument("batch", nargs="?", metavar="BATCH", help="with undo: the batch number (see import list)")
    imp.add_argument("--source", metavar="pipedrive|hubspot|salesforce|zoho|closedwon",
                     help="which CRM wrote the file (detected from its headers when not given)")  # fmt: skip
    imp.add_argument("--map-stage", action="append", default=[], metavar='"THEIR STAGE=our stage"',
                     help="where deals in a stage closedwon does not know go (repeatable)")  # fmt: skip
    imp.add_argument("--pipeline", metavar="NAME",
                     help="the pipeline the deals go into, their stages mapped to its stages (default: the first; "
                          "closedwon's own export: the pipeline each row names)")  # fmt: skip
    imp.add_argument("--dry-run", action="store_true", help="say what would happen, change nothing")
    imp.add_argument("--skip-errors", action="store_true", help="import the good rows and list the others")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.set_defaults(handler=_import)


def _import(args: argparse.Namespace, ctx: Context) -> int:
    if args.file == "list" and args.batch is None:
        return _list(args, ctx)
    if args.file == "undo":
        return _undo(args, ctx)
    if args.batch is not None:
        raise ValidationError(f"unexpected {args.batch!r} after the file name (one file per import)")
    request = ImportRequest(
        path=args.file, source=args.source, map_stages=tuple(args.map_stage), skip_errors=args.skip_errors,
        pipeline=args.pipeline,
    )  # fmt: skip
    service = ctx.service
    try:
        summary = service.preview_import(request) if args.dry_run else service.import_file(request)
    except ImportRefused as refused:
        _show(refused.summary, args.json)
        raise
    _show(summary, args.json)
    refusal = summary.refusal()
    if refusal:  # a dry run that would be refused says so, and fails like the import would
        print(f"closedwon: {safe(refusal)}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _show(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        print_json(summary.as_json())
        return
    if summary.batch is None and not summary.dry_run:
        return  # refused: the one line on stderr says why
    lines = [safe(line) for line in summary.lines()]
    if summary.dry_run:
        lines.append("dry run: nothing was changed")
    elif summary.batch is not None:
        lines.append(f"imported as batch {summary.batch} (take it back with: closedwon import undo {summary.batch})")
    print("\n".join(lines))


def _list(args: argparse.Namespace, ctx: Context) -> int:
    batches = ctx.service.import_batches()
    if args.json:
        print_json(
            [
                {"batch": b.id, "at": b.at.isoformat(), "actor": b.actor, "file": b.file, "source": b.source,
                 "created": b.created, "updated": b.updated, "skipped": b.skipped, "errors": b.errors,
                 "undone_at": b.undone_at.isoformat() if b.undone_at else None}
                for b in batches
            ]
        )  # fmt: skip
        return 0
    if not batches:
        print("no imports yet")
        return 0
    rows = [
        [str(b.id), absolute_time(b.at), safe(Path(b.file).name), _label(b.source),
         str(b.created), str(b.updated), str(b.skipped), str(b.errors),
         f"undone {absolute_time(b.undone_at)}" if b.undone_at else "imported"]
        for b in batches
    ]  # fmt: skip
    print(table(rows, ["BATCH", "WHEN", "FILE", "SOURCE", "CREATED", "UPDATED", "SKIPPED", "ERRORS", "STATUS"]))
    return 0


def _label(source: str) -> str:
    from closedwon_tui.transfer.headers import Source

    try:
        return Source(source).label
    except ValueError:
        return safe(source)


def _undo(args: argparse.Namespace, ctx: Context) -> int:
    if args.batch is None:
        raise ValidationError("say which import to undo: closedwon import undo BATCH (see closedwon import list)")
    try:
        batch = int(args.batch)
    except ValueError:
        raise ValidationError(f"not a batch number: {args.batch!r} (see closedwon import list)") from None
    done = ctx.service.undo_import(batch)
    if args.json:
        print_json({"batch": done.batch, "removed": done.removed, "restored": done.restored})
    else:
        print(f"import {done.batch} undone: {done.removed} deal{'s' if done.removed != 1 else ''} removed, "
              f"{done.restored} restored")  # fmt: skip
    return 0
