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


def _signature(count: int, now: datetime) -> str:
    from closedwon_tui.storage.migrate import SCHEMA_HEAD

    return f"v{SEED_VERSION}-schema{SCHEMA_HEAD}-{count}-{now:%Y%m%d}"


def url_for(db: str | None, count: int) -> str | None:
    """`--db` may name one database per size with `{n}` (e.g. postgresql+psycopg://u:p@host/bench_{n})."""
    return None if db is None else db.replace("{n}", str(count))


def build(url: str, count: int, now: datetime) -> dict[str, int]:
    """Seed an empty database at `url` with `count` deals; returns the row counts."""
    from seed_fast import write
    from seed_plan import plan

    from closedwon_tui.storage.database import Database

    db = Database.open(url)
    try:
        return write(db, plan(count, now))
    finally:
        db.close()


def seeded(count: int, db: str | None = None, *, quiet: bool = True) -> str:
    """The URL of a database seeded with `count` deals: the cached file, or `db` (reseeded if needed)."""
    now = _now()
    signature = _signature(count, now)
    target = url_for(db, count)
    if target is None or target.startswith("sqlite"):
        CACHE.mkdir(exist_ok=True)
        (CACHE / ".gitignore").write_text("*\n")
        path = CACHE / f"seed-{signature}.db"
        if not path.exists():
            for old in CACHE.glob(f"seed-v*-{count}-*.db*"):
                old.unlink()
            started = time.perf_counter()
            partial = path.with_suffix(".partial")
            for leftover in CACHE.glob(partial.name + "*"):
                leftover.unlink()
            counts = build(f"sqlite:///{partial}", count, now)
            _checkpoint(f"sqlite:///{partial}")
            partial.rename(path)
            _report(count, counts, time.perf_counter() - started, quiet)
        return f"sqlite:///{path}"
    if _marker(target) != signature:
        started = time.perf_counter()
        _reset(target)
        counts = build(target, count, now)
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
            conn.execute(text("ANALYZE"))
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
