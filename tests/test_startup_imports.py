"""Opening the board stays cheap: no ORM, no Alembic and no panel or form are imported on the way to
the first paint.

Each costs tens of milliseconds at start-up (see benchmarks/board_open.py); storage is
SQLAlchemy Core, and Alembic is imported only when a schema needs upgrading.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import migrated_sqlite


def test_opening_the_board_imports_neither_the_orm_nor_alembic(tmp_path, sqlite_template):
    url = migrated_sqlite(sqlite_template, tmp_path / "pipeline.db")  # up to date, so the child need not migrate
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        from closedwon_tui.app.app import ClosedwonApp
        from closedwon_tui.services import PipelineService
        from closedwon_tui.storage.database import Database

        service = PipelineService(Database.open({url!r}))
        service.create_deal("Helios rollout", amount="12k")

        async def paint():
            app = ClosedwonApp(service, celebrate=False)
            async with app.run_test(headless=True, size=(120, 40)) as pilot:
                await pilot.pause()
                assert "Helios rollout" in "".join(str(s) for s in app.screen._compositor.render_strips())

        asyncio.run(paint())
        later = ("sqlalchemy.orm", "alembic", "closedwon_tui.app.panel", "textual.widgets._text_area")
        loaded = sorted(m for m in sys.modules if m.startswith(later))
        print(loaded)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
