"""`deal list --json` streams every deal with the C encoder: the same objects as one deal's JSON, and safe."""

from __future__ import annotations

import gc
import io
import json
import sys

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.cli.output import deal_json, print_json_batches, print_json_lines
from closedwon_tui.services import PipelineService
from closedwon_tui.storage.database import Database
from tests.conftest import PG_URL, REQUIRE_PG, FrozenClock, migrated_sqlite


def _listing(capsys, path, *args: str) -> tuple[str, list[dict]]:  # type: ignore[no-untyped-def]
    assert main(["--db", str(path), "deal", "list", "--json", *args]) == 0
    out = capsys.readouterr().out
    return out, json.loads(out)


def _pipeline(path, clock):  # type: ignore[no-untyped-def]
    db = Database.open(path if "://" in str(path) else f"sqlite:///{path}")
    service = PipelineService(db, clock=clock, actor="dana")
    clock.advance(seconds=1.25)  # times with microseconds, and without
    service.create_deal("Helios rollout", company="Helios", amount="10000.5", probability=33, owner="Dana",
                        close_date="2026-12-20", stage="Proposal", budget_ok=True, need_note="Sure")  # fmt: skip
    clock.advance(seconds=0.75)
    service.create_deal("Kyoto licences", amount="1200000", currency="JPY", owner="marcus", stage="Proposal")
    service.create_deal("No amount yet", owner="dana")
    won = service.create_deal("Orbital", amount="400", currency="EUR", owner="marcus").deal
    clock.advance(days=3, hours=5)
    service.mark_won(won.id)
    service.create_deal("Gulf deal", amount="12.345", currency="KWD", owner="marcus", stage="Proposal")
    clock.advance(days=2)
    return db, service


def test_every_listed_deal_is_the_deal_as_json_with_its_place_in_the_column(tmp_path, capsys, clock):
    path = tmp_path / "list.db"
    db, service = _pipeline(path, clock)
    deals = service.deals()
    db.close()
    _out, listed = _listing(capsys, path)
    assert [d["id"] for d in listed] == [d.id for d in deals]  # by column and position
    proposal = [d for d in listed if d["stage"] == "Proposal"]
    assert [d["position"] for d in proposal] == [0, 1, 2] and proposal[0]["title"] == "Gulf deal"
    for deal, data in zip(deals, listed):
        stage = service.stage(deal.stage_id)
        place = [d.id for d in deals if d.stage_id == deal.stage_id].index(deal.id)
        expected = deal_json(deal, stage, service.now(), pipeline=service.pipeline_of(stage).name, place=place)
        expected["days_in_stage"] = data["days_in_stage"]  # the CLI runs on the real clock
        assert data == expected
    kwd = next(d for d in listed if d["currency"] == "KWD")
    assert kwd["amount"] == "12.345" and kwd["weighted_amount"] == "7.407"


def test_the_database_writes_each_deal_as_deal_json_writes_it(db_url, clock):
    """Both databases write the listing's objects themselves: each is the deal's JSON, value for value."""
    from closedwon_tui.storage.deal_listing import deal_json_texts

    db, service = _pipeline(db_url, clock)
    deals = service.deals()
    with db.read() as repo:
        listed = [json.loads(text) for text in deal_json_texts(repo.connection, service.now())]
    db.close()
    assert len(listed) == len(deals) == 5
    for deal, data in zip(deals, listed):
        place = [d.id for d in deals if d.stage_id == deal.stage_id].index(deal.id)
        assert data == deal_json(
            deal,
            service.stage(deal.stage_id),
            service.now(),
            pipeline=service.pipeline_of(deal.stage_id).name,
            place=place,
        )
    helios = next(d for d in listed if d["title"] == "Helios rollout")
    assert helios["budget_ok"] is True and helios["created_at"].endswith(".250000+00:00")
    assert [d["created_at"][-14:] for d in listed if d["title"] == "Orbital"] == ["15:00:02+00:00"]  # no .000000


