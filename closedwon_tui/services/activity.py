"""Objections, follow-ups and notes: the activity that keeps a deal alive."""

from __future__ import annotations

from datetime import date, datetime

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_text
from closedwon_tui.domain.models import (
    Change,
    Deal,
    EventKind,
    FollowUp,
    Note,
    Objection,
    ObjectionKind,
    ObjectionStatus,
)  # fmt: skip
from closedwon_tui.domain.parsing import match_choice, parse_datetime
from closedwon_tui.domain.rules import local_today
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.services.snapshots import entity_snapshot
from closedwon_tui.storage.repository import Repository


class ActivityCommands(ServiceBase):
    # objections ---------------------------------------------------------
    def add_objection(self, deal_id: int, kind: str | ObjectionKind, text: str) -> Change[Objection]:
        kind = ObjectionKind(match_choice(str(kind), [k.value for k in ObjectionKind], "objection kind"))
        text = self._require_text(text, "objection text")
        now = self.clock()
        with self.db.write() as repo:
            deal = repo.deal(deal_id)
            objection = repo.insert_objection(deal_id=deal.id, kind=kind.value, text=text, response="",
                                              status=ObjectionStatus.OPEN.value, created_at=now, updated_at=now)  # fmt: skip
            event = self._record(repo, deal, EventKind.OBJECTION_ADDED, now, objection_id=objection.id, objection_kind=kind.value,
                         text=text, entity="objection", entity_id=objection.id, before=None,
                         after=entity_snapshot(objection))  # fmt: skip
            return self._change(repo, deal, event, objection)

    def answer_objection(self, objection_id: int, response: str, *, addressed: bool = False) -> Change[Objection]:
        """Record how the rep answered; `addressed=True` also closes it."""
        response = self._require_text(response, "response")
        return self._update_objection(objection_id, response=response, addressed=addressed)

    def address_objection(self, objection_id: int, response: str | None = None) -> Change[Objection]:
        """Mark an objection addressed, with the response if one is given."""
        text = None if response is None or not response.strip() else self._require_text(response, "response")
        return self._update_objection(objection_id, response=text, addressed=True)

    def _update_objection(self, objection_id: int, *, response: str | None, addressed: bool) -> Change[Objection]:
        now = self.clock()
        with self.db.write() as repo:
            before = repo.objection(objection_id)
            deal = repo.deal(before.deal_id)
            values: dict[str, object] = {"updated_at": now}
            if response is not None:
                values["response"] = response
            if addressed:
                if before.status is ObjectionStatus.ADDRESSED and response is None:
                    raise ValidationError(f"objection {objection_id} is already addressed")
                values["status"] = ObjectionStatus.ADDRESSED.value
            after = repo.update_objection(objection_id, **values)
            kind = EventKind.OBJECTION_ADDRESSED if addressed else EventKind.OBJECTION_ANSWERED
            event = self._record(repo, deal, kind, now, objection_id=objection_id, objection_kind=after.kind.value, text=after.text,
                         response=after.response, entity="objection", entity_id=objection_id,
                         before=entity_snapshot(before), after=entity_snapshot(after))  # fmt: skip
            return self._change(repo, deal, event, after)

    # follow-ups ---------------------------------------------------------
    def schedule_followup(
        self, deal_id: int, due: str | date | datetime, note: str = "", *, has_time: bool | None = None
    ) -> Change[FollowUp]:
        """A follow-up due on a date (and optionally a time), in the rep's own clock."""
        now = self.clock()
        due_at, timed = self._due(due, now)
        if has_time is not None:
            timed = has_time
        note = clean_text("note", note, what="the note")
        with self.db.write() as repo:
            return self._schedule_in(repo, repo.deal(deal_id), due_at, timed, note, now)

    def _schedule_in(
        self, repo: Repository, deal: Deal, due_at: datetime, timed: bool, note: str, now: datetime
    ) -> Change[FollowUp]:
        """A new follow-up on a deal (inside the caller's transaction)."""
        followup = repo.insert_followup(deal_id=deal.id, due=due_at, has_time=timed, note=note, created_at=now)
        event = self._record(repo, deal, EventKind.FOLLOWUP_SCHEDULED, now, followup_id=followup.id,
                     due=due_at.isoformat(), note=note, entity="followup", entity_id=followup.id,
                     before=None, after=entity_snapshot(followup))  # fmt: skip
        return self._change(repo, deal, event, followup)

    def snooze_followup(self, followup_id: int, due: str | date | datetime) -> Change[FollowUp]:
        """Put a pending follow-up off to a later day (and time): the agenda's `z`."""
        now = self.clock()
        due_at, timed = self._due(due, now)
        with self.db.write() as repo:
            before = repo.followup(followup_id)
            if before.is_done:
                raise ValidationError(f"follow-up {followup_id} is already done")
            if (before.due, before.has_time) == (due_at, timed):
                raise ValidationError(f"follow-up {followup_id} is already due then")
            deal = repo.deal(before.deal_id)
            after = repo.update_followup(followup_id, due=due_at, has_time=timed)
            event = self._record(repo, deal, EventKind.FOLLOWUP_SNOOZED, now, followup_id=followup_id,
                         from_due=before.due.isoformat(), due=due_at.isoformat(), note=before.note,
                         entity="followup", entity_id=followup_id, before=entity_snapshot(before),
                         after=entity_snapshot(after))  # fmt: skip
            return self._change(repo, deal, event, after)

    def complete_followup(self, followup_id: int) -> Change[FollowUp]:
        now = self.clock()
        with self.db.write() as repo:
            before = repo.followup(followup_id)
            if before.is_done:
                raise ValidationError(f"follow-up {followup_id} is already done")
            deal = repo.deal(before.deal_id)
            after = repo.update_followup(followup_id, done_at=now)
            event = self._record(repo, deal, EventKind.FOLLOWUP_DONE, now, followup_id=followup_id,
                         due=before.due.isoformat(), note=before.note, entity="followup", entity_id=followup_id,
                         before=entity_snapshot(before), after=entity_snapshot(after))  # fmt: skip
            return self._change(repo, deal, event, after)

    @staticmethod
    def _due(due: str | date | datetime, now: datetime) -> tuple[datetime, bool]:
        if isinstance(due, datetime):
            return due.replace(tzinfo=None), True
        if isinstance(due, date):
            return datetime(due.year, due.month, due.day), False
        parsed = parse_datetime(due, local_today(now), field="due")
        if parsed is None:
            raise ValidationError("a follow-up needs a due date", "due")
        return parsed

    # notes --------------------------------------------------------------
    def add_note(self, deal_id: int, text: str) -> Change[Note]:
        text = self._require_text(text, "note")
        now = self.clock()
        with self.db.write() as repo:
            deal = repo.deal(deal_id)
            note = repo.insert_note(deal_id=deal.id, text=text, created_at=now)
            event = self._record(repo, deal, EventKind.NOTE_ADDED, now, note_id=note.id, text=text, entity="note",
                         entity_id=note.id, before=None, after=entity_snapshot(note))  # fmt: skip
            return self._change(repo, deal, event, note)
