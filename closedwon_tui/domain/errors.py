"""Errors a rep can be shown: each carries one clear sentence."""


class ClosedwonError(Exception):
    """Base for every error closedwon reports to a user."""


class ValidationError(ClosedwonError):
    """Input that cannot be accepted; nothing was changed."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ClosedwonError):
    """A deal, stage or record that does not exist."""


class ConflictError(ClosedwonError):
    """Someone else changed the record since it was read; nothing was written."""


class StorageError(ClosedwonError):
    """The database cannot be opened, read or written."""
