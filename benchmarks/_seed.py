"""Fill a SQLite file with N open deals fast (one bulk insert), for the benchmarks."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from closedwon_tui.storage import tables
from closedwon_tui.storage.database import Database


def seed(url: str, count: int, *, seed: int = 1) -> None:
    db = Database.open(url)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with db.read() as repo:
        open_stages = [s for s in repo.stages() if s.is_open]
    positions = {s.id: 0 for s in open_stages}
    deals = []
    for i in range(count):
        stage = rng.choice(open_stages)
        created = now - timedelta(days=rng.randint(0, 90))
        deals.append(
            {
                "id": i + 1, "title": f"Deal {i + 1} {rng.choice(['rollout', 'renewal', 'pilot', 'upgrade'])}",
                "company": f"Company {rng.randint(1, count // 3 + 1)}", "contact_name": "", "contact_email": "",
                "amount_minor": rng.randint(1_000, 250_000) * 100, "currency": "USD", "probability": None,
                "close_date": None, "owner": rng.choice(["dana", "marcus", "priya"]), "source": "",
                "budget_note": "", "budget_ok": False, "authority_note": "", "authority_ok": False,
                "need_note": "", "need_ok": False, "timing_note": "", "timing_ok": False, "next_step": "",
                "created_at": created, "updated_at": created, "last_activity_at": created,
                "stage_id": stage.id, "stage_entered_at": created, "position": positions[stage.id],
                "closed_at": None, "lost_reason": "", "lost_note": "", "went_well": "", "nearly_lost": "",
                "version": 1,
            }
        )  # fmt: skip
        positions[stage.id] += 1
    events = [
        {"deal_id": d["id"], "at": d["created_at"], "actor": "bench", "kind": "created",
         "to_stage_id": d["stage_id"], "details": {}}
        for d in deals
    ]  # fmt: skip
    with db.write() as repo:
        repo.connection.execute(insert(tables.deals), deals)
        repo.connection.execute(insert(tables.deal_events), events)
    db.close()


if __name__ == "__main__":
    seed(sys.argv[1], int(sys.argv[2]))
