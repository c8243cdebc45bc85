"""Time from a move key to the commit and the repaint, against a key that does nothing.

Opens the board headless on N deals (10,000 by default), then presses shift+right and
shift+left in turn on the first card, and an unbound key the same number of times; each
press is timed until the app has handled it and repainted. Prints medians and the ratio.
Target: a move within 2x the time of a key that does nothing.

    python benchmarks/board_move.py [--deals 10000] [--presses 40]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


async def _time_keys(app, keys: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l", "l")  # a busy open column
        await pilot.pause()
        for key in keys:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()  # handled, and the screen updated
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args()
    from _seed import seed

    from closedwon_tui.app.app import ClosedwonApp
    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage.database import Database

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/move.db"
        seed(url, args.deals)
        service = PipelineService(Database.open(url))
        noop = asyncio.run(_time_keys(ClosedwonApp(service, celebrate=False), ["f12"] * args.presses))
        moves = ["shift+right", "shift+left"] * (args.presses // 2)
        move = asyncio.run(_time_keys(ClosedwonApp(service, celebrate=False), moves))
    floor, cost = statistics.median(noop), statistics.median(move)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.deals:,} deals, {args.presses} presses each")
    print(f"key that does nothing   {floor * 1000:7.1f} ms   1.00x")
    print(f"move to next/prev stage {cost * 1000:7.1f} ms   {cost / floor:4.2f}x   (commit + repaint)")
    print(f"peak memory             {peak:7.1f} MB")


if __name__ == "__main__":
    main()
