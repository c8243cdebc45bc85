"""The file formats are pure code: they read and write text and values, never the database or the screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_transfer_needs_neither_sqlalchemy_nor_textual_nor_icalendar_to_load():
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import closedwon_tui.transfer as transfer
        for info in pkgutil.walk_packages(transfer.__path__, "closedwon_tui.transfer."):
            importlib.import_module(info.name)
        bad = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "textual", "alembic", "icalendar"))
        assert not bad, bad
        ours = sorted(m for m in sys.modules if m.startswith("closedwon_tui.") and
                      not m.startswith(("closedwon_tui.transfer", "closedwon_tui.domain")))
        assert not ours, ours
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
