"""Which CRM wrote a file, which column holds what, and where its stages go."""

from __future__ import annotations

from pathlib import Path

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import DEFAULT_STAGES, Stage, StageKind
from closedwon_tui.transfer.csvfile import read_table
from closedwon_tui.transfer.headers import Source, detect_source, map_columns, parse_source
from closedwon_tui.transfer.stages import StageMap, outcome_of, parse_stage_mapping, unknown_stages_message

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
STAGES = [Stage(i + 1, name, i, p, kind, rot) for i, (name, p, kind, rot) in enumerate(DEFAULT_STAGES)]


def headers(name: str) -> tuple[str, ...]:
    return read_table((FIXTURES / name).read_bytes()).headers


@pytest.mark.parametrize(
    ("fixture", "source"),
    [
        ("pipedrive_deals.csv", Source.PIPEDRIVE),
        ("pipedrive_plain.csv", Source.PIPEDRIVE),
        ("pipedrive_european.csv", Source.PIPEDRIVE),
        ("hubspot_deals.csv", Source.HUBSPOT),
        ("salesforce_api.csv", Source.SALESFORCE),
        ("salesforce_upper.csv", Source.SALESFORCE),
        ("salesforce_report.csv", Source.SALESFORCE),
        ("zoho_deals.csv", Source.ZOHO),
    ],
)
def test_the_source_is_detected_from_the_headers(fixture, source):
    assert detect_source(headers(fixture)) is source


def test_a_closedwon_export_is_detected():
    assert (
        detect_source(["id", "title", "company", "contact_name", "amount", "stage", "database_id"]) is Source.CLOSEDWON
    )


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("pipedrive_deals.csv", {"record_id": "Deal - ID", "title": "Deal - Title", "amount": "Deal - Value",
                                 "currency": "Deal - Currency of value", "company": "Deal - Organization",
                                 "stage": "Deal - Stage", "status": "Deal - Status", "won_at": "Deal - Won time",
                                 "created_at": "Deal - Deal created", "close_date": "Deal - Expected close date",
                                 "closed_at": "Deal - Deal closed on", "next_activity": "Deal - Next activity date"}),
        ("pipedrive_plain.csv", {"record_id": "ID", "title": "Title", "amount": "Value", "currency": "Currency",
                                 "company": "Organization", "stage": "Stage", "status": "Status"}),
        ("salesforce_api.csv", {"record_id": "Id", "title": "Name", "stage": "StageName", "is_won": "IsWon",
                                "is_closed": "IsClosed", "currency": "CurrencyIsoCode", "owner": "OwnerId",
                                "created_at": "CreatedDate", "description": "Description"}),
        ("salesforce_upper.csv", {"record_id": "ID", "title": "NAME", "stage": "STAGENAME", "is_won": "ISWON"}),
        ("salesforce_report.csv", {"record_id": "Opportunity ID", "title": "Opportunity Name", "stage": "Stage",
                                   "company": "Account Name", "probability": "Probability (%)",
                                   "owner": "Opportunity Owner", "is_won": "Is Won"}),
        ("hubspot_deals.csv", {"record_id": "Record ID", "title": "Deal Name", "stage": "Deal Stage",
                               "close_date": "Close Date", "owner": "Deal owner", "amount": "Amount"}),
        ("zoho_deals.csv", {"record_id": "Record Id", "title": "Deal Name", "company": "Account Name",
                            "contact_name": "Contact Name", "close_date": "Closing Date", "source": "Lead Source"}),
    ],
)  # fmt: skip
def test_columns_are_found_by_alias_whatever_their_case(fixture, expected):
    found = headers(fixture)
    columns = map_columns(found, detect_source(found))
    assert {field: columns.header(field) for field in expected} == expected


def test_unknown_columns_are_listed_not_read():
    columns = map_columns(headers("hubspot_deals.csv"), Source.HUBSPOT)
    assert "State" in columns.unused and "LMS" in columns.unused
    assert "Deal Name" not in columns.unused