def test_an_owners_deals_keep_their_place_among_everyone_s(tmp_path, capsys, clock):
    path = tmp_path / "list.db"
    db, _service = _pipeline(path, clock)
    db.close()
    _out, listed = _listing(capsys, path, "--owner", "MARCUS")
    assert [(d["title"], d["position"]) for d in listed] == [
        ("Gulf deal", 0), ("Kyoto licences", 1), ("Orbital", 0),
    ]  # fmt: skip
    _out, listed = _listing(capsys, path, "--stage", "proposal")
    assert [d["title"] for d in listed] == ["Gulf deal", "Kyoto licences", "Helios rollout"]


def test_the_listing_is_one_object_per_line_and_escapes_what_could_drive_a_terminal(tmp_path, capsys, clock):
    path = tmp_path / "list.db"
    db = Database.open(f"sqlite:///{path}")
    service = PipelineService(db, clock=clock, actor="dana")
    service.create_deal("Co\x85 \x9b31m csi\x7f del", company="Acme")
    service.create_deal("Plain")
    db.close()
    out, listed = _listing(capsys, path)
    assert not any("\x7f" <= ch <= "\x9f" for ch in out)
    assert "\\u0085" in out and "\\u009b" in out and "\\u007f" in out
    assert listed[1]["title"] == "Co\x85 \x9b31m csi\x7f del"  # the text itself is kept
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 4


def test_the_program_keeps_its_objects_from_the_collector_and_a_call_with_arguments_does_not(
    tmp_path, capsys, clock, monkeypatch
):
    """Run as the `closedwon` program (no arguments given to `main`), a command freezes what it made
    for the garbage collector, which then walks none of it again, at exit either; a caller that
    goes on running (a test, a script) keeps a collector that sees everything."""
    path = tmp_path / "list.db"
    db, _service = _pipeline(path, clock)
    db.close()
    gc.unfreeze()
    out, _ = _listing(capsys, path)
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(sys, "argv", ["closedwon", "--db", str(path), "deal", "list", "--json"])
    try:
        assert main() == 0
        assert gc.get_freeze_count() > 0 and gc.isenabled()  # paused while it started, collecting again
    finally:
        gc.unfreeze()
    assert capsys.readouterr().out == out


def test_an_empty_listing_is_an_empty_array_and_long_ones_come_in_chunks():
    out = io.StringIO()
    print_json_lines([], out)
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    print_json_lines(({"n": n, "text": "é\x9f"} for n in range(4500)), out)
    assert json.loads(out.getvalue()) == [{"n": n, "text": "é\x9f"} for n in range(4500)]
    assert "\x9f" not in out.getvalue() and "é" in out.getvalue()


#: Stored text that JSON, COPY and a terminal each treat specially: quotes, backslashes (one, two,
#: one at the end), C0 controls and escape sequences, DEL and C1, letters beyond ASCII, an emoji,
#: bidi and line separators, and text shaped like the keys the listing itself looks for.
HOSTILE = ('Q"uote \\ back\\\\slash \n new\tline\r \x01\x1b[31m \x7f \x85\x9b é 🎉 漢字 \u202e rtl \u2028 '
           '"position":-1, "budget_ok":0 end\\')  # fmt: skip


def _same_deals(url: str, clock) -> tuple[Database, PipelineService]:  # type: ignore[no-untyped-def]
    db = Database.open(url)
    service = PipelineService(db, clock=clock, actor="dana")
    service.create_deal(HOSTILE, company=HOSTILE, owner=HOSTILE, need_note=HOSTILE, next_step=HOSTILE,
                        amount="10000.5", probability=33, close_date="2026-12-20", budget_ok=True)  # fmt: skip
    clock.advance(seconds=1.25)  # times with microseconds
    service.create_deal("Kyoto licences", amount="1200000", currency="JPY", owner="marcus", stage="Proposal")
    service.create_deal("No amount, no probability, no close date", owner="Dana")
    service.create_deal("Gulf deal", amount="12.345", currency="KWD", owner="marcus", stage="Proposal")
    service.create_deal("A cent", amount="0.01", currency="EUR", owner="dana", stage="Proposal", probability=50)
    won = service.create_deal("Orbital", amount="400", currency="GBP", owner="marcus").deal
    lost = service.create_deal("Drifted", amount="99.99", owner="dana").deal
    clock.advance(days=3, hours=5)
    service.mark_won(won.id)
    service.mark_lost(lost.id, "price", HOSTILE)
    clock.advance(days=2, minutes=7)
    return db, service


