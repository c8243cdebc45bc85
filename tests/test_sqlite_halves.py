"""A big SQLite listing is read in two halves at once, the second by a forked process: the same
bytes as one pass, from one snapshot of the database, and one pass again when anything goes wrong."""

from __future__ import annotations

import gc
import io
import os
import sqlite3
import sys
import threading

import pytest

from closedwon_tui.cli.output import print_json_batches
from closedwon_tui.services import PipelineService
from closedwon_tui.storage import deal_listing
from closedwon_tui.storage import sqlite_halves as halves
from closedwon_tui.storage.database import Database
from tests.conftest import FrozenClock, migrated_sqlite
from tests.test_cli_listing import HOSTILE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the listing is read in halves only on Linux")


def _pipeline(url: str) -> PipelineService:
    """Eleven deals, six of them in Proposal, so the middle row falls inside a column."""
    service = PipelineService(Database.open(url), clock=FrozenClock(), actor="dana")
    service.create_deal(HOSTILE, company=HOSTILE, next_step=HOSTILE, amount="10000.5", probability=33,
                        close_date="2026-12-20", budget_ok=True)  # fmt: skip
    for n in range(6):
        service.clock.advance(seconds=1.25)  # type: ignore[attr-defined]
        service.create_deal(f"Proposal {n} é", amount=f"{n}00.01", currency="KWD" if n % 2 else "EUR",
                            stage="Proposal", owner="marcus")  # fmt: skip
    for n in range(4):
        service.create_deal(f"Lead {n}", amount="12", currency="JPY")
    won = service.create_deal("Orbital", amount="400", currency="GBP").deal
    service.mark_won(won.id)
    return service


def _written(service: PipelineService, **options: str) -> str:
    out = io.StringIO()
    with service.deal_listing_json(**options) as batches:  # type: ignore[arg-type]
        print_json_batches(batches, out)
    return out.getvalue()


@pytest.fixture
def service(tmp_path, sqlite_template):  # type: ignore[no-untyped-def]
    service = _pipeline(migrated_sqlite(sqlite_template, tmp_path / "halves.db"))
    yield service
    service.db.close()


@pytest.fixture
def halved(monkeypatch):  # type: ignore[no-untyped-def]
    """Every listing split (not only those of more than 20,000 deals); the list says how each went."""
    taken: list[bool] = []
    read_halves = halves.read_halves

    def spy(*args):  # type: ignore[no-untyped-def]
        listed = read_halves(*args)
        taken.append(listed is not None)
        return listed

    monkeypatch.setattr(deal_listing, "SPLIT_OVER", 0)
    monkeypatch.setattr(halves, "a_core_to_spare", lambda: True)  # however busy the machine running the tests
    monkeypatch.setattr(halves, "only_thread", lambda: True)  # whatever threads earlier tests left behind
    monkeypatch.setattr(halves, "read_halves", spy)
    return taken


def _one_pass(service: PipelineService, monkeypatch, **options: str) -> str:  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        m.setattr(halves, "can_fork", lambda: False)
        return _written(service, **options)


def test_the_two_halves_write_the_same_bytes_as_one_pass(service, halved, monkeypatch):
    for options in ({}, {"stage": "proposal"}, {"pipeline": "Sales"}):
        expected = _one_pass(service, monkeypatch, **options)
        assert _written(service, **options) == expected
    assert halved == [True, True, True]
    listed = _written(service, stage="proposal")
    assert [line.split('"position":')[1].split(",")[0] for line in listed.splitlines()[1:-1]] == [
        str(n) for n in range(6)
    ]  # the places go on across the halves, inside the column


def test_a_listing_in_halves_leaves_what_the_command_line_froze_frozen(service, halved, monkeypatch):
    """The `closedwon` program freezes its objects for the collector (cli/command_line.py); the fork's own
    freeze and thaw must not thaw them."""
    expected = _one_pass(service, monkeypatch)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert _written(service) == expected and halved == [True]
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_a_commit_between_the_split_and_the_halves_reads_the_listing_in_one_pass(service, halved, monkeypatch):
    find_split = halves.find_split

    def then_a_colleague_adds_a_deal(*args):  # type: ignore[no-untyped-def]
        found = find_split(*args)
        service.create_deal("Added meanwhile", stage="Proposal")
        return found

    monkeypatch.setattr(halves, "find_split", then_a_colleague_adds_a_deal)
    listed = _written(service)
    assert halved == [False]
    monkeypatch.setattr(halves, "find_split", find_split)
    assert listed == _one_pass(service, monkeypatch)
    assert listed.count("Added meanwhile") == 1


def test_the_snapshot_check_sees_a_commit_by_another_connection(service):
    """What the split relies on: data_version changes between two read transactions of one
    connection when, and only when, another connection committed in between."""
    with service.db.engine.connect() as connection:
        connect = halves.connector(connection)
    assert connect is not None
    reader = halves.open_reader(connect, 0)
    versions = [reader.execute("PRAGMA data_version").fetchone()[0] for _ in range(2)]
    service.create_deal("A colleague's deal")
    versions.append(reader.execute("PRAGMA data_version").fetchone()[0])
    reader.close()
    assert versions[0] == versions[1] != versions[2]


@pytest.mark.parametrize("when", ["before its read starts", "in the middle of its half"])
def test_a_child_that_fails_leaves_the_listing_whole(service, halved, monkeypatch, when):
    parent = os.getpid()
    expected = _one_pass(service, monkeypatch)
    if when == "before its read starts":
        open_reader = halves.open_reader

        def failing_reader(*args):  # type: ignore[no-untyped-def]
            if os.getpid() != parent:
                raise sqlite3.OperationalError("disk I/O error")
            return open_reader(*args)

        monkeypatch.setattr(halves, "open_reader", failing_reader)
    else:
        numbered = deal_listing._numbered

        def failing_numbered(batches, stage, place):  # type: ignore[no-untyped-def]
            for batch in numbered(batches, stage, place):
                if os.getpid() != parent:
                    raise MemoryError
                yield batch

        monkeypatch.setattr(deal_listing, "_numbered", failing_numbered)
    assert _written(service) == expected
    assert halved == [when != "before its read starts"]


def test_a_listing_in_memory_with_other_threads_or_no_core_to_spare_is_read_in_one_pass(service, monkeypatch):
    taken: list[bool] = []
    monkeypatch.setattr(deal_listing, "SPLIT_OVER", 0)
    monkeypatch.setattr(halves, "a_core_to_spare", lambda: True)
    monkeypatch.setattr(halves, "read_halves", lambda *args: taken.append(True))
    in_memory = _pipeline("sqlite://")
    assert '"Lead 3"' in _written(in_memory)
    in_memory.db.close()
    with monkeypatch.context() as busy:
        busy.setattr(halves, "a_core_to_spare", lambda: False)
        assert '"Lead 3"' in _written(service)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert '"Lead 3"' in _written(service)  # a fork would copy the other thread's locks, not the thread
    finally:
        release.set()
        other.join()
    assert taken == []
