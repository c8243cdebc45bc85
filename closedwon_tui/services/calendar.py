"""Follow-ups for the rep's calendar: every follow-up with its deal, how often it changed, and the
ones taken back since (so a subscribed calendar drops them)."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from closedwon_tui import __version__
from closedwon_tui.domain.models import EventKind, FollowUp
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.services.snapshots import restore

if TYPE_CHECKING:  # loaded when a calendar is written
    from zoneinfo import ZoneInfo

    from closedwon_tui.transfer.calendar import CalendarEntry

_FOLLOWUP_FIELDS = frozenset(f.name for f in fields(FollowUp))
_FOLLOWUP_EVENTS = (
    EventKind.FOLLOWUP_SCHEDULED, EventKind.FOLLOWUP_DONE, EventKind.FOLLOWUP_SNOOZED, EventKind.UNDONE, EventKind.REDONE,
)  # fmt: skip


def local_zone() -> ZoneInfo | None:
    """The rep's time zone by name (`TZ`, else the system's), or None when it has no known name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    candidates = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].removeprefix(":"))
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


class CalendarQueries(ServiceBase):
    def calendar_entries(self, *, owner: str | None = None) -> tuple[list[CalendarEntry], str]:
        """Every follow-up (done ones too) of every deal, or of one owner's deals, soonest first."""
        from closedwon_tui.storage.imports import ImportStore
        from closedwon_tui.transfer.calendar import CalendarEntry

        owner = (owner or "").strip().lower() or None
        with self.db.read() as repo:
            store = ImportStore(repo)
            followups = {f.id: f for f in repo.followups()}
            events = repo.events(kinds=_FOLLOWUP_EVENTS)
            changes: dict[int, int] = {}
            last_state: dict[int, dict] = {}
            for event in events:
                if event.details.get("entity") != "followup" or event.details.get("entity_id") is None:
                    continue
                followup_id = int(event.details["entity_id"])
                changes[followup_id] = changes.get(followup_id, 0) + 1
                state = event.details.get("after") or event.details.get("before")
                if state:
                    last_state[followup_id] = state
            removed = {
                fid: FollowUp(**{k: v for k, v in restore(state).items() if k in _FOLLOWUP_FIELDS})
                for fid, state in last_state.items()
                if fid not in followups
            }
            deal_ids = {f.deal_id for f in followups.values()} | {f.deal_id for f in removed.values()}
            deals = store.deals(sorted(deal_ids))
            database_id = store.database_id()
        entries = []
        for followup, is_removed in [*((f, False) for f in followups.values()), *((f, True) for f in removed.values())]:
            deal = deals.get(followup.deal_id)
            if deal is None or (owner is not None and deal.owner.strip().lower() != owner):
                continue
            # The scheduling is the first version; every later event about it is a change.
            sequence = max(0, changes.get(followup.id, 1) - 1)
            entries.append(CalendarEntry(followup, deal, self.stage(deal.stage_id), sequence, is_removed))
        entries.sort(key=lambda e: (e.followup.due, e.followup.id))
        return entries, database_id

    def calendar(self, *, owner: str | None = None) -> bytes:
        """The follow-ups as an iCalendar file."""
        from closedwon_tui.transfer.calendar import build_calendar

        entries, database_id = self.calendar_entries(owner=owner)
        return build_calendar(entries, database_id=database_id, now=self.clock(), zone=local_zone(),
                              product=f"closedwon {__version__}")  # fmt: skip