def _written(service: PipelineService, **options: str) -> str:
    out = io.StringIO()
    with service.deal_listing_json(**options) as batches:  # type: ignore[arg-type]
        print_json_batches(batches, out)
    return out.getvalue()


@pytest.mark.postgres
@pytest.mark.xdist_group("postgresql")
def test_sqlite_and_postgresql_write_the_same_listing_byte_for_byte(tmp_path, sqlite_template, request):
    """The same deals give the same bytes on both databases (each writes the objects its own way):
    hostile text escaped alike, amounts in currencies of 0, 2 and 3 decimals, missing values as null."""
    if not (PG_URL or REQUIRE_PG):
        pytest.skip("set CLOSEDWON_TEST_PG_URL to run against PostgreSQL")
    urls = {"sqlite": migrated_sqlite(sqlite_template, tmp_path / "same.db"),
            "postgresql": request.getfixturevalue("postgres_state").fresh()}  # fmt: skip
    written: dict[str, list[str]] = {}
    for name, url in urls.items():
        db, service = _same_deals(url, FrozenClock())
        written[name] = [_written(service), _written(service, owner="MARCUS"), _written(service, stage="proposal")]
        db.close()
    assert written["sqlite"] == written["postgresql"]
    everything = written["sqlite"][0]
    listed = json.loads(everything)
    assert len(listed) == 7 and len(everything.splitlines()) == 9  # one object per line
    hostile = next(d for d in listed if d["company"] == HOSTILE)
    assert hostile["title"] == hostile["owner"] == hostile["need_note"] == HOSTILE  # the text itself is kept
    assert not any("\x7f" <= ch <= "\x9f" or ch in "\u2028\u202e" for ch in everything)
    assert (hostile["amount"], hostile["weighted_amount"], hostile["budget_ok"]) == (
        "10000.50",
        "3300.16",
        True,
    )  # half to even
    assert [(d["amount"], d["probability"], d["close_date"], d["weighted_amount"]) for d in listed
            if d["title"].startswith("No amount")] == [(None, None, None, None)]  # fmt: skip
    assert {d["currency"]: d["amount"] for d in listed if d["currency"] in ("JPY", "KWD")} == {
        "JPY": "1200000", "KWD": "12.345"}  # fmt: skip
    assert next(d for d in listed if d["title"] == "Drifted")["lost_note"] == HOSTILE


@pytest.mark.parametrize("amount", [0, 1, 49, 50, 150, 250, 12_345, 10**17 - 1, 92233720368547757, 92233720368547758,
                                    10**18 - 50, 9_223_372_036_854_775_807])  # fmt: skip
def test_the_databases_weigh_an_amount_as_the_domain_does(db_url, amount):
    """The listing's weighted amount, in SQL: half to even, exact up to the largest 64-bit amount
    (the product taken whole up to `EXACT_PRODUCT`, the amount split above it)."""
    from sqlalchemy import BigInteger, Integer, literal, select

    from closedwon_tui.domain.rules import weighted_of
    from closedwon_tui.storage.sql_rules import weighted_minor

    db = Database.open(db_url)
    try:
        with db.read() as repo:
            for probability in (0, 1, 33, 50, 99, 100):
                query = select(weighted_minor(literal(amount, BigInteger), literal(probability, Integer)))
                assert repo.connection.scalar(query) == weighted_of(amount, probability), probability
    finally:
        db.close()
