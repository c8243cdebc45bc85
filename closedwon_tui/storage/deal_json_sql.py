"""How each deal's JSON object for `closedwon deal list --json` is written in SQL: its keys and
values, each value as `services.snapshots.encode` writes it (see storage/deal_listing.py for how
the objects are read, numbered and handed over)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, String, Subquery, bindparam, case, cast, func, literal, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ClauseList, ColumnClause

from closedwon_tui.domain.models import Deal, StageKind
from closedwon_tui.storage import tables
from closedwon_tui.storage.sql_rules import iso_date, iso_utc, minor_text, weighted_minor, whole_days

_S = tables.stages
_P = tables.pipelines
_TIMES = {"created_at", "updated_at", "stage_entered_at", "last_activity_at", "closed_at"}
_FLAGS = {"budget_ok", "authority_ok", "need_ok", "timing_ok"}

#: How a value is written into a PostgreSQL object: stored text through `to_json`; text made here
#: (times, dates, amounts, all digits and punctuation) between quotes; yes/no as true or false;
#: a number as its digits; JSON text already written (a stage's names) as it is. A value that may
#: be missing is written as null.
_TEXT, _QUOTED, _FLAG, _NUMBER, _JSON = "text", "quoted", "flag", "number", "json"
#: (key, value, how it is written, whether it may be missing)
Pair = tuple[str, ColumnElement[Any], str, bool]


def object_pairs(c: Any, place: ColumnElement[Any], now: datetime, currencies: list[str], dialect: str, *,
                 stage: Any = None) -> list[Pair]:  # fmt: skip
    """(key, value, how it is written, whether it may be missing) of the JSON object of the deal in
    row `c` (the deals table's columns, or a subquery's, joined with its stage), in the order
    `deal_json` writes them. `stage`: the columns of `stage_texts()` the row is joined with (its
    names already JSON), rather than the stages table joined with the pipelines table."""
    names = stage is not None
    stage = _S.c if stage is None else stage
    # rules.effective_probability: the deal's own in an open stage, the stage's otherwise.
    probability = case((stage.kind == StageKind.OPEN.value, func.coalesce(c.probability, stage.probability)),
                       else_=stage.probability)  # fmt: skip
    pairs: list[Pair] = []
    for field in fields(Deal):
        name = field.name
        how, nullable = _QUOTED, False
        if name == "amount":
            value: ColumnElement[Any] = minor_text(c.amount_minor, c.currency, currencies, dialect)
            nullable = True
        elif name == "position":
            value, how = place, _NUMBER
        elif name == "closed_at":
            value, nullable = case((c.closed_at.is_(None), None), else_=iso_utc(c.closed_at)), True
        elif name in _TIMES:
            value = iso_utc(c[name])
        elif name == "close_date":
            value, nullable = case((c.close_date.is_(None), None), else_=iso_date(c.close_date)), True
        elif name in _FLAGS:
            value, how = _flag(c[name], dialect), _FLAG
        else:
            value, nullable = c[name], bool(c[name].nullable)
            how = _TEXT if isinstance(c[name].type, String) else _NUMBER
        pairs.append((name, value, how, nullable))
    # Missing exactly when the amount is (a stage's own probability is never missing).
    weighted = minor_text(weighted_minor(c.amount_minor, probability), c.currency, currencies, dialect,
                          missing=c.amount_minor)  # fmt: skip
    pairs += [
        ("stage", stage.name_json, _JSON, False) if names else ("stage", stage.name, _TEXT, False),
        ("stage_kind", stage.kind_json, _JSON, False) if names else ("stage_kind", stage.kind, _TEXT, False),
        ("pipeline", stage.pipeline_json, _JSON, False) if names else ("pipeline", _P.c.name, _TEXT, False),
        ("weighted_amount", weighted, _QUOTED, True),
        ("days_in_stage", whole_days(c.stage_entered_at, bindparam("now", now, type_=tables.UTCDateTime())), _NUMBER,
         False),
    ]  # fmt: skip
    return pairs


def stage_texts() -> Subquery:
    """PostgreSQL: each stage's kind and probability, and its name, its kind and its pipeline's
    name already written as JSON: a column's deals share them, so each is escaped once per stage
    rather than once per deal (OFFSET 0 keeps them written in the subquery, not in every row)."""
    rows = select(
        _S.c.id,
        _S.c.kind,
        _S.c.probability,
        cast(func.to_json(_S.c.name), String).label("name_json"),
        cast(func.to_json(_S.c.kind), String).label("kind_json"),
        cast(func.to_json(_P.c.name), String).label("pipeline_json"),
    )
    return rows.select_from(_S.join(_P, _P.c.id == _S.c.pipeline_id)).offset(0).subquery("stage")


def concat(pairs: list[Pair], *, opening: str, closing: str) -> ColumnElement[str]:
    """`'{"key":' || value's JSON || ',"key":"' || ...`: the keys are ours, written as literals, each
    run of literals one (every `||` copies the text so far, and most values are short).

    Stored text that is empty is written as `""` without `to_json`, which looks its argument's type
    up again on every call: most deals leave most of their notes empty."""
    parts: list[ColumnElement[Any] | str] = []
    for n, (name, value, how, nullable) in enumerate(pairs):
        parts.append(f'{opening if n == 0 else ","}"{name}":')
        if how == _QUOTED and not nullable:
            parts += ['"', value, '"']
            continue
        if how == _TEXT:
            written: ColumnElement[Any] = case(
                (value == "", literal('""', String)), else_=cast(func.to_json(value), String)
            )
        elif how == _QUOTED:
            written = literal('"', String) + value + literal('"', String)
        elif how == _JSON:
            written = value
        else:  # a number, or a yes/no (PostgreSQL writes a boolean as text as true or false)
            written = cast(value, String)
        parts.append(func.coalesce(written, literal("null", String)) if nullable else written)
    parts.append(closing)
    merged: list[ColumnElement[Any]] = []
    run = ""
    for part in parts:
        if isinstance(part, str):
            run += part
            continue
        if run:
            merged.append(literal(run, String))
            run = ""
        merged.append(part)
    if run:
        merged.append(literal(run, String))
    return ClauseList(*merged, operator=operators.concat_op).self_group()  # type: ignore[return-value]


def json_object(pairs: list[Pair]) -> ColumnElement[str]:
    """SQLite: json_object(key, value, ...)."""
    return func.json_object(
        *(part for name, value, *_ in pairs for part in (literal(name, literal_execute=True), value))
    )


def _flag(column: ColumnClause[Any], dialect: str) -> ColumnElement[Any]:
    """A yes/no field as JSON true or false (SQLite keeps booleans as 0 and 1)."""
    if dialect == "sqlite":
        return case((column == 1, func.json("true")), else_=func.json("false"))
    return column.cast(Boolean)
