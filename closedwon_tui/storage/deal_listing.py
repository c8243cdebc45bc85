"""Every deal as a JSON object, written by the database itself, for `closedwon deal list --json`.

A listing of fifty thousand deals is mostly the same work per deal: read thirty-odd fields,
turn each into its JSON form, encode. Done row by row in Python that costs seconds; the
database's own JSON functions (SQLite `json_object`, PostgreSQL `json_build_object`) write the
same objects while they scan, and Python only passes the text on. Each object is key for key
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

from sqlalchemy import Boolean, ColumnElement, Connection, Text, bindparam, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnClause

from closedwon_tui.domain.models import Deal, Stage
from closedwon_tui.storage import tables
from closedwon_tui.storage.sql_rules import iso_date, iso_utc, minor_text, weighted_minor, whole_days

_D = tables.deals
_BATCH = 2000
_TIMES = {"created_at", "updated_at", "stage_entered_at", "last_activity_at", "closed_at"}
_FLAGS = {"budget_ok", "authority_ok", "need_ok", "timing_ok"}


def deal_json_texts(
    connection: Connection,
    stages: Sequence[Stage],
    now: datetime,
    *,
    stage_ids: Sequence[int] | None = None,
    owner: str | None = None,
) -> Iterator[str]:
    """Each deal's JSON object (of these stages, of this owner), by column and position, streamed."""
    dialect = connection.dialect.name
    currencies = list(connection.scalars(select(_D.c.currency).distinct()))
    order = (_D.c.stage_id, _D.c.position, _D.c.id)
    place = func.row_number().over(partition_by=_D.c.stage_id, order_by=order[1:]) - 1
    if owner:  # the place counts every deal of the column, whoever owns it: counted before the owner's are picked
        rows = select(*_D.c, place.label("place"))
        if stage_ids is not None:
            rows = rows.where(_D.c.stage_id.in_(list(stage_ids)))
        c = rows.subquery().c
        query = select(_object(c, c.place, stages, now, currencies, dialect))
        query = query.where(func.lower(c.owner) == owner.lower()).order_by(c.stage_id, c.position, c.id)
    else:  # one pass in index order: the window and the order need no sort
        query = select(_object(_D.c, place, stages, now, currencies, dialect)).order_by(*order)
        if stage_ids is not None:
            query = query.where(_D.c.stage_id.in_(list(stage_ids)))
    for batch in connection.execute(query).partitions(_BATCH):
        for (text,) in batch:
            yield text


def _object(c: Any, place: ColumnElement[Any], stages: Sequence[Stage], now: datetime, currencies: list[str],
            dialect: str) -> ColumnElement[str]:  # fmt: skip
    """The JSON object of the deal in row `c` (the deals table's columns, or a subquery's)."""
    by_id = {s.id: s for s in stages}
    stage_probability = case({s.id: s.probability for s in stages}, value=c.stage_id, else_=0)
    open_ids = [s.id for s in stages if s.is_open]
    probability = case((c.stage_id.in_(open_ids), func.coalesce(c.probability, stage_probability)),
                       else_=stage_probability)  # fmt: skip
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
        ("stage", case({i: s.name for i, s in by_id.items()}, value=c.stage_id, else_=None)),
        ("stage_kind", case({i: s.kind.value for i, s in by_id.items()}, value=c.stage_id, else_=None)),
        ("weighted_amount", minor_text(weighted_minor(c.amount_minor, probability), c.currency, currencies, dialect)),
        ("days_in_stage", whole_days(c.stage_entered_at, bindparam("now", now, type_=tables.UTCDateTime()))),
    ]
    parts = [part for name, value in pairs for part in (literal(name, literal_execute=True), value)]
    # PostgreSQL's driver would parse its json into dicts: it is asked for the text.
    return func.json_object(*parts) if dialect == "sqlite" else cast(func.json_build_object(*parts), Text)


def _flag(column: ColumnClause[Any], dialect: str) -> ColumnElement[Any]:
    """A yes/no field as JSON true or false (SQLite keeps booleans as 0 and 1)."""
    if dialect == "sqlite":
        return case((column == 1, func.json("true")), else_=func.json("false"))
    return column.cast(Boolean)
