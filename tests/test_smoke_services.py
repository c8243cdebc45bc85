"""A first check that the foundation holds together on every backend."""

from decimal import Decimal


def test_a_deal_moves_through_the_funnel_and_its_history_says_so(service):
    deal = service.create_deal("Helios rollout", company="Helios", amount="48,250", stage="analysis").deal
    service.move_deal(deal.id, "Proposal")
    won = service.mark_won(deal.id)
    assert won.deal.amount == Decimal("48250.00")
    assert service.stage(won.deal.stage_id).name == "Closed Won"
    kinds = [e.kind.value for e in service.history(deal.id)]
    assert kinds == ["created", "moved", "won"]
