"""How long the board takes to show its first complete frame in a real terminal, against two floors.

Each run starts a whole process on a pseudo-terminal of 160x50 and reads what it draws until
the frame is complete: every row painted, the last column's header ("7 Closed Lost") on its
row and the key bar on the last row (an empty app: every row painted). A big board's first
frame shows each column's first cards (its title says the rest is being read): each board's
time until every card is read (the title no longer says so) is printed too. The floors are an
empty Textual app, and one that also imports SQLAlchemy; floor and board runs are
interleaved, so a busy moment of the machine hits both. Each figure is the median of the
runs, with min and max; peak memory is each process's own VmHWM.

Databases are seeded once with a realistic year of history (benchmarks/_seed.py) and cached.

A further case opens one pipeline of a database with three pipelines of 10,000 deals each
(`--pipelines 3x10000`; empty to leave it out): the board reads only the pipeline it shows.

    python benchmarks/board_open.py [--runs 5] [--sizes 1000,10000,50000] [--pipelines 3x10000] [--db URL]
"""

from __future__ import annotations

import argparse

from _common import BOARD, BOARD_READ, EMPTY, SIZE, Figure, child_env, closedwon, compile_closedwon, floor, ratio
from _seed import seeded
from _terminal import timed_frames


def open_times(targets: dict[str, list[str]], frames: dict[str, object], runs: int) -> dict[str, tuple[Figure, Figure, Figure]]:  # fmt: skip
    """name -> (seconds to the first complete frame, seconds until every card is read, peak MB),
    runs interleaved across targets."""
    out = {name: (Figure(name), Figure(name), Figure(name)) for name in targets}
    env = child_env()
    for _ in range(runs):
        for name, argv in targets.items():
            steps = [(None, frames[name])] + ([(None, BOARD_READ)] if frames[name] is BOARD else [])
            seconds, peak = timed_frames(argv, steps, size=SIZE, env=env)  # type: ignore[arg-type]
            out[name][0].add(seconds[0])
            out[name][1].add(seconds[-1])
            out[name][2].add(peak / 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--db", help="a PostgreSQL URL to seed and open instead of SQLite ({n}: the size)")
    parser.add_argument("--pipelines", default="3x10000",
                        help="PIPELINESxDEALS: also open one pipeline of that many, each that big (empty: no)")  # fmt: skip
    args = parser.parse_args()
    compile_closedwon()
    sizes = [int(s) for s in args.sizes.split(",")]
    urls = {size: seeded(size, args.db, quiet=False) for size in sizes} if not args.db or "{n}" in args.db else {}
    targets = {"empty Textual app": floor(False), "Textual + SQLAlchemy": floor(True)}
    frames = {name: EMPTY for name in targets}
    results = {}
    if urls:
        for size, url in urls.items():
            targets[f"board, {size:,} deals"] = [*closedwon(), "--db", url]
            frames[f"board, {size:,} deals"] = BOARD
        if args.pipelines:
            count, each = (int(n) for n in args.pipelines.split("x"))
            url = seeded(count * each, None, quiet=False, pipelines=count)
            name = f"board, 1 of {count}x{each:,}"
            targets[name] = [*closedwon(), "--db", url, "--pipeline", "Sales"]
            frames[name] = BOARD
        results = open_times(targets, frames, args.runs)
    else:  # one PostgreSQL database for every size: seed it for each size in turn
        base = {name: targets[name] for name in list(targets)}
        for size in sizes:
            url = seeded(size, args.db, quiet=False)
            name = f"board, {size:,} deals"
            found = open_times({**base, name: [*closedwon(), "--db", url]}, {**frames, name: BOARD}, args.runs)
            for key, value in found.items():
                if key in results:
                    for mine, found_now in zip(results[key], value, strict=True):
                        mine.values += found_now.values
                else:
                    results[key] = value
    reference = results["Textual + SQLAlchemy"][0]
    print(f"first complete frame at {SIZE[0]}x{SIZE[1]}, median of {args.runs} (min, max); "
          f"ratio against Textual + SQLAlchemy; peak = the process's VmHWM once every card is read")  # fmt: skip
    for name, (seconds, _read, peak) in results.items():
        print(f"{name:<24} {seconds.span()}  {ratio(seconds, reference)}   peak {max(peak.values) * 1000:6.1f} MB")
    print("every card read (a big board's first frame shows each column's first cards; the rest follows)")
    for name, (_seconds, read, _peak) in results.items():
        if name.startswith("board"):
            print(f"{name:<24} {read.span()}  {ratio(read, reference)}")


if __name__ == "__main__":
    main()
