"""Every action a rep waits for, at team scale, each as a ratio against its reference (issue 15).

For each size (10,000 and 50,000 deals; 200,000 with --big), on a seeded database with a
year of realistic history (benchmarks/_seed.py, cached):

- on a real pseudo-terminal at 160x50 (benchmarks/_terminal.py), each run a fresh process:
  the board's first complete frame against an empty Textual app and one that also imports
  SQLAlchemy (interleaved), then `a` to the agenda's first complete frame (its soonest
  follow-ups; then, recorded, every follow-up read) and `r` to the reports' complete frame
  (figures computed), both against the board's open time;
  peak memory is the process's own VmHWM;
- in-process (benchmarks/board_move.py): a cursor key, a move `L`, its undo `u`, opening the
  panel and a filter keystroke, each against a cursor key, interleaved with a key that does
  nothing; a structured filter's keystroke (amount>10k no-next-step close:this-quarter -acm)
  against that no-op key, a cursor key and a free-text filter's keystroke;
- in-process (benchmarks/bulk_move.py): 500 marked cards moved with one `L`, and its undo,
  against a single move `L` and its undo (issue 14: one transaction, one repaint);
- the command line, each a whole process against one that only imports SQLAlchemy:
  `deal list --json` and `report --period all --json`; and `deal add` (the service call
  and the whole command) at this size against the same at 50 deals.

    python benchmarks/actions.py [--sizes 10000,50000] [--big] [--runs 5] [--rounds 5] [--db URL]

`--db postgresql+psycopg://user:password@host/bench_{n}` runs everything against PostgreSQL
(`{n}` is replaced by the size, so each size keeps its own seeded database; without it the
one database is seeded again for each size). Give it databases of their own, not the tests':
seeding replaces every table, and a marker table (closedwon_bench_seed) stays to say which seed
the database holds.

    python benchmarks/actions.py --only cli --sizes 50000 --runs 9    # the command line only, one size
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

from _common import (
    AGENDA,
    AGENDA_READ,
    BOARD,
    BOARD_READ,
    EMPTY,
    ESCAPE,
    REPORTS,
    SIZE,
    Figure,
    child_env,
    closedwon,
    compile_closedwon,
    floor,
)
from _seed import seeded, writable
from _terminal import timed_frames
from board_move import board_keys
from bulk_move import MARKED, bulk_keys

#: (what, reference, goal as the most the ratio may be, or None when the figure is only recorded)
Row = tuple[str, Figure, Figure | None, float | None]


def screens(url: str, runs: int) -> dict[str, Figure]:
    """Open the board, the agenda and the reports on a pty; floors interleaved with the board's runs."""
    env = child_env()
    out = {name: Figure(name) for name in ("empty Textual app", "Textual + SQLAlchemy", "open the board",
                                           "every card read", "agenda a", "every follow-up read", "reports r",
                                           "peak MB at open")}  # fmt: skip
    # The agenda and the reports are opened once every card is read (a big board reads the rest after its first frame).
    steps = [(None, BOARD), (None, BOARD_READ), (b"a", AGENDA), (b"", AGENDA_READ), (ESCAPE, BOARD), (b"r", REPORTS)]
    for _ in range(runs):
        for name, sqlalchemy in (("empty Textual app", False), ("Textual + SQLAlchemy", True)):
            (seconds,), _peak = timed_frames(floor(sqlalchemy), [(None, EMPTY)], size=SIZE, env=env)
            out[name].add(seconds)
        peak: list[float] = []
        # The peak at open is read once every card is read, before the agenda and reports load.
        (opened, read, agenda, agenda_read, _back, reports), _ = timed_frames(
            [*closedwon(), "--db", url],
            steps,
            size=SIZE,
            env=env,
            after_first=lambda term, into=peak: into.append(term.peak_mb()),
        )
        out["open the board"].add(opened)
        out["every card read"].add(read)
        out["agenda a"].add(agenda)
        out["every follow-up read"].add(agenda_read)
        out["reports r"].add(reports)
        out["peak MB at open"].add(peak[0])
    return out


def _process(argv: list[str]) -> float:
    begun = time.perf_counter()
    subprocess.run(argv, capture_output=True, env={**os.environ, **child_env()}, check=True)
    return time.perf_counter() - begun


def command_line(url: str, runs: int) -> dict[str, Figure]:
    out = {name: Figure(name) for name in ("import SQLAlchemy", "deal list --json", "report --period all --json")}
    for _ in range(runs):
        out["import SQLAlchemy"].add(_process([sys.executable, "-c", "import sqlalchemy"]))
        out["deal list --json"].add(_process([*closedwon(), "--db", url, "deal", "list", "--json"]))
        out["report --period all --json"].add(
            _process([*closedwon(), "--db", url, "report", "--period", "all", "--json"])
        )
    return out


def deal_add(size: int, db: str | None, runs: int, calls: int = 60) -> dict[str, Figure]:
    """`deal add` on `size` deals against 50: the service call (alternating between the two
    databases, so a busy moment hits both) and the whole command."""
    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage.database import Database

    out = {f"{what} at {n:,}": Figure(what) for what in ("create_deal", "deal add") for n in (50, size)}
    with writable(50, db) as small_url, writable(size, db) as big_url:
        services = {
            n: PipelineService(Database.open(url), actor="bench") for n, url in ((50, small_url), (size, big_url))
        }
        for i in range(calls):
            for n, service in services.items():
                begun = time.perf_counter()
                service.create_deal(f"Bench deal {i}", company="Bench Co", amount="1000")
                out[f"create_deal at {n:,}"].add(time.perf_counter() - begun)
        for service in services.values():
            service.db.close()
        for i in range(runs):
            for n, url in ((50, small_url), (size, big_url)):
                argv = [*closedwon(), "--db", url, "deal", "add", f"Bench command {i}", "--amount", "1000"]
                out[f"deal add at {n:,}"].add(_process(argv))
    return out


