"""One measured process: open the board (or an empty app: the floor) headless, paint once, exit.

Prints the seconds from process start to the first painted screen, and the peak memory.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import asyncio  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import sqlalchemy  # noqa: E402, F401
from textual.app import App  # noqa: E402


async def _paint(app: App) -> None:
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()


def main() -> None:
    what = sys.argv[1]
    if what == "floor":
        app: App = App()
    else:
        from closedwon_tui.app.app import ClosedwonApp
        from closedwon_tui.services import PipelineService
        from closedwon_tui.storage.database import Database

        app = ClosedwonApp(PipelineService(Database.open(what)), celebrate=False)
    asyncio.run(_paint(app))
    elapsed = time.perf_counter() - START
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.4f} {peak_mb:.1f}")


if __name__ == "__main__":
    main()
