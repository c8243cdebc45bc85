"""Write a seed plan straight into the tables with Core `executemany`: the rows the services would write.

Each action is simulated in memory exactly as its use-case does it (the deal's fields and
version, its place in the column, the history event with its details and undo snapshots,
the touch that restarts the rotting timer), then every table is written in a few bulk
inserts. tests/test_bench_seed.py writes a small plan both ways and compares every row.
"""

from __future__ import annotations

import bisect
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from seed_plan import Action
from sqlalchemy import create_engine, insert, text

from closedwon_tui.domain.money import quantize, to_minor
from closedwon_tui.domain.ordering import key_between
from closedwon_tui.storage import tables
from closedwon_tui.storage.stays import rebuild

MOVE_FIELDS = ("stage_id", "position", "stage_entered_at", "closed_at", "lost_reason", "lost_note")
_DEFAULTS = {
    "company": "", "contact_name": "", "contact_email": "", "amount_minor": None, "currency": "USD",
    "probability": None, "close_date": None, "owner": "", "source": "", "budget_note": "", "budget_ok": False,
    "authority_note": "", "authority_ok": False, "need_note": "", "need_ok": False, "timing_note": "",
    "timing_ok": False, "next_step": "", "closed_at": None, "lost_reason": "", "lost_note": "", "went_well": "",
    "nearly_lost": "",
}  # fmt: skip


def _json_text(value: Any) -> str:
    """The details are serialised once, when the events are built: written as they are."""
    return value if isinstance(value, str) else json.dumps(value)


