"""A big PostgreSQL listing is written by two backends at once: the same bytes as one pass, both
halves in one snapshot, and the first connection reads the second half when the other fails."""

from __future__ import annotations

import pytest

from closedwon_tui.services import PipelineService
from closedwon_tui.storage import deal_listing
from closedwon_tui.storage import postgresql_halves as halves
from tests.conftest import PG_URL, REQUIRE_PG
from tests.test_sqlite_halves import _pipeline, _written

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("postgresql")]


@pytest.fixture
def service(request):  # type: ignore[no-untyped-def]
    if not (PG_URL or REQUIRE_PG):
        pytest.skip("set CLOSEDWON_TEST_PG_URL to run against PostgreSQL")
    service = _pipeline(request.getfixturevalue("postgres_state").fresh())
    yield service
    service.db.close()


@pytest.fixture
def halved(monkeypatch):  # type: ignore[no-untyped-def]
    """Every listing split (not only those of more than 20,000 deals); the list holds each second half."""
    started: list[halves.SecondHalf] = []
    start = halves.SecondHalf.start

    def spy(self):  # type: ignore[no-untyped-def]
        started.append(self)
        start(self)

    monkeypatch.setattr(deal_listing, "SPLIT_OVER", 0)
    monkeypatch.setattr(halves.SecondHalf, "start", spy)
    return started


def _one_pass(service: PipelineService, monkeypatch, **options: str) -> str:  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        m.setattr(deal_listing, "SPLIT_OVER", 10**9)
        return _written(service, **options)


def test_the_two_halves_write_the_same_bytes_as_one_pass(service, halved, monkeypatch):
    for options in ({}, {"stage": "proposal"}, {"pipeline": "Sales"}):
        expected = _one_pass(service, monkeypatch, **options)
        assert _written(service, **options) == expected
    assert len(halved) == 3 and all(half.failed is None and half.batches for half in halved)
    listed = _written(service, stage="proposal")
    assert [line.split('"position":')[1].split(",")[0] for line in listed.splitlines()[1:-1]] == [
        str(n) for n in range(6)
    ]  # the places go on across the halves, inside the column


def test_both_halves_see_the_database_as_it_was_when_the_listing_began(service, halved, monkeypatch):
    expected = _one_pass(service, monkeypatch)
    run = halves.SecondHalf.run

    def after_a_colleague_adds_a_deal(self):  # type: ignore[no-untyped-def]
        service.create_deal("Added meanwhile", stage="Negotiation")  # after the split: the second half
        run(self)

    monkeypatch.setattr(halves.SecondHalf, "run", after_a_colleague_adds_a_deal)
    assert _written(service) == expected
    assert "Added meanwhile" in _one_pass(service, monkeypatch)


def test_when_the_second_connection_fails_the_first_reads_its_half(service, halved, monkeypatch):
    expected = _one_pass(service, monkeypatch)
    run = halves.SecondHalf.run

    def with_a_snapshot_the_server_does_not_know(self):  # type: ignore[no-untyped-def]
        self.snapshot = "00000003-0000001B-1"
        run(self)

    monkeypatch.setattr(halves.SecondHalf, "run", with_a_snapshot_the_server_does_not_know)
    listed = _written(service)
    assert halved and halved[0].failed is not None
    assert listed == expected
