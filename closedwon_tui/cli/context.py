"""Open the database and the service for one command-line run."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.local_time import use_time_zone
from closedwon_tui.paths import database_url, sqlite_url
from closedwon_tui.services import PipelineService
from closedwon_tui.services.demo import seed_demo
from closedwon_tui.settings import Settings, load_settings
from closedwon_tui.storage.database import Database


@dataclass
class Context:
    service: PipelineService
    settings: Settings
    #: The throwaway folder of `--demo`, removed on close.
    demo_folder: Path | None = None

    def close(self) -> None:
        self.service.db.close()
        if self.demo_folder is not None:
            shutil.rmtree(self.demo_folder, ignore_errors=True)


def open_context(args: argparse.Namespace) -> Context:
    """Settings, database and service for one run; with `--demo`, a seeded throwaway database
    (never the rep's own), whichever command runs on it."""
    settings = load_settings()
    use_time_zone(settings.timezone)  # the rep's calendar, before anything reads a local date
    if args.demo and args.db:
        raise ValidationError("--demo uses a throwaway demo database; leave out --db, or leave out --demo")
    folder = _demo_folder() if args.demo else None
    try:
        db = Database.open(sqlite_url(folder / "demo.db") if folder else database_url(args.db))
        if folder:
            seed_demo(db)
    except BaseException:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    service = PipelineService(
        db, actor=settings.owner or None, default_currency=settings.currency, lost_reasons=settings.lost_reasons
    )
    return Context(service=service, settings=settings, demo_folder=folder)


def _demo_folder() -> Path:
    """A private temporary folder for `--demo` (0700, as mkdtemp makes it)."""
    return Path(tempfile.mkdtemp(prefix="closedwon-demo-"))
