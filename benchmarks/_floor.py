"""The floor an app's start is measured against: an empty Textual app, optionally importing SQLAlchemy too.

python benchmarks/_floor.py [--sqlalchemy]
"""

from __future__ import annotations

import sys

if "--sqlalchemy" in sys.argv:
    import sqlalchemy  # noqa: F401

from textual.app import App

if __name__ == "__main__":
    App().run()
