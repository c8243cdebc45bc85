"""Turning domain objects into JSON and readable text for the command line."""

from __future__ import annotations

import json
import re
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any, TextIO

from closedwon_tui.domain.models import Deal, DealDetail, DealEvent, FollowUp, Objection, Stage
from closedwon_tui.domain.money import format_money
from closedwon_tui.domain.rules import days_in_stage, weighted_value
from closedwon_tui.services.snapshots import encode
from closedwon_tui.domain.text import printable
from closedwon_tui.domain.timeline import describe_event


def deal_json(deal: Deal, stage: Stage, now: datetime, *, place: int | None = None) -> dict[str, Any]:
    """A deal as JSON; `position` is its place in its column (0 is the top) when given."""
    data = {key: encode(value) for key, value in asdict(deal).items()}
    if place is not None:
        data["position"] = place
    data["stage"] = stage.name
    data["stage_kind"] = stage.kind.value
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


def item_json(item: Objection | FollowUp) -> dict[str, Any]:
    return {key: encode(value) for key, value in asdict(item).items()}


def detail_json(detail: DealDetail, stages: list[Stage], now: datetime, *, place: int | None = None) -> dict[str, Any]:
    names = {s.id: s.name for s in stages}
    data = deal_json(detail.deal, detail.stage, now, place=place)
    data["history"] = [event_json(e, names) for e in detail.history]
    data["objections"] = [item_json(o) for o in detail.objections]
    data["followups"] = [item_json(f) for f in detail.followups]
    data["notes"] = [item_json(n) for n in detail.notes]  # type: ignore[arg-type]
    return data


# DEL, the C1 controls and lone surrogates: valid in JSON strings, but raw they can drive a terminal
# (or cannot be written at all); the encoder leaves them as they are, so they are escaped after it.
_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")
_CHUNK = 2000


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(text: str) -> str:
    """Encoded JSON with DEL, C1 controls and lone surrogates written as \\u escapes."""
    if text.isascii() and "\x7f" not in text:
        return text  # the common case, checked at C speed
    return _UNSAFE.sub(_escaped, text)


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
    (out or sys.stdout).write(json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")


def print_json_lines(items: Iterable[Any], out: TextIO | None = None) -> None:
    """A JSON array streamed as it is read: one object per line, by the C encoder, written in large chunks."""
    print_json_texts(map(_compact_encoder(), items), out)


def print_json_texts(texts: Iterable[str], out: TextIO | None = None) -> None:
    """A JSON array of objects already encoded (one per line), streamed and written in large chunks."""
    out = out or sys.stdout
    chunk: list[str] = []
    opened = False
    for text in texts:
        chunk.append(text)
        if len(chunk) == _CHUNK:
            out.write(json_text(("[\n" if not opened else ",\n") + ",\n".join(chunk)))
            opened, chunk = True, []
    if chunk:
        out.write(json_text(("[\n" if not opened else ",\n") + ",\n".join(chunk)))
        opened = True
    out.write("\n]\n" if opened else "[]\n")


def money(deal: Deal) -> str:
    return format_money(deal.amount, deal.currency)


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain aligned table; the text is printed literally."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def safe(text: str) -> str:
    """Control characters shown as escapes, so a pasted title cannot drive the terminal."""
    return printable(text)
