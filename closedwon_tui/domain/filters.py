"""The filter language, the one the board's `/`, saved views and `--filter` on the CLI read.

A filter is terms separated by spaces, all of which must hold:

    acme renewal              free words: in the title, company, contact or owner
    owner:dana                the owner (any case; the whole name, or the start of it or of one of its words)
    stage:nego                a stage (its board number, its name in any case, or a unique start of it)
    pipeline:renewals         a pipeline (its number, its name in any case, or a unique start of it)
    amount>10k  amount<1.5m   the amount, as amounts are typed (deals without one never match)
    currency:EUR              the deal's currency
    close:this-quarter        the expected close date: overdue (open deals), this-month, next-month,
                              this-quarter, next-quarter, in the rep's time zone
    stale  no-next-step  objections  open  won  lost
    -TERM                     any term negated: -stale, -owner:dana, -acme

Quotes keep spaces in a value (`stage:"needs analysis"`) and make a flag a plain word (`"stale"`).
A malformed term is a `ValidationError` naming the term and what is allowed.

Parsing binds names to stages and amounts once; matching a deal is then a few attribute reads,
fast enough for ten thousand cards per keystroke. `DealFilter.narrows` says when a new filter can
only show fewer deals than the old one (a word typed further), so the board tests only the cards
still shown.

A new keyed term is one function in `_KEYED`.
"""

from __future__ import annotations

import re
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

#: What a filter may say, for messages and the help screen.
FILTER_SYNTAX = (
    "words, owner:NAME, stage:NAME, pipeline:NAME, amount>N, amount<N, currency:CODE, "
    "close:overdue|this-month|next-month|this-quarter|next-quarter, "
    "stale, no-next-step, objections, open, won, lost, and -TERM to negate any of them"
)

_NO_FACTS = CardFacts()


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


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as typed, for messages
    test: Test
    negated: bool = False
    #: A positive free word (casefolded): typing further into it only narrows the match.
    word: str | None = None


