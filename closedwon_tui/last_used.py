"""What the rep used last, per database, so the board opens where they left it: the pipeline.

A small JSON file in the data folder (never the settings file, which the rep writes). Reading
never fails: a missing or damaged file is simply nothing remembered. Nothing happens at import.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from closedwon_tui.paths import data_dir, make_private_folder

FILE_NAME = "last-used.json"


def _path() -> Path:
    return data_dir() / FILE_NAME


def _read() -> dict[str, int]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)}


def last_pipeline(database: str) -> int | None:
    """The id of the pipeline last shown on `database`'s board, if any."""
    return _read().get(database)


def remember_pipeline(database: str, pipeline_id: int) -> None:
    """Remember the pipeline shown; a folder or file that cannot be written just forgets it."""
    data = _read()
    if data.get(database) == pipeline_id:
        return
    data[database] = pipeline_id
    path = _path()
    try:
        make_private_folder(path.parent)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, path)
    except Exception:  # a read-only home: the board still works, it only forgets
        pass
