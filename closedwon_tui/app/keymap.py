"""The rep's keymap (`[keymap]` in the settings), checked before the board opens.

Each entry names a binding by its id and gives it one or more keys (`"board.move_next" =
"ctrl+right"`, `"board.help" = "?,f1"`). An entry is refused, in one line naming it, when the id
is not one of the app's, when a key is not one a terminal sends, or when a key is already another
action's where the binding works (on the board, in the panel, on a form...): `"board.won" = "x"`
would leave no key for Lost. Two actions that share a key by design (`space` in the panel marks a
follow-up done or an objection addressed, by tab) may keep it.

`SCOPES` says which bindings are active together; the screens' modules are imported only when
there is a keymap to check, so the board opens as fast without one.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.keys import Keys, key_to_character

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.settings import settings_problem

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
#: Keys by name (`up`, `f5`, `escape`, `pagedown`...), from Textual's list of the keys terminals send.
NAMED_KEYS = frozenset(k.value.rsplit("+", 1)[-1] for k in Keys if not k.value.startswith("<")) | {"space"}


def _scopes() -> dict[str, list[type]]:
    """Where bindings work together: the classes whose bindings are active at the same time."""
    from closedwon_tui.app.agenda.screen import AgendaList, AgendaScreen
    from closedwon_tui.app.agenda.snooze import SnoozeForm
    from closedwon_tui.app.board.owner_form import OwnerForm
    from closedwon_tui.app.board.screen import BoardScreen
    from closedwon_tui.app.board.view import BoardView
    from closedwon_tui.app.closing.lookback import LookbackScreen
    from closedwon_tui.app.closing.lost_reason import LostReasonScreen
    from closedwon_tui.app.forms.deal_form import DealForm
    from closedwon_tui.app.forms.pipeline_picker import PipelinePicker
    from closedwon_tui.app.forms.stage_editor import StageEditor
    from closedwon_tui.app.forms.stage_picker import StagePicker
    from closedwon_tui.app.forms.views import SaveViewForm, ViewPicker
    from closedwon_tui.app.help import HelpScreen
    from closedwon_tui.app.panel.answer import AnswerForm
    from closedwon_tui.app.panel.confirm import ConfirmScreen
    from closedwon_tui.app.panel.followup_form import FollowUpForm
    from closedwon_tui.app.panel.forms import NoteForm, ObjectionForm
    from closedwon_tui.app.panel.tabs import ObjectionList
    from closedwon_tui.app.panel.widget import DealPanel
    from closedwon_tui.app.reports.screen import ReportsScreen
    from closedwon_tui.app.transfer.import_screen import ImportScreen

    return {
        "the board": [BoardScreen, BoardView],
        "the panel": [BoardScreen, DealPanel, ObjectionList],
        "the agenda": [AgendaScreen, AgendaList],
        "the reports": [ReportsScreen],
        "the help": [HelpScreen],
        "the deal form": [DealForm],
        "the stage picker": [StagePicker],
        "the pipeline picker": [PipelinePicker],
        "the stage editor": [StageEditor],
        "the view picker": [ViewPicker],
        "the view form": [SaveViewForm],
        "the objection form": [ObjectionForm],
        "the answer form": [AnswerForm],
        "the follow-up form": [FollowUpForm],
        "the note form": [NoteForm],
        "a question": [ConfirmScreen],
        "the lost reason": [LostReasonScreen],
        "the look back": [LookbackScreen],
        "the import": [ImportScreen],
        "the snooze": [SnoozeForm],
        "the owner form": [OwnerForm],
    }


def _bindings_of(cls: type) -> Iterator[Binding]:
    """A class's bindings with those it inherits (as Textual merges them)."""
    for klass in reversed(cls.__mro__):
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                yield binding
            else:  # a (key, action, description) tuple
                yield Binding(*binding)


def binding_scopes() -> dict[str, list[Binding]]:
    """Each place's bindings, the app's own (quit, the command palette) included."""
    app = [*_bindings_of(App), Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")]
    return {name: [b for cls in classes for b in _bindings_of(cls)] + app for name, classes in _scopes().items()}


def known_binding_ids() -> set[str]:
    return {b.id for bindings in binding_scopes().values() for b in bindings if b.id}


def _keys(text: str) -> list[str]:
    return [key.strip() for key in text.split(",")]


def is_key(key: str) -> bool:
    """A key Textual can bind: modifiers, then one character or the name of a key (`ctrl+right`, `?`, `f5`)."""
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in NAMED_KEYS or key_to_character(base) is not None


def _same(key: str) -> str:
    """One spelling per key, to compare them: `?` and `question_mark` are the same key."""
    *modifiers, base = key.split("+")
    if len(base) > 1:
        base = key_to_character(base) or base
    return "+".join([*sorted(modifiers), base])


def _what(binding: Binding) -> str:
    name = binding.description or binding.action
    return f"{name} ({binding.id})" if binding.id else name


def check_keymap(keymap: Mapping[str, str], source: Path | None = None) -> None:
    """Refuse the first wrong entry, in one line that names it; nothing when the keymap is empty."""
    if not keymap:
        return
    scopes = binding_scopes()
    ids = sorted({b.id for bindings in scopes.values() for b in bindings if b.id})

    def refuse(binding_id: str, problem: str) -> ValidationError:
        return settings_problem(source, f'keymap "{binding_id}"', problem)

    for binding_id, keys in keymap.items():
        if binding_id not in ids:
            near = difflib.get_close_matches(binding_id, ids, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise refuse(binding_id, f"found an unknown binding id, expected one of {', '.join(ids)}{hint}")
        if not all(is_key(key) for key in _keys(keys)):
            expected = 'a key such as "w", "W", "ctrl+right", "f5" or "?", or several separated by commas'
            raise refuse(binding_id, f"found {_quoted(keys)}, expected {expected}")

    def effective(binding: Binding) -> set[str]:
        keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
        return {_same(key) for key in _keys(keys)}

    for binding_id, keys in keymap.items():
        for bindings in scopes.values():
            own = [b for b in bindings if b.id == binding_id]
            if not own:
                continue
            defaults = {_same(key) for b in own for key in _keys(b.key)}
            for key in _keys(keys):
                if _same(key) in defaults:
                    continue  # its own key: whoever else the keymap gives it to is the one to name
                for other in bindings:
                    if other.id != binding_id and _same(key) in effective(other):
                        raise refuse(
                            binding_id,
                            f"found {_quoted(keys)}, expected a key no other action uses there: {key} is {_what(other)}",
                        )


def _quoted(text: str) -> str:
    """As written in the settings file, quotes and escapes included."""
    return json.dumps(text, ensure_ascii=False)
