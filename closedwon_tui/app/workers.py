"""The board session's runner: each write in a thread worker (the service is synchronous
SQLAlchemy), its outcome handed back on the app thread, so a write waiting on a locked or
slow database never freezes the screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from closedwon_tui.app.board.session import Outcome


class WorkerRunner:
    def __init__(self, node: DOMNode) -> None:
        self.node = node

    def __call__(self, work: Callable[[], Outcome], done: Callable[[Outcome], None]) -> None:
        app = self.node.app

        def run() -> None:
            outcome = work()  # a ClosedwonError comes back in the outcome; anything else is a bug and fails loudly
            try:
                app.call_from_thread(done, outcome)
            except RuntimeError:  # the app closed while the write ran: it is saved, nothing to show
                pass

        self.node.run_worker(run, thread=True, group="write", name="write", exit_on_error=True)
