"""Writing a command's output to the screen or to a file, never leaving half a file behind."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from closedwon_tui.domain.errors import ValidationError


class _Shown:
    """The screen, with each piece written passed through `shown` first."""

    def __init__(self, out: IO[str], shown: Callable[[str], str]) -> None:
        self.out, self.shown = out, shown

    def write(self, text: str) -> int:
        return self.out.write(self.shown(text))


def write_output(
    path: str | None, write: Callable[[IO[str]], None], *, bom: bool = False, shown: Callable[[str], str] | None = None
) -> None:
    """To the screen, or to a file replaced only once it is whole (a failed write leaves the old one).
    `shown` turns what goes to the screen into what may be shown there (stored text made literal);
    a file gets the data as it is."""
    if path in (None, "-"):
        write(_Shown(sys.stdout, shown) if shown else sys.stdout)  # type: ignore[arg-type]
        sys.stdout.flush()
        return
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValidationError(f"{path} is a folder, not a file")
    if not target.parent.exists():
        raise ValidationError(f"cannot write {path}: folder {str(target.parent)!r} does not exist")
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            write(out)
        os.replace(temporary, target)
    except OSError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
