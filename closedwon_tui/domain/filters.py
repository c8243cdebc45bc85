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

The terms themselves (what `owner:`, `stale` or `amount>N` means) are in `domain.filter_terms`;
a new keyed term is one function there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.filter_terms import (
    FLAGS,
    KEYED_TERMS,
    KEYED_VALUES,
    FilterScope,
    Haystacks,
    Test,
    amount_test,
    flag_tests,
    problem,
    word_test,
)
from closedwon_tui.domain.models import CardFacts, DealCard, Pipeline, Stage

#: What a filter may say, for messages and the help screen.
FILTER_SYNTAX = (
    "words, owner:NAME, stage:NAME, pipeline:NAME, amount>N, amount<N, currency:CODE, "
    "close:overdue|this-month|next-month|this-quarter|next-quarter, "
    "stale, no-next-step, objections, open, won, lost, and -TERM to negate any of them"
)

_NO_FACTS = CardFacts()


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

    def added_since(self, before: DealFilter) -> DealFilter:
        """What is left to test on the deals `before` matched, when this filter `narrows` it: its
        terms from the first that differs from `before`'s (a free word typed further, or terms
        added); the terms before that hold already."""
        old, new = before.terms, self.terms
        first = next((i for i, (a, b) in enumerate(zip(old, new)) if a.text != b.text), min(len(old), len(new)))
        terms = new[first:]
        return DealFilter(" ".join(t.text for t in terms), terms)

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
    names = (*(f"{key}:" for key in KEYED_TERMS), "amount>", "amount<", *FLAGS)
    return start if any(name.startswith(word) and name != word for name in names) else None


_AMOUNT = re.compile(r"^amount\s*(?P<op>[<>])(?P<value>.*)$", re.IGNORECASE)
_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z-]*):(?P<value>.*)$")


def _term(token: _Token, scope: FilterScope, flags: dict[str, Test], haystacks: Haystacks) -> Term:
    raw = token.raw
    negated = raw.startswith("-") and len(raw) > 1
    body = _Token(raw[1:], token.text[1:], raw[1:].startswith('"') and token.quoted) if negated else token
    if raw == "-":
        raise problem(raw, f"a lone '-' negates nothing (terms: {FILTER_SYNTAX})")
    if not body.quoted:
        text = body.raw
        if (amount := _AMOUNT.match(text)) is not None:
            return Term(raw, amount_test(amount["op"], amount["value"].replace('"', ""), raw), negated)
        if (keyed := _KEY.match(text)) is not None:
            key = keyed["key"].lower()
            make = KEYED_TERMS.get(key)
            if make is None:
                keys = ", ".join(f"{k}:" for k in KEYED_TERMS)
                raise problem(raw, f"unknown term {key}: (keyed terms are {keys}; quote a word with a colon)")
            value = keyed["value"].replace('"', "").strip()
            if not value:
                raise problem(raw, f"{key}: needs a value: {KEYED_VALUES[key]}")
            return Term(raw, make(value, raw, scope), negated)
        flag = flags.get(text.lower())
        if flag is not None:
            return Term(raw, flag, negated)
    word = body.text.casefold()
    if not word:
        raise problem(raw, "empty quotes match nothing")
    return Term(raw, word_test(word, haystacks), negated, None if negated else word)


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
    flags = flag_tests(scope)
    kept = haystacks or Haystacks()
    terms = tuple(_term(token, scope, flags, kept) for token in _tokens(text))
    return DealFilter(" ".join(t.text for t in terms), terms)


def filter_deals(deal_filter: DealFilter, cards: Sequence[DealCard], facts: Mapping[int, CardFacts]) -> list[DealCard]:
    """The cards the filter matches, in the order given."""
    if deal_filter.is_empty:
        return list(cards)
    matches = deal_filter.matches
    return [card for card in cards if matches(card, facts.get(card.id))]
