"""The filter language's terms, each bound once against what it is read against (a `FilterScope`):
the keyed terms (`owner:`, `stage:`, `pipeline:`, `currency:`, `close:`), the flags (`stale`,
`won`, ...), `amount>N` and `amount<N`, and free words. `domain.filters` reads a filter's text
into them; matching a card is then a few attribute reads.

A new keyed term is one function in `KEYED_TERMS` (and its value in `KEYED_VALUES`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import CardFacts, DealCard, Pipeline, Stage, StageKind
from closedwon_tui.domain.money import minor_digits
from closedwon_tui.domain.parsing import parse_amount, parse_currency
from closedwon_tui.domain.rules import find_stage, is_stale, local_today
from closedwon_tui.domain.stage_rules import find_pipeline


@dataclass(frozen=True, slots=True)
class FilterScope:
    """What terms are read against: the stages (by id), the moment (the rep's today) and the
    pipelines a `pipeline:` term may name (in order: a number picks one by its place)."""

    stages: Mapping[int, Stage]
    now: datetime
    pipelines: Sequence[Pipeline] = ()

    @property
    def today(self) -> date:
        return local_today(self.now)


#: A bound term: does this deal (with its card facts) satisfy it?
Test = Callable[[DealCard, CardFacts], bool]


def problem(term: str, what: str) -> ValidationError:
    return ValidationError(f"filter term {term!r}: {what}", "filter")


def searchable_text(card: DealCard) -> str:
    """What a free word is looked for in: the title, company, contact and owner, casefolded."""
    return f"{card.title}\n{card.company}\n{card.contact_name}\n{card.owner}".casefold()


class Haystacks:
    """Each card's searchable text, built once per card: the board keeps one for the session, so
    typing a filter never rebuilds ten thousand.

    `texts` holds the text by deal id, of the card `of` (or `keep`) last saw for that deal. `of`
    checks the card is that one (a changed deal is a new card); an owner that hands every changed
    card to `keep` (the board's model does) may read `texts` directly: one dictionary look-up per
    card and one `in`, no call."""

    __slots__ = ("_made_from", "texts")

    def __init__(self) -> None:
        self.texts: dict[int, str] = {}
        self._made_from: dict[int, DealCard] = {}

    def of(self, card: DealCard) -> str:
        if self._made_from.get(card.id) is not card:
            return self.keep(card)
        return self.texts[card.id]

    def keep(self, card: DealCard) -> str:
        """The text of `card`, made now and kept as its deal's."""
        self._made_from[card.id] = card
        text = self.texts[card.id] = searchable_text(card)
        return text


def word_test(word: str, haystacks: Haystacks) -> Test:
    of = haystacks.of
    return lambda card, _facts: word in of(card)


def _owner(value: str, term: str, _scope: FilterScope) -> Test:
    wanted = " ".join(value.split()).casefold()

    def test(card: DealCard, _facts: CardFacts) -> bool:
        owner = card.owner.casefold()
        return owner.startswith(wanted) or any(w.startswith(wanted) for w in owner.split())

    return test


def _stage(value: str, term: str, scope: FilterScope) -> Test:
    stages = sorted(scope.stages.values(), key=lambda s: s.position)
    try:
        stage_id = find_stage(stages, value).id
    except ValidationError:
        names = ", ".join(s.name for s in stages)
        raise problem(term, f"no such stage (stages: {names}; quote a name with spaces)") from None
    return lambda card, _facts: card.stage_id == stage_id


def _pipeline(value: str, term: str, scope: FilterScope) -> Test:
    """The deals of one pipeline. Read against one pipeline's stages (the board, or the command
    line pipeline by pipeline), a term naming another pipeline matches none of them."""
    try:
        pipeline_id = find_pipeline(scope.pipelines, value).id
    except ValidationError:
        names = ", ".join(p.name for p in scope.pipelines) or "none"
        raise problem(term, f"no such pipeline (pipelines: {names}; quote a name with spaces)") from None
    inside = frozenset(s.id for s in scope.stages.values() if s.pipeline_id == pipeline_id)
    return lambda card, _facts: card.stage_id in inside


def _currency(value: str, term: str, _scope: FilterScope) -> Test:
    try:
        code = parse_currency(value)
    except ValidationError:
        raise problem(term, "a currency is three letters, such as currency:EUR") from None
    return lambda card, _facts: card.currency == code


def _months_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _close_window(name: str, today: date) -> tuple[date, date] | None:
    """[start, end) of a named close period, None for a name that is not one."""
    month = today.replace(day=1)
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    windows = {
        "this-month": (month, _months_after(month, 1)),
        "next-month": (_months_after(month, 1), _months_after(month, 2)),
        "this-quarter": (quarter, _months_after(quarter, 3)),
        "next-quarter": (_months_after(quarter, 3), _months_after(quarter, 6)),
    }
    return windows.get(name)


_CLOSE_NAMES = "overdue, this-month, next-month, this-quarter, next-quarter"


def _close(value: str, term: str, scope: FilterScope) -> Test:
    name = value.strip().lower()
    today = scope.today
    stages = scope.stages
    if name == "overdue":

        def overdue(card: DealCard, _facts: CardFacts) -> bool:
            close = card.close_date
            return close is not None and close < today and stages[card.stage_id].is_open

        return overdue
    window = _close_window(name, today)
    if window is None:
        raise problem(term, f"close: takes {_CLOSE_NAMES}")
    start, end = window
    return lambda card, _facts: card.close_date is not None and start <= card.close_date < end


#: `key:VALUE` terms. A new one is one entry here and one function.
KEYED_TERMS: dict[str, Callable[[str, str, FilterScope], Test]] = {
    "owner": _owner,
    "stage": _stage,
    "pipeline": _pipeline,
    "currency": _currency,
    "close": _close,
}


#: What each keyed term takes, for the message when its value is missing.
KEYED_VALUES = {
    "owner": "a name, such as owner:dana",
    "stage": 'a stage name or number, such as stage:proposal or stage:"needs analysis"',
    "pipeline": 'a pipeline name or number, such as pipeline:renewals or pipeline:"new business"',
    "currency": "a currency code, such as currency:EUR",
    "close": _CLOSE_NAMES,
}


#: The flag terms, in the order the help lists them.
FLAGS = ("stale", "no-next-step", "objections", "open", "won", "lost")


def flag_tests(scope: FilterScope) -> dict[str, Test]:
    stages = scope.stages
    now = scope.now

    def kind_is(kind: StageKind) -> Test:
        return lambda card, _facts: stages[card.stage_id].kind is kind

    flags: dict[str, Test] = {
        "stale": lambda card, _facts: is_stale(card, stages[card.stage_id], now),
        "no-next-step": lambda card, facts: facts.next_followup is None and stages[card.stage_id].is_open,
        "objections": lambda card, facts: facts.open_objections > 0,
        "open": kind_is(StageKind.OPEN),
        "won": kind_is(StageKind.WON),
        "lost": kind_is(StageKind.LOST),
    }
    assert tuple(flags) == FLAGS
    return flags


def amount_test(op: str, value: str, term: str) -> Test:
    try:
        threshold = parse_amount(value)
    except ValidationError:
        threshold = None
    if threshold is None:
        raise problem(term, f"amount{op} takes an amount as typed: 10000, 10k, 1.5m")
    per_currency: dict[str, Decimal] = {}  # the threshold in each currency's minor units

    def minor(currency: str) -> Decimal:
        scaled = per_currency.get(currency)
        if scaled is None:
            scaled = per_currency[currency] = threshold.scaleb(minor_digits(currency))
        return scaled

    if op == ">":
        return lambda card, _facts: card.amount_minor is not None and card.amount_minor > minor(card.currency)
    return lambda card, _facts: card.amount_minor is not None and card.amount_minor < minor(card.currency)
