"""Which CRM wrote a file, and which of its columns hold what.

Headers are the exporting user's labels: reordered, upper-cased, with custom columns. Each
source has aliases per field (the first alias present wins), matched case-insensitively and
with spaces collapsed; Pipedrive's `Deal - ` prefix is optional. The source is the one whose
aliases explain most of the header, unless the user names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from closedwon_tui.domain.errors import ValidationError


class Source(StrEnum):
    PIPEDRIVE = "pipedrive"
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"
    ZOHO = "zoho"
    CLOSEDWON = "closedwon"

    @property
    def label(self) -> str:
        return {"hubspot": "HubSpot", "closedwon": "closedwon"}.get(self.value, self.value.capitalize())


def parse_source(text: str) -> Source:
    try:
        return Source(text.strip().lower())
    except ValueError:
        raise ValidationError(
            f"unknown --source {text!r} (choose {', '.join(s.value for s in Source)})", "source"
        ) from None


#: The fields an import can fill, with the deal field or import fact each one feeds.
FIELDS = (
    "record_id", "title", "company", "contact_name", "contact_email", "amount", "currency", "probability",
    "close_date", "owner", "source", "stage", "pipeline", "status", "is_won", "is_closed", "created_at",
    "closed_at", "won_at", "lost_at", "lost_reason", "lost_note", "next_step", "description",
    "last_activity_at", "stage_entered_at", "next_activity", "budget_ok", "budget_note", "authority_ok",
    "authority_note", "need_ok", "need_note", "timing_ok", "timing_note", "went_well", "nearly_lost",
    "origin_source", "origin_id", "database_id", "ignored",
)  # fmt: skip

_PIPEDRIVE = {
    "record_id": ("pipedrive system id", "id", "deal id"),
    "title": ("title", "deal title", "name"),
    "company": ("organization", "organization name", "organisation", "organisation name"),
    "contact_name": ("contact person", "person", "contact person name", "person name"),
    "contact_email": ("person - email", "contact person - email", "contact person email", "email"),
    "amount": ("value", "deal value"),
    "currency": ("currency of value", "currency"),
    "probability": ("probability",),
    "close_date": ("expected close date",),
    "owner": ("owner", "owner name", "user"),
    "source": ("lead source", "source channel", "source"),
    "stage": ("stage", "stage (pipeline)", "pipeline stage"),
    "pipeline": ("pipeline",),
    "status": ("status",),
    "created_at": ("deal created", "creation date", "add time", "created"),
    "closed_at": ("deal closed on", "closed on", "close time"),
    "won_at": ("won time",),
    "lost_at": ("lost time",),
    "lost_reason": ("lost reason",),
    "last_activity_at": ("last activity date",),
    "stage_entered_at": ("last stage change",),
    "next_activity": ("next activity date",),
    "ignored": ("weighted value", "update time", "label", "creator", "visible to", "total activities",
                "done activities", "activities to do", "email messages count", "product quantity",
                "product amount", "lead source channel"),
}  # fmt: skip

_HUBSPOT = {
    "record_id": ("record id", "deal id", "hs_object_id"),
    "title": ("deal name", "dealname"),
    "company": ("associated company", "associated company (primary)", "company name", "company"),
    "contact_name": ("associated contact", "contact name"),
    "amount": ("amount", "amount in company currency"),
    "currency": ("currency", "deal currency code", "deal_currency_code"),
    "probability": ("deal probability", "hs_deal_stage_probability"),
    "close_date": ("close date", "closedate"),
    "owner": ("deal owner", "hubspot_owner_id"),
    "source": ("original source type", "original source", "lead source", "source"),
    "stage": ("deal stage", "dealstage"),
    "pipeline": ("pipeline",),
    "is_won": ("is closed won", "hs_is_closed_won"),
    "is_closed": ("is deal closed?", "is closed", "hs_is_closed"),
    "created_at": ("create date", "createdate"),
    "lost_reason": ("closed lost reason", "closed_lost_reason"),
    "next_step": ("next step", "hs_next_step"),
    "description": ("deal description", "description"),
    "last_activity_at": ("last activity date", "notes_last_updated"),
    "ignored": ("deal type", "last modified date", "date of last meeting booked in meetings tool",
                "associated product", "products", "associated product ids", "forecast amount",
                "forecast category", "deal probability (legacy)"),
}  # fmt: skip

_SALESFORCE = {
    "record_id": ("id", "opportunity id", "opportunityid", "opportunity id (18)"),
    "title": ("name", "opportunity name"),
    "company": ("account.name", "account name"),
    "contact_name": ("contact.name", "primary contact", "contact name"),
    "amount": ("amount",),
    "currency": ("currencyisocode", "opportunity currency", "amount currency", "currency"),
    "probability": ("probability", "probability (%)"),
    "close_date": ("closedate", "close date"),
    "owner": ("owner.name", "opportunity owner", "owner full name", "owner name", "ownerid"),
    "source": ("leadsource", "lead source"),
    "stage": ("stagename", "stage"),
    "is_won": ("iswon", "is won", "won"),
    "is_closed": ("isclosed", "is closed", "closed"),
    "created_at": ("createddate", "created date"),
    "lost_reason": ("lost_reason__c", "lost reason", "loss reason", "reason lost", "closed lost reason"),
    "next_step": ("nextstep", "next step"),
    "description": ("description",),
    "last_activity_at": ("lastactivitydate", "last activity"),
    "stage_entered_at": ("laststagechangedate", "last stage change date"),
    "ignored": ("accountid", "type", "forecastcategoryname", "forecast category", "fiscal period", "age",
                "expectedrevenue", "expected revenue", "fiscalyear", "fiscalquarter", "isdeleted",
                "lastmodifieddate", "systemmodstamp", "createdbyid", "lastmodifiedbyid", "campaignid",
                "pricebook2id", "hasopportunitylineitem", "fiscal", "forecastcategory"),
}  # fmt: skip

_ZOHO = {
    "record_id": ("record id", "deal id", "id"),
    "title": ("deal name",),
    "company": ("account name",),
    "contact_name": ("contact name",),
    "amount": ("amount",),
    "currency": ("currency",),
    "probability": ("probability (%)", "probability"),
    "close_date": ("closing date",),
    "owner": ("deal owner",),
    "source": ("lead source",),
    "stage": ("stage",),
    "pipeline": ("pipeline", "layout"),
    "created_at": ("created time",),
    "lost_reason": ("reason for loss", "reason for loss__s", "lost reason"),
    "next_step": ("next step",),
    "description": ("description",),
    "last_activity_at": ("last activity time",),
    "ignored": ("account name.id", "contact name.id", "deal owner.id", "type", "expected revenue",
                "modified time", "created by", "modified by", "campaign source", "exchange rate", "tag",
                "overall sales duration", "sales cycle duration"),
}  # fmt: skip

#: closedwon's own export: its columns are the deal's field names.
CLOSEDWON_COLUMNS = (
    "id", "title", "company", "contact_name", "contact_email", "amount", "currency", "probability",
    "close_date", "owner", "source", "stage", "pipeline", "created_at", "updated_at", "stage_entered_at",
    "last_activity_at", "closed_at", "lost_reason", "lost_note", "budget_ok", "budget_note", "authority_ok",
    "authority_note", "need_ok", "need_note", "timing_ok", "timing_note", "next_step", "went_well",
    "nearly_lost", "origin_source", "origin_id", "database_id",
)  # fmt: skip

_CLOSEDWON = {
    **{name: (name,) for name in CLOSEDWON_COLUMNS if name not in ("id", "updated_at")},
    "record_id": ("id",),
    "ignored": ("updated_at", "weighted_amount", "stage_kind", "days_in_stage", "version", "position"),
}

ALIASES: dict[Source, dict[str, tuple[str, ...]]] = {
    Source.PIPEDRIVE: _PIPEDRIVE,
    Source.HUBSPOT: _HUBSPOT,
    Source.SALESFORCE: _SALESFORCE,
    Source.ZOHO: _ZOHO,
    Source.CLOSEDWON: _CLOSEDWON,
}

#: Headers only one source writes: they settle a tie.
_SIGNATURES = {
    Source.PIPEDRIVE: ("pipedrive system id", "currency of value", "won time", "lost time", "organization"),
    Source.HUBSPOT: ("deal stage", "dealstage", "create date", "hs_object_id", "associated company"),
    Source.SALESFORCE: ("stagename", "opportunity name", "opportunity id", "iswon", "account.name", "closedate"),
    Source.ZOHO: ("closing date", "account name.id", "created time", "reason for loss"),
    Source.CLOSEDWON: ("database_id", "stage_entered_at", "contact_name", "origin_source"),
}

_PIPEDRIVE_PREFIX = "deal - "


def normalize(header: str) -> str:
    return " ".join(header.strip().strip("\ufeff").lower().split())


def _candidates(header: str, source: Source) -> tuple[str, ...]:
    name = normalize(header)
    if source is Source.PIPEDRIVE and name.startswith(_PIPEDRIVE_PREFIX):
        return (name.removeprefix(_PIPEDRIVE_PREFIX), name)
    return (name,)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column holds each field, for one source; the columns nothing reads."""

    source: Source
    #: field -> index of its column in the file.
    columns: dict[str, int]
    #: Headers of columns the import does not read (unknown ones and known ones closedwon has no use for).
    unused: tuple[str, ...]
    headers: tuple[str, ...]

    def has(self, field: str) -> bool:
        return field in self.columns

    def header(self, field: str) -> str:
        return self.headers[self.columns[field]]


