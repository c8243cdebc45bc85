"""The keymap in the settings: checked before the board opens (one line naming the entry, exit 2),
and once applied, the key bar and the help show the keys it gives, at once."""

from __future__ import annotations

import pytest

from closedwon_tui.app.keymap import check_keymap, known_binding_ids
from closedwon_tui.cli.main import main
from closedwon_tui.domain.errors import ValidationError
from tests.board_helpers import board, make_app, seed, settled


@pytest.fixture
def config(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    monkeypatch.setenv("CLOSEDWON_CONFIG", str(path))
    return path


def refused(keymap: dict[str, str]) -> str:
    with pytest.raises(ValidationError) as caught:
        check_keymap(keymap)
    return str(caught.value)


@pytest.mark.parametrize(
    ("keymap", "said"),
    [
        ({"board.wonn": "W"}, 'keymap "board.wonn": found an unknown binding id, expected one of'),
        ({"board.won": "ctrl+wat"}, 'keymap "board.won": found "ctrl+wat", expected a key'),
        ({"board.won": "hyperdrive+w"}, 'keymap "board.won": found "hyperdrive+w", expected a key'),
        ({"board.won": ""}, 'keymap "board.won": found "", expected a key'),
        ({"board.won": "w,,W"}, 'keymap "board.won": found "w,,W", expected a key'),
        (
            {"board.won": "x"},
            'keymap "board.won": found "x", expected a key no other action uses there: x is Lost (board.lost)',
        ),
        ({"board.won": "u"}, "u is Undo (board.undo)"),  # a key of the whole board screen
        ({"board.won": "l"}, "l is Next column (board.column_next)"),  # one of two keys of an action
        ({"board.won": "W", "board.lost": "W"}, "W is Lost (board.lost)"),  # two entries, one key
        ({"panel.add_note": "space"}, "space is Done (panel.complete_followup)"),
        ({"board.help": "?", "board.won": "question_mark"}, "question_mark is Help (board.help)"),  # one key, two names
        ({"board.won": "ctrl+q"}, "ctrl+q is Quit"),  # Textual's own quit
    ],
)
def test_a_wrong_keymap_entry_is_named_in_one_line(keymap, said):
    message = refused(keymap)
    assert said in message and "\n" not in message


@pytest.mark.parametrize(
    "keymap",
    [
        {"board.move_next": "ctrl+right"},
        {"board.won": "W", "board.lost": "X"},
        {"board.won": "x", "board.lost": "X"},  # x is free once Lost moves away from it
        {"board.won": "x", "board.lost": "w"},  # swapped
        {"board.help": "?,f1"},
        {"board.filter": "/"},  # its own key, written as the character
        {"panel.complete_followup": "space"},  # space is shared by design with Addressed, in another tab
        {"agenda.close": "escape,b", "reports.close": "escape,b"},  # each on its own screen
        {"form.cancel": "ctrl+g", "board.escape": "ctrl+g"},  # a form and the board are never active together
    ],
)
def test_a_good_keymap_passes(keymap):
    check_keymap(keymap)


def test_every_binding_of_the_app_has_an_id_the_keymap_knows():
    ids = known_binding_ids()
    for expected in ["board.won", "board.lost", "panel.add_objection", "agenda.jump", "reports.period",
                     "form.cancel", "form.followup.next", "form.answer.save", "closing.lost.confirm", "help.close"]:  # fmt: skip
        assert expected in ids


def test_the_board_does_not_open_on_a_wrong_keymap(config, tmp_path, monkeypatch, capsys):
    from closedwon_tui.app.app import ClosedwonApp

    config.write_text('[keymap]\n"board.won" = "x"\n', encoding="utf-8")
    monkeypatch.setattr(ClosedwonApp, "run", lambda self: pytest.fail("the board opened"))
    assert main(["--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "x is Lost (board.lost)" in err and str(config) in err


def test_a_keymap_that_is_not_a_table_is_refused(config, tmp_path, capsys):
    config.write_text('keymap = "board.won=x"\n', encoding="utf-8")
    assert main(["--db", str(tmp_path / "x.db"), "deal", "list"]) == 2
    assert 'keymap: found "board.won=x", expected a table' in capsys.readouterr().err


async def test_a_remapped_key_shows_in_the_key_bar_and_the_help_at_once(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service, keymap={"board.won": "W", "board.lost": "X"})
    async with app.run_test(size=(160, 40)) as pilot:
        await settled(pilot)
        bar = app.screen.query_one("KeyBar").render_line(0).text
        assert " W Won " in bar and " X Lost " in bar and " w Won" not in bar
        await pilot.press("question_mark")
        await pilot.pause()
        keys = help_keys(app)
        assert keys["Mark the selected deal closed won"] == "W"
        assert keys["Mark the selected deal closed lost (asks for the reason)"] == "X"


async def test_a_keymap_set_while_the_board_is_open_shows_at_once(sqlite_service):
    ids = seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(160, 40)) as pilot:
        await settled(pilot)
        app.set_keymap({"board.move_next": "ctrl+right"})
        await pilot.pause()
        bar = app.screen.query_one("KeyBar").render_line(0).text
        assert "^→ Next stage" in bar or "ctrl+→ Next stage" in bar, bar
        await pilot.press("question_mark")
        await pilot.pause()
        assert help_keys(app)["Move the selected deal to the next stage"] == "ctrl+right"
        await pilot.press("escape", "ctrl+right")
        await settled(pilot)
        assert board(app).model.deal(ids["Atlas renewal"]).stage_id != sqlite_service.stages()[0].id


def help_keys(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What the help screen lists: what each key does -> its keys."""
    text = "\n".join(str(static.render()) for static in app.screen.query("Static"))
    rows = {}
    for line in text.splitlines():
        keys, _, does = line.partition("  ")
        rows[does.strip()] = keys.strip()
    return rows


def test_every_class_with_bindings_is_in_a_scope_of_the_check():
    """A new screen or widget with keys must say where they work (app/keymap.py), or the keymap check
    could not see a key it takes over."""
    import importlib
    import inspect
    import pkgutil

    from textual.dom import DOMNode

    import closedwon_tui.app
    from closedwon_tui.app.keymap import _scopes

    for module in pkgutil.walk_packages(closedwon_tui.app.__path__, "closedwon_tui.app."):
        importlib.import_module(module.name)
    covered = {base for classes in _scopes().values() for cls in classes for base in cls.__mro__}
    with_keys = {
        cls
        for cls in _subclasses(DOMNode)
        if cls.__module__.startswith("closedwon_tui.app")
        and any(getattr(b, "id", None) for b in inspect.getattr_static(cls, "BINDINGS", []))
        and "BINDINGS" in cls.__dict__
    }
    assert with_keys - covered == set()


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found
