"""Time keys on the board in-process, from the key to the app being idle with its repaint done.

No fixed sleeps: a key is posted as the terminal driver posts it, then the loop is polled
until every message queue is drained, the screen has nothing left to lay out or repaint,
its update timer is paused and no worker or board write is under way. Headless apps skip turning a repaint
into escape sequences; the probe does it anyway (and throws the text away), so that cost is
in every figure too.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections.abc import Iterator

from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.message_pump import MessagePump
from textual.worker import WorkerState

#: How often the clock looks again while only a worker thread runs (the selector wakes at once
#: when the thread's result is handed back, so this only bounds the lag of noticing it).
WORKER_POLL = 0.0002


def _pumps(app: App) -> Iterator[MessagePump]:
    yield app
    for screen in app.screen_stack:
        yield screen
        yield from screen.walk_children()


class _InFlight:
    """How many messages are being handled right now, in any message pump."""

    count = 0

    @classmethod
    def install(cls) -> None:
        if getattr(MessagePump, "_bench_counted", False):
            return
        dispatch = MessagePump._dispatch_message

        async def counted(self, message):  # type: ignore[no-untyped-def]
            cls.count += 1
            try:
                return await dispatch(self, message)
            finally:
                cls.count -= 1

        MessagePump._dispatch_message = counted  # type: ignore[method-assign]
        MessagePump._bench_counted = True  # type: ignore[attr-defined]


def _queue_busy(pump: MessagePump) -> bool:
    return not pump._message_queue.empty()


#: What keeps the app busy: its own work on the event loop, or only workers (a write in a thread).
LOOP, WORKERS = "loop", "workers"


def busy(app: App) -> str | None:
    if _InFlight.count or _queue_busy(app):
        return LOOP
    screen = app.screen
    if (screen._layout_required or screen._scroll_required or screen._repaint_required or screen._dirty_widgets
            or screen._recompose_required or screen._callbacks or _queue_busy(screen)):  # fmt: skip
        return LOOP
    if screen._update_timer._active.is_set():
        return LOOP
    if any(_queue_busy(pump) for pump in _pumps(app)):
        return LOOP
    if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        return WORKERS
    session = getattr(app.screen_stack[0], "session", None)
    if session is not None and session.busy:  # a write in the board's writer thread, or its outcome
        return WORKERS
    return None


def render_repaints(app: App) -> None:
    """Turn each repaint into escape sequences, as a real terminal driver would."""
    _InFlight.install()
    display = app._display

    def display_and_render(screen, renderable):  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(app.console)

    app._display = display_and_render  # type: ignore[method-assign]


async def idle(app: App, timeout: float = 60.0) -> float:
    """Wait until the app is idle twice in a row; returns when it became idle."""
    deadline = time.perf_counter() + timeout
    while True:
        await asyncio.sleep(0)
        if reason := busy(app):
            if time.perf_counter() > deadline:
                raise TimeoutError("the app did not become idle")
            if reason is WORKERS:
                # Only a worker is at work (a write in a thread): wait the way the app's loop waits,
                # in the selector, so the thread gets the GIL at once. Spinning here would hold it,
                # and the thread would get it back only every switch interval (5 ms): a convoy a
                # real terminal never sees.
                await asyncio.sleep(WORKER_POLL)
            continue
        moment = time.perf_counter()
        await asyncio.sleep(0)
        if not busy(app):
            return moment


def key_event(key: str) -> events.Key:
    """The event the terminal driver posts for `key` (as `Pilot.press` builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(app: App, key: str) -> float:
    """Seconds from posting `key` (as the driver does) to the app idle with the repaint done."""
    begun = time.perf_counter()
    event = key_event(key)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]
    return await idle(app) - begun


async def settle(app: App, seconds: float = 0.05) -> None:
    """Idle, then a short rest, so the next key starts from a quiet app."""
    await idle(app)
    await asyncio.sleep(seconds)
    await idle(app)


async def board_read(app: App, timeout: float = 120.0) -> None:
    """Until every card of the board is read (a big board reads the rest after its first frame:
    keys that need every card wait for it, so timing them before would time the read)."""
    from closedwon_tui.app.board.screen import BoardScreen

    screen = app.screen_stack[0]
    assert isinstance(screen, BoardScreen)
    deadline = asyncio.get_running_loop().time() + timeout
    while not screen.board_load.done:
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the board was never read whole")
        await asyncio.sleep(0.02)
    await settle(app, 0.3)
