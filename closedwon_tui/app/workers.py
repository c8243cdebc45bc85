"""The board session's runner: each write in the session's writer thread (the service is
synchronous SQLAlchemy), its outcome handed back on the app thread, so a write waiting on a
locked or slow database never freezes the screen.

The write is handed to the session's writer thread at once, and one async worker awaits its
result: a write still running when the rep quits finishes on its own (the interpreter waits
for the writer thread) and nothing waits for an event loop that has stopped. One thread, kept
for the session, runs the writes in the order they were asked for; starting a thread worker
and a second worker to await it cost the key that asked for the write several messages on the
app's queue before the write began.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from textual.dom import DOMNode

from closedwon_tui.app.board.writes import Outcome


class WorkerRunner:
    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="closedwon-write")

    def __call__(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        writing = self._thread.submit(work)  # under way at once, not once the worker below starts
        # A ClosedwonError comes back in the outcome; anything else is a bug and fails loudly.
        self.node.run_worker(self._hand_back(writing, done), group="write", name="write", exit_on_error=True)

    @staticmethod
    async def _hand_back(writing: Future[Outcome], done: Callable[[Outcome], None]) -> None:
        done(await asyncio.wrap_future(writing))
