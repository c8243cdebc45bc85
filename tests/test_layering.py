"""The layering holds: everything below the app runs without Textual (as Harlequin checks)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_domain_storage_services_and_cli_never_import_textual():
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import closedwon_tui
        layers = ("domain", "storage", "services", "cli")
        names = []
        for layer in layers:
            package = importlib.import_module(f"closedwon_tui.{layer}")
            names.append(package.__name__)
            for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
                if not info.name.startswith("closedwon_tui.storage.migrations"):
                    names.append(info.name)
        for name in names:
            importlib.import_module(name)
        import closedwon_tui.cli.main, closedwon_tui.paths, closedwon_tui.settings
        assert "closedwon_tui.cli.main" in sys.modules
        leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        assert not leaked, leaked
        assert "closedwon_tui.app" not in sys.modules
        print(len(names))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 20  # it really imported the layers' modules


def test_domain_needs_neither_sqlalchemy_nor_textual():
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import closedwon_tui.domain as domain
        for info in pkgutil.walk_packages(domain.__path__, "closedwon_tui.domain."):
            importlib.import_module(info.name)
        bad = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "textual", "alembic"))
        assert not bad, bad
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_no_layer_below_the_app_mentions_textual_in_its_source():
    from pathlib import Path

    import closedwon_tui

    root = Path(closedwon_tui.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for layer in ("domain", "storage", "services", "cli")
        for path in (root / layer).rglob("*.py")
        if "import textual" in path.read_text() or "from textual" in path.read_text()
    ]
    assert offenders == []
