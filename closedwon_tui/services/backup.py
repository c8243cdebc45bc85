"""`closedwon backup` and `restore`: the whole database in one documented, versioned file, and back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from sqlalchemy.exc import SQLAlchemyError

from closedwon_tui import __version__
from closedwon_tui.domain.errors import StorageError, ValidationError
from closedwon_tui.services.base import ServiceBase
from closedwon_tui.storage.database import describe
from closedwon_tui.storage.migrate import current_revision


@dataclass(frozen=True)
class BackupSummary:
    schema_revision: str
    #: table -> rows written or restored
    rows: dict[str, int]

    @property
    def deals(self) -> int:
        return self.rows.get("deals", 0)


class BackupCommands(ServiceBase):
    def write_backup(self, out: IO[str]) -> BackupSummary:
        """Every table, read in one consistent snapshot, streamed to `out`."""
        from closedwon_tui.storage import backup as storage
        from closedwon_tui.transfer.backup_format import write_backup

        engine = self.db.engine
        revision = current_revision(engine) or ""
        options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
        with engine.connect().execution_options(**options) as connection, connection.begin():
            rows = storage.counts(connection)
            write_backup(out, storage.dump(connection), schema_revision=revision, written_at=self.clock(),
                         written_by=f"closedwon {__version__}")  # fmt: skip
        return BackupSummary(revision, rows)

    def restore_backup(self, data: bytes) -> BackupSummary:
        """Restore a backup into this database, which must be empty (as new); refused otherwise."""
        from closedwon_tui.storage import backup as storage
        from closedwon_tui.transfer.backup_format import read_backup

        backup = read_backup(data)
        there = storage.what_is_there(self.db.engine)
        if there is not None:
            raise ValidationError(
                f"the database is not empty (it has {there}); restore into a new one, e.g. "
                "closedwon --db restored.db restore FILE"
            )
        try:
            storage.restore(self.db.engine, backup)
        except SQLAlchemyError as exc:  # rows that break the schema's rules: nothing was written
            raise StorageError(f"the backup cannot be restored, nothing was written: {describe(exc)}") from None
        self.forget_stages()  # the restored pipelines replace the ones read before
        return BackupSummary(backup.schema_revision, {t.name: len(t.rows) for t in backup.tables})
