"""Each deal's stays, kept current with its history by the one replay rule (`domain.replay`).

Every event that puts a deal in a stage brings its deal's stays up to date in the same transaction
(the repository calls `advance`): a plain move ends the last stay and starts the next, an undo of
the deal's latest move drops that move's stay and goes on with the one before (what the replay
would write, from the last stays read with the deal), and anything else is replayed from the
history (`replay_deal`). `replay_deals` does it for the many deals a bulk write touches (an import,
its undo; `write_new` for an import's new deals, from the events in hand), so `deal_stays`
always says what replaying the history says; `rebuild` fills the table for a whole database
(the migration that adds it, a restored backup, bulk loads).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from itertools import groupby
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, case, delete, insert, select, update

from closedwon_tui.domain.models import DealEvent, EventKind
from closedwon_tui.domain.replay import StageEvent, Stay, stage_path, stay_seconds, stays
from closedwon_tui.storage import tables
from closedwon_tui.storage.driver_cursor import run

_EVENTS = tables.deal_events
_STAYS = tables.deal_stays
_CHUNK = 10_000
#: Deal ids per `IN (...)`: well under every backend's limit on bound parameters.
_IDS = 500

# Only events that name a stage can put a deal in one; an undo's target and an import's time of
# entering the stage come out of their details in SQL, so no other event's details are ever read.
_STAGE_EVENTS = select(
    _EVENTS.c.deal_id,
    _EVENTS.c.id,
    _EVENTS.c.at,
    _EVENTS.c.kind,
    _EVENTS.c.to_stage_id,
    case((_EVENTS.c.kind == EventKind.UNDONE.value, _EVENTS.c.details["undoes"].as_integer()), else_=None),
    case((_EVENTS.c.kind == EventKind.IMPORTED.value, _EVENTS.c.details["entered_at"].as_string()), else_=None),
).where(_EVENTS.c.to_stage_id.is_not(None))


def _rows(deal_id: int, events: Iterable[Any]) -> list[dict[str, Any]]:
    path = stage_path(
        e if isinstance(e, StageEvent) else StageEvent(e[1], e[2], e[3], e[4], e[5], e[6]) for e in events
    )
    return [
        {"deal_id": deal_id, "seq": n, "stage_id": stay.stage_id, "entered_at": stay.entered, "left_at": stay.left,
         "seconds": stay_seconds(stay)}
        for n, stay in enumerate(stays(path))
    ]  # fmt: skip


# One deal's replay runs in every stage change: its statements are built once.
_DEAL_STAGE_EVENTS = _STAGE_EVENTS.where(_EVENTS.c.deal_id == bindparam("deal_id"))
_DELETE_DEAL_STAYS = delete(_STAYS).where(_STAYS.c.deal_id == bindparam("deal_id"))
_INSERT_STAYS = insert(_STAYS)


def replay_deal(connection: Connection, deal_id: int) -> None:
    """Write one deal's stays again from its history."""
    events = connection.execute(_DEAL_STAGE_EVENTS, {"deal_id": deal_id}).all()
    connection.execute(_DELETE_DEAL_STAYS, {"deal_id": deal_id})
    rows = _rows(deal_id, events)
    if rows:
        connection.execute(_INSERT_STAYS, rows)


class LastStay(NamedTuple):
    """A deal's last stay as stored, and the time of the latest history event of the deal that names
    a stage (None when it has none): read with the deal before a move (`DealRows.deal_for_move`);
    before an undo (`DealRows.deal_for_return`) also that event's id and kind, the time of the one
    before it, and the stage of the stay before the last."""

    seq: int | None
    stage_id: int | None
    entered_at: datetime | None
    left_at: datetime | None
    latest_at: datetime | None
    latest_id: int | None = None
    latest_kind: str | None = None
    before_latest_at: datetime | None = None
    stay_before_stage_id: int | None = None


#: Events that put a deal in a stage at their own time, and change nothing else the replay reads.
_PLAIN_ENTRIES = frozenset(k.value for k in (EventKind.MOVED, EventKind.WON, EventKind.LOST, EventKind.REOPENED))
_CLOSE_STAY = (
    update(_STAYS)
    .where(_STAYS.c.deal_id == bindparam("stay_deal"), _STAYS.c.seq == bindparam("at_seq"))
    .values(left_at=bindparam("left"), seconds=bindparam("held"))
)


