"""Seeded databases for the benchmarks, built once and cached on disk.

A seeded database holds `count` deals with a year of realistic history (see seed_plan.py),
written with Core executemany (seed_fast.py). SQLite databases are cached as files under
benchmarks/.seeded/ (named by seed version, schema revision, size and day, since the
history is laid out relative to the day it was built); a PostgreSQL database given with
`--db URL` is reseeded only when it does not already hold that seed (a marker table says
which). Benchmarks that write work on a copy (SQLite) or mark the database for reseeding
(PostgreSQL).

    python benchmarks/_seed.py 50000 [--db URL]     # build (or find) the seeded database
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: Bump when the plan or the writer changes: every cached database is built again.
SEED_VERSION = 1
CACHE = HERE / ".seeded"
MARKER = "closedwon_bench_seed"


def _now() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def _signature(count: int, now: datetime, pipelines: int = 1) -> str:
    from closedwon_tui.storage.migrate import SCHEMA_HEAD

    split = f"-{pipelines}pipelines" if pipelines > 1 else ""
    return f"v{SEED_VERSION}-schema{SCHEMA_HEAD}-{count}{split}-{now:%Y%m%d}"


def url_for(db: str | None, count: int) -> str | None:
    """`--db` may name one database per size with `{n}` (e.g. postgresql+psycopg://u:p@host/bench_{n})."""
    return None if db is None else db.replace("{n}", str(count))


#: The pipelines a split database has, after Sales (each a copy of the Sales stages).
EXTRA_PIPELINES = ("Renewals", "Partners", "Expansion", "Channel")


def build(url: str, count: int, now: datetime, pipelines: int = 1) -> dict[str, int]:
    """Seed an empty database at `url` with `count` deals; returns the row counts. With several
    `pipelines`, deal n goes to pipeline n % pipelines (Sales, Renewals, Partners...), with its
    history and stays: each pipeline holds count / pipelines deals with the same kind of history."""
    from seed_fast import write
    from seed_plan import plan

    from closedwon_tui.storage.database import Database

    db = Database.open(url)
    try:
        counts = write(db, plan(count, now))
        if pipelines > 1:
            _split(db, pipelines)
        return counts
    finally:
        db.close()


def _split(db, pipelines: int) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import case, update

    from closedwon_tui.services import PipelineService
    from closedwon_tui.storage import tables

    service = PipelineService(db, actor="bench")
    sales = {s.name: s.id for s in service.stages()}
    for name in EXTRA_PIPELINES[: pipelines - 1]:
        service.add_pipeline(name)
    with db.write() as repo:
        conn = repo.connection
        for k, name in enumerate(EXTRA_PIPELINES[: pipelines - 1], start=1):
            moved = {sales[s.name]: s.id for s in service.stages(name)}

            def mapped(column, moved=moved):  # type: ignore[no-untyped-def]
                return case(moved, value=column, else_=column)

            d, e, st = tables.deals, tables.deal_events, tables.deal_stays
            conn.execute(update(d).where(d.c.id % pipelines == k).values(stage_id=mapped(d.c.stage_id)))
            conn.execute(update(e).where(e.c.deal_id % pipelines == k)
                         .values(from_stage_id=mapped(e.c.from_stage_id), to_stage_id=mapped(e.c.to_stage_id)))  # fmt: skip
            conn.execute(update(st).where(st.c.deal_id % pipelines == k).values(stage_id=mapped(st.c.stage_id)))


def seeded(count: int, db: str | None = None, *, quiet: bool = True, pipelines: int = 1) -> str:
    """The URL of a database seeded with `count` deals (split across `pipelines`): the cached file,
    or `db` (reseeded if needed)."""
    now = _now()
    signature = _signature(count, now, pipelines)
    target = url_for(db, count)
    if target is None or target.startswith("sqlite"):
        CACHE.mkdir(exist_ok=True)
        (CACHE / ".gitignore").write_text("*\n")
        path = CACHE / f"seed-{signature}.db"
        if not path.exists():
            split = f"-{pipelines}pipelines" if pipelines > 1 else ""
            started = time.perf_counter()
            partial = path.with_suffix(".partial")
            for leftover in CACHE.glob(partial.name + "*"):
                leftover.unlink()
            # The same day's seed at an older schema is the same history: upgraded, not built again.
            earlier = sorted(CACHE.glob(f"seed-v{SEED_VERSION}-schema*-{count}{split}-{now:%Y%m%d}.db"))
            if earlier:
                shutil.copyfile(earlier[0], partial)
                _upgrade(f"sqlite:///{partial}")
                counts = None
            else:
                counts = build(f"sqlite:///{partial}", count, now, pipelines)
            _checkpoint(f"sqlite:///{partial}")
            for old in CACHE.glob(f"seed-v*-{count}{split}-*.db*"):
                if pipelines > 1 or "pipelines" not in old.name:
                    old.unlink()
            partial.rename(path)
            if counts is not None:
                _report(count, counts, time.perf_counter() - started, quiet)
        return f"sqlite:///{path}"
    marker = _marker(target)
    if marker is not None and marker != signature and _same_seed(marker, signature):
        _upgrade(target)  # the same day's seed at an older schema: upgraded, not built again
        _set_marker(target, signature)
        marker = signature
    if marker != signature:
        started = time.perf_counter()
        _reset(target)
        counts = build(target, count, now, pipelines)
        _set_marker(target, signature)
        _report(count, counts, time.perf_counter() - started, quiet)
    return target


@contextmanager
def writable(count: int, db: str | None = None) -> Iterator[str]:
    """A seeded database a benchmark may write to: a copy of the cached file, or `db`, reseeded next time."""
    url = seeded(count, db)
    if url.startswith("sqlite:///"):
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "bench.db"
            shutil.copyfile(url.removeprefix("sqlite:///"), copy)
            yield f"sqlite:///{copy}"
        return
    _set_marker(url, "written")
    yield url


def _report(count: int, counts: dict[str, int], seconds: float, quiet: bool) -> None:
    if quiet:
        return
    per_deal = counts["events"] / max(counts["deals"], 1)
    print(f"seeded {count:,} deals in {seconds:.1f} s: {counts['events']:,} history events ({per_deal:.2f} per deal), "
          f"{counts['followups']:,} follow-ups, {counts['objections']:,} objections, {counts['notes']:,} notes",
          file=sys.stderr)  # fmt: skip


def _same_seed(marker: str, signature: str) -> bool:
    """Whether two signatures name the same seed (version, size, day) at different schemas."""

    def without_schema(text: str) -> list[str]:
        return [part for part in text.split("-") if not part.startswith("schema")]

    return without_schema(marker) == without_schema(signature)


def _upgrade(url: str) -> None:
    """Bring a seeded database to the current schema, as a rep's next start would."""
    from closedwon_tui.storage.database import Database

    Database.open(url).close()


def _checkpoint(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _marker(url: str) -> str | None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(MARKER):
                return None
            return conn.execute(text(f"SELECT signature FROM {MARKER}")).scalar()
    finally:
        engine.dispose()


def _set_marker(url: str, signature: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {MARKER} (signature VARCHAR(200) NOT NULL)"))
        conn.execute(text(f"DELETE FROM {MARKER}"))
        conn.execute(text(f"INSERT INTO {MARKER} (signature) VALUES (:s)"), {"s": signature})
    if signature != "written":
        # A team's database has long been vacuumed by autovacuum; a fresh seed has not, so its pages
        # are not marked all-visible and every index-only scan would read the table as well (and
        # autovacuum would pass over it in the middle of the measurements). VACUUM cannot run in a
        # transaction.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def _reset(url: str) -> None:
    """Drop every table of the database (closedwon's, Alembic's and the marker)."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="Build (or find) a seeded benchmark database.")
    parser.add_argument("count", type=int)
    parser.add_argument("--db", help="a PostgreSQL URL to seed instead of a cached SQLite file ({n}: the size)")
    args = parser.parse_args()
    print(seeded(args.count, args.db, quiet=False))


if __name__ == "__main__":
    main()
