"""The rep's settings, read from a TOML file; every one has a sensible default."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.models import DEFAULT_LOST_REASONS
from closedwon_tui.domain.parsing import parse_currency
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
    """

    currency: str = "USD"
    owner: str = ""
    celebration: bool = True
    lost_reasons: tuple[str, ...] = DEFAULT_LOST_REASONS
    theme: str = ""
    #: The rep's time zone ("Area/City") for today, overdue and the report periods; "" is the system's.
    timezone: str = ""
    keymap: dict[str, str] = field(default_factory=dict)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the file, or the defaults when there is none; a broken file says where."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"cannot read settings file {path}: {exc}") from None
    try:
        reasons = tuple(str(r).strip() for r in raw.get("lost_reasons", DEFAULT_LOST_REASONS) if str(r).strip())
        keymap = raw.get("keymap", {})
        return Settings(
            currency=parse_currency(raw.get("currency", "USD")),
            owner=str(raw.get("owner", "")),
            celebration=bool(raw.get("celebration", True)),
            lost_reasons=reasons or DEFAULT_LOST_REASONS,
            theme=str(raw.get("theme", "")),
            timezone=str(raw.get("timezone", "")).strip(),
            keymap=_flatten(keymap) if isinstance(keymap, dict) else {},
        )
    except ValidationError as exc:
        raise ValidationError(f"settings file {path}: {exc}") from None


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out