@dataclass(frozen=True, slots=True)
class DealFilter:
    """A parsed filter: `matches(card, facts)` is True when every term holds."""

    text: str = ""
    terms: tuple[Term, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def only_word(self) -> str | None:
        """The word (casefolded) when the filter is one positive free word, as while one is typed."""
        if len(self.terms) == 1:
            return self.terms[0].word
        return None

    def matches(self, card: DealCard, facts: CardFacts | None) -> bool:
        facts = facts or _NO_FACTS
        for term in self.terms:  # noqa: SIM110 - a plain loop: all() over a generator is slower per card
            if term.test(card, facts) == term.negated:
                return False
        return True

    def narrows(self, before: DealFilter) -> bool:
        """True when every deal this filter matches, `before` matched too (so only the deals
        `before` matched need testing): the same terms with more added, or its last free word
        typed further."""
        old, new = before.terms, self.terms
        if len(new) < len(old):
            return False
        for i, (a, b) in enumerate(zip(old, new)):
            if a.text == b.text:
                continue
            last = i == len(old) - 1
            if not (last and a.word is not None and b.word is not None and a.word in b.word):
                return False
        return True


# tokens ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Token:
    raw: str  # as typed, quotes included
    text: str  # quotes taken away
    quoted: bool  # the whole token was in quotes


def _tokens(text: str) -> list[_Token]:
    """Split on whitespace outside double quotes."""
    tokens: list[_Token] = []
    raw: list[str] = []
    plain: list[str] = []
    quoting = False
    opened_at = 0
    whole_quote = True

    def flush() -> None:
        nonlocal whole_quote
        if raw:
            joined = "".join(raw)
            quoted = whole_quote and joined.startswith('"') and joined.endswith('"') and len(joined) >= 2
            tokens.append(_Token(joined, "".join(plain), quoted))
        raw.clear()
        plain.clear()
        whole_quote = True

    for i, ch in enumerate(text):
        if ch == '"':
            if not quoting:
                opened_at = i
                if raw and not (raw[-1] == "-" and len(raw) == 1):
                    whole_quote = False
            quoting = not quoting
            raw.append(ch)
        elif ch.isspace() and not quoting:
            flush()
        else:
            raw.append(ch)
            plain.append(ch)
    if quoting:
        raise ValidationError(f"filter: the quote opened at {text[opened_at:]!r} is never closed", "filter")
    flush()
    return tokens


# terms -------------------------------------------------------------------------
def _problem(term: str, what: str) -> ValidationError:
    return ValidationError(f"filter term {term!r}: {what}", "filter")


class Haystacks:
    """Each card's searchable text (title, company, contact, owner, casefolded), built once per
    card: the board keeps one for the session, so typing a filter never rebuilds ten thousand."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[int, tuple[DealCard, str]] = {}

    def of(self, card: DealCard) -> str:
        kept = self._kept.get(card.id)
        if kept is None or kept[0] is not card:  # a changed deal is a new card
            text = f"{card.title}\n{card.company}\n{card.contact_name}\n{card.owner}".casefold()
            self._kept[card.id] = (card, text)
            return text
        return kept[1]


def _word(word: str, haystacks: Haystacks) -> Test:
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
        raise _problem(term, f"no such stage (stages: {names}; quote a name with spaces)") from None
    return lambda card, _facts: card.stage_id == stage_id


def _pipeline(value: str, term: str, scope: FilterScope) -> Test:
    """The deals of one pipeline. Read against one pipeline's stages (the board, or the command
    line pipeline by pipeline), a term naming another pipeline matches none of them."""
    try:
        pipeline_id = find_pipeline(scope.pipelines, value).id
    except ValidationError:
        names = ", ".join(p.name for p in scope.pipelines) or "none"
        raise _problem(term, f"no such pipeline (pipelines: {names}; quote a name with spaces)") from None
    inside = frozenset(s.id for s in scope.stages.values() if s.pipeline_id == pipeline_id)
    return lambda card, _facts: card.stage_id in inside


def _currency(value: str, term: str, _scope: FilterScope) -> Test:
    try:
        code = parse_currency(value)
    except ValidationError:
        raise _problem(term, "a currency is three letters, such as currency:EUR") from None
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
        raise _problem(term, f"close: takes {_CLOSE_NAMES}")
    start, end = window
    return lambda card, _facts: card.close_date is not None and start <= card.close_date < end


#: `key:VALUE` terms. A new one is one entry here and one function.
_KEYED: dict[str, Callable[[str, str, FilterScope], Test]] = {
    "owner": _owner,
    "stage": _stage,
    "pipeline": _pipeline,
    "currency": _currency,
    "close": _close,
}


#: What each keyed term takes, for the message when its value is missing.
_VALUES = {
    "owner": "a name, such as owner:dana",
    "stage": 'a stage name or number, such as stage:proposal or stage:"needs analysis"',
    "pipeline": 'a pipeline name or number, such as pipeline:renewals or pipeline:"new business"',
    "currency": "a currency code, such as currency:EUR",
    "close": _CLOSE_NAMES,
}


#: The flag terms, in the order the help lists them.
FLAGS = ("stale", "no-next-step", "objections", "open", "won", "lost")


def unfinished_term(text: str) -> int | None:
    """Where a last term still being typed starts (`acme sta`, `-`, `amou`): a word that is the
    start of a term's name, with nothing typed after it yet. The board filters by what comes
    before it meanwhile, rather than by a word no deal has; None when the last word is not one."""
    if not text or text[-1].isspace():
        return None
    start = len(text) - len(text.split()[-1])
    word = text[start:].lstrip("-").lower()
    if not word:
        return start  # a lone '-': the negated term comes next
    names = (*(f"{key}:" for key in _KEYED), "amount>", "amount<", *FLAGS)
    return start if any(name.startswith(word) and name != word for name in names) else None


def _flags(scope: FilterScope) -> dict[str, Test]:
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


_AMOUNT = re.compile(r"^amount\s*(?P<op>[<>])(?P<value>.*)$", re.IGNORECASE)
_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z-]*):(?P<value>.*)$")


def _amount(op: str, value: str, term: str) -> Test:
    try:
        threshold = parse_amount(value)
    except ValidationError:
        threshold = None
    if threshold is None:
        raise _problem(term, f"amount{op} takes an amount as typed: 10000, 10k, 1.5m")
    per_currency: dict[str, Decimal] = {}  # the threshold in each currency's minor units

    def minor(currency: str) -> Decimal:
        scaled = per_currency.get(currency)
        if scaled is None:
            scaled = per_currency[currency] = threshold.scaleb(minor_digits(currency))
        return scaled

    if op == ">":
        return lambda card, _facts: card.amount_minor is not None and card.amount_minor > minor(card.currency)
    return lambda card, _facts: card.amount_minor is not None and card.amount_minor < minor(card.currency)


def _term(token: _Token, scope: FilterScope, flags: dict[str, Test], haystacks: Haystacks) -> Term:
    raw = token.raw
    negated = raw.startswith("-") and len(raw) > 1
    body = _Token(raw[1:], token.text[1:], raw[1:].startswith('"') and token.quoted) if negated else token
    if raw == "-":
        raise _problem(raw, f"a lone '-' negates nothing (terms: {FILTER_SYNTAX})")
    if not body.quoted:
        text = body.raw
        if (amount := _AMOUNT.match(text)) is not None:
            return Term(raw, _amount(amount["op"], amount["value"].replace('"', ""), raw), negated)
        if (keyed := _KEY.match(text)) is not None:
            key = keyed["key"].lower()
            make = _KEYED.get(key)
            if make is None:
                keys = ", ".join(f"{k}:" for k in _KEYED)
                raise _problem(raw, f"unknown term {key}: (keyed terms are {keys}; quote a word with a colon)")
            value = keyed["value"].replace('"', "").strip()
            if not value:
                raise _problem(raw, f"{key}: needs a value: {_VALUES[key]}")
            return Term(raw, make(value, raw, scope), negated)
        flag = flags.get(text.lower())
        if flag is not None:
            return Term(raw, flag, negated)
    word = body.text.casefold()
    if not word:
        raise _problem(raw, "empty quotes match nothing")
    return Term(raw, _word(word, haystacks), negated, None if negated else word)


def parse_filter(
    text: str,
    stages: Sequence[Stage],
    now: datetime,
    *,
    pipelines: Sequence[Pipeline] = (),
    haystacks: Haystacks | None = None,
) -> DealFilter:
    """The filter `text` means; a `ValidationError` naming the first malformed term.

    `pipelines` are those a `pipeline:` term may name (every pipeline, in order, for the same
    numbers as `closedwon pipeline list`); `haystacks` keeps the cards' searchable text between
    filters (the board passes its own)."""
    scope = FilterScope({s.id: s for s in stages}, now, pipelines)
    flags = _flags(scope)
    kept = haystacks or Haystacks()
    terms = tuple(_term(token, scope, flags, kept) for token in _tokens(text))
    return DealFilter(" ".join(t.text for t in terms), terms)


def filter_deals(deal_filter: DealFilter, cards: Sequence[DealCard], facts: Mapping[int, CardFacts]) -> list[DealCard]:
    """The cards the filter matches, in the order given."""
    if deal_filter.is_empty:
        return list(cards)
    matches = deal_filter.matches
    return [card for card in cards if matches(card, facts.get(card.id))]
