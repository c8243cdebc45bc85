"""Every deal as a JSON object, written by the database itself, for `closedwon deal list --json`.

A listing of fifty thousand deals is mostly the same work per deal: read thirty-odd fields,
turn each into its JSON form, encode. Done row by row in Python that costs seconds; the
database's own JSON functions (SQLite `json_object`, PostgreSQL `row_to_json`) write the same
objects while they scan, and Python only passes the text on (PostgreSQL's driver is asked for
the text, not parsed dicts). Each object is key for key
and value for value what `cli.output.deal_json` writes for that deal (tests/test_cli_listing.py
compares them on both databases): its fields as `services.snapshots.encode` writes them, its
place in its column as `position`, its stage's name and kind, its weighted amount and its days
in stage.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Select,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
)  # fmt: skip
from sqlalchemy.sql.elements import ColumnClause

from closedwon_tui.domain.models import Deal, StageKind
from closedwon_tui.storage import tables
from closedwon_tui.storage.sql_rules import iso_date, iso_utc, minor_text, weighted_minor, whole_days

_D = tables.deals
_S = tables.stages
_P = tables.pipelines
_BATCH = 2000
_TIMES = {"created_at", "updated_at", "stage_entered_at", "last_activity_at", "closed_at"}
_FLAGS = {"budget_ok", "authority_ok", "need_ok", "timing_ok"}
_ORDER = (_D.c.stage_id, _D.c.position, _D.c.id)
_STAND_IN = -1
_MAPPED = 1 << 30


def deal_json_texts(
    connection: Connection,
    now: datetime,
    *,
    stage_ids: Sequence[int] | None = None,
    owner: str | None = None,
) -> Iterator[str]:
    """Each deal's JSON object (of these stages, of this owner), by column and position, streamed."""
    dialect = connection.dialect.name
    currencies = list(connection.scalars(select(_D.c.currency).distinct()))
    place = func.row_number().over(partition_by=_D.c.stage_id, order_by=_ORDER[1:]) - 1
    if dialect != "sqlite":
        query = _rows_to_json(place, now, currencies, dialect, stage_ids, owner)
    elif owner:  # the place counts every deal of the column, whoever owns it: counted before the owner's are picked
        rows = select(*_D.c, place.label("place"))
        if stage_ids is not None:
            rows = rows.where(_D.c.stage_id.in_(list(stage_ids)))
        deal = rows.subquery()
        c = deal.c
        query = select(_json_object(_pairs(c, c.place, now, currencies, dialect))).select_from(
            deal.join(_S, _S.c.id == c.stage_id).join(_P, _P.c.id == _S.c.pipeline_id)
        )
        query = query.where(func.lower(c.owner) == owner.lower()).order_by(c.stage_id, c.position, c.id)
    else:  # one pass in index order; each deal's place is counted here as the rows come by
        yield from _placed(connection, now, currencies, dialect, stage_ids)
        return
    for batch in connection.execute(query).partitions(_BATCH):
        for (text,) in batch:
            yield text


def _placed(connection: Connection, now: datetime, currencies: list[str], dialect: str,
            stage_ids: Sequence[int] | None) -> Iterator[str]:  # fmt: skip
    """SQLite, every deal of the columns: objects written with a stand-in position, put right here.

    The rows come by column and position, so a deal's place is a running count; a window
    function would cost the database more than the rest of the object. `"position":-1` can only
    be the key itself: inside a JSON string every quote is escaped.
    """
    query = select(_D.c.stage_id, _json_object(_pairs(_D.c, literal(_STAND_IN), now, currencies, dialect)))
    query = query.select_from(_D.join(_S, _S.c.id == _D.c.stage_id).join(_P, _P.c.id == _S.c.pipeline_id))
    query = query.order_by(*_ORDER)
    if stage_ids is not None:
        query = query.where(_D.c.stage_id.in_(list(stage_ids)))
    # The index gives the rows in column order, so the table's pages are visited out of order:
    # mapped into memory, each is read in place rather than copied through SQLite's small cache.
    connection.exec_driver_sql(f"PRAGMA mmap_size={_MAPPED}")
    stand_in = f'"position":{_STAND_IN}'
    stage, place = None, 0
    for batch in connection.execute(query).partitions(_BATCH):
        for stage_id, text in batch:
            place = place + 1 if stage_id == stage else 0
            stage = stage_id
            yield text.replace(stand_in, f'"position":{place}', 1)


