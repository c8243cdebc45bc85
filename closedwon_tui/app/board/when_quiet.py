"""Work the board does ahead of time once it has been still for a moment: in steps, run as plain
callbacks on the event loop in slices of under a millisecond, so that a key pressed meanwhile
waits one slice at most. Any change stops what is under way and starts it again once the board is
quiet. What is done ahead is the subclass's `steps` (see `drawing_ahead`, `panel_ahead`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

#: How long the board stays unchanged before work ahead starts (keys faster than this, a held
#: arrow or a filter typed in a burst, start nothing until they stop).
QUIET = 0.02
#: How long one slice runs before the loop does whatever else waits (a key).
SLICE = 0.0008


class WhenQuiet:
    def __init__(self) -> None:
        self._changed_at = 0.0
        self._timer: asyncio.TimerHandle | None = None  # waiting for the board to be quiet
        self._next_slice: asyncio.Handle | None = None
        self._steps: Iterator[None] | None = None
        #: False: nothing is done ahead unless asked (`run_all`: tests).
        self.enabled = True

    def steps(self) -> Iterator[None]:
        """The work, yielding between steps (a step is never cut: a slice ends after the step that
        crosses its time)."""
        raise NotImplementedError

    @property
    def busy(self) -> bool:
        """Whether the work waits to start or is under way."""
        return self._timer is not None or self._next_slice is not None

    @property
    def under_way(self) -> bool:
        """Whether the work has begun and not ended."""
        return self._steps is not None

    def changed(self) -> None:
        """The board changed: what was under way stops, and starts again once the board is quiet."""
        self._steps = None
        if self._next_slice is not None:
            self._next_slice.cancel()
            self._next_slice = None
        if not self.enabled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (drawn outside the app): nothing to schedule
            return
        self._changed_at = loop.time()
        if self._timer is None:  # one timer for a burst of changes: it looks again when it fires
            self._timer = loop.call_at(self._changed_at + QUIET, self._when_quiet)

    def stop(self) -> None:
        self._steps = None
        for handle in (self._timer, self._next_slice):
            if handle is not None:
                handle.cancel()
        self._timer = self._next_slice = None

    def _when_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        quiet_from = self._changed_at + QUIET
        if loop.time() < quiet_from:  # changed since the timer was set
            self._timer = loop.call_at(quiet_from, self._when_quiet)
            return
        self._timer = None
        if self.enabled:
            self._steps = self.steps()
            self._slice()

    def _slice(self) -> None:
        self._next_slice = None
        steps = self._steps
        if steps is None:
            return
        deadline = time.perf_counter() + SLICE
        for _ in steps:
            if self._steps is not steps:  # a change meanwhile: it starts again later
                return
            if time.perf_counter() >= deadline:
                self._next_slice = asyncio.get_running_loop().call_soon(self._slice)
                return
        if self._steps is steps:
            self._steps = None

    def run_all(self) -> None:
        """Do it now, whole (tests)."""
        self.stop()
        for _ in self.steps():
            pass
