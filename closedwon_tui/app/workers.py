"""The board session's runner: each write in the session's writer thread (the service is
synchronous SQLAlchemy), its outcome handed back on the app thread, so a write waiting on a
locked or slow database never freezes the screen.

One async worker per write awaits the thread's result: a write still running when the rep
quits finishes on its own (the interpreter waits for the writer thread) and nothing waits for
an event loop that has stopped. One thread, kept for the session, runs the writes in the order
they were asked for; starting a thread worker and a second worker to await it cost the key
that asked for the write several messages on the app's queue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from textual.dom import DOMNode

from closedwon_tui.app.board.writes import Outcome


class WorkerRunner:
    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="closedwon-write")

    def __call__(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        # A ClosedwonError comes back in the outcome; anything else is a bug and fails loudly.
        self.node.run_worker(self._write(work, done), group="write", name="write", exit_on_error=True)

    async def _write(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        done(await asyncio.get_running_loop().run_in_executor(self._thread, work))
