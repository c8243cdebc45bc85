"""A listing's batches are fetched ahead by a thread: all of them in order, a failure raised where
they are read, and a reader that stops early (a closed pipe) stops the fetching and closes the cursor."""

from __future__ import annotations

import threading

import pytest

from closedwon_tui.storage import fetch_ahead


class _Cursor:
    def __init__(self, rows: list[str], fail_after: int | None) -> None:
        self.rows, self.fail_after, self.fetches, self.closed, self.sql = rows, fail_after, 0, False, ""
        self.itersize = 0

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def execute(self, sql: str) -> None:
        self.sql = sql

    def fetchmany(self, size: int) -> list[tuple[str]]:
        if self.fail_after is not None and self.fetches == self.fail_after:
            raise RuntimeError("the server went away")
        start = self.fetches * size
        self.fetches += 1
        return [(text,) for text in self.rows[start : start + size]]


class _Driver:
    def __init__(self, rows: list[str], fail_after: int | None = None) -> None:
        self.cursors: list[_Cursor] = []
        self.rows, self.fail_after = rows, fail_after

    def cursor(self, name: str) -> _Cursor:
        assert name == "listing"
        self.cursors.append(_Cursor(self.rows, self.fail_after))
        return self.cursors[-1]


ROWS = [f'{{"id":{n}}}' for n in range(25)]


def _fetchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "closedwon-listing-fetch"]


def test_every_batch_comes_in_order_and_the_cursor_is_closed():
    driver = _Driver(ROWS)
    got = list(fetch_ahead.batches(driver, "SELECT", name="listing", size=4))
    assert got == [ROWS[n : n + 4] for n in range(0, 25, 4)]
    assert driver.cursors[0].sql == "SELECT" and driver.cursors[0].closed and not _fetchers()


def test_a_failed_fetch_is_raised_where_the_batches_are_read():
    batches = fetch_ahead.batches(_Driver(ROWS, fail_after=2), "SELECT", name="listing", size=4)
    assert next(batches) == ROWS[:4] and next(batches) == ROWS[4:8]
    with pytest.raises(RuntimeError, match="went away"):
        next(batches)
    assert not _fetchers()


def test_a_reader_that_stops_early_stops_the_fetching():
    driver = _Driver(ROWS * 40)
    batches = fetch_ahead.batches(driver, "SELECT", name="listing", size=2)
    assert next(batches) == ROWS[:2]
    batches.close()  # as when the pipe closes: the thread is stopped and joined
    assert not _fetchers() and driver.cursors[0].closed
    assert driver.cursors[0].fetches < len(ROWS) * 20  # it did not fetch the rest
