"""What happens in a realistic pipeline over a year, as a list of a rep's actions in time order.

The shape (issue 15): 70% of deals open, 15% won and 15% lost over the last year; deals move
through the stages (sometimes skipping one, now and then a mistaken move undone an hour
later); follow-ups pending on 40% of open deals, done ones, objections (half of them
addressed), notes, and look backs on some wins. About 3.3 history events per deal.

The same plan is written two ways: `seed_fast.write` (Core executemany, for the benchmarks)
and `apply_with_services` (one service call per action, for the test that proves the two
write the same rows).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

#: Stage names of the default pipeline, open ones in order.
OPEN = ("Outreach", "Qualification", "Analysis", "Proposal", "Negotiation")
WON, LOST = "Closed Won", "Closed Lost"
LOST_REASONS = ("price", "timing", "competitor", "no decision", "need/fit", "went silent", "other")
OBJECTION_KINDS = ("price", "timing", "authority", "need", "competitor", "trust", "other")
PRODUCTS = ("platform rollout", "renewal", "pilot", "upgrade", "analytics suite", "support plan", "migration",
            "licences", "integration", "expansion")  # fmt: skip
WORDS = ("Helios", "Orbital", "Northwind", "Bluefin", "Copperleaf", "Vantage", "Granite", "Lumen", "Keystone",
         "Polar", "Summit", "Atlas", "Riverbend", "Crescent", "Ironclad", "Meridian", "Tidewater", "Evergreen",
         "Quasar", "Sterling", "Nimbus", "Redwood", "Harbor", "Falcon", "Cobalt", "Juniper", "Sapphire",
         "Beacon", "Orion", "Willow", "Apex", "Marble")  # fmt: skip
KINDS = ("Energy", "Freight", "Traders", "Capital", "Health", "Retail", "Labs", "Media", "Insurance", "Logistics",
         "Foods", "Robotics", "Schools", "Hotels", "Security", "Bank", "Marine", "Farms", "Games", "Legal")  # fmt: skip
FIRST = ("Mara", "Tom", "Ana", "Priya", "Jonas", "Chloe", "Sam", "Ines", "Victor", "Nadia", "Leo", "Grace")
LAST = ("Lindqvist", "Okafor", "Ruiz", "Nair", "Berg", "Martin", "Whitaker", "Duarte", "Hale", "Petrova")
SOURCES = ("inbound", "referral", "event", "outbound", "partner")
NOTES = ("Great discovery call; they run everything on spreadsheets today.",
         "Champion is the ops lead; economic buyer is the CFO.", "Sent the security questionnaire back.",
         "Legal review started, expect two weeks.", "Asked for a reference customer in their industry.")  # fmt: skip
FOLLOWUP_NOTES = ("Call back", "Send revised quote", "Check in after the demo", "Chase signature", "")


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a rep did: `kind` is the service use-case, `deal` the deal's number in creation order."""

    at: datetime
    seq: int
    kind: str
    deal: int
    actor: str
    args: dict[str, Any] = field(default_factory=dict)


def _team(count: int) -> list[str]:
    names = ["dana", "marcus", "priya", "sam", "lee", "ines", "omar", "grace", "felix", "sofia", "raj", "julia"]
    return names[: 5 if count <= 60_000 else 12]


def _amount(rng: random.Random) -> Decimal | None:
    if rng.random() < 0.1:
        return None
    return Decimal(rng.randint(5, 2_500) * 10_000 + rng.choice((0, 0, 0, 50, 99))).scaleb(-2)


def plan(count: int, now: datetime, *, seed: int = 1) -> list[Action]:
    """Every action for `count` deals, oldest first (deal numbers follow creation order)."""
    rng = random.Random(seed)
    owners = _team(count)
    per_deal: list[list[tuple[datetime, str, dict[str, Any]]]] = []
    for _ in range(count):
        per_deal.append(_deal_story(rng, now))
    per_deal.sort(key=lambda story: story[0][0])  # deal numbers in creation order
    actions: list[Action] = []
    for number, story in enumerate(per_deal):
        owner = owners[rng.randrange(len(owners))]
        for at, kind, args in story:
            actions.append(Action(at, 0, kind, number, owner, args))
    actions.sort(key=lambda a: (a.at, a.deal))
    return [Action(a.at, i, a.kind, a.deal, a.actor, a.args) for i, a in enumerate(actions)]


