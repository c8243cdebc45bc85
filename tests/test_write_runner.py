"""The board's writes run in the session's writer thread and land back on the app thread: in order,
with the app at hand, a bug failing loudly, and an outcome with no app left to land in dropped."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest
from textual.app import App, active_app
from textual.worker import WorkerFailed

from closedwon_tui.app.board.writes import Outcome
from closedwon_tui.app.workers import WorkerRunner


class Host(App[None]):
    pass


def on_main() -> bool:
    return threading.current_thread() is threading.main_thread()


async def test_each_outcome_lands_on_the_app_thread_in_the_order_the_writes_were_asked_for():
    app = Host()
    landed: list[tuple[int, bool, App[None]]] = []
    ran_in: list[str] = []

    def work(n: int) -> Outcome:
        ran_in.append(threading.current_thread().name)
        time.sleep(0.01 if n == 0 else 0)  # the first write is the slowest: it still lands first
        return Outcome(detail=None)

    async with app.run_test() as pilot:
        runner = WorkerRunner(app.screen)
        for n in range(3):
            runner(lambda n=n: work(n), lambda _o, n=n: landed.append((n, on_main(), active_app.get())))
        for _ in range(200):
            if len(landed) == 3:
                break
            await pilot.pause(0.01)
    assert [n for n, _, _ in landed] == [0, 1, 2]
    assert all(on_main for _, on_main, _ in landed)
    assert all(found is app for _, _, found in landed)  # Textual finds its app (notify, query) there
    assert all(name.startswith("closedwon-write") for name in ran_in)


async def test_a_write_that_raises_anything_but_a_closedwon_error_stops_the_app_with_the_error():
    app = Host()
    landed: list[Outcome] = []

    def broken() -> Outcome:
        raise ZeroDivisionError("a bug in a write")

    with pytest.raises(WorkerFailed) as failed:
        async with app.run_test() as pilot:
            WorkerRunner(app.screen)(broken, landed.append)
            for _ in range(200):
                if app._exit_renderables or not app.is_running:
                    break
                await pilot.pause(0.01)
    assert isinstance(failed.value.error, ZeroDivisionError)  # the bug itself, with its traceback
    assert landed == []
    assert app.return_code == 1


def test_a_write_that_ends_after_the_app_has_gone_is_saved_and_its_outcome_dropped_quietly(capfd, caplog):
    release = threading.Event()
    finished = threading.Event()
    landed: list[Outcome] = []

    def slow() -> Outcome:
        release.wait(5)
        finished.set()
        return Outcome()

    class Node:  # what the runner needs of a node before anything fails
        pass

    async def quit_while_writing() -> WorkerRunner:
        runner = WorkerRunner(Node())  # type: ignore[arg-type]
        runner(slow, landed.append)
        return runner

    loop = asyncio.new_event_loop()
    runner = loop.run_until_complete(quit_while_writing())
    loop.close()  # the rep quit: the loop is gone, the write goes on
    release.set()
    runner._thread.shutdown(wait=True)
    assert finished.is_set()
    assert landed == []
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # "exception calling callback"
