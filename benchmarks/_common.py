"""What the benchmark scripts share: the programs they start, the frames they wait for, and figures."""

from __future__ import annotations

import compileall
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _terminal import Frame  # noqa: E402

#: The terminal every benchmark draws on (columns, rows).
SIZE = (160, 50)

#: The board, complete: the last column's header (third row) and the key bar (last row).
BOARD = Frame("board", needs=[(2, "Closed Lost"), (-1, "Next stage"), (-1, "palette")])
#: The board with every card read: a big board's first frame shows each column's first cards and
#: says in its title that the rest is being read (app/board/loading.py); a small one is read whole.
BOARD_READ = Frame("whole board", needs=BOARD.needs, refuses=[(0, "reading all")])
#: An empty Textual app: every row painted.
EMPTY = Frame("empty app")
#: The agenda: its title (with the counts, or saying that the soonest follow-ups are shown while
#: every one is read), and its own key bar.
AGENDA = Frame("agenda", needs=[(None, "pending"), (-1, "Go to deal")])
#: The agenda with every pending follow-up read (app/agenda/screen.py).
AGENDA_READ = Frame("whole agenda", needs=AGENDA.needs, refuses=[(None, "reading every")])
#: The reports: the figures computed (the title names the scope), the pipeline's total, its key bar.
REPORTS = Frame("reports", needs=[(None, "all owners"), (None, "Total "), (-1, "Period")],
                refuses=[(None, "computing")])  # fmt: skip

ESCAPE = b"\x1b"


def closedwon() -> list[str]:
    """The `closedwon` command of this environment (as a user runs it)."""
    script = Path(sys.executable).with_name("closedwon")
    return [str(script)] if script.exists() else [sys.executable, "-m", "closedwon_tui.cli.main"]


def floor(sqlalchemy: bool) -> list[str]:
    return [sys.executable, str(HERE / "_floor.py"), *(["--sqlalchemy"] if sqlalchemy else [])]


def child_env() -> dict[str, str]:
    """No user settings and no user data: every run sees the defaults."""
    home = Path(tempfile.gettempdir()) / "closedwon-bench-home"
    home.mkdir(exist_ok=True)
    return {"CLOSEDWON_CONFIG": str(home / "config.toml"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config")}  # fmt: skip


def compile_closedwon() -> None:
    """Byte-compile closedwon, as `pip install` compiles textual and sqlalchemy: both sides load
    from bytecode, as an installed app does (an editable install under PYTHONDONTWRITEBYTECODE=1
    would otherwise compile closedwon from source on every start)."""
    import closedwon_tui

    compileall.compile_dir(Path(closedwon_tui.__file__).parent, quiet=1)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


class Figure:
    """Several measurements of one thing: median, min and max."""

    def __init__(self, name: str, values: Sequence[float] = ()) -> None:
        self.name = name
        self.values = list(values)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def span(self, unit: float = 1000.0, suffix: str = "ms") -> str:
        return (f"{self.median * unit:8.1f} {suffix}  (min {min(self.values) * unit:.1f}, "
                f"max {max(self.values) * unit:.1f}, n={len(self.values)})")  # fmt: skip


def ratio(value: Figure, reference: Figure) -> str:
    return f"{value.median / reference.median:5.2f}x"
