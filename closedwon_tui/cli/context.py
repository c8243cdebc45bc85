"""Open the database and the service for one command-line run."""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from closedwon_tui.paths import database_url, sqlite_url
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
    db = Database.open(database_url(args.db))
    service = PipelineService(
        db, actor=settings.owner or None, default_currency=settings.currency, lost_reasons=settings.lost_reasons
    )
    return Context(service=service, settings=settings)


def demo_url() -> str:
    """A throwaway SQLite file for `closedwon --demo`."""
    folder = Path(tempfile.mkdtemp(prefix="closedwon-demo-"))
    return sqlite_url(folder / "demo.db")
