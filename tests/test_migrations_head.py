"""The quick check on open must know the newest migration."""

from closedwon_tui.storage.migrate import SCHEMA_HEAD, head_revision


def test_schema_head_is_the_newest_alembic_revision():
    assert head_revision() == SCHEMA_HEAD