def report(size: int, label: str, rows: list[Row]) -> None:
    print(f"\n{size:,} deals ({label})")
    print(f"  {'action':<34} {'median':>9}  {'(min, max, n)':<26} {'against':<26} {'ratio':>6}  goal")
    for what, figure, reference, goal in rows:
        unit = 1.0 if what.startswith("peak") else 1000.0
        suffix = "MB" if what.startswith("peak") else "ms"
        lo, hi = min(figure.values) * unit, max(figure.values) * unit
        span = f"({lo:.1f}, {hi:.1f}, n={len(figure.values)})"
        if reference is None:
            print(f"  {what:<34} {figure.median * unit:7.1f} {suffix}  {span:<26}")
            continue
        value = figure.median / reference.median
        mark = "" if goal is None else (f"≤ {goal:g}x " + ("ok" if value <= goal else "NOT MET"))
        print(
            f"  {what:<34} {figure.median * unit:7.1f} {suffix}  {span:<26} {reference.name:<26} {value:5.2f}x  {mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="comma-separated deal counts (default 10000,50000)")
    parser.add_argument("--big", action="store_true", help="also 200,000 deals (a team over five years)")
    parser.add_argument("--runs", type=int, default=5, help="processes per figure (default 5)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of board keys (default 5)")
    parser.add_argument("--db", help="PostgreSQL URL ({n}: the size) instead of cached SQLite files")
    parser.add_argument("--only", help="comma-separated parts: screens,keys,bulk,cli,add (default all)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([200_000] if args.big else [])
    parts = set((args.only or "screens,keys,bulk,cli,add").split(","))
    compile_closedwon()
    label = "PostgreSQL" if args.db else "SQLite"
    for size in sizes:
        url = seeded(size, args.db, quiet=False)
        rows: list[Row] = []
        if "screens" in parts:
            s = screens(url, args.runs)
            floor_ts = s["Textual + SQLAlchemy"]
            rows += [("open the board (first frame)", s["open the board"], floor_ts, 2.0),
                     ("  every card read", s["every card read"], floor_ts, None),
                     ("  empty Textual app", s["empty Textual app"], None, None),
                     ("  Textual + SQLAlchemy", floor_ts, None, None),
                     ("peak memory at open (VmHWM)", s["peak MB at open"], None, None),
                     ("agenda a", s["agenda a"], s["open the board"], 0.5),
                     ("  every follow-up read", s["every follow-up read"], s["open the board"], None),
                     ("reports r", s["reports r"], s["open the board"], 1.0)]  # fmt: skip
        if "cli" in parts:
            c = command_line(url, args.runs)
            rows += [("deal list --json", c["deal list --json"], c["import SQLAlchemy"], 3.0),
                     ("report --period all --json", c["report --period all --json"], c["import SQLAlchemy"], 3.0),
                     ("  python -c 'import sqlalchemy'", c["import SQLAlchemy"], None, None)]  # fmt: skip
        if "keys" in parts:
            with writable(size, args.db) as copy:
                k = asyncio.run(board_keys(copy, args.rounds))
            cursor = k["cursor key"]
            rows += [("cursor key", cursor, None, None), ("no-op key", k["no-op key"], cursor, None),
                     ("move L", k["move L"], cursor, 3.0), ("undo u", k["undo u"], cursor, 3.0),
                     ("panel enter", k["panel enter"], cursor, 3.0),
                     ("panel enter, again", k["panel enter, again"], cursor, 3.0),
                     ("panel enter, first open", k["panel enter, first"], None, None),
                     ("filter keystroke", k["filter keystroke"], cursor, 2.0),
                     ("filter, 11 keys", k["filter, 11 keys"], None, None),
                     ("structured filter keystroke", k["structured filter keystroke"], k["no-op key"], None),
                     ("  against a cursor key", k["structured filter keystroke"], cursor, 2.0),
                     ("  against a free-text keystroke", k["structured filter keystroke"],
                      k["filter keystroke"], 1.0)]  # fmt: skip
            if k["durable commit"].values:  # SQLite: the commit a move and an undo each wait for
                rows += [("  a durable commit on this disk", k["durable commit"], cursor, None)]
        if "bulk" in parts:
            with writable(size, args.db) as copy:
                b, counts = asyncio.run(bulk_keys(copy, args.rounds))
            bulk = f"bulk move L ({MARKED} marked)"
            rows += [("move L (one card)", b["move L"], None, None), ("undo u (one card)", b["undo u"], None, None),
                     (bulk, b[f"bulk move L ({MARKED})"], b["move L"], None),
                     (f"bulk undo u ({MARKED} marked)", b[f"bulk undo u ({MARKED})"], b["undo u"], None)]  # fmt: skip
            print(f"  {size:,}: each bulk move took {counts['transactions']} write transactions, "
                  f"{counts['repaints']} repaints")  # fmt: skip
        if "add" in parts:
            a = deal_add(size, args.db, args.runs)
            rows += [(f"create_deal (service) at {size:,}", a[f"create_deal at {size:,}"], a["create_deal at 50"], 1.25),
                     ("  create_deal at 50", a["create_deal at 50"], None, None),
                     (f"deal add (command) at {size:,}", a[f"deal add at {size:,}"], a["deal add at 50"], 1.25),
                     ("  deal add at 50", a["deal add at 50"], None, None)]  # fmt: skip
        report(size, label, rows)


if __name__ == "__main__":
    main()
