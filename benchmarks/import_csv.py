"""Importing a 50,000-row Pipedrive export, against writing the same deals with one executemany.

Generates a Pipedrive-style CSV (the `Deal - ` headers, amounts like `42,000`, won and lost
deals, dates with times), then in fresh SQLite files:

- the floor: the same 50,000 deal rows written with one `executemany` through SQLAlchemy Core
  (no parsing, no matching, no history);
- the import: `PipelineService.import_file` on the file (reading, checking every value,
  matching, the deals, their `imported` history events and the batch, in one transaction).

Prints both times (best of --runs, the two taken in turn) and the ratio. Target: within 3x.

    python benchmarks/import_csv.py [--rows 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import insert  # noqa: E402

from closedwon_tui.services import PipelineService  # noqa: E402
from closedwon_tui.services.importing import ImportRequest  # noqa: E402
from closedwon_tui.storage import tables  # noqa: E402
from closedwon_tui.storage.database import Database  # noqa: E402

HEADERS = [
    "Deal - ID", "Deal - Title", "Deal - Owner", "Deal - Value", "Deal - Currency of value", "Deal - Organization",
    "Deal - Contact person", "Deal - Stage", "Deal - Status", "Deal - Deal created", "Deal - Won time",
    "Deal - Lost time", "Deal - Lost reason", "Deal - Expected close date", "Deal - Label",
]  # fmt: skip
STAGES = ["Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 9, 0)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for i in range(rows):
            created = start + timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 600))
            status = rng.choices(["Open", "Won", "Lost"], weights=[8, 1, 1])[0]
            closed = (created + timedelta(days=rng.randint(5, 60))).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow([
                10_000 + i, f"Deal {i} {rng.choice(['rollout', 'renewal', 'pilot', 'upgrade'])}",
                rng.choice(["Dana Reyes", "Marcus Webb", "Priya Nair"]), f"{rng.randint(1, 250) * 1000:,}",
                rng.choice(["USD", "USD", "EUR"]), f"Company {rng.randint(1, rows // 3 + 1)}", f"Contact {i}",
                rng.choice(STAGES), status, created.strftime("%Y-%m-%d %H:%M:%S"),
                closed if status == "Won" else "", closed if status == "Lost" else "",
                "Price" if status == "Lost" else "", (created + timedelta(days=90)).strftime("%Y-%m-%d"),
                rng.choice(["", "hot", "warm"]),
            ])  # fmt: skip


def floor_rows(rows: int, stage_ids: list[int]) -> list[dict]:
    """The deal rows an import of the file writes, ready for executemany."""
    now = datetime.now(UTC)
    out = []
    for i in range(rows):
        out.append({
            "title": f"Deal {i} rollout", "company": f"Company {i % 1000}", "contact_name": f"Contact {i}",
            "contact_email": "", "amount_minor": (i % 250 + 1) * 100_000, "currency": "USD", "probability": None,
            "close_date": (now + timedelta(days=90)).date(), "owner": "Dana Reyes", "source": "",
            "budget_note": "", "budget_ok": False, "authority_note": "", "authority_ok": False, "need_note": "",
            "need_ok": False, "timing_note": "", "timing_ok": False, "next_step": "", "created_at": now,
            "updated_at": now, "last_activity_at": now, "stage_id": stage_ids[i % len(stage_ids)],
            "stage_entered_at": now, "position": i, "closed_at": None, "lost_reason": "", "lost_note": "",
            "went_well": "", "nearly_lost": "", "version": 1, "origin_source": "pipedrive", "origin_id": str(10_000 + i),
        })  # fmt: skip
    return out


def time_floor(folder: Path, rows: int, run: int) -> float:
    db = Database.open(f"sqlite:///{folder / f'floor{run}.db'}")
    with db.read() as repo:
        stage_ids = [s.id for s in repo.stages()]
    values = floor_rows(rows, stage_ids)
    start = time.perf_counter()
    with db.write() as repo:
        repo.connection.execute(insert(tables.deals), values)
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def time_import(folder: Path, csv_path: Path, rows: int, run: int) -> float:
    db = Database.open(f"sqlite:///{folder / f'import{run}.db'}")
    service = PipelineService(db, actor="bench")
    start = time.perf_counter()
    summary = service.import_file(ImportRequest(str(csv_path)))
    elapsed = time.perf_counter() - start
    assert summary.created == rows and not summary.errors, (summary.created, summary.errors[:3])
    db.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="closedwon-import-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "pipedrive.csv"
        generate(csv_path, args.rows)
        size = csv_path.stat().st_size
        floors, imports = [], []
        for run in range(args.runs):  # taken in turn, so both see the same machine
            floors.append(time_floor(folder, args.rows, run))
            imports.append(time_import(folder, csv_path, args.rows, run))
    floor, imported = min(floors), min(imports)
    print(f"{args.rows:,} rows ({size / 1e6:.1f} MB), best of {args.runs} runs each")
    print(f"  executemany of the deal rows (floor): {floor:6.2f} s")
    print(f"  closedwon import of the CSV file:     {imported:6.2f} s")
    print(f"  ratio: {imported / floor:.2f}x (target: within 3x)")


if __name__ == "__main__":
    main()
