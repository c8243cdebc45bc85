"""The closedwon Textual application."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.message_pump import MessagePump
from textual.screen import Screen

from closedwon_tui.app.board.keys import BOARD_BINDINGS, SCREEN_BINDINGS
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

    def __init__(self, service: PipelineService, *, settings: Settings | None = None, celebrate: bool = True) -> None:
        super().__init__()
        self.service = service
        self.settings = settings or Settings()
        self.celebrate = celebrate
        if self.settings.theme:
            self.theme = self.settings.theme

    def on_mount(self) -> None:
        self.sub_title = self.service.db.label
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

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
                partial(open_import, screen),
            )
        yield from super().get_system_commands(screen)


def app_of(node: MessagePump) -> ClosedwonApp:
    """The app a widget or screen runs in, typed: its `service` and `settings`."""
    app = node.app
    if not isinstance(app, ClosedwonApp):  # pragma: no cover - every screen of closedwon runs in it
        raise TypeError(f"{node!r} runs in {type(app).__name__}, not ClosedwonApp")
    return app