def advance(connection: Connection, event: DealEvent, last: LastStay | None) -> None:
    """The stays after `event`, just appended to its deal's history, with `last` as read in this
    transaction: when the event is a plain move that comes after every stage event of the deal, the
    replay would only end the last stay and start one (what is written here, in two statements);
    when it takes back such a move that was the deal's latest stage event, only drop that move's stay
    and go on with the one before (`_take_back`); anything else is replayed from the history."""
    if event.kind is EventKind.UNDONE:
        if not _take_back(connection, event, last):
            replay_deal(connection, event.deal_id)
        return
    if (
        last is None
        or last.seq is None
        or last.left_at is not None
        or event.kind.value not in _PLAIN_ENTRIES
        or (last.latest_at is not None and last.latest_at > event.at)
        or event.to_stage_id is None
    ):
        replay_deal(connection, event.deal_id)
        return
    if last.stage_id == event.to_stage_id:  # entering the stage it is in starts no new stay
        return
    assert last.entered_at is not None
    entered = max(event.at, last.entered_at)  # the rule: never before it entered the stage it leaves
    held = stay_seconds(Stay(last.stage_id, last.entered_at, entered))  # type: ignore[arg-type]
    run(connection, _CLOSE_STAY, {"stay_deal": event.deal_id, "at_seq": last.seq, "left": entered, "held": held})
    run(connection, _INSERT_STAYS, {"deal_id": event.deal_id, "seq": last.seq + 1, "stage_id": event.to_stage_id,
                                    "entered_at": entered, "left_at": None, "seconds": None})  # fmt: skip


_DROP_STAY = delete(_STAYS).where(_STAYS.c.deal_id == bindparam("stay_deal"), _STAYS.c.seq == bindparam("at_seq"))
_GO_ON = (
    update(_STAYS)
    .where(_STAYS.c.deal_id == bindparam("stay_deal"), _STAYS.c.seq == bindparam("at_seq"))
    .values(left_at=None, seconds=None)
)


def _take_back(connection: Connection, undo: DealEvent, last: LastStay | None) -> bool:
    """An undo of the deal's latest stage event, a plain move that alone started the last stay: by
    the rule the move never happened, so its stay goes and the one before goes on (two statements).
    False (nothing written) when that is not sure."""
    if (
        last is None
        or last.seq is None
        or last.seq < 1
        or last.left_at is not None
        or last.latest_id is None
        or undo.details.get("undoes") != last.latest_id
        or last.latest_kind not in _PLAIN_ENTRIES
        or last.latest_at is None
        or (last.before_latest_at is not None and last.before_latest_at >= last.latest_at)
        or last.entered_at != last.latest_at
        or last.stage_id != undo.from_stage_id
        or last.stay_before_stage_id is None
        or last.stay_before_stage_id != undo.to_stage_id
    ):
        return False
    run(connection, _DROP_STAY, {"stay_deal": undo.deal_id, "at_seq": last.seq})
    run(connection, _GO_ON, {"stay_deal": undo.deal_id, "at_seq": last.seq - 1})
    return True


def write_new(connection: Connection, events: Iterable[Mapping[str, Any]]) -> None:
    """The stays of deals whose whole history is `events` (as inserted: an import's new deals),
    replayed from the rows in hand instead of read back."""
    by_deal: dict[int, list[StageEvent]] = {}
    for e in events:
        if e.get("to_stage_id") is None:
            continue
        kind = EventKind(e["kind"]).value
        entered = e["details"].get("entered_at") if kind == EventKind.IMPORTED.value else None
        by_deal.setdefault(e["deal_id"], []).append(StageEvent(e["id"], e["at"], kind, e["to_stage_id"], None, entered))
    for chunk in _chunks(_rows(deal_id, evs) for deal_id, evs in by_deal.items()):
        connection.execute(insert(_STAYS), chunk)


def replay_deals(connection: Connection, deal_ids: Iterable[int]) -> None:
    """Write many deals' stays again from their histories, a few hundred deals per statement."""
    ids = sorted(set(deal_ids))
    for start in range(0, len(ids), _IDS):
        chunk = ids[start : start + _IDS]
        connection.execute(delete(_STAYS).where(_STAYS.c.deal_id.in_(chunk)))
        query = _STAGE_EVENTS.where(_EVENTS.c.deal_id.in_(chunk)).order_by(_EVENTS.c.deal_id)
        rows = [row for deal_id, events in groupby(connection.execute(query), key=lambda e: e[0])
                for row in _rows(deal_id, events)]  # fmt: skip
        if rows:
            connection.execute(insert(_STAYS), rows)


def rebuild(connection: Connection) -> int:
    """Write every deal's stays again from the whole history; returns how many stays."""
    connection.execute(delete(_STAYS))
    result = connection.execute(_STAGE_EVENTS.order_by(_EVENTS.c.deal_id))
    written = 0
    for chunk in _chunks(deal_rows for deal_id, events in groupby(result, key=lambda e: e[0])
                         for deal_rows in (_rows(deal_id, events),)):  # fmt: skip
        connection.execute(insert(_STAYS), chunk)
        written += len(chunk)
    return written


def _chunks(per_deal: Iterable[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for rows in per_deal:
        chunk += rows
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
