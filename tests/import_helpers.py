"""Helpers for the import tests: fixture files, and a database's deals as comparable rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from closedwon_tui.services import PipelineService
from closedwon_tui.services.importing import ImportRequest

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def request(name: str, **options: Any) -> ImportRequest:
    path = name if "/" in name else fixture(name)
    return ImportRequest(path, **options)


def by_title(service: PipelineService) -> dict[str, Any]:
    return {deal.title: deal for deal in service.deals()}


def stage_names(service: PipelineService) -> dict[str, str]:
    """deal title -> the name of its stage."""
    return {deal.title: service.stage(deal.stage_id).name for deal in service.deals()}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)
