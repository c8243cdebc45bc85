"""A server-side cursor's batches fetched ahead by a thread, while the caller writes out the last.

A PostgreSQL backend writes a cursor's rows only when a FETCH asks for them: fetched and written
out in turn, the server waits while closedwon writes a batch out, and closedwon waits while the
server writes the next. A thread that fetches into a short queue keeps both at work (the driver
lets go of the GIL while it waits for the server). The caller uses the connection for nothing
else until the batches are done; stopping early (a closed pipe) stops the thread too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any

#: Batches fetched ahead of the one being written out.
AHEAD = 2
_END = object()


def batches(driver: Any, sql: str, *, name: str, size: int) -> Iterator[list[str]]:
    """The text of the query's one column, `size` rows a batch, from a server-side cursor `name`."""
    handed: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            with driver.cursor(name=name) as cursor:
                cursor.itersize = size
                cursor.execute(sql)
                while batch := cursor.fetchmany(size):
                    if not hand([text for (text,) in batch]):
                        return
            hand(_END)
        except BaseException as exc:  # raised again where the batches are read
            hand(exc)

    fetcher = threading.Thread(target=fetch, name="closedwon-listing-fetch", daemon=True)
    fetcher.start()
    try:
        while (item := handed.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        fetcher.join()
