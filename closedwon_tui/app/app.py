"""The closedwon Textual application."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from textual.app import App, SystemCommand
from textual.content import Content
from textual.message_pump import MessagePump
from textual.screen import Screen

from closedwon_tui.app.board.keys import BOARD_BINDINGS, SCREEN_BINDINGS
from closedwon_tui.app.literal import plain
from closedwon_tui.services import PipelineService
from closedwon_tui.settings import Settings


def _board_screen() -> Screen:
    from closedwon_tui.app.board.screen import BoardScreen

    return BoardScreen()


class ClosedwonApp(App[None]):
    """The board and its screens; the service comes in from outside (tests hand it a fresh database)."""

    TITLE = "closedwon"
    #: The board is the app's first screen: no empty screen under it to draw and keep in step.
    MODES = {"board": _board_screen}
    DEFAULT_MODE = "board"

    def __init__(
        self,
        service: PipelineService,
        *,
        settings: Settings | None = None,
        celebrate: bool = True,
        pipeline: int | None = None,
        remember: bool = False,
    ) -> None:
        super().__init__()
        self.service = service
        #: The pipeline the board opens on (None: the first); `remember` keeps the one shown for
        #: next time (the launcher's choice: never for a throwaway demo, nor in tests).
        self.pipeline_id = pipeline
        self.remember = remember
        self.settings = settings or Settings()
        self.celebrate = celebrate
        self._keys_remapped: dict[str, str] = {}
        if self.settings.theme:
            self.theme = self.settings.theme
        # Before any screen is built, so the key bar draws the rep's keys from the start (set in
        # on_mount, the keymap came too early for the bindings to be refreshed, too late for the bar).
        self.set_keymap(self.settings.keymap)

    def on_mount(self) -> None:
        self.sub_title = self.service.db.label

    @property
    def keymap(self) -> dict[str, str]:
        """The keys remapped now, by binding id (the settings' keymap, or one set since)."""
        return dict(self._keys_remapped)

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        self._keys_remapped = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Mapping[str, str]) -> None:
        self._keys_remapped.update(keymap)
        super().update_keymap(keymap)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The title bar shows its titles literally (a screen may name a deal or a database)."""
        if not sub_title:
            return plain(title)
        return Content.assemble(plain(title), (" — ", "dim"), plain(sub_title).stylize("dim"))

    async def action_quit(self) -> None:
        """Quit, once the changes on their way are saved (see BoardScreen.quit_when_saved)."""
        from closedwon_tui.app.board.screen import BoardScreen

        board = self.screen_stack[0] if self.screen_stack else None
        if isinstance(board, BoardScreen) and board.session.busy:
            board.quit_when_saved()
            return
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every board key is in the command palette too, so nothing is reachable only by memory."""
        from closedwon_tui.app.board.screen import BoardScreen

        if isinstance(screen, BoardScreen):
            for binding in [*BOARD_BINDINGS, *SCREEN_BINDINGS]:
                if binding.id == "app.quit" or binding.id == "board.escape" or binding.id == "board.switch_focus":
                    continue
                action = binding.action.removeprefix("screen.")
                yield SystemCommand(binding.description, binding.tooltip, partial(screen.run_action, action))
            from closedwon_tui.app.transfer import open_import

            yield SystemCommand(
                "Import…",
                "Bring deals in from a CSV export (Pipedrive, HubSpot, Salesforce, Zoho)",
                partial(open_import, screen, screen.session, screen.reload_board),
            )
        yield from super().get_system_commands(screen)


def app_of(node: MessagePump) -> ClosedwonApp:
    """The app a widget or screen runs in, typed: its `service` and `settings`."""
    app = node.app
    if not isinstance(app, ClosedwonApp):  # pragma: no cover - every screen of closedwon runs in it
        raise TypeError(f"{node!r} runs in {type(app).__name__}, not ClosedwonApp")
    return app
