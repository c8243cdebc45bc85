"""Import… from the command palette: ask for a file, show what importing it would do, import on enter.

The dialog only asks and shows: reading the file (a dry run) and importing it run in a worker
with a progress bar, through the board's `BoardSession` (`preview_import`, `import_file`), the
app's one caller of the write services. `escape` closes it having changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, ProgressBar, Static

from closedwon_tui.app.literal import LiteralInput, notify_literal, plain
from closedwon_tui.domain.errors import ClosedwonError
from closedwon_tui.services.import_summary import ImportRefused, ImportSummary
from closedwon_tui.services.importing import ImportRequest, Progress

if TYPE_CHECKING:
    from textual.screen import Screen

    from closedwon_tui.app.board.session import BoardSession

#: Files the path completion offers (and every folder).
_SUFFIXES = {".csv", ".txt", ".tsv"}


class PathSuggester(Suggester):
    """Completes a path from the folder it names: folders and CSV-like files."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, start = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            names = sorted(
                p.name + ("/" if p.is_dir() else "")
                for p in folder.iterdir()
                if p.name.startswith(start)
                and not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in _SUFFIXES)
            )
        except OSError:
            return None
        return value + names[0][len(start) :] if names else None


def stage_options(text: str) -> tuple[str, ...]:
    """`Blue Sky=outreach; Handshake=negotiation` -> the --map-stage options (unfinished ones left out)."""
    return tuple(part.strip() for part in text.split(";") if part.strip() and not part.strip().endswith("="))