def _iso(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class _Column:
    """A column's ordering keys, kept sorted, placed as the services place them."""

    def __init__(self) -> None:
        self.keys: list[int] = []

    def top(self) -> int:
        key = key_between(None, self.keys[0] if self.keys else None)
        if key is None:  # pragma: no cover - a column of two million cards
            raise RuntimeError("seed column out of keys")
        return key

    def restore(self, wanted: int) -> int:
        """The key a card had, if it is free; else just after the card that holds it now."""
        at = bisect.bisect_left(self.keys, wanted)
        if at == len(self.keys) or self.keys[at] != wanted:
            return wanted
        following = self.keys[at + 1] if at + 1 < len(self.keys) else None
        key = key_between(wanted, following)
        if key is None:  # pragma: no cover
            raise RuntimeError("seed column needs a spread")
        return key

    def add(self, key: int) -> None:
        bisect.insort(self.keys, key)

    def remove(self, key: int) -> None:
        del self.keys[bisect.bisect_left(self.keys, key)]


class _Writer:
    def __init__(self, stages: dict[str, Any]) -> None:
        self.stages = stages  # name -> Stage
        self.by_id = {s.id: s for s in stages.values()}
        self.columns = {s.id: _Column() for s in stages.values()}
        self.deals: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.objections: list[dict[str, Any]] = []
        self.followups: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.history: list[list[int]] = []  # per deal: indexes into self.events
        self.objection_of: dict[int, int] = {}
        self.followup_of: dict[int, int] = {}

    # the pieces every use-case shares ------------------------------------
    def record(self, deal: dict[str, Any], kind: str, at: datetime, actor: str, *,
               from_stage_id: int | None = None, to_stage_id: int | None = None, **details: Any) -> None:  # fmt: skip
        self.history[deal["id"] - 1].append(len(self.events))
        self.events.append({"id": len(self.events) + 1, "deal_id": deal["id"], "at": at, "actor": actor,
                            "kind": kind, "from_stage_id": from_stage_id, "to_stage_id": to_stage_id,
                            "details": details})  # fmt: skip
        if kind != "reordered":
            deal["last_activity_at"] = deal["updated_at"] = at

    def snapshot(self, deal: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        return {name: _iso(deal[name]) for name in names}

    # use-cases -----------------------------------------------------------
    def create(self, action: Action) -> None:
        args = dict(action.args)
        title, stage = args.pop("title"), self.stages[args.pop("stage")]
        cleaned: dict[str, Any] = {"title": title, **args, "owner": action.actor}
        if cleaned.get("amount") is not None:
            cleaned["amount"] = quantize(cleaned["amount"], cleaned["currency"])
        at = action.at
        key = self.columns[stage.id].top()
        self.columns[stage.id].add(key)
        deal = {**_DEFAULTS, "id": len(self.deals) + 1, **{k: v for k, v in cleaned.items() if k != "amount"},
                "amount_minor": None if cleaned.get("amount") is None else to_minor(cleaned["amount"], cleaned["currency"]),
                "stage_id": stage.id, "position": key, "created_at": at, "updated_at": at, "last_activity_at": at,
                "stage_entered_at": at, "version": 1, "amount": cleaned.get("amount")}  # fmt: skip
        self.deals.append(deal)
        self.history.append([])
        fields = {name: _iso(deal[name]) for name in cleaned}
        self.record(deal, "created", at, action.actor, to_stage_id=stage.id, to_stage=stage.name, fields=fields)

    def move(self, action: Action) -> None:
        deal = self.deals[action.deal]
        target = self.stages[action.args["stage"]]
        source = self.by_id[deal["stage_id"]]
        at = action.at
        before = self.snapshot(deal, MOVE_FIELDS)
        self.columns[source.id].remove(deal["position"])
        key = self.columns[target.id].top()
        self.columns[target.id].add(key)
        entered = deal["stage_entered_at"]
        deal.update(stage_id=target.id, position=key, stage_entered_at=at)
        if target.kind.value == "won":
            kind = "won"
            deal.update(closed_at=at, lost_reason="", lost_note="")
        elif target.kind.value == "lost":
            kind = "lost"
            deal.update(closed_at=at, lost_reason=action.args["reason"], lost_note="")
        else:
            kind = "moved"
        deal["version"] += 1
        deal["updated_at"] = at
        details: dict[str, Any] = {"from_stage": source.name, "to_stage": target.name,
                                   "days_in_stage": max(0, (at - entered).days),
                                   "seconds_in_stage": int((at - entered).total_seconds())}  # fmt: skip
        if kind == "lost":
            details.update(reason=action.args["reason"], note="")
        self.record(
            deal,
            kind,
            at,
            action.actor,
            from_stage_id=source.id,
            to_stage_id=target.id,
            **details,
            entity="deal",
            entity_id=deal["id"],
            before=before,
            after=self.snapshot(deal, MOVE_FIELDS),
        )

    def undo(self, action: Action) -> None:
        deal = self.deals[action.deal]
        original = self.events[self.history[deal["id"] - 1][-1]]
        if original["kind"] != "moved":  # pragma: no cover - the plan only takes back a move
            raise ValueError("the seed plan undoes only a move, right after it")
        details = original["details"]
        state, expected = details["before"], details["after"]
        at = action.at
        self.columns[deal["stage_id"]].remove(deal["position"])
        column = self.columns[state["stage_id"]]
        key = column.restore(state["position"])
        column.add(key)
        deal.update(stage_id=state["stage_id"], position=key,
                    stage_entered_at=datetime.fromisoformat(state["stage_entered_at"]),
                    closed_at=None if state["closed_at"] is None else datetime.fromisoformat(state["closed_at"]),
                    lost_reason=state["lost_reason"], lost_note=state["lost_note"])  # fmt: skip
        deal["version"] += 1
        deal["updated_at"] = at
        changed = expected["stage_id"] != state["stage_id"]
        self.record(deal, "undone", at, action.actor,
                    from_stage_id=expected["stage_id"] if changed else None,
                    to_stage_id=state["stage_id"] if changed else None,
                    undoes=original["id"], undone_kind="moved", entity="deal", entity_id=deal["id"],
                    before=expected, after=state)  # fmt: skip

    def objection(self, action: Action) -> None:
        deal, at = self.deals[action.deal], action.at
        row = {"id": len(self.objections) + 1, "deal_id": deal["id"], "kind": action.args["kind"],
               "text": action.args["text"], "created_at": at, "updated_at": at, "response": "", "status": "open"}  # fmt: skip
        self.objections.append(row)
        self.objection_of[action.deal] = row["id"]
        self.record(deal, "objection_added", at, action.actor, objection_id=row["id"], objection_kind=row["kind"],
                    text=row["text"], entity="objection", entity_id=row["id"], before=None,
                    after={k: _iso(v) for k, v in row.items()})  # fmt: skip

    def address(self, action: Action) -> None:
        deal, at = self.deals[action.deal], action.at
        row = self.objections[self.objection_of[action.deal] - 1]
        before = {k: _iso(v) for k, v in row.items()}
        row.update(updated_at=at, response=action.args["response"], status="addressed")
        self.record(deal, "objection_addressed", at, action.actor, objection_id=row["id"],
                    objection_kind=row["kind"], text=row["text"], response=row["response"], entity="objection",
                    entity_id=row["id"], before=before, after={k: _iso(v) for k, v in row.items()})  # fmt: skip

    def followup(self, action: Action) -> None:
        deal, at = self.deals[action.deal], action.at
        due = action.args["due"]
        timed = isinstance(due, datetime)
        due_at = due.replace(tzinfo=None) if timed else datetime(due.year, due.month, due.day)
        row = {"id": len(self.followups) + 1, "deal_id": deal["id"], "due": due_at, "note": action.args["note"],
               "created_at": at, "has_time": timed, "done_at": None}  # fmt: skip
        self.followups.append(row)
        self.followup_of[action.deal] = row["id"]
        self.record(deal, "followup_scheduled", at, action.actor, followup_id=row["id"], due=due_at.isoformat(),
                    note=row["note"], entity="followup", entity_id=row["id"], before=None,
                    after={k: _iso(v) for k, v in row.items()})  # fmt: skip

    def done(self, action: Action) -> None:
        deal, at = self.deals[action.deal], action.at
        row = self.followups[self.followup_of[action.deal] - 1]
        before = {k: _iso(v) for k, v in row.items()}
        row["done_at"] = at
        self.record(deal, "followup_done", at, action.actor, followup_id=row["id"], due=row["due"].isoformat(),
                    note=row["note"], entity="followup", entity_id=row["id"], before=before,
                    after={k: _iso(v) for k, v in row.items()})  # fmt: skip

    def note(self, action: Action) -> None:
        deal, at = self.deals[action.deal], action.at
        row = {"id": len(self.notes) + 1, "deal_id": deal["id"], "text": action.args["text"], "created_at": at}
        self.notes.append(row)
        self.record(deal, "note_added", at, action.actor, note_id=row["id"], text=row["text"], entity="note",
                    entity_id=row["id"], before=None, after={k: _iso(v) for k, v in row.items()})  # fmt: skip

    def lookback(self, action: Action) -> None:
        deal, at = self.deals[action.deal], action.at
        names = ("went_well", "nearly_lost")
        before = self.snapshot(deal, names)
        deal.update(went_well=action.args["went_well"], nearly_lost=action.args["nearly_lost"])
        deal["version"] += 1
        deal["updated_at"] = at
        self.record(deal, "lookback", at, action.actor, went_well=deal["went_well"], nearly_lost=deal["nearly_lost"],
                    entity="deal", entity_id=deal["id"], before=before, after=self.snapshot(deal, names))  # fmt: skip


def write(db, actions: list[Action], *, chunk: int = 20_000) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Simulate every action, then insert every table with executemany; returns row counts."""
    with db.read() as repo:
        stages = {s.name: s for s in repo.stages()}
    writer = _Writer(stages)
    for action in actions:
        getattr(writer, action.kind)(action)
    for deal in writer.deals:
        deal.pop("amount", None)
    events = [{**e, "details": json.dumps(e["details"])} for e in writer.events]
    engine = create_engine(db.engine.url, json_serializer=_json_text)
    with engine.begin() as conn:
        for table, rows in ((tables.deals, writer.deals), (tables.deal_events, events),
                            (tables.objections, writer.objections), (tables.followups, writer.followups),
                            (tables.notes, writer.notes)):  # fmt: skip
            for start in range(0, len(rows), chunk):
                conn.execute(insert(table), rows[start : start + chunk])
        rebuild(conn)  # each deal's stays, replayed from the history just written (the one rule)
        if conn.dialect.name == "postgresql":  # explicit ids: move each id sequence past them
            for name in ("deals", "deal_events", "objections", "followups", "notes"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"GREATEST((SELECT max(id) FROM {name}), 1))"))  # fmt: skip
    engine.dispose()
    return {"deals": len(writer.deals), "events": len(writer.events), "objections": len(writer.objections),
            "followups": len(writer.followups), "notes": len(writer.notes)}  # fmt: skip
