"""A realistic demo pipeline, with backdated histories, so a newcomer sees a living board."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from closedwon_tui.domain.models import StageKind
from closedwon_tui.services.base import utc_now
from closedwon_tui.services.pipeline import PipelineService
from closedwon_tui.storage.database import Database

COMPANIES = [
    ("Helios Energy", "Mara Lindqvist", "Platform rollout"), ("Orbital Freight", "Tom Okafor", "Fleet analytics"),
    ("Northwind Traders", "Ana Ruiz", "Inventory sync"), ("Bluefin Capital", "Priya Nair", "Risk dashboard"),
    ("Copperleaf Health", "Jonas Berg", "Clinic scheduling"), ("Vantage Retail", "Chloe Martin", "POS upgrade"),
    ("Granite Labs", "Sam Whitaker", "Data warehouse"), ("Lumen Media", "Ines Duarte", "Ad reporting"),
    ("Keystone Insurance", "Victor Hale", "Claims portal"), ("Polar Logistics", "Nadia Petrova", "Route planner"),
    ("Summit Foods", "Leo Fischer", "Supplier portal"), ("Atlas Robotics", "Grace Kim", "Support renewal"),
    ("Riverbend Schools", "Omar Haddad", "Campus licences"), ("Crescent Hotels", "Julia Costa", "Booking engine"),
    ("Ironclad Security", "Peter Novak", "SOC integration"), ("Meridian Bank", "Hannah Cole", "Compliance suite"),
    ("Tidewater Marine", "Raj Patel", "Telemetry pilot"), ("Evergreen Farms", "Lucy Adams", "Yield analytics"),
    ("Quasar Games", "Mateo Silva", "Player insights"), ("Sterling Legal", "Emma Brooks", "Document review"),
    ("Nimbus Airlines", "Felix Wagner", "Crew rostering"), ("Redwood Pharma", "Sofia Rossi", "Trial tracking"),
    ("Harbor City Council", "Daniel Moore", "Citizen portal"), ("Falcon Motors", "Aiko Tanaka", "Dealer network"),
    ("Cobalt Mining", "Ethan Clarke", "Safety monitoring"), ("Juniper Telecom", "Mia Schmidt", "Churn model"),
    ("Sapphire Cosmetics", "Lina Ahmed", "E-commerce replatform"), ("Beacon Nonprofit", "Noah Evans", "Donor CRM"),
    ("Orion Aerospace", "Zoe Laurent", "Parts traceability"), ("Willow Dental", "Ben Carter", "Patient reminders"),
    ("Apex Fitness", "Olivia Grant", "Member app"), ("Marble Architects", "Lukas Weber", "Project billing"),
]  # fmt: skip
OWNERS = ["Dana", "Dana", "Dana", "Marcus", "Priya"]
SOURCES = ["inbound", "referral", "event", "outbound", "partner"]
OBJECTIONS = [
    ("price", "Wants 10% off for a 2-year term"), ("timing", "Budget frees up next quarter"),
    ("authority", "CFO has to sign off"), ("competitor", "Also talking to a competitor"),
    ("need", "Not sure the reporting module fits"), ("trust", "Asked for two customer references"),
]  # fmt: skip
NOTES = [
    "Great discovery call; they run everything on spreadsheets today.",
    "Champion is the ops lead; economic buyer is the CFO.",
    "Sent the security questionnaire back.",
    "Legal review started, expect two weeks.",
]
LOST_REASONS = ["price", "competitor", "no decision", "went silent", "timing"]


@dataclass
class _Clock:
    at: datetime

    def __call__(self) -> datetime:
        return self.at


def frozen_demo(db: Database, now: datetime, *, actor: str = "Dana") -> PipelineService:
    """The demo pipeline seeded into `db` and seen at one fixed moment: the service's clock stands
    still at `now`, so screenshots and snapshot tests draw the same picture every time."""
    seed_demo(db, now=now, actor=actor)
    return PipelineService(db, clock=lambda: now, actor=actor)


def seed_demo(db: Database, *, now: datetime | None = None, seed: int = 7, actor: str = "Dana") -> int:
    """Fill `db` with about 36 deals and their histories; returns how many deals were made."""
    now = now or utc_now()
    rng = random.Random(seed)
    clock = _Clock(now)
    service = PipelineService(db, clock=clock, actor=actor)
    stages = service.stages()
    open_stages = [s for s in stages if s.kind is StageKind.OPEN]
    # The furthest stage each deal reaches, weighted towards the top of the funnel.
    plan: list[int | str] = [0] * 5 + [1] * 5 + [2] * 6 + [3] * 5 + [4] * 4 + ["won"] * 4 + ["lost"] * 3
    rng.shuffle(plan)
    made = 0
    for i, (company, contact, project) in enumerate(COMPANIES[: len(plan)]):
        target = plan[i]
        furthest = rng.randint(2, 4) if isinstance(target, str) else target
        age = rng.randint(4 + 6 * furthest, 12 + 14 * furthest)
        clock.at = now - timedelta(days=age, hours=rng.randint(0, 8))
        amount = rng.choice([4_800, 9_500, 12_000, 18_750, 24_000, 32_500, 48_250, 65_000, 90_000, 125_000])
        deal = service.create_deal(
            f"{company.split()[0]} {project.lower()}",
            company=company,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@{company.split()[0].lower()}.example",
            amount=amount,
            owner=rng.choice(OWNERS),
            source=rng.choice(SOURCES),
            close_date=(now + timedelta(days=rng.randint(-10, 150))).date(),
            probability=rng.choice([None, None, None, 35, 70]),
            budget_ok=rng.random() < 0.6, budget_note="Budget approved for this year" if rng.random() < 0.5 else "",
            authority_ok=rng.random() < 0.5, need_ok=rng.random() < 0.8, timing_ok=rng.random() < 0.4,
            next_step=rng.choice(["Send proposal", "Book demo", "Intro to CFO", "Security review", ""]),
        ).deal  # fmt: skip
        made += 1
        elapsed = 0
        for step in range(1, furthest + 1):
            elapsed += rng.randint(2, max(3, age // (furthest + 2)))
            if elapsed >= age - 1:
                break
            clock.at = now - timedelta(days=age - elapsed)
            service.move_deal(deal.id, open_stages[step])
        if rng.random() < 0.5:
            kind, text = rng.choice(OBJECTIONS)
            objection = service.add_objection(deal.id, kind, text).item
            if rng.random() < 0.5:
                service.address_objection(objection.id, "Walked them through the ROI and a phased rollout")
        if rng.random() < 0.4:
            service.add_note(deal.id, rng.choice(NOTES))
        clock.at = now - timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
        if target == "won":
            service.mark_won(deal.id)
            if rng.random() < 0.7:
                service.record_lookback(deal.id, "Champion pushed it through procurement",
                                        "Legal review took two weeks")  # fmt: skip
        elif target == "lost":
            service.mark_lost(deal.id, rng.choice(LOST_REASONS), "Chose to wait a year")
        elif rng.random() < 0.7:
            # Follow-ups: some overdue, some today, most ahead.
            due = (now + timedelta(days=rng.choice([-3, -1, 0, 0, 1, 2, 3, 7, 14]))).astimezone()
            service.schedule_followup(deal.id, due.date(), rng.choice(["Call back", "Send revised quote",
                                                                    "Check in after demo", "Chase signature"]))  # fmt: skip
    return made
