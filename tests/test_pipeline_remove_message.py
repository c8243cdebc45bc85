"""Removing a pipeline that holds deals says how to empty it with what closedwon has (a move across
pipelines): closedwon cannot delete deals, so "delete them" sent the rep looking for a command
that does not exist."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ValidationError


def test_removing_a_pipeline_with_deals_names_the_move_that_empties_it(sqlite_service):
    sqlite_service.add_pipeline("Renewals", stages="Due,Talking")
    sqlite_service.create_deal("Acme renewal", pipeline="Renewals")
    with pytest.raises(ValidationError) as refused:
        sqlite_service.remove_pipeline("Renewals")
    message = str(refused.value)
    assert "holds 1 deal" in message and "delete" not in message
    assert "closedwon deal move ID STAGE --pipeline" in message
    assert [p.name for p in sqlite_service.pipelines()] == ["Sales", "Renewals"]  # nothing changed
