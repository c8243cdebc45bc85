"""The board session's runner: each write in the session's writer thread (the service is
synchronous SQLAlchemy), its outcome handed back on the app thread, so a write waiting on a
locked or slow database never freezes the screen.

The write is handed to the session's writer thread at once, and its outcome comes back as a plain
callback on the event loop (`call_soon_threadsafe`) the moment the thread is done. One thread, kept
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
from concurrent.futures import Future, ThreadPoolExecutor

from textual.dom import DOMNode

from closedwon_tui.app.board.writes import Outcome


class WorkerRunner:
    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="closedwon-write")

    def __call__(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        loop = asyncio.get_running_loop()
        app_context = contextvars.copy_context()  # the app's (Textual finds its active app there)

        def hand_back(writing: Future[Outcome]) -> None:  # in the writer thread
            try:
                loop.call_soon_threadsafe(self._land, writing, done, context=app_context)
            except RuntimeError:  # the loop is closed: the app has quit, the write itself is saved
                pass

        self._thread.submit(work).add_done_callback(hand_back)

    def _land(self, writing: Future[Outcome], done: Callable[[Outcome], None]) -> None:
        try:
            outcome = writing.result()
        except BaseException as bug:  # noqa: BLE001 - re-raised in a worker, which stops the app
            self.node.run_worker(_raise(bug), group="write", name="write", exit_on_error=True)
            return
        done(outcome)


async def _raise(error: BaseException) -> None:
    raise error
