"""How long the board takes to open at 1,000 / 10,000 / 50,000 deals, against a floor.

The floor is a process that imports textual and sqlalchemy and opens an empty Textual app
headless; each measurement is a whole process that opens the board headless on a SQLite
file and paints it once. Each figure is the median of several runs, printed with its ratio
to the floor measured in the same run. Target: 10,000 deals within 1.5x the floor.

closedwon's modules are byte-compiled first, as `pip install` compiles textual's and
sqlalchemy's, so both sides load from bytecode, as an installed app does. (An editable
install under PYTHONDONTWRITEBYTECODE=1, as on this machine, would otherwise compile
closedwon from source on every start: about 40 ms more.)

    python benchmarks/board_open.py [--runs 5] [--sizes 1000,10000,50000]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(target: str, runs: int) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, str(HERE / "_open_board.py"), target], check=True,
                             capture_output=True, text=True).stdout.split()  # fmt: skip
        times.append(float(out[0]))
        peaks.append(float(out[1]))
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,50000")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from _seed import seed

    import closedwon_tui

    compileall.compile_dir(Path(closedwon_tui.__file__).parent, quiet=1)

    floor, floor_mb = measure("floor", args.runs)
    print(f"floor (empty Textual app)   {floor:7.3f} s   1.00x   peak {floor_mb:6.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            url = f"sqlite:///{folder}/board-{size}.db"
            seed(url, size)
            seconds, peak = measure(url, args.runs)
            print(f"board, {size:>6,} deals       {seconds:7.3f} s   {seconds / floor:4.2f}x   peak {peak:6.1f} MB")


if __name__ == "__main__":
    main()
