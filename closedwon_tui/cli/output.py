"""Turning domain objects into JSON and readable text for the command line."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from itertools import islice
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, TextIO

from closedwon_tui.domain.models import Deal, DealDetail, DealEvent, FollowUp, Objection, PipelineEvent, Stage
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.rules import days_in_stage, weighted_value
from closedwon_tui.domain.text import printable
from closedwon_tui.domain.timeline import describe_event
from closedwon_tui.services.snapshots import encode


def deal_json(deal: Deal, stage: Stage, now: datetime, *, pipeline: str, place: int | None = None) -> dict[str, Any]:
    """A deal as JSON; `position` is its place in its column (0 is the top) when given; `pipeline`
    the name of the pipeline it is in."""
    data = {key: encode(value) for key, value in asdict(deal).items()}
    if place is not None:
        data["position"] = place
    data["stage"] = stage.name
    data["stage_kind"] = stage.kind.value
    data["pipeline"] = pipeline
    weighted = weighted_value(deal, stage)
    data["weighted_amount"] = None if weighted is None else str(weighted)
    data["days_in_stage"] = days_in_stage(deal, now)
    return data


def event_json(event: DealEvent, stage_names: dict[int, str]) -> dict[str, Any]:
    data = {key: encode(value) for key, value in asdict(event).items()}
    data["from_stage"] = stage_names.get(event.from_stage_id) if event.from_stage_id else None
    data["to_stage"] = stage_names.get(event.to_stage_id) if event.to_stage_id else None
    data["summary"] = describe_event(event, stage_names)
    return data


def pipeline_event_json(event: PipelineEvent, pipeline: str, stage_names: dict[int, str]) -> dict[str, Any]:
    """A change to a pipeline or its stages, as `deal show --json` gives a deal's history: the
    stored fields, the names they refer to, and the line `stages history` prints."""
    data = {key: encode(value) for key, value in asdict(event).items()}
    data["pipeline"] = pipeline
    data["stage"] = stage_names.get(event.stage_id) if event.stage_id is not None else None
    data["summary"] = event.summary
    return data


def item_json(item: Objection | FollowUp) -> dict[str, Any]:
    return {key: encode(value) for key, value in asdict(item).items()}


def detail_json(
    detail: DealDetail, stages: list[Stage], now: datetime, *, pipeline: str, place: int | None = None
) -> dict[str, Any]:
    """`stages`: every stage its history may name (all pipelines', removed ones too)."""
    names = {s.id: s.name for s in stages}
    data = deal_json(detail.deal, detail.stage, now, pipeline=pipeline, place=place)
    data["history"] = [event_json(e, names) for e in detail.history]
    data["objections"] = [item_json(o) for o in detail.objections]
    data["followups"] = [item_json(f) for f in detail.followups]
    data["notes"] = [item_json(n) for n in detail.notes]  # type: ignore[arg-type]
    return data


#: What JSON leaves raw with ensure_ascii=False but a terminal would act on or reorder: DEL and C1
#: (U+009B is a one-character CSI), lone surrogates, the line and paragraph separators and the
#: bidi overrides. JSON escapes C0 itself. Each becomes a \uXXXX escape, which reads back the same.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Objects per write when a listing is streamed.
_CHUNK = 2000


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(encoded: str) -> str:
    """Encoded JSON (a whole document or any chunk of one) with nothing a terminal acts on.
    These characters only occur inside JSON strings, where \\uXXXX stands for them exactly, so
    escaping after encoding works on each chunk a streaming encoder yields."""
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded  # the common case, checked at C speed: every other one is beyond ASCII
    return _JSON_UNSAFE.sub(_json_escape, encoded)


def _compact_encoder() -> Callable[[Any], str]:
    """One C encoder for every object of a listing (`json.dumps` would build one per call)."""
    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False).encode

    def unknown(value: Any) -> Any:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    encode = c_make_encoder(None, unknown, encode_basestring, None, ": ", ", ", False, False, True)
    join = "".join
    return lambda value: join(encode(value, 0))


def print_json(data: Any, out: TextIO | None = None) -> None:
    """An object indented; a list as an array with one compact object per line (`print_json_lines`)."""
    if isinstance(data, list):
        print_json_lines(data, out)
        return
    (out or sys.stdout).write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")


def print_json_lines(items: Iterable[Any], out: TextIO | None = None) -> None:
    """A JSON array streamed as it is read: one object per line, by the C encoder, written in large chunks."""
    print_json_texts(map(_compact_encoder(), items), out)


def print_json_texts(texts: Iterable[str], out: TextIO | None = None) -> None:
    """A JSON array of objects already encoded (one per line), streamed and written in large chunks."""
    print_json_batches(_batched(texts), out)


def _batched(texts: Iterable[str]) -> Iterator[list[str]]:
    it = iter(texts)
    while batch := list(islice(it, _CHUNK)):
        yield batch


def print_json_batches(batches: Iterable[Sequence[str]], out: TextIO | None = None) -> None:
    """A JSON array of objects already encoded, given in batches: one object per line, one write per batch."""
    out = out or sys.stdout
    opened = False
    for batch in batches:
        if batch:
            out.write(",\n" if opened else "[\n")
            out.write(json_safe(",\n".join(batch)))
            opened = True
    out.write("\n]\n" if opened else "[]\n")


def echo(text: str = "") -> None:
    """Print a line (or lines) of output: no control character reaches the terminal, whatever
    a cell forgot; non-ASCII letters stay readable."""
    print(printable(text, multiline=True))


def money(deal: Deal) -> str:
    return format_money(deal.amount, deal.currency)


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain table aligned by terminal cells (a CJK character or an emoji takes two), each
    cell shown literally on one line."""
    from rich.cells import cell_len  # only when a table is printed

    header = [safe(h) for h in headers]
    body = [[safe(c) for c in row] for row in rows]
    widths = [max(cell_len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(r) for r in body)])


def safe(text: str) -> str:
    """Control characters shown as escapes, so a pasted title cannot drive the terminal."""
    return printable(text)
