"""The database schema as SQLAlchemy Core tables. Alembic owns its evolution.

Core only, no ORM: the app starts without importing `sqlalchemy.orm` (about 35 ms), and
the repository turns rows into domain objects itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    literal_column,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python; naive UTC in the column, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """On SQLite the column is text: parse it with `fromisoformat`, several times faster than
        SQLAlchemy's regular expression (the board reads five per deal). Anything unusual takes
        the general path."""
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general
        parse = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            try:
                return parse(value + "+00:00")  # naive UTC text: one C call, aware result
            except (TypeError, ValueError):
                return general(value)

        return process


metadata = MetaData()


pipelines = Table(
    "pipelines",
    metadata,
    Column("id", Integer, primary_key=True),
    # Unique among the pipelines not archived: the services check it (an archived one keeps its name).
    Column("name", String(80), nullable=False),
    Column("position", Integer, nullable=False),
    Column("archived", Boolean, default=False, nullable=False),
)


stages = Table(
    "stages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pipeline_id", ForeignKey("pipelines.id"), index=True, nullable=False),
    # Unique within its pipeline among the stages not archived: the services check it.
    Column("name", String(80), nullable=False),
    Column("position", Integer, nullable=False),
    Column("probability", Integer, nullable=False),
    Column("kind", String(8), default="open", nullable=False),
    Column("rotting_days", Integer),
    # A removed stage stays, archived, so that past events and reports still name it.
    Column("archived", Boolean, default=False, nullable=False),
)


#: Changes to pipelines and their stages: who, when, what (before and after, for undo).
pipeline_events = Table(
    "pipeline_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pipeline_id", ForeignKey("pipelines.id"), index=True, nullable=False),
    Column("stage_id", ForeignKey("stages.id")),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(120), default="", nullable=False),
    Column("kind", String(24), nullable=False),
    Column("details", JSON, default=dict, nullable=False),
)


deals = Table(
    "deals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("company", String(200), default="", nullable=False),
    Column("contact_name", String(200), default="", nullable=False),
    Column("contact_email", String(200), default="", nullable=False),
    Column("amount_minor", BigInteger),
    Column("currency", String(3), default="USD", nullable=False),
    Column("probability", Integer),
    Column("close_date", Date),
    Column("owner", String(120), default="", index=True, nullable=False),
    Column("source", String(120), default="", nullable=False),
    Column("budget_note", Text, default="", nullable=False),
    Column("budget_ok", Boolean, default=False, nullable=False),
    Column("authority_note", Text, default="", nullable=False),
    Column("authority_ok", Boolean, default=False, nullable=False),
    Column("need_note", Text, default="", nullable=False),
    Column("need_ok", Boolean, default=False, nullable=False),
    Column("timing_note", Text, default="", nullable=False),
    Column("timing_ok", Boolean, default=False, nullable=False),
    Column("next_step", Text, default="", nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("last_activity_at", UTCDateTime, nullable=False),
    Column("stage_id", ForeignKey("stages.id"), nullable=False),
    Column("stage_entered_at", UTCDateTime, nullable=False),
    Column("position", Integer, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("lost_reason", String(120), default="", nullable=False),
    Column("lost_note", Text, default="", nullable=False),
    Column("went_well", Text, default="", nullable=False),
    Column("nearly_lost", Text, default="", nullable=False),
    Column("version", Integer, nullable=False),
    # Where an imported deal came from, so importing it again updates it: ("pipedrive", "1042").
    Column("origin_source", String(20)),
    Column("origin_id", String(120)),
    Index("ix_deals_stage_position", "stage_id", "position"),
    Index("ix_deals_origin", "origin_source", "origin_id", unique=True),
    Index("ix_deals_created_at", "created_at"),  # a report period's funnel: the deals created in it
)
# A big board's first frame counts each column from this index alone, in its order (storage/board_rows.py).
Index("ix_deals_board_sums", deals.c.currency, deals.c.stage_id, deals.c.probability,
      deals.c.amount_minor % literal_column("200"), deals.c.amount_minor, deals.c.closed_at)  # fmt: skip
# The reports count every deal from this index alone, in its order (storage/report_queries.py).
Index("ix_deals_forecast", deals.c.stage_id, deals.c.currency, deals.c.close_date, deals.c.probability,
      deals.c.amount_minor % literal_column("200"), deals.c.amount_minor, deals.c.closed_at)  # fmt: skip


objections = Table(
    "objections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", ForeignKey("deals.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("response", Text, default="", nullable=False),
    Column("status", String(12), default="open", nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


followups = Table(
    "followups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", ForeignKey("deals.id", ondelete="CASCADE"), index=True, nullable=False),
    # Wall-clock time of the rep (naive): a follow-up is due "on Friday", wherever they are.
    Column("due", DateTime, nullable=False),
    Column("has_time", Boolean, default=False, nullable=False),
    Column("note", Text, default="", nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
)
# The agenda's soonest pending follow-ups, read in order from here (storage/activity_rows.py).
Index("ix_followups_pending", followups.c.due, followups.c.id, sqlite_where=followups.c.done_at.is_(None),
      postgresql_where=followups.c.done_at.is_(None))  # fmt: skip


notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", ForeignKey("deals.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


deal_events = Table(
    "deal_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", ForeignKey("deals.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(120), default="", nullable=False),
    Column("kind", String(24), index=True, nullable=False),
    Column("from_stage_id", ForeignKey("stages.id")),
    Column("to_stage_id", ForeignKey("stages.id")),
    Column("details", JSON, default=dict, nullable=False),
)


import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(120), default="", nullable=False),
    Column("file", Text, nullable=False),
    Column("source", String(20), nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    # What the import wrote, for undo: {"created": [[deal id, event id], ...],
    # "updated": [[deal id, event id, version after], ...]}, and its summary.
    Column("details", JSON, default=dict, nullable=False),
    Column("undone_at", UTCDateTime),
)


# Facts about the database itself, such as its id (calendar UIDs are built on it).
database_info = Table(
    "database_info",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)


#: Each deal's stays in its stages, replayed from its history by `domain.replay` (the one rule)
#: in the same transaction as every event that puts the deal in a stage (storage/stays.py), so
#: the funnel and the days in stage are counted in SQL without reading the history.
deal_stays = Table(
    "deal_stays",
    metadata,
    Column("deal_id", ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("stage_id", ForeignKey("stages.id"), nullable=False),
    Column("entered_at", UTCDateTime, nullable=False),
    Column("left_at", UTCDateTime),
    #: Whole seconds from entering to leaving; NULL while the deal is still there.
    Column("seconds", BigInteger),
    Index("ix_deal_stays_left_at", "left_at", "stage_id", "seconds"),  # a period's days in stage, from it alone
)
