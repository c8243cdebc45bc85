"""The board session's runner: each write in a thread worker (the service is synchronous
SQLAlchemy), its outcome handed back on the app thread, so a write waiting on a locked or
slow database never freezes the screen.

The outcome comes back through an async worker that awaits the thread worker, rather than
`call_from_thread`: a write still running when the rep quits finishes on its own (the app
waits for its threads) and nothing waits for an event loop that has stopped.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.worker import Worker

from closedwon_tui.app.board.writes import Outcome


class WorkerRunner:
    def __init__(self, node: DOMNode) -> None:
        self.node = node

    def __call__(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        # A ClosedwonError comes back in the outcome; anything else is a bug and fails loudly.
        writing = self.node.run_worker(work, thread=True, group="write", name="write", exit_on_error=True)
        self.node.run_worker(self._hand_back(writing, done), group="write-done", exit_on_error=True)

    @staticmethod
    async def _hand_back(writing: Worker[Outcome], done: Callable[[Outcome], None]) -> None:
        done(await writing.wait())
