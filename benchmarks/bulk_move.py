"""A bulk move on the board: 500 marked cards moved one stage on with `L`, against one card moved
with `L`; timed from the key to the app idle with its repaint done (issue 14).

Opens the board in-process (headless, 160x50) on a copy of a seeded database and repeats rounds
of: a single move `L` and its undo `u`, then 500 cards of the fullest open column marked (not
timed: as `space` or `*` would mark them), the bulk `L` and its undo `u`. It also counts what the
bulk move cost the board: the write transactions (service calls) and the repaints (the session's
`show_change`), each of which must be one.

    python benchmarks/bulk_move.py [--deals 10000] [--marked 500] [--rounds 5] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from _common import SIZE, Figure, ratio
from _keys import board_read, press, render_repaints, settle
from _seed import writable

MARKED = 500


async def bulk_keys(url: str, rounds: int, marked: int = MARKED) -> tuple[dict[str, Figure], dict[str, list[int]]]:
    """The timed keys, and per bulk move the number of write transactions and repaints it took."""
    from closedwon_tui.app.app import ClosedwonApp
    from closedwon_tui.app.board.screen import BoardScreen
    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage.database import Database

    db = Database.open(url)
    figures = {name: Figure(name) for name in ("cursor key", "move L", "undo u", f"bulk move L ({marked})",
                                                f"bulk undo u ({marked})")}  # fmt: skip
    counts: dict[str, list[int]] = {"transactions": [], "repaints": []}
    try:
        service = PipelineService(db)
        writes = [0]
        begin = db.write

        def counted_write(*args: Any, **kwargs: Any) -> Any:
            writes[0] += 1
            return begin(*args, **kwargs)

        db.write = counted_write  # type: ignore[method-assign]
        app = ClosedwonApp(service, celebrate=False)
        async with app.run_test(headless=True, size=SIZE, notifications=True):  # toasts are drawn too
            render_repaints(app)
            await settle(app, 0.3)
            await board_read(app)
            screen = app.screen
            assert isinstance(screen, BoardScreen)
            repaints = [0]
            show = screen.view.show_change  # the session's view draws each change

            def counted_show(*args: Any, **kwargs: Any) -> None:
                repaints[0] += 1
                show(*args, **kwargs)

            screen.view.show_change = counted_show  # type: ignore[method-assign]
            model = screen.model
            open_stages = [s for s in model.stages[:-3] if s.is_open]  # `L` keeps them open
            fullest = max(open_stages, key=lambda s: len(model.visible(s.id)))
            screen.select_deal(model.visible(fullest.id)[0].id)  # focus that column
            await settle(app)
            for n in range(rounds):
                figures["cursor key"].add(await press(app, "j" if n % 2 else "k"))
                await settle(app)
                figures["move L"].add(await press(app, "L"))
                await settle(app)
                figures["undo u"].add(await press(app, "u"))
                await settle(app)
                screen.marks.add(card.id for card in screen.model.visible(fullest.id)[:marked])
                await settle(app)
                writes[0] = repaints[0] = 0
                figures[f"bulk move L ({marked})"].add(await press(app, "L"))
                await settle(app)
                counts["transactions"].append(writes[0])
                counts["repaints"].append(repaints[0])
                figures[f"bulk undo u ({marked})"].add(await press(app, "u"))
                await settle(app)
    finally:
        db.close()
    return figures, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--marked", type=int, default=MARKED)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", help="a PostgreSQL URL to seed and use instead of SQLite ({n}: the size)")
    args = parser.parse_args()
    with writable(args.deals, args.db) as url:
        figures, counts = asyncio.run(bulk_keys(url, args.rounds, args.marked))
    print(f"{args.deals:,} deals, {args.rounds} rounds: key to idle with the repaint done (median, min, max)")
    single, undo = figures["move L"], figures["undo u"]
    for name, figure in figures.items():
        against = ""
        if name.startswith("bulk move"):
            against = f"{ratio(figure, single)} a single move L"
        elif name.startswith("bulk undo"):
            against = f"{ratio(figure, undo)} a single undo u"
        print(f"  {name:<24} {figure.span()}   {against}")
    print(f"  per bulk move: {counts['transactions']} write transactions, {counts['repaints']} repaints")


if __name__ == "__main__":
    main()