def test_a_header_feeds_one_field_only():
    columns = map_columns(["Name", "Account Name", "Stage"], Source.SALESFORCE)
    assert columns.header("title") == "Name" and columns.header("company") == "Account Name"


def test_a_file_without_a_title_column_is_refused_naming_what_was_looked_for():
    with pytest.raises(
        ValidationError, match=r"no title column \(looked for .*Deal Name.*the file's columns: 'Amount'"
    ):
        detect_source(["Amount", "Stage"])


def test_an_unknown_source_is_refused():
    assert parse_source(" HubSpot ") is Source.HUBSPOT
    with pytest.raises(ValidationError, match="unknown --source 'excel' .*pipedrive, hubspot"):
        parse_source("excel")


@pytest.mark.parametrize(
    ("name", "stage"),
    [
        ("Proposal Made", "Proposal"), ("Contract Sent", "Negotiation"), ("Needs Analysis", "Analysis"),
        ("Lead In", "Outreach"), ("qualifiedtobuy", "Qualification"), ("Negotiation/Review", "Negotiation"),
        ("Closed Won", "Closed Won"), ("closed lost", "Closed Lost"), ("PROPOSAL", "Proposal"),
        ("Proposal Made (Sales pipeline)", "Proposal"), ("Id. Decision Makers", "Analysis"),
    ],
)  # fmt: skip
def test_the_sources_default_stages_map_by_name(name, stage):
    match = StageMap(STAGES).resolve(name)
    assert match is not None and match.stage.name == stage


def test_zohos_lost_to_competition_implies_the_reason():
    match = StageMap(STAGES).resolve("Closed-Lost to Competition")
    assert match is not None and match.stage.kind is StageKind.LOST and match.reason == "competitor"


def test_map_stage_options_send_unknown_stages_where_the_rep_says():
    stage_map = StageMap.with_options(STAGES, ["Blue Sky Stage=outreach", "Proposal Made=neg"])
    assert stage_map.resolve("blue sky  stage").stage.name == "Outreach"  # type: ignore[union-attr]
    assert stage_map.resolve("Proposal Made").stage.name == "Negotiation"  # type: ignore[union-attr]
    assert stage_map.resolve("Handshake") is None


def test_the_target_stages_are_a_parameter():
    other = [
        Stage(10, "Discovery", 0, 10),
        Stage(11, "Won", 1, 100, StageKind.WON),
        Stage(12, "Lost", 2, 0, StageKind.LOST),
    ]
    stage_map = StageMap(other)
    assert stage_map.resolve("discovery").stage.id == 10  # type: ignore[union-attr]
    assert stage_map.resolve("Proposal Made") is None  # closedwon's default stage is not in this pipeline


@pytest.mark.parametrize("option", ["Blue Sky", "=outreach", "Blue Sky=", "  =  "])
def test_a_malformed_map_stage_is_refused(option):
    with pytest.raises(ValidationError, match="malformed --map-stage"):
        parse_stage_mapping(option, STAGES)


def test_a_map_stage_to_a_stage_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError, match="no stage 'Nowhere'"):
        parse_stage_mapping("Blue Sky=Nowhere", STAGES)


def test_the_unknown_stage_message_names_every_stage_its_rows_and_the_option():
    message = unknown_stages_message({"Blue Sky": [2, 3, 5, 9], "Handshake": [4]}, STAGES)
    assert "'Blue Sky' (rows 2, 3, 5 and 1 more)" in message and "'Handshake' (row 4)" in message
    assert '--map-stage "Blue Sky=outreach"' in message and "nothing was imported" in message


def test_the_sources_own_fields_decide_the_outcome():
    assert outcome_of(StageKind.WON, None, None) is StageKind.WON
    assert outcome_of(None, True, True) is StageKind.WON
    assert outcome_of(None, False, True) is StageKind.LOST
    assert outcome_of(None, None, False) is StageKind.OPEN
    assert outcome_of(None, True, None) is StageKind.WON
    assert outcome_of(None, False, None) is None
    assert outcome_of(None, None, True) is None  # closed, but won or lost? the stage says
