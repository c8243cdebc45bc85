"""The command line before and after a change, interleaved in one run: `deal list --json` and
`report --period all --json`, each a fresh process, against one that only imports SQLAlchemy.

The machine is shared and its load moves from minute to minute: each round runs the floor, then
each command with the code before and after, so a busy moment weighs on both. "Before" is another
checkout of closedwon (a `git worktree`, or `git archive REV closedwon_tui | tar -x -C DIR`), run
with this environment's Python and packages:

    python benchmarks/cli_before_after.py --before /tmp/closedwon-main [--sizes 50000] [--runs 9] [--db URL]

`--db` as in actions.py (`{n}` is replaced by the size); without it the cached SQLite seeds.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import HERE, child_env, compile_closedwon
from _seed import seeded

COMMANDS = {"deal list --json": ["deal", "list", "--json"],
            "report --period all --json": ["report", "--period", "all", "--json"]}  # fmt: skip


#: Where the processes run: `python -m` puts the current folder first on the path, which in a
#: checkout would be its closedwon for both sides.
_NEUTRAL = tempfile.gettempdir()


def _package(env: dict[str, str]) -> str:
    """Where a side's closedwon_tui comes from (each side says, so a mix-up shows)."""
    code = "import closedwon_tui; print(closedwon_tui.__file__)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=_NEUTRAL)
    return found.stdout.strip()


def _timed(argv: list[str], env: dict[str, str], cpu: list[float]) -> float:
    """The process's wall time; its CPU time (user and system, its own and a forked child's, not
    the database server's) appended to `cpu`."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    begun = time.perf_counter()
    subprocess.run(argv, capture_output=True, env=env, check=True, cwd=_NEUTRAL)
    wall = time.perf_counter() - begun
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
    return wall


def compare(url: str, before: Path, runs: int) -> None:
    after_env = {**os.environ, **child_env(), "PYTHONPATH": str(HERE.parent)}
    before_env = {**after_env, "PYTHONPATH": str(before)}
    for side, env in (("before", before_env), ("after", after_env)):
        print(f"  {side}: {_package(env)}")
    program = [sys.executable, "-m", "closedwon_tui.cli.main", "--db", url]
    timed: dict[str, list[float]] = {"floor": []}
    cpu: dict[str, list[float]] = {"floor": []}
    loads = []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        timed["floor"].append(_timed([sys.executable, "-c", "import sqlalchemy"], after_env, cpu["floor"]))
        for what, argv in COMMANDS.items():
            for side, env in (("before", before_env), ("after", after_env)):
                name = f"{what}, {side}"
                timed.setdefault(name, []).append(_timed([*program, *argv], env, cpu.setdefault(name, [])))
    floor = statistics.median(timed["floor"])
    for what, values in timed.items():
        median = statistics.median(values)
        print(f"  {what:<36} {median * 1000:7.1f} ms  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"
              f"  {median / floor:5.2f}x   CPU {statistics.median(cpu[what]) * 1000:5.0f} ms")  # fmt: skip
    print(f"  load during the run: {min(loads):.2f} to {max(loads):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of closedwon before the change")
    parser.add_argument("--sizes", default="50000", help="comma-separated deal counts (default 50000)")
    parser.add_argument("--runs", type=int, default=9, help="rounds (default 9)")
    parser.add_argument("--db", help="PostgreSQL URL ({n}: the size) instead of cached SQLite files")
    args = parser.parse_args()
    if not (args.before / "closedwon_tui").is_dir():
        parser.error(f"{args.before} holds no closedwon_tui package")
    compile_closedwon()
    compileall.compile_dir(args.before / "closedwon_tui", quiet=1)
    for size in (int(s) for s in args.sizes.split(",")):
        url = seeded(size, args.db, quiet=False)
        print(f"\n{size:,} deals ({'PostgreSQL' if args.db else 'SQLite'}), medians of {args.runs} rounds")
        compare(url, args.before.resolve(), args.runs)


if __name__ == "__main__":
    main()
