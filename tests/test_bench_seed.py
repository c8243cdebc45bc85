"""The benchmarks' fast seeder writes exactly the rows the services would write for the same actions."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import FrozenClock
from tests.dbstate import dump_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from seed_fast import write  # noqa: E402
from seed_plan import apply_with_services, plan  # noqa: E402

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_the_fast_seed_is_what_the_services_write(db_url, tmp_path, request):
    actions = plan(300, NOW, seed=5)
    kinds = Counter(a.kind for a in actions)
    assert kinds["undo"] and kinds["address"] and kinds["done"] and kinds["lookback"]  # every path is exercised
    fast = Database.open(db_url)
    write(fast, actions)
    fast_rows = dump_tables(fast.engine)
    fast.close()
    if db_url.startswith("postgresql"):
        slow_url = request.getfixturevalue("postgres_state").fresh()  # emptied again
    else:
        slow_url = f"sqlite:///{tmp_path / 'slow.db'}"
    slow = Database.open(slow_url)
    clock = FrozenClock(NOW)
    apply_with_services(PipelineService(slow, clock=clock), clock, actions)
    slow_rows = dump_tables(slow.engine)
    slow.close()
    assert fast_rows.keys() == slow_rows.keys()
    for table in fast_rows.keys() - {"database_info"}:  # each database has an id of its own
        assert fast_rows[table] == slow_rows[table], table


def test_the_seed_has_the_shape_of_a_real_pipeline():
    actions = plan(2000, NOW, seed=1)
    creates = [a for a in actions if a.kind == "create"]
    closes = Counter(a.args["stage"] for a in actions if a.kind == "move" and a.args["stage"].startswith("Closed"))
    assert len(creates) == 2000
    assert 0.12 < closes["Closed Won"] / 2000 < 0.18 and 0.12 < closes["Closed Lost"] / 2000 < 0.18
    assert 3.0 < len(actions) / 2000 < 3.6  # one history event per action
