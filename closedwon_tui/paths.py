"""Where closedwon keeps its files. Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "closedwon"
DB_ENV = "CLOSEDWON_DB"
CONFIG_ENV = "CLOSEDWON_CONFIG"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def default_db_path() -> Path:
    return data_dir() / "closedwon.db"


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    return Path(override).expanduser() if override else platformdirs.user_config_path(APP_NAME) / "config.toml"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def database_url(flag: str | None = None) -> str:
    """`--db`, then `CLOSEDWON_DB`, then the default SQLite file (its folder made on first use)."""
    if flag:
        return _as_url(flag)
    env = os.environ.get(DB_ENV)
    if env:
        return _as_url(env)
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite_url(path)


def _as_url(value: str) -> str:
    """A URL as given, or a plain file path taken as SQLite."""
    if "://" in value:
        return value
    return sqlite_url(Path(value).expanduser().resolve())
