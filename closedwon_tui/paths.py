"""Where closedwon keeps its files. Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from closedwon_tui.domain.errors import StorageError

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
        _check_text(env, DB_ENV)
        return _as_url(env)
    path = default_db_path()
    make_private_folder(path.parent)
    return sqlite_url(path)


def make_private_folder(folder: Path) -> None:
    """The data folder, created readable by its owner only (0700, whatever the umask); one clear
    line when it cannot be made."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)
    except FileExistsError:
        if not folder.is_dir():
            raise StorageError(f"cannot create the data folder {str(folder)!r}: a file has that name") from None
    except OSError as exc:
        raise StorageError(f"cannot create the data folder {str(folder)!r}: {exc.strerror or exc}") from None


def _check_text(value: str, name: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise StorageError(f"{name} is not valid UTF-8 text") from None


def _as_url(value: str) -> str:
    """A URL as given, or a plain file path taken as SQLite."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    try:
        path = path.resolve()
    except (RuntimeError, OSError):  # a symbolic link loop: the engine says so in one line
        path = path.absolute()
    return sqlite_url(path)
