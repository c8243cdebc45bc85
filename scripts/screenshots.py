"""Regenerate screenshots/ from the real app on the demo pipeline.

Every shot opens closedwon on a fresh demo database with the clock frozen, drives it
with the same keys a rep would press, and saves Textual's SVG screenshot.

    python scripts/screenshots.py [--out screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from closedwon_tui.app.app import ClosedwonApp
from closedwon_tui.services.demo import frozen_demo
from closedwon_tui.storage.database import Database

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)

Steps = Callable[[Pilot], Awaitable[None]]


async def _keys(pilot: Pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


SHOTS: dict[str, tuple[tuple[int, int], Steps]] = {
    "board": ((120, 40), lambda p: _keys(p, "l", "l", "j")),
    "board-80x24": ((80, 24), lambda p: _keys(p, "l", "l")),
    "panel": ((120, 40), lambda p: _keys(p, "l", "l", "enter")),
    "history": ((120, 40), lambda p: _keys(p, "l", "l", "enter", "tab", "5")),
    "agenda": ((120, 40), lambda p: _keys(p, "a")),
    "celebration": ((120, 40), lambda p: _keys(p, "end", "h", "h", "h", "w")),
    "lost-reason": ((120, 40), lambda p: _keys(p, "l", "l", "x")),
    "reports": ((120, 40), lambda p: _keys(p, "r")),
    "help": ((120, 40), lambda p: _keys(p, "question_mark")),
    "filter": ((120, 40), lambda p: _keys(p, "slash", *"helios")),
}


async def shoot(name: str, size: tuple[int, int], steps: Steps, out: Path, folder: Path) -> Path:
    db = Database.open(f"sqlite:///{folder / (name + '.db')}")
    service = frozen_demo(db, NOW)  # the same demo, at the same moment, as the snapshot tests
    app = ClosedwonApp(service, celebrate=True)
    app.animation_level = "none"  # still frames: the same picture every time
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await steps(pilot)
        await pilot.pause(0.3)
        path = Path(app.save_screenshot(f"{name}.svg", str(out)))
    db.close()
    return path


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, (size, steps) in SHOTS.items():
            path = await shoot(name, size, steps, out, Path(folder))
            print(path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots")
    asyncio.run(main(parser.parse_args().out))
