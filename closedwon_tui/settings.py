"""The rep's settings, read from a TOML file; every one has a sensible default.

A wrong setting is never guessed at: the file is refused with one line naming the key, what was
found and what is expected (`closedwon` exits with status 2), so the rep fixes it once rather than
working with a board that silently ignores it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import DEFAULT_LOST_REASONS
from closedwon_tui.domain.parsing import parse_currency
from closedwon_tui.domain.text import LOST_REASON_LIMIT, SHORT_LIMITS
from closedwon_tui.paths import config_path


@dataclass(frozen=True)
class Settings:
    """
    Example `config.toml`:

        currency = "EUR"
        owner = "Dana"
        celebration = true
        lost_reasons = ["price", "timing", "competitor"]
        theme = "textual-dark"
        timezone = "Europe/Berlin"

        [keymap]
        board.move_next = "ctrl+right"

        [views]
        hot = "amount>50k close:this-quarter"
        "no next step" = "no-next-step -stale"
    """

    currency: str = "USD"
    owner: str = ""
    celebration: bool = True
    lost_reasons: tuple[str, ...] = DEFAULT_LOST_REASONS
    theme: str = ""
    #: An IANA zone ("Area/City") for the rep's calendar (today, overdue, the report periods, the
    #: calendar export; `local_time.use_time_zone` applies it); empty means the machine's local zone.
    timezone: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    #: Saved views: a name for a filter (the board's `v` and `V`, `--view NAME` on the command line).
    views: dict[str, str] = field(default_factory=dict)
    #: The file these came from, for messages; None for the defaults.
    source: Path | None = field(default=None, compare=False)

    def check_theme(self, themes: Iterable[str]) -> None:
        """Refuse a theme that is not one of `themes` (the launcher passes Textual's, so nothing
        below the app imports Textual)."""
        names = sorted(themes)
        if self.theme and self.theme not in names:
            raise setting_error(self.source, "theme", self.theme, f"one of {', '.join(names)}")


def setting_error(path: Path | None, key: str, found: Any, expected: str) -> ValidationError:
    return settings_problem(path, key, f"found {_shown(found)}, expected {expected}")


def settings_problem(path: Path | None, key: str, problem: str) -> ValidationError:
    """One line: the file, the setting (`currency`, `keymap "board.won"`) and what is wrong with it."""
    where = f"settings file {path}" if path else "settings"
    return ValidationError(f"{where}: {key}: {problem}", key)


def _shown(value: Any) -> str:
    """A value as it is written in TOML, so the rep recognises it: "false" with its quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "a table"
    return str(value)


# Each setting: how its TOML value is checked and turned into the Settings field. -------------------
def _text(limit: int, expected: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) > limit:
            raise ValueError(expected)
        return value.strip()

    return check


def _currency(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('a three-letter currency code in quotes, such as "EUR"')
    try:
        return parse_currency(value)
    except ValidationError:
        raise ValueError('a three-letter currency code in quotes, such as "EUR"') from None


def _celebration(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false, without quotes")
    return value


def _lost_reasons(value: Any) -> tuple[str, ...]:
    expected = f'a list of reasons in quotes, such as ["price", "timing"], each at most {LOST_REASON_LIMIT} characters'
    if not isinstance(value, list) or not value:
        raise ValueError(expected)
    reasons: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > LOST_REASON_LIMIT:
            raise ValueError(expected)
        if item.strip().lower() in (r.lower() for r in reasons):
            raise ValueError(f"{expected}, each once")
        reasons.append(" ".join(item.split()))
    return tuple(reasons)


def _timezone(value: Any) -> str:
    expected = 'a time zone name in quotes, such as "Europe/Berlin" or "America/New_York"'
    if not isinstance(value, str) or not value.strip():
        raise ValueError(expected)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(expected) from None
    return value.strip()


def _keymap(value: Any) -> dict[str, str]:
    # The keymap's entries are checked where the bindings are known (app/keymap.py, as the board opens).
    if not isinstance(value, dict):
        raise ValueError('a table of binding ids and keys, such as [keymap] "board.move_next" = "ctrl+right"')
    return _flatten(value)


#: Longest view name and view filter (a name shows in the picker; a filter is a line of terms).
VIEW_NAME_LIMIT = 40
VIEW_FILTER_LIMIT = 500


def _views(value: Any) -> dict[str, str]:
    # The filters are read where the stages are known (domain/filters.py), when a view is used.
    expected = f'a table of names and filters, such as [views] hot = "amount>50k close:this-quarter" (names at most {VIEW_NAME_LIMIT} characters)'
    if not isinstance(value, dict):
        raise ValueError(expected)
    views: dict[str, str] = {}
    for name, text in value.items():
        cleaned = " ".join(str(name).split())
        if not cleaned or len(cleaned) > VIEW_NAME_LIMIT or not isinstance(text, str) or len(text) > VIEW_FILTER_LIMIT:
            raise ValueError(expected)
        if cleaned.casefold() in (n.casefold() for n in views):
            raise ValueError(f"{expected}, each name once")
        views[cleaned] = " ".join(text.split())
    return views


_SETTINGS: dict[str, Callable[[Any], Any]] = {
    "theme": _text(80, 'the name of a theme in quotes, such as "nord"'),
    "currency": _currency,
    "owner": _text(SHORT_LIMITS["owner"], f"your name in quotes, at most {SHORT_LIMITS['owner']} characters"),
    "celebration": _celebration,
    "lost_reasons": _lost_reasons,
    "timezone": _timezone,
    "keymap": _keymap,
    "views": _views,
}


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the file, or the defaults when there is none; a wrong file or setting says
    which, what was found and what is expected."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"cannot read settings file {path}: {exc}") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        check = _SETTINGS.get(key)
        if check is None:
            raise ValidationError(
                f"settings file {path}: unknown setting {_shown(key)} (settings are {', '.join(sorted(_SETTINGS))})",
                key,
            )
        try:
            values[key] = check(value)
        except ValueError as exc:
            raise setting_error(path, key, value, str(exc)) from None
    return Settings(**values, source=path)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out
