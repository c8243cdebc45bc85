"""Every piece of text a rep can save obeys the one limit in domain/text.py, and only real text is
stored: a lone surrogate (bytes that were not UTF-8) is refused on every path, with nothing saved."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.text import TEXT_LIMIT, limit_for
from tests.dbstate import dump_tables

# Each free-text path of the service: (name, call(service, deal_id, text)).
TEXT_PATHS: dict[str, Callable] = {
    "note": lambda s, d, t: s.add_note(d, t),
    "objection": lambda s, d, t: s.add_objection(d, "price", t),
    "response": lambda s, d, t: s.answer_objection(s.deal_detail(d).objections[0].id, t),
    "address response": lambda s, d, t: s.address_objection(s.deal_detail(d).objections[0].id, t),
    "follow-up note": lambda s, d, t: s.schedule_followup(d, "tomorrow", t),
    "lost note": lambda s, d, t: s.mark_lost(d, "price", t),
    "lost note on a move": lambda s, d, t: s.move_deal(d, "Closed Lost", lost_reason="price", lost_note=t),
    "went well": lambda s, d, t: s.record_lookback(d, t, "x"),
    "nearly lost": lambda s, d, t: s.record_lookback(d, "x", t),
    "next step": lambda s, d, t: s.edit_deal(d, {"next_step": t}),
    "budget note": lambda s, d, t: s.edit_deal(d, {"budget_note": t}),
    "authority note": lambda s, d, t: s.edit_deal(d, {"authority_note": t}),
    "need note": lambda s, d, t: s.edit_deal(d, {"need_note": t}),
    "timing note": lambda s, d, t: s.edit_deal(d, {"timing_note": t}),
}


@pytest.mark.parametrize("path", list(TEXT_PATHS))
def test_every_free_text_takes_exactly_the_one_limit(service, path):
    deal = service.create_deal("Helios", stage="Proposal").deal
    service.add_objection(deal.id, "price", "Too dear")
    before = dump_tables(service.db.engine)
    with pytest.raises(ValidationError, match=f"at most {TEXT_LIMIT:,} characters"):
        TEXT_PATHS[path](service, deal.id, "x" * (TEXT_LIMIT + 1))
    assert dump_tables(service.db.engine) == before
    TEXT_PATHS[path](service, deal.id, "x" * TEXT_LIMIT)  # the limit itself is fine


@pytest.mark.parametrize("path", list(TEXT_PATHS))
def test_a_lone_surrogate_is_refused_on_every_text_path(service, path):
    deal = service.create_deal("Helios", stage="Proposal").deal
    service.add_objection(deal.id, "price", "Too dear")
    before = dump_tables(service.db.engine)
    with pytest.raises(ValidationError, match="not valid text"):
        TEXT_PATHS[path](service, deal.id, "caf\udce9 call")
    assert dump_tables(service.db.engine) == before


@pytest.mark.parametrize("field", ["title", "company", "contact_name", "owner", "source"])
def test_short_fields_take_their_limit_and_refuse_surrogates(service, field):
    deal = service.create_deal("Helios").deal
    before = dump_tables(service.db.engine)
    limit = limit_for(field)
    with pytest.raises(ValidationError, match=f"at most {limit}"):
        service.edit_deal(deal.id, {field: "y" * (limit + 1)})
    with pytest.raises(ValidationError, match="not valid text"):
        service.edit_deal(deal.id, {field: "\udcff\udcfe title"})
    with pytest.raises(ValidationError, match="not valid text"):
        service.create_deal(**{"title": "x", field: "\udcff"})
    assert dump_tables(service.db.engine) == before
    service.edit_deal(deal.id, {field: "y" * limit})
