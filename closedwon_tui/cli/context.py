"""Open the database and the service for one command-line run."""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.local_time import use_time_zone
from closedwon_tui.paths import config_path, database_url, sqlite_url
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings, load_settings
from closedwon_tui.storage.database import Database


@dataclass
class Context:
    service: PipelineService
    settings: Settings

    def close(self) -> None:
        self.service.db.close()


def open_context(args: argparse.Namespace) -> Context:
    settings = load_settings()
    try:
        use_time_zone(settings.timezone)
    except ValueError as exc:
        raise ValidationError(f"settings file {config_path()}: {exc}", "timezone") from None
    db = Database.open(database_url(args.db))
    service = PipelineService(db, actor=settings.owner or None, default_currency=settings.currency)
    return Context(service=service, settings=settings)


def demo_url() -> str:
    """A throwaway SQLite file for `closedwon --demo`."""
    folder = Path(tempfile.mkdtemp(prefix="closedwon-demo-"))
    return sqlite_url(folder / "demo.db")
