"""Saved views: filters kept under a name in the `[views]` table of the settings file.

Reading is part of the settings (settings.py checks the table); this module finds a view by the
name a rep types, and writes a new one into the file with tomlkit, which keeps the file as the
rep wrote it: comments, order, blank lines and quoting stay; only the one entry changes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.settings import VIEW_FILTER_LIMIT, VIEW_NAME_LIMIT, Settings


def find_view(settings: Settings, name: str) -> tuple[str, str]:
    """(name, filter) of the view a rep means: its name in any case, or the unique start of it."""
    views = settings.views
    if not views:
        raise ValidationError(
            'no saved views: add some under [views] in the settings file (hot = "amount>50k"), or press V on the board',
            "view",
        )
    wanted = " ".join(name.split()).casefold()
    exact = [n for n in views if n.casefold() == wanted]
    starts = exact or [n for n in views if wanted and n.casefold().startswith(wanted)]
    if len(starts) != 1:
        raise ValidationError(f"unknown view {name!r} (views: {', '.join(views)})", "view")
    return starts[0], views[starts[0]]


def check_view_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("a view needs a name", "view")
    if len(cleaned) > VIEW_NAME_LIMIT:
        raise ValidationError(f"a view's name is at most {VIEW_NAME_LIMIT} characters", "view")
    return cleaned


def save_view(path: Path, name: str, filter_text: str) -> str:
    """Write `name = "filter"` into the file's [views] table (created if missing), replacing a
    view of the same name in any case; the rest of the file stays exactly as it was. Returns the
    name as saved."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    name = check_view_name(name)
    text = " ".join(filter_text.split())
    if len(text) > VIEW_FILTER_LIMIT:
        raise ValidationError(f"a view's filter is at most {VIEW_FILTER_LIMIT} characters", "view")
    try:
        original = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        original = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read settings file {path}: {exc}") from None
    try:
        document = tomlkit.parse(original)
    except TOMLKitError as exc:
        raise ValidationError(f"cannot read settings file {path}: {exc}") from None
    views = document.get("views")
    if views is None:
        views = tomlkit.table()
        document["views"] = views
    elif not isinstance(views, dict):
        raise ValidationError(f"settings file {path}: views: expected a table of names and filters")
    for existing in list(views):
        if " ".join(str(existing).split()).casefold() == name.casefold():
            name = str(existing)  # the rep's own spelling of the name stays
    views[name] = text
    _write(path, tomlkit.dumps(document))
    return name


def _write(path: Path, text: str) -> None:
    """Replace the file in one step (a crash leaves the old file or the new one, never half),
    keeping its permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o600
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