class ImportScreen(ModalScreen[ImportSummary | None]):
    """Enter reads the file and shows the dry run; enter again imports; escape changes nothing."""

    CSS_PATH = "transfer.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="import.cancel", tooltip="Close without importing anything"),
    ]

    def __init__(
        self,
        *,
        previewer: Callable[[ImportRequest, Progress], ImportSummary],
        importer: Callable[[ImportRequest, Progress], ImportSummary],
        pipeline: str | None = None,
    ) -> None:
        super().__init__()
        self.previewer, self.importer = previewer, importer
        #: The pipeline the deals go into (the one the board shows), None: the first (or, for
        #: closedwon's own export, the pipeline each row names).
        self.pipeline = pipeline
        #: The request the summary on screen describes, and that summary.
        self.previewed: tuple[ImportRequest, ImportSummary] | None = None
        self.busy = False
        self.writing = False
        self.closed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as dialog:
            dialog.border_title = "Import deals"
            source = "A CSV export of Pipedrive, HubSpot, Salesforce, Zoho or closedwon"
            yield Static(plain(f"{source}, into pipeline {self.pipeline}:" if self.pipeline else f"{source}:"))
            yield LiteralInput(placeholder="Path to the file, e.g. ~/Downloads/deals.csv", id="import-path",
                        suggester=PathSuggester())  # fmt: skip
            yield LiteralInput(
                placeholder="Map stages: Their Stage=our stage; ...", id="import-map", select_on_focus=False
            )
            yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-summary-box"):
                yield Static("", id="import-summary")
            yield Static(Content("enter reads the file and shows what would happen · esc cancels"), id="import-hint")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    # asking -------------------------------------------------------------------------------
    def _request(self) -> ImportRequest:
        path = self.query_one("#import-path", Input).value.strip()
        return ImportRequest(
            path=path, map_stages=stage_options(self.query_one("#import-map", Input).value), pipeline=self.pipeline
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        request = self._request()
        if not request.path:
            self._show_error("Type the path of the file to import")
            return
        if self.previewed is not None and self.previewed[0] == request and self._importable(self.previewed[1]):
            summary = self.previewed[1]
            self._start(replace(request, skip_errors=bool(summary.errors)), writing=True)
        else:
            self._start(request, writing=False)

    @staticmethod
    def _importable(summary: ImportSummary) -> bool:
        return not summary.unknown_stages and (summary.created or summary.updated) > 0

    # working ------------------------------------------------------------------------------
    def _start(self, request: ImportRequest, *, writing: bool) -> None:
        self.busy, self.writing = True, writing
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("shown")
        self._hint("importing…" if writing else "reading the file…")
        self._work(request, writing)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _work(self, request: ImportRequest, writing: bool) -> None:
        def progress(done: int, total: int) -> None:
            self._later(self._progress, done, total)

        try:
            summary = (self.importer if writing else self.previewer)(request, progress)
        except ImportRefused as refused:  # changed since the dry run: show why, nothing was written
            self._later(self._previewed, request, refused.summary)
        except ClosedwonError as exc:
            self._later(self._failed, str(exc))
        else:
            self._later(self._imported if writing else self._previewed, request, summary)

    def _later(self, callback: Callable[..., None], *args: object) -> None:
        """Run `callback` on the app's thread, unless the dialog was closed meanwhile."""

        def call() -> None:
            if not self.closed:
                callback(*args)

        self.app.call_from_thread(call)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def _stopped(self) -> None:
        self.busy = self.writing = False
        self.query_one("#import-progress", ProgressBar).remove_class("shown")

    def _failed(self, message: str) -> None:
        self._stopped()
        self.previewed = None
        self._show_error(message)
        self._hint("correct it and press enter · esc cancels")

    def _previewed(self, request: ImportRequest, summary: ImportSummary) -> None:
        self._stopped()
        self.previewed = (request, summary)
        text = self.query_one("#import-summary", Static)
        text.remove_class("error")
        text.update(Content("\n").join([plain(line) for line in summary.lines()]))
        mapping = self.query_one("#import-map", Input)
        if summary.unknown_stages:
            if not mapping.has_class("shown"):
                mapping.add_class("shown")
                mapping.value = "; ".join(f"{name}=" for name in summary.unknown_stages)
            mapping.focus()
            mapping.cursor_position = mapping.value.find("=") + 1  # typing fills in the first one
            names = ", ".join(s.name for s in summary.stages)
            self._hint(f"after each =, type the stage its deals go to ({names}); enter reads the file again")
        elif not self._importable(summary):
            self._hint("nothing to import: every row is already here or left out · esc closes")
        else:
            deals = summary.created + summary.updated
            skipped = f" ({len(summary.errors)} rows with problems are left out)" if summary.errors else ""
            self._hint(f"enter imports {deals} deal{'s' if deals != 1 else ''}{skipped} · esc changes nothing")

    def _imported(self, request: ImportRequest, summary: ImportSummary) -> None:
        self._stopped()
        self.closed = True
        self.dismiss(summary)

    # showing ------------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        text = self.query_one("#import-summary", Static)
        text.add_class("error")
        text.update(plain(message))

    def _hint(self, message: str) -> None:
        self.query_one("#import-hint", Static).update(plain(message))

    def action_cancel(self) -> None:
        if self.writing:  # the import is one transaction: it finishes whole, then the dialog closes
            notify_literal(self, "The import is running; it finishes in one piece in a moment", timeout=3)
            return
        self.closed = True  # a dry run still reading is left to finish unseen: it writes nothing
        self.dismiss(None)


def open_import(screen: Screen, session: BoardSession, reload: Callable[[], None]) -> None:
    """Open the import dialog over the board; when deals came in, `reload` the board and say so."""
    app = screen.app

    def done(summary: ImportSummary | None) -> None:
        if summary is None:
            return
        reload()
        notify_literal(
            app,
            f"Imported from {summary.source.label}: {summary.created} new, {summary.updated} updated, "
            f"{summary.skipped} skipped. Batch {summary.batch}: closedwon import undo {summary.batch} takes it back.",
            title="Import done",
            timeout=8,
        )

    # Into the pipeline the board shows, when it is not the first (there, a closedwon export's
    # rows still go back to the pipelines they name).
    shown = session.model.pipeline
    first = session.service.pipelines()[0].id if shown is not None else None
    pipeline = shown.name if shown is not None and shown.id != first else None
    app.push_screen(
        ImportScreen(
            previewer=session.preview_import,
            importer=session.import_file,
            pipeline=pipeline,
        ),
        done,
    )
