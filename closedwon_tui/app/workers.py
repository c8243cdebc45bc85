"""The board session's runner: each write in the session's writer thread (the service is
synchronous SQLAlchemy), its outcome handed back on the app thread, so a write waiting on a
locked or slow database never freezes the screen.

The write is handed to the session's writer thread at once, and its outcome comes back as a plain
callback on the event loop (`call_soon_threadsafe`) the moment its statements have run: its commit
is held back meanwhile (`Outcome.land`), and the thread commits it while the app thread draws the
change (the flush to disk, 0.8 ms here, or a commit's round trip to a server, runs beside the
repaint rather than before it). Then `landed` says, on the event loop, whether the commit was saved.
Anything else that reads or writes the database waits for the commit (see `HeldCommit`). One thread, kept
for the session, runs the writes in the order they were asked for. A Textual worker awaiting the
thread cost every write an asyncio task and three state messages through the DOM, in the middle
of the key the rep is waiting for (0.3 to 0.9 ms of a move or an undo, run alternately with this).

A write still running when the rep quits finishes on its own (the interpreter waits for the writer
thread); its outcome has no loop to go back to and is dropped, as the screen it would draw is gone.
Anything but a `ClosedwonError` (which comes back in the outcome) is a bug: it fails loudly, through
a worker that raises it so that Textual stops the app and shows the traceback.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from textual.dom import DOMNode

from closedwon_tui.app.board.writes import Outcome
from closedwon_tui.domain.errors import ClosedwonError


class WorkerRunner:
    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="closedwon-write")

    def __call__(
        self,
        work: Callable[[], Outcome],
        done: Callable[[Outcome], None],
        landed: Callable[[ClosedwonError | None], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        app_context = contextvars.copy_context()  # the app's (Textual finds its active app there)

        def hand_back(callback: Callable[..., None], *args: object) -> None:  # in the writer thread
            try:
                loop.call_soon_threadsafe(callback, *args, context=app_context)
            except RuntimeError:  # the loop is closed: the app has quit, the write itself is saved
                pass

        def write() -> None:  # in the writer thread
            try:
                outcome = work()
            except BaseException as bug:  # noqa: BLE001 - re-raised in a worker, which stops the app
                hand_back(self._fail, bug)
                return
            hand_back(done, outcome)
            try:
                error = outcome.land()
            except BaseException as bug:  # noqa: BLE001
                hand_back(self._fail, bug)
                return
            hand_back(landed, error)

        self._thread.submit(write)

    def _fail(self, bug: BaseException) -> None:
        self.node.run_worker(_raise(bug), group="write", name="write", exit_on_error=True)


async def _raise(error: BaseException) -> None:
    raise error