def map_columns(headers: Sequence[str], source: Source) -> ColumnMap:
    """Each field's column for `source`: the first of its aliases present; a header feeds one field."""
    aliases = ALIASES[source]
    lookup: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        for candidate in _candidates(header, source):
            lookup.setdefault(candidate, []).append(index)
    taken: set[int] = set()
    columns: dict[str, int] = {}
    for field, names in aliases.items():
        if field == "ignored":
            continue
        for name in names:
            free = [i for i in lookup.get(name, []) if i not in taken]
            if free:
                columns[field] = free[0]
                taken.add(free[0])
                break
    unused = tuple(h for i, h in enumerate(headers) if i not in taken and h.strip())
    return ColumnMap(source=source, columns=columns, unused=unused, headers=tuple(headers))


def _score(headers: Sequence[str], source: Source) -> tuple[int, int]:
    mapped = map_columns(headers, source)
    known = {n for names in ALIASES[source].values() for n in names}
    explained = len(mapped.columns) + sum(1 for h in mapped.unused if any(c in known for c in _candidates(h, source)))
    prefixed = source is Source.PIPEDRIVE and any(normalize(h).startswith(_PIPEDRIVE_PREFIX) for h in headers)
    signs = sum(1 for h in headers if normalize(h) in _SIGNATURES[source]) + (5 if prefixed else 0)
    return explained + signs, signs


def detect_source(headers: Sequence[str]) -> Source:
    """The source whose aliases explain most of the header (its own marks settle a tie)."""
    scores = {source: _score(headers, source) for source in Source}
    best = max(Source, key=lambda s: scores[s])
    if scores[best][0] == 0 or not map_columns(headers, best).has("title"):
        titled = [s for s in Source if map_columns(headers, s).has("title")]
        if not titled:
            raise ValidationError(no_title_message(headers))
        best = max(titled, key=lambda s: scores[s])
    return best


def no_title_message(headers: Sequence[str], source: Source | None = None) -> str:
    sources = [source] if source else list(Source)
    names = []
    for s in sources:
        for alias in ALIASES[s]["title"]:
            label = alias.title() if s is not Source.CLOSEDWON else alias
            if label not in names:
                names.append(label)
    shown = ", ".join(repr(h) for h in list(headers)[:6]) + (", ..." if len(headers) > 6 else "")
    return f"no title column (looked for {', '.join(names)}; the file's columns: {shown or 'none'})"