def _deal_story(rng: random.Random, now: datetime) -> list[tuple[datetime, str, dict[str, Any]]]:
    roll = rng.random()
    outcome = "open" if roll < 0.70 else "won" if roll < 0.85 else "lost"
    minute = timedelta(minutes=1)
    if outcome == "open":
        created = now - timedelta(seconds=rng.randint(3600, 150 * 86400))
        end = now - minute
    else:
        end = now - timedelta(seconds=rng.randint(3600, 365 * 86400))
        created = end - timedelta(seconds=rng.randint(5 * 86400, 150 * 86400))
    created = created.replace(microsecond=0)
    end = end.replace(microsecond=0)
    start = rng.choices(range(5), weights=(55, 25, 12, 6, 2))[0]
    if outcome == "won":
        final = max(start, rng.choices(range(5), weights=(2, 5, 13, 35, 45))[0])
    else:
        final = rng.choices(range(start, 5), weights=[1 / (1 + j) ** 1.5 for j in range(5 - start)])[0]
    steps = []
    at = start
    while at < final:
        at = min(final, at + (2 if rng.random() < 0.2 else 1))
        steps.append(OPEN[at])
    if outcome == "won":
        steps.append(WON)
    elif outcome == "lost":
        steps.append(LOST)
    times = sorted(rng.uniform(0, 1) for _ in steps)
    span = (end - created).total_seconds()
    story: list[tuple[datetime, str, dict[str, Any]]] = []
    word = rng.choice(WORDS)
    company = f"{word} {rng.choice(KINDS)}"
    fields: dict[str, Any] = {"company": company, "currency": rng.choices(("USD", "EUR", "GBP"), (80, 15, 5))[0],
                              "amount": _amount(rng), "source": rng.choice(SOURCES)}  # fmt: skip
    if rng.random() < 0.6:
        fields["contact_name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if rng.random() < 0.8:
        anchor = now if outcome == "open" else end
        fields["close_date"] = (anchor + timedelta(days=rng.randint(-45, 200 if outcome == "open" else 30))).date()
    if rng.random() < 0.1:
        fields["probability"] = rng.choice((15, 30, 50, 70, 90))
    story.append((created, "create", {"title": f"{word} {rng.choice(PRODUCTS)}", "stage": OPEN[start], **fields}))
    moments = [created + timedelta(seconds=int(30 + t * (span - 60))) for t in times]
    for moment, stage in zip(moments, steps):
        args: dict[str, Any] = {"stage": stage}
        if stage == LOST:
            args["reason"] = rng.choice(LOST_REASONS)
        story.append((moment, "move", args))
    closed_at = moments[-1] if outcome != "open" and moments else None
    last = closed_at or end
    if rng.random() < 0.02:  # a mistaken move, taken back an hour later
        after = moments[0] if moments else end
        gap = (after - created).total_seconds()
        if gap > 3 * 3600:
            mistake = created + timedelta(seconds=rng.randint(60, int(gap - 2 * 3600)))
            here = start
            wrong = rng.choice([i for i in range(5) if i != here])
            story.append((mistake, "move", {"stage": OPEN[wrong]}))
            story.append((mistake + timedelta(hours=1), "undo", {}))
    if rng.random() < 0.2:
        said = created + (last - created) * rng.uniform(0.1, 0.9)
        story.append((said.replace(microsecond=0), "objection",
                      {"kind": rng.choice(OBJECTION_KINDS), "text": "Wants a discount for a two-year term"}))  # fmt: skip
        if rng.random() < 0.5:
            answered = said + (last - said) * rng.uniform(0.2, 0.9)
            story.append((answered.replace(microsecond=0), "address", {"response": "Phased rollout offered"}))
    if rng.random() < 0.15:
        noted = created + (last - created) * rng.uniform(0.05, 0.95)
        story.append((noted.replace(microsecond=0), "note", {"text": rng.choice(NOTES)}))
    if rng.random() < 0.15:
        asked = created + (last - created) * rng.uniform(0.05, 0.6)
        done = asked + (last - asked) * rng.uniform(0.3, 0.9)
        story.append((asked.replace(microsecond=0), "followup",
                      {"due": done.date(), "note": rng.choice(FOLLOWUP_NOTES)}))  # fmt: skip
        story.append((done.replace(microsecond=0), "done", {}))
    if outcome == "open" and rng.random() < 0.4:
        story.append(_pending_followup(rng, created, now))
    if outcome == "won" and closed_at is not None and rng.random() < 0.25:
        story.append((closed_at + timedelta(minutes=10), "lookback",
                      {"went_well": "Champion pushed it through", "nearly_lost": "Budget freeze"}))  # fmt: skip
    story = [s for s in story if s[0] < now]
    undo = next((s for s in story if s[1] == "undo"), None)
    if undo is not None:  # nothing else happens to the deal between the mistake and its undo
        mistake = undo[0] - timedelta(hours=1)
        story = [s for s in story if s[1] in ("create", "move", "undo") or not mistake <= s[0] <= undo[0]]
    story.sort(key=lambda s: s[0])
    # The same deal never does two things in the same second (the services' order would be ambiguous).
    out = []
    previous = None
    for moment, kind, args in story:
        if previous is not None and moment <= previous:
            moment = previous + timedelta(seconds=1)
        out.append((moment, kind, args))
        previous = moment
    return out


def _pending_followup(rng: random.Random, created: datetime, now: datetime) -> tuple[datetime, str, dict[str, Any]]:
    today = now.date()
    offset = rng.choices((-rng.randint(1, 10), 0, rng.randint(1, 6), rng.randint(7, 30)), (25, 15, 20, 40))[0]
    due_day = today + timedelta(days=offset)
    asked = max(created + timedelta(minutes=5), min(now - timedelta(minutes=5),
                datetime.combine(due_day, datetime.min.time(), now.tzinfo) - timedelta(days=rng.randint(1, 14))))  # fmt: skip
    due: date | datetime = due_day
    if rng.random() < 0.2:
        due = datetime.combine(due_day, datetime.min.time()).replace(hour=rng.choice((9, 10, 14, 16)))
    return asked.replace(microsecond=0), "followup", {"due": due, "note": rng.choice(FOLLOWUP_NOTES)}


def apply_with_services(service, clock, actions: list[Action]) -> None:  # type: ignore[no-untyped-def]
    """Do every action through the services, as a rep would: the slow path the fast writer matches."""
    deal_ids: list[int] = []
    objections: dict[int, int] = {}
    followups: dict[int, int] = {}
    for action in actions:
        clock.now = action.at
        service.actor = action.actor
        args = action.args
        if action.kind == "create":
            fields = {k: v for k, v in args.items() if k not in ("title", "stage")}
            fields["owner"] = action.actor
            deal_ids.append(service.create_deal(args["title"], stage=args["stage"], **fields).deal.id)
            continue
        deal_id = deal_ids[action.deal]
        if action.kind == "move":
            service.move_deal(deal_id, args["stage"], lost_reason=args.get("reason"))
        elif action.kind == "undo":
            service.undo_last(deal_id)
        elif action.kind == "objection":
            objections[action.deal] = service.add_objection(deal_id, args["kind"], args["text"]).item.id
        elif action.kind == "address":
            service.address_objection(objections[action.deal], args["response"])
        elif action.kind == "followup":
            followups[action.deal] = service.schedule_followup(deal_id, args["due"], args["note"]).item.id
        elif action.kind == "done":
            service.complete_followup(followups[action.deal])
        elif action.kind == "note":
            service.add_note(deal_id, args["text"])
        elif action.kind == "lookback":
            service.record_lookback(deal_id, args["went_well"], args["nearly_lost"])
        else:  # pragma: no cover
            raise ValueError(action.kind)
