"""Importing each CRM's export through the service, checked in the database row by row."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from closedwon_tui.domain.models import EventKind, StageKind
from closedwon_tui.domain.replay import stage_path
from closedwon_tui.domain.timeline import describe_event, stage_stays
from closedwon_tui.services.import_summary import ImportRefused
from closedwon_tui.storage.imports import ImportStore
from tests.dbstate import assert_ordered, dump_tables
from tests.import_helpers import by_title, fixture, request, stage_names, write

UTC = UTC
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_a_pipedrive_export_becomes_deals_field_by_field(service):
    summary = service.import_file(request("pipedrive_deals.csv"))
    assert (summary.created, summary.updated, summary.skipped, summary.errors) == (4, 0, 1, [])
    assert summary.left_out == [(6, "deleted in Pipedrive")]
    deals = by_title(service)
    assert set(deals) == {"Helios platform rollout", "Orbital fleet analytics, phase 2", "Northwind inventory sync",
                          "Bluefin risk dashboard"}  # fmt: skip
    helios = deals["Helios platform rollout"]
    assert (helios.company, helios.contact_name, helios.owner) == ("Helios Energy", "Mara Lindqvist", "Dana Reyes")
    assert (helios.amount, helios.currency, helios.probability) == (Decimal("42000.00"), "USD", 60)
    assert service.stage(helios.stage_id).name == "Proposal"
    assert helios.close_date == date(2026, 12, 15)
    assert helios.created_at == datetime(2026, 9, 1, 10, 15, tzinfo=UTC)
    assert helios.stage_entered_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert helios.last_activity_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert (helios.closed_at, helios.lost_reason, helios.version) == (None, "", 1)

    orbital = deals["Orbital fleet analytics, phase 2"]  # Negotiations Started, but its status is Won
    assert service.stage(orbital.stage_id).kind is StageKind.WON
    assert (orbital.amount, orbital.currency) == (Decimal("12400.50"), "EUR")
    assert orbital.closed_at == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    northwind = deals["Northwind inventory sync"]
    assert service.stage(northwind.stage_id).kind is StageKind.LOST
    assert northwind.lost_reason == 'Went with a cheaper tool\n(they said "half the price")'
    assert northwind.closed_at == datetime(2026, 10, 5, 12, 0, tzinfo=UTC)

    bluefin = deals["Bluefin risk dashboard"]
    assert (bluefin.amount, bluefin.contact_name, service.stage(bluefin.stage_id).name) == (None, "", "Qualification")
    assert bluefin.stage_entered_at == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    assert "Copperleaf scheduling" not in deals  # deleted in Pipedrive

    with service.db.read() as repo:
        origins = ImportStore(repo).origins([d.id for d in deals.values()])
    assert sorted(origins.values()) == [("pipedrive", "1042"), ("pipedrive", "1043"), ("pipedrive", "1044"),
                                        ("pipedrive", "1045")]  # fmt: skip


def test_an_imported_deals_history_starts_with_the_import_naming_file_source_and_stage(service):
    batch = service.import_file(request("pipedrive_deals.csv")).batch
    deal = by_title(service)["Helios platform rollout"]
    detail = service.deal_detail(deal.id)
    first = detail.history[0]
    assert len(detail.history) == 1
    assert (first.kind, first.at, first.actor, first.to_stage_id) == (EventKind.IMPORTED, NOW, "dana", deal.stage_id)
    assert first.details["batch"] == batch and first.details["file"] == "pipedrive_deals.csv"
    assert first.details["source"] == "pipedrive" and first.details["record_id"] == "1042"
    assert describe_event(first, {}) == "imported from Pipedrive (pipedrive_deals.csv, row 2) into Proposal"
    assert first.details["source_stage"] == "Proposal Made"
    # its time in Proposal counts from when Pipedrive says it got there, as the card's days do
    stays = stage_stays(detail.history, {s.id: s.name for s in service.stages()}, NOW)
    assert [(s.stage_name, s.start) for s in stays] == [("Proposal", datetime(2026, 11, 2, 9, 0, tzinfo=UTC))]
    assert stage_path(detail.history) == [(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), deal.stage_id)]
    # Pipedrive's next activity becomes a follow-up in the agenda
    assert [(f.due, f.has_time, f.note) for f in detail.followups] == [
        (datetime(2026, 12, 3), False, "Next activity (from Pipedrive)")
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pipedrive_plain.csv", {"Vantage POS upgrade": ("Outreach", "18750.00", "USD", date(2026, 12, 31)),
                                 "Granite data warehouse": ("Negotiation", "65000.00", "USD", date(2027, 1, 15))}),
        ("pipedrive_european.csv", {"Redwood Studienverfolgung": ("Proposal", "9500.00", "EUR", date(2026, 10, 1)),
                                    "Falcon Händlernetz": ("Qualification", "42000.00", "EUR", date(2026, 11, 15)),
                                    "Cobalt Sicherheit": ("Closed Won", "1250.50", "EUR", date(2026, 9, 30))}),
        ("hubspot_deals.csv", {"Lumen ad reporting": ("Analysis", "24000.00", "USD", date(2026, 12, 20)),
                               "Keystone claims portal": ("Closed Won", "90000.00", "USD", date(2026, 10, 30)),
                               "Polar route planner": ("Outreach", None, "USD", None),
                               "Summit supplier portal": ("Closed Lost", "32500.00", "USD", date(2026, 9, 28))}),
        ("salesforce_api.csv", {"Atlas support renewal": ("Analysis", "48250.00", "USD", date(2026, 12, 31)),
                                "Riverbend campus licences": ("Closed Won", "125000.00", "USD", date(2026, 10, 15)),
                                "Crescent booking engine": ("Closed Lost", "65000.00", "USD", date(2026, 9, 1))}),
        ("salesforce_upper.csv", {"Ironclad SOC integration": ("Outreach", "4800.00", "GBP", date(2027, 2, 1)),
                                  "Meridian compliance suite": ("Analysis", "1500000", "JPY", date(2027, 3, 31))}),
        ("salesforce_report.csv", {"Tidewater telemetry pilot": ("Analysis", "9500.00", "USD", date(2026, 12, 20)),
                                   "Evergreen yield analytics": ("Closed Won", "18750.00", "USD", date(2026, 9, 14))}),
        ("zoho_deals.csv", {"Quasar player insights": ("Analysis", "32500.00", "USD", date(2027, 1, 20)),
                            "Sterling document review": ("Closed Lost", "12000.00", "USD", date(2026, 10, 10)),
                            "Nimbus crew rostering": ("Analysis", "90000.00", "USD", date(2027, 2, 28))}),
    ],
)  # fmt: skip
def test_every_sources_export_imports_to_the_right_deals(service, name, expected):
    summary = service.import_file(request(name))
    assert (summary.created, summary.errors) == (len(expected), [])
    found = {
        d.title: (service.stage(d.stage_id).name, None if d.amount is None else str(d.amount), d.currency, d.close_date)
        for d in service.deals()
    }
    assert found == expected
    assert_ordered(service)


def test_closed_deals_keep_their_close_time_and_lost_reason(service):
    service.import_file(request("salesforce_api.csv"))
    service.import_file(request("zoho_deals.csv"))
    deals = by_title(service)
    riverbend = deals["Riverbend campus licences"]  # IsClosed and IsWon
    assert riverbend.closed_at == datetime(2026, 10, 15, 12, 0, tzinfo=UTC)  # its close date, at noon UTC
    crescent = deals["Crescent booking engine"]  # IsClosed, not IsWon
    assert (crescent.lost_reason, crescent.closed_at) == ("other", datetime(2026, 9, 1, 12, 0, tzinfo=UTC))
    assert deals["Sterling document review"].lost_reason == "competitor"
    atlas = deals["Atlas support renewal"]
    assert atlas.owner == "0055g00000Own01AAA" and atlas.created_at == datetime(2026, 9, 14, 8, 30, tzinfo=UTC)
    assert [n.text for n in service.deal_detail(atlas.id).notes] == [
        "Renewal of the 3-year support contract.\nChampion: Grace Kim."
    ]


def test_reports_count_an_imported_closed_deal_in_the_period_of_its_close_date(service):
    service.import_file(request("hubspot_deals.csv"))  # Keystone won 2026-10-30, Summit lost 2026-09-28
    quarter = service.report("quarter")  # Q4 2026
    assert (quarter.outcomes.won_count, quarter.outcomes.lost_count) == (1, 0)
    year = service.report("year")
    assert (year.outcomes.won_count, year.outcomes.lost_count) == (1, 1)
    funnel = {step.stage.name: step.reached for step in year.funnel}
    assert funnel["Closed Won"] == 1 and funnel["Outreach"] == 3  # Keystone, Lumen and Polar; lost is no step


def test_the_same_rows_in_every_encoding_and_separator_import_alike(tmp_path, service):
    text = "Deal - ID;Deal - Title;Deal - Value;Deal - Stage\r\n1;Crème brûlée;1.500,00;Qualified\r\n"
    paths = [
        write(tmp_path, "utf8.csv", text),
        write(tmp_path, "bom.csv", "\ufeff" + text),
        write(tmp_path, "utf16.csv", text.replace(";", "\t"), "utf-16"),
        write(tmp_path, "cp1252.csv", text, "cp1252"),
    ]
    summaries = [service.import_file(request(path)) for path in paths]
    assert [(s.created, s.unchanged) for s in summaries] == [(1, 0), (0, 1), (0, 1), (0, 1)]
    assert [(d.title, d.amount) for d in service.deals()] == [("Crème brûlée", Decimal("1500.00"))]


def test_reimporting_never_duplicates_and_records_the_update_in_the_history(tmp_path, service):
    service.import_file(request("pipedrive_plain.csv"))
    before = by_title(service)["Granite data warehouse"]
    second = service.import_file(request("pipedrive_plain.csv"))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    changed = (FIXTURE_TEXT := Path(fixture("pipedrive_plain.csv")).read_text(encoding="utf-8")).replace(
        "8,Granite data warehouse,65000,USD,Granite Labs,Sam Whitaker,Negotiations Started,Open",
        "8,Granite data warehouse,70000,USD,Granite Labs,Sam Whitaker,Negotiations Started,Won",
    )
    assert changed != FIXTURE_TEXT
    third = service.import_file(request(write(tmp_path, "again.csv", changed)))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    after = by_title(service)["Granite data warehouse"]
    assert after.id == before.id and len(service.deals()) == 2
    assert (after.amount, service.stage(after.stage_id).kind, after.version) == (Decimal("70000.00"), StageKind.WON, 2)
    assert after.closed_at == NOW
    event = service.history(after.id)[-1]
    assert event.kind is EventKind.IMPORTED and event.details["action"] == "updated"
    assert event.details["changes"] == {"amount": ["65000.00", "70000.00"]}
    assert (event.from_stage_id, event.to_stage_id) == (before.stage_id, after.stage_id)
    assert describe_event(event, {}) == (
        "updated by an import from Pipedrive (again.csv, row 3): Negotiation → Closed Won; amount: 65,000.00 → 70,000.00"
    )
    assert_ordered(service)


def test_a_file_without_ids_matches_on_title_and_company_and_says_so(tmp_path, service):
    first = service.import_file(request("no_id.csv"))
    assert first.matched_by_title and first.created == 2
    text = 'Title,Organization,Value,Stage\nJUNIPER churn model, juniper telecom ,"30,000",Needs Defined\n'
    second = service.import_file(request(write(tmp_path, "again.csv", text)))
    assert (second.created, second.updated) == (0, 1)
    juniper = by_title(service)["JUNIPER churn model"]  # the file's spelling wins
    assert (juniper.amount, juniper.company, len(service.deals())) == (Decimal("30000.00"), "juniper telecom", 2)
    assert "matched on title plus company" in "\n".join(second.lines())


def test_a_title_and_company_matching_two_deals_is_an_error_not_a_guess(tmp_path, service):
    service.create_deal("Juniper churn model", company="Juniper Telecom")
    service.create_deal("Juniper churn model", company="Juniper Telecom")
    with pytest.raises(ImportRefused, match="row 2, column 'Title': the same title and company as deals"):
        service.import_file(request("no_id.csv"))


def test_the_same_record_twice_in_one_file_is_an_error(tmp_path, service):
    text = "Deal - ID,Deal - Title\n5,One\n5,Two\n"
    with pytest.raises(ImportRefused, match="row 3, column 'Deal - ID': the same id as row 2"):
        service.import_file(request(write(tmp_path, "twice.csv", text)))


def test_unknown_stages_stop_the_import_before_any_write_and_map_stage_lets_it_through(service):
    before = dump_tables(service.db.engine)
    with pytest.raises(ImportRefused) as refused:
        service.import_file(request("unknown_stages.csv"))
    assert "'Blue Sky Stage' (rows 2, 3); 'Handshake' (row 4)" in str(refused.value)
    assert "--map-stage" in str(refused.value)
    assert dump_tables(service.db.engine) == before
    summary = service.import_file(
        request("unknown_stages.csv", map_stages=("Blue Sky Stage=outreach", "handshake=Neg"))
    )
    assert summary.created == 4
    assert stage_names(service) == {"Willow reminders": "Outreach", "Marble billing": "Outreach",
                                    "Beacon donor CRM": "Negotiation", "Orion traceability": "Proposal"}  # fmt: skip


def test_a_file_with_a_bad_row_imports_nothing_and_names_row_and_column(service):
    before = dump_tables(service.db.engine)
    with pytest.raises(ImportRefused) as refused:
        service.import_file(request("bad_rows.csv"))
    assert "4 rows have problems, so nothing was imported: row 3, column 'Deal - Value': not an amount: 'lots'" in str(
        refused.value
    )
    assert [str(e) for e in refused.value.summary.errors] == [
        "row 3, column 'Deal - Value': not an amount: 'lots'",
        "row 4, column 'Deal - Value': amount 10.555 has more decimals than USD has (at most 2 decimals); nothing is rounded, type it exactly",
        "row 5, column 'Deal - Title': a deal needs a title",
        "row 6, column 'Deal - Expected close date': not a date: '2026-13-45'",
    ]
    assert dump_tables(service.db.engine) == before


def test_skip_errors_imports_the_good_rows_and_lists_the_rest(service):
    summary = service.import_file(request("bad_rows.csv", skip_errors=True))
    assert (summary.created, len(summary.errors)) == (2, 4)
    assert sorted(stage_names(service).items()) == [("Good one", "Qualification"), ("Good two", "Proposal")]
    assert service.import_batches()[0].errors == 4


def test_a_dry_run_changes_nothing(service):
    service.import_file(request("pipedrive_plain.csv"))
    before = dump_tables(service.db.engine)
    summary = service.preview_import(request("pipedrive_deals.csv"))
    assert (summary.dry_run, summary.batch, summary.created, summary.skipped) == (True, None, 4, 1)
    assert dump_tables(service.db.engine) == before


def test_an_open_status_in_a_closed_stage_is_a_row_error(tmp_path, service):
    text = "Deal - Title,Deal - Stage,Deal - Status\nOdd one,Closed Won,Open\n"
    with pytest.raises(
        ImportRefused, match="row 2, column 'Deal - Stage': stage 'Closed Won' is closed but the deal is open"
    ):
        service.import_file(request(write(tmp_path, "odd.csv", text)))


def test_an_amount_without_a_currency_takes_the_deals_and_must_fit_it(tmp_path, service):
    deal = service.create_deal("Yen deal", currency="JPY", amount=1000).deal
    text = f"id,title,amount,stage,database_id\n{deal.id},Yen deal,1500,Outreach,\n"
    service.import_file(request(write(tmp_path, "own.csv", text), source="closedwon"))
    assert (service.deal(deal.id).amount, service.deal(deal.id).currency) == (Decimal("1500"), "JPY")
    bad = text.replace("1500", "1500.5")
    with pytest.raises(ImportRefused, match="amount 1500.5 has more decimals than JPY has"):
        service.import_file(request(write(tmp_path, "own2.csv", bad), source="closedwon"))


def test_imported_deals_go_below_the_deals_already_in_each_column_in_file_order(service):
    service.create_deal("Already here", stage="Analysis")
    service.import_file(request("zoho_deals.csv"))
    analysis = service.deals(stage="Analysis")
    assert [d.title for d in analysis] == ["Already here", "Quasar player insights", "Nimbus crew rostering"]
    assert_ordered(service)