def _rows_to_json(place: ColumnElement[Any], now: datetime, currencies: list[str], dialect: str,
                  stage_ids: Sequence[int] | None, owner: str | None) -> Select[Any]:  # fmt: skip
    """PostgreSQL: each deal's fields as the named columns of a row, which `row_to_json` writes
    (several times faster than `json_build_object`).

    The rows are put in order inside, on their narrow keys, and each is written as JSON as it
    comes out (ordering the written objects would sort fifty thousand long texts, on disk).
    """
    named = select(*(value.label(name) for name, value in _pairs(_D.c, place, now, currencies, dialect)))
    named = named.select_from(_D.join(_S, _S.c.id == _D.c.stage_id).join(_P, _P.c.id == _S.c.pipeline_id))
    if stage_ids is not None:
        named = named.where(_D.c.stage_id.in_(list(stage_ids)))
    row = named.order_by(*_ORDER).subquery("deal")
    query = select(cast(func.row_to_json(literal_column("deal")), Text)).select_from(row)
    if owner:
        query = query.where(func.lower(row.c.owner) == owner.lower())
    return query


def _pairs(c: Any, place: ColumnElement[Any], now: datetime, currencies: list[str],
           dialect: str) -> list[tuple[str, ColumnElement[Any]]]:  # fmt: skip
    """(key, value) of the JSON object of the deal in row `c` (the deals table's columns, or a
    subquery's, joined with its stage), in the order `deal_json` writes them."""
    stage = _S.c
    # rules.effective_probability: the deal's own in an open stage, the stage's otherwise.
    probability = case((stage.kind == StageKind.OPEN.value, func.coalesce(c.probability, stage.probability)),
                       else_=stage.probability)  # fmt: skip
    pairs: list[tuple[str, ColumnElement[Any]]] = []
    for field in fields(Deal):
        name = field.name
        if name == "amount":
            value: ColumnElement[Any] = minor_text(c.amount_minor, c.currency, currencies, dialect)
        elif name == "position":
            value = place
        elif name == "closed_at":
            value = case((c.closed_at.is_(None), None), else_=iso_utc(c.closed_at))
        elif name in _TIMES:
            value = iso_utc(c[name])
        elif name == "close_date":
            value = case((c.close_date.is_(None), None), else_=iso_date(c.close_date))
        elif name in _FLAGS:
            value = _flag(c[name], dialect)
        else:
            value = c[name]
        pairs.append((name, value))
    pairs += [
        ("stage", stage.name),
        ("stage_kind", stage.kind),
        ("pipeline", _P.c.name),
        ("weighted_amount", minor_text(weighted_minor(c.amount_minor, probability), c.currency, currencies, dialect)),
        ("days_in_stage", whole_days(c.stage_entered_at, bindparam("now", now, type_=tables.UTCDateTime()))),
    ]
    return pairs


def _json_object(pairs: list[tuple[str, ColumnElement[Any]]]) -> ColumnElement[str]:
    """SQLite: json_object(key, value, ...)."""
    return func.json_object(*(part for name, value in pairs for part in (literal(name, literal_execute=True), value)))


def _flag(column: ColumnClause[Any], dialect: str) -> ColumnElement[Any]:
    """A yes/no field as JSON true or false (SQLite keeps booleans as 0 and 1)."""
    if dialect == "sqlite":
        return case((column == 1, func.json("true")), else_=func.json("false"))
    return column.cast(Boolean)
