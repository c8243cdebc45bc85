"""Undo and redo: every undoable event keeps the state before and after it.

Undoing an event applies its `before` state and appends an `undone` event; redoing
an undo applies the original `after` again and appends a `redone` event. Neither is
allowed when the record has changed since, so an undo never overwrites someone else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from closedwon_tui.domain.errors import ConflictError, NotFoundError, ValidationError
from closedwon_tui.domain.models import UNDOABLE_EVENTS, Change, Deal, DealEvent, EventKind
from closedwon_tui.services.base import ServiceBase, together_details
from closedwon_tui.services.column_places import place, put_back
from closedwon_tui.services.snapshots import entity_snapshot, restore, snapshot
from closedwon_tui.storage.repository import Repository

_FLIPPABLE = UNDOABLE_EVENTS | {EventKind.UNDONE, EventKind.REDONE}
_DESCRIBE = {"objection": "objection", "followup": "follow-up", "note": "note"}


class UndoCommands(ServiceBase):
    def undo_event(self, event_id: int) -> Change[None]:
        """Take back one change (which may itself be a redo), with the events written with it."""
        return self.undo_events([event_id])

    def redo_event(self, undo_event_id: int) -> Change[None]:
        """Apply again the change that an `undone` event took back."""
        return self.redo_events([undo_event_id])

    def undo_events(self, event_ids: Sequence[int]) -> Change[None]:
        """Take back several changes at once (a bulk action, one per deal) in one transaction: all of
        them, or none when one of the deals changed since (the error names it)."""
        return self._flip_all(event_ids, EventKind.UNDONE)

    def redo_events(self, undo_event_ids: Sequence[int]) -> Change[None]:
        """Apply again, in one transaction, the changes that these `undone` events took back."""
        return self._flip_all(undo_event_ids, EventKind.REDONE)

    def undo_last(self, deal_id: int, *, only: bool = False) -> Change[None]:
        """Take back the latest change of a deal that has not been taken back yet. When that change
        was made to several deals at once (`deal move 3 4 5 proposal`, a bulk action on the board),
        all of it is taken back, in one transaction, as the board's `u` does (the parts already taken
        back left out); `only`: this deal's part alone."""
        with self.db.read() as repo:
            repo.deal(deal_id)
            events = repo.events(deal_id)
        undone: set[int] = set()
        # Newest write first: ids follow the order changes were made, even when two reps' clocks disagree.
        for event in sorted(events, key=lambda e: e.id, reverse=True):
            if event.kind is EventKind.UNDONE:
                undone.add(event.details["undoes"])
                continue
            if event.id in undone:
                continue
            if event.kind in _FLIPPABLE:
                together = [] if only else self.changed_together(event)
                return self.undo_events(together) if len(together) > 1 else self.undo_event(event.id)
            break  # `created`: nothing earlier can be undone without losing the deal
        raise ValidationError(f"deal {deal_id} has no change to undo")

    def changed_together(self, event: DealEvent) -> list[int]:
        """The events of the change `event` is part of, one per deal (the events written with them
        left out), those already taken back left out too; [] when it changed one deal."""
        mark = event.details.get("together")
        if not isinstance(mark, dict) or "key" not in mark:
            return []
        with self.db.read() as repo:
            after = int(mark.get("after", 0))
            marked = [e for e in repo.events_after(after, at=event.at)
                      if (e.details.get("together") or {}).get("key") == mark["key"]]  # fmt: skip
            undone = {e.details.get("undoes") for e in repo.events_after(after, kinds=[EventKind.UNDONE])}
        companions = {i for e in marked for i in e.details.get("with", [])}
        return [e.id for e in marked if e.id not in companions and e.id not in undone]

    def _flip_all(self, event_ids: Sequence[int], kind: EventKind) -> Change[None]:
        ids = list(dict.fromkeys(event_ids))
        with self.db.write() as repo, self._marked_together(repo, len(ids)):
            now = self._locked_now(repo)
            together = self._flip_deals(repo, ids, kind, now) if len(ids) > 1 else {}
            parts = [together[i] if i in together else self._flip_with(repo, i, kind, now) for i in ids]
            return self._together(repo, parts)

    def _flip_deals(self, repo: Repository, ids: list[int], kind: EventKind, now: datetime) -> dict[int, Change[None]]:
        """A bulk undo or redo: the events that set a deal's own fields (each deal's once, nothing
        written with them, its place free to go back to) flipped together, one statement for the
        deals, one for their events, one replay of their stays. The same checks, fields and events
        as `_flip_one`; what does not qualify is left to it (the caller flips the rest one by one)."""
        from closedwon_tui.storage.imports import ImportStore

        events = repo.events_by_id(ids)
        candidates: dict[int, DealEvent] = {}  # by deal: a deal's first event only
        for event_id in ids:
            event = events.get(event_id)
            if event is not None and _flips_together(event, kind):
                candidates.setdefault(event.deal_id, event)
        deals = {d.id: d for d in repo.deals(ids=list(candidates))}
        plans: list[tuple[DealEvent, Deal, dict[str, Any]]] = []
        for event in candidates.values():
            deal = deals.get(event.deal_id)
            if deal is None:
                continue  # gone: the one-by-one path says so
            expected, state = event.details.get("after") or {}, event.details.get("before") or {}
            current = snapshot(deal, expected)
            if any(current[k] != v for k, v in expected.items() if k != "position"):
                raise ConflictError(
                    f"deal {deal.id} ({deal.title}) has changed since; undoing this change would overwrite that"
                )
            values = restore(state)
            if "stage_id" in values and "position" not in values:
                continue
            plans.append((event, deal, values))

        def place(deal: Deal, values: dict[str, Any]) -> tuple[int, int] | None:
            return (values.get("stage_id", deal.stage_id), values["position"]) if "position" in values else None

        held = repo.holders(p for _, d, v in plans if (p := place(d, v)) is not None)
        kept, taken = [], set()
        for event, deal, values in plans:
            spot = place(deal, values)
            if spot is not None and (held.get(spot, deal.id) != deal.id or spot in taken):
                continue  # its place is someone else's now: one by one, right after that card
            taken.add(spot)
            kept.append((event, deal, values))
        plans = kept
        written: dict[int, Deal] = {}
        by_fields: dict[frozenset[str], list[tuple[Deal, dict[str, Any]]]] = {}
        for _, deal, values in plans:
            by_fields.setdefault(frozenset(values), []).append((deal, {**values, "updated_at": now,
                                                                       "last_activity_at": now}))  # fmt: skip
        for changes in by_fields.values():
            written.update(repo.update_deals(changes))
        store = ImportStore(repo)
        rows = []
        for new_id, (event, deal, _) in zip(store.reserve_event_ids(len(plans)), plans, strict=True):
            details = event.details
            before, after = details.get("before"), details.get("after")
            stages = (after or {}).get("stage_id"), (before or {}).get("stage_id")
            flipped = event.kind in (EventKind.UNDONE, EventKind.REDONE)
            rows.append({
                "id": new_id, "deal_id": deal.id, "at": now, "actor": self.actor, "kind": kind.value,
                "from_stage_id": stages[0] if stages[0] != stages[1] else None,
                "to_stage_id": stages[1] if stages[0] != stages[1] else None,
                "details": {
                    "undoes" if kind is EventKind.UNDONE else "redoes":
                        event.id if kind is EventKind.UNDONE else details["undoes"],
                    "undone_kind": details.get("undone_kind", event.kind.value) if flipped else event.kind.value,
                    "entity": "deal", "entity_id": details.get("entity_id"), "before": after, "after": before,
                    **together_details(),
                },
            })  # fmt: skip
        store.insert_events(rows)
        renumbered = frozenset(repo.renumbered)
        return {
            event.id: Change(written[deal.id], DealEvent(row["id"], deal.id, now, self.actor, kind, row["from_stage_id"],
                                                         row["to_stage_id"], row["details"]), None, None, renumbered)
            for (event, deal, _), row in zip(plans, rows, strict=True)
        }  # fmt: skip

    def _flip_with(self, repo: Repository, event_id: int, kind: EventKind, now: datetime) -> Change[None]:
        """Flip one event and the events written with it (its companions, flipped first)."""
        event = repo.event(event_id)
        self._check_flip(event, kind)
        companions = []
        for companion_id in event.details.get("with", []):
            companion = repo.event(companion_id)
            self._check_flip(companion, kind)
            companions.append(self._flip_one(repo, companion, kind, now, ())[0])
        new_event, deal = self._flip_one(repo, event, kind, now, tuple(companions))
        return self._change(repo, deal, new_event, companions=tuple(companions))

    @staticmethod
    def _check_flip(event: DealEvent, kind: EventKind) -> None:
        if event.kind not in _FLIPPABLE:
            raise ValidationError(f"a '{event.kind.value}' event cannot be undone")
        if kind is EventKind.REDONE and event.kind is not EventKind.UNDONE:
            raise ValidationError("only an undo can be redone")

    def _flip_one(
        self, repo: Repository, event: DealEvent, kind: EventKind, now: datetime, companions: tuple[DealEvent, ...]
    ) -> tuple[DealEvent, Deal]:
        """Flip one event: its new event, and the deal as it left it (but the last activity, which the
        Change sets from the event: see `_change`)."""
        details = event.details
        entity = details.get("entity")
        before, after = details.get("before"), details.get("after")
        if entity == "deal":
            deal = self._apply_deal_state(repo, event, before or {}, after or {}, now)
        else:
            deal = repo.deal(event.deal_id)
            try:
                self._apply_entity_state(repo, entity, details.get("entity_id"), before, after)
            except ConflictError as exc:  # name the deal: a bulk undo has many
                raise ConflictError(f"{exc} (deal {deal.id}, {deal.title})") from exc
        stages = (after or {}).get("stage_id"), (before or {}).get("stage_id")
        target_key = "undoes" if kind is EventKind.UNDONE else "redoes"
        original = event.id if kind is EventKind.UNDONE else details["undoes"]
        flipped = event.kind in (EventKind.UNDONE, EventKind.REDONE)
        original_kind = details.get("undone_kind", event.kind.value) if flipped else event.kind.value
        extra: dict[str, Any] = {"with": [c.id for c in companions]} if companions else {}
        new_event = self._record(
            repo, deal, kind, now, touched=entity == "deal",
            from_stage_id=stages[0] if stages[0] != stages[1] else None,
            to_stage_id=stages[1] if stages[0] != stages[1] else None,
            **{target_key: original}, undone_kind=original_kind, entity=entity,
            entity_id=details.get("entity_id"), before=after, after=before, **extra,
        )  # fmt: skip
        return new_event, deal

    def _apply_deal_state(
        self, repo: Repository, event: DealEvent, state: dict[str, Any], expected: dict[str, Any], now: datetime
    ) -> Deal:
        """Put the deal's fields back as `state` says, if they are still as `expected`; an undo or
        a redo is activity, so its last activity is `now`, in the same statement."""
        values = restore(state)
        # the deal, its stage to go back to and who holds its place there now: one read
        deal, archived, holder = repo.deal_for_return(event.deal_id, values.get("stage_id"), values.get("position"))
        current = snapshot(deal, expected)
        if any(current[k] != v for k, v in expected.items() if k != "position"):
            raise ConflictError(
                f"deal {deal.id} ({deal.title}) has changed since; undoing this change would overwrite that"
            )
        if "stage_id" in values and values["stage_id"] != deal.stage_id and archived is not False:
            back = repo.stage(values["stage_id"])  # a stage removed since (or none such: it says so)
            raise ConflictError(f"stage {back.name} was removed since; deal {deal.id} cannot go back to it")
        if "position" in values:
            stage_id = values.get("stage_id", deal.stage_id)
            values["position"] = put_back(repo, deal, stage_id, values["position"], holder)
        elif "stage_id" in values:
            values["position"] = place(repo, deal, values["stage_id"], 0)
        return repo.update_deal(deal.id, deal.version, {**values, "updated_at": now, "last_activity_at": now})

    @staticmethod
    def _apply_entity_state(
        repo: Repository, entity: str | None, entity_id: int | None, state: dict | None, expected: dict | None
    ) -> None:
        if entity not in _DESCRIBE or entity_id is None:
            raise ValidationError("this change cannot be undone")
        getter = {"objection": repo.objection, "followup": repo.followup}.get(entity)
        what = _DESCRIBE[entity]
        try:
            current = entity_snapshot(getter(entity_id)) if getter else _note_snapshot(repo, entity_id)
        except NotFoundError:
            current = None
        if current != expected:
            raise ConflictError(f"the {what} has changed since; undoing this change would overwrite that")
        if state is None:
            {"objection": repo.delete_objection, "followup": repo.delete_followup, "note": repo.delete_note}[entity](
                entity_id
            )
            return
        values = restore(state)
        if expected is None:
            {"objection": repo.insert_objection, "followup": repo.insert_followup, "note": repo.insert_note}[entity](
                **values
            )
            return
        values.pop("id", None)
        {"objection": repo.update_objection, "followup": repo.update_followup}[entity](entity_id, **values)


def _flips_together(event: DealEvent, kind: EventKind) -> bool:
    """An event a bulk undo or redo can flip with others: it set the deal's own fields, and nothing
    was written with it."""
    if event.kind not in _FLIPPABLE or (kind is EventKind.REDONE and event.kind is not EventKind.UNDONE):
        return False
    return event.details.get("entity") == "deal" and not event.details.get("with")


def _note_snapshot(repo: Repository, note_id: int) -> dict[str, Any]:
    return entity_snapshot(repo.note(note_id))
