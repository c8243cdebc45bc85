"""The services under `--filter` (the frozen now is 25 November 2026): the matching deals, and a report and an export of only those, on each backend."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ValidationError


def _pipeline(service) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids = {}
    ids["big"] = service.create_deal("Big one", amount="90k", owner="Dana", stage="Proposal",
                                     close_date="2026-12-10").deal.id  # fmt: skip
    ids["small"] = service.create_deal("Small one", amount="2k", owner="Dana", stage="Proposal",
                                       close_date="2026-12-12").deal.id  # fmt: skip
    ids["euro"] = service.create_deal("Euro one", amount="40k", currency="EUR", owner="Sam", stage="Analysis",
                                      close_date="2026-12-01").deal.id  # fmt: skip
    won = service.create_deal("Won one", amount="15k", owner="Sam").deal.id
    service.mark_won(won)
    ids["won"] = won
    return ids


def test_matching_deal_ids_in_board_order(service):
    ids = _pipeline(service)
    assert service.matching_deal_ids("amount>10k") == [ids["euro"], ids["big"], ids["won"]]
    assert service.matching_deal_ids("owner:dana -amount>10k") == [ids["small"]]
    assert service.matching_deal_ids("close:next-month -won") == [ids["euro"], ids["small"], ids["big"]]
    with pytest.raises(ValidationError, match="'stage:nowhere'"):
        service.matching_deal_ids("stage:nowhere")


def test_a_report_of_the_filtered_deals_counts_only_them(service):
    ids = _pipeline(service)
    everyone = service.report("quarter")
    assert everyone.pipeline.count == 3
    only = service.report("quarter", deal_ids=service.matching_deal_ids("amount>10k"))
    assert only.pipeline.count == 2
    assert only.pipeline.totals == {"USD": everyone.pipeline.totals["USD"] - 2000, "EUR": 40000}
    assert only.outcomes.won_count == 1
    none = service.report("quarter", deal_ids=[])
    assert none.pipeline.count == 0 and none.outcomes.won_count == 0
    dana = service.report("quarter", owner="dana", deal_ids=[ids["big"], ids["euro"]])
    assert dana.pipeline.count == 1  # both must hold


def test_an_export_of_the_filtered_deals(service):
    ids = _pipeline(service)
    export = service.export_deals([ids["won"], ids["small"]])
    assert [item.deal.id for item in export.deals] == [ids["small"], ids["won"]]  # board order
