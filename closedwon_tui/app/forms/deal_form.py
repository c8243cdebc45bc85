"""Add or edit a deal, with each field checked as it is typed; it dismisses with the values only
when all are valid (the board's session saves them)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from closedwon_tui.app.app import app_of
from closedwon_tui.app.literal import LiteralInput, plain
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.domain.fields import clean_field
from closedwon_tui.domain.models import Deal, Stage
from closedwon_tui.domain.rules import local_today

#: (field, label, placeholder)
FIELDS: list[tuple[str, str, str]] = [
    ("title", "Title *", "e.g. Helios platform rollout"),
    ("company", "Company", ""),
    ("contact_name", "Contact", ""),
    ("contact_email", "Email", "name@company.com"),
    ("amount", "Amount", "12000, 12,000.50, 12k, 1.5m"),
    ("currency", "Currency", "USD"),
    ("probability", "Probability %", "empty: the stage's own"),
    ("close_date", "Close date", "2026-12-31, 12/31/2026, +30d"),
    ("owner", "Owner", ""),
    ("source", "Source", "inbound, referral, event…"),
    ("next_step", "Next step", ""),
]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _shown(deal: Deal | None, name: str, default_currency: str) -> str:
    if deal is None:
        return default_currency if name == "currency" else ""
    return _text(getattr(deal, name))


def as_typed(values: dict[str, Any]) -> dict[str, str]:
    """Checked values back into the form's fields (to open it again after a refused save)."""
    return {name: _text(value) for name, value in values.items()}


class DealForm(ModalScreen[dict[str, Any] | None]):
    """`n` and `e`: dismisses with the checked values of every field, or None when cancelled.

    `values` and `error` open it again after a refused save, with what the rep typed and why."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close the form; nothing is saved"),
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save the deal"),
    ]
    DEFAULT_CSS = """
    DealForm { align: center middle; }
    DealForm > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DealForm .row { height: 1; }
    DealForm .row Label.name { width: 15; padding: 0 1 0 0; color: $text-muted; }
    DealForm .row Input { width: 1fr; background: $boost; }
    DealForm .row Input:focus { background: $primary 20%; }
    DealForm .row Input.-invalid { background: $error 20%; }
    DealForm .error { color: $text-error; padding-left: 15; height: 1; }
    DealForm #buttons { height: auto; align-horizontal: right; padding-top: 1; }
    DealForm #title-line { text-style: bold; padding-bottom: 1; }
    DealForm #refused { color: $text-error; padding-bottom: 1; }
    """

    def __init__(
        self, deal: Deal | None, *, stage: Stage | None = None, values: dict[str, str] | None = None, error: str = ""
    ) -> None:
        super().__init__()
        self.deal = deal
        self.stage = stage
        self.typed = values or {}
        self.error = error

    def compose(self) -> ComposeResult:
        currency = app_of(self).service.default_currency
        heading = f"Edit deal #{self.deal.id}" if self.deal else f"New deal in {self.stage.name if self.stage else ''}"
        with VerticalScroll():
            yield Label(plain(heading), id="title-line")
            if self.error:
                yield Label(plain(f"Not saved: {self.error}"), id="refused")
            for name, label, placeholder in FIELDS:
                shown = self.typed.get(name, _shown(self.deal, name, currency))
                with Horizontal(classes="row"):
                    yield Label(label, classes="name")
                    yield LiteralInput(shown, placeholder=placeholder, id=f"f-{name}", compact=True)
                yield Label("", id=f"e-{name}", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def _check(self, name: str) -> Any:
        """The field's value if valid; otherwise show why and raise."""
        box = self.query_one(f"#f-{name}", LiteralInput)
        error = self.query_one(f"#e-{name}", Label)
        try:
            value = clean_field(name, box.entered, local_today(app_of(self).service.now()))
        except ValidationError as exc:
            error.update(plain(str(exc)))
            box.add_class("-invalid")
            raise
        error.update("")
        box.remove_class("-invalid")
        return value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "")[2:]
        if name == "title" and not event.value.strip() and self.deal is None:
            return  # don't scold an empty new form before anything is typed
        try:
            self._check(name)
        except ValidationError:
            pass

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        values: dict[str, Any] = {}
        first_bad = None
        for name, _, _ in FIELDS:
            try:
                values[name] = self._check(name)
            except ValidationError:
                first_bad = first_bad or name
        if first_bad:
            self.query_one(f"#f-{first_bad}", Input).focus()
            return
        self.dismiss(values)
