"""Settings: every key checked. A wrong setting is one line naming the key, what was found and
what is expected, exit status 2, and nothing opens or changes (never a guess: "false" is not true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from closedwon_tui.cli.main import main
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.settings import Settings, load_settings
from tests.test_cli_errors import assert_refused


@pytest.fixture
def config() -> Path:
    path = Path(os.environ["CLOSEDWON_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


WRONG = [
    ("currency = 5", 'currency: found 5, expected a three-letter currency code in quotes, such as "EUR"'),
    ('currency = "dollars"', 'currency: found "dollars", expected a three-letter currency code'),
    ("lost_reasons = 5", 'lost_reasons: found 5, expected a list of reasons in quotes, such as ["price", "timing"]'),
    ('lost_reasons = "price"', 'lost_reasons: found "price", expected a list of reasons'),
    ("lost_reasons = []", "lost_reasons: found [], expected a list of reasons"),
    ('lost_reasons = ["price", ""]', 'lost_reasons: found ["price", ""], expected a list of reasons'),
    ('lost_reasons = ["price", "Price"]', "each once"),
    ('lost_reasons = ["price", 3]', 'found ["price", 3], expected a list of reasons'),
    (f'lost_reasons = ["{"r" * 121}"]', "each at most 120 characters"),
    ('celebration = "false"', 'celebration: found "false", expected true or false, without quotes'),
    ("celebration = 0", "celebration: found 0, expected true or false"),
    ("owner = [1, 2]", "owner: found [1, 2], expected your name in quotes, at most 120 characters"),
    (f'owner = "{"o" * 121}"', "owner: found"),
    ("theme = 7", 'theme: found 7, expected the name of a theme in quotes, such as "nord"'),
    ('timezone = "Mars/Olympus_Mons"', 'timezone: found "Mars/Olympus_Mons", expected a time zone name in quotes'),
    ('timezone = "../../etc/passwd"', "timezone: found"),
    ("timezone = 9", "timezone: found 9"),
    ('colour = "red"', 'unknown setting "colour" (settings are celebration, currency, keymap, lost_reasons, owner,'),
    ('[display]\ncolour = "red"', 'unknown setting "display"'),
]


@pytest.mark.parametrize(("toml", "message"), WRONG, ids=[t.split("\n")[-1][:40] for t, _ in WRONG])
def test_each_wrong_setting_is_one_line_with_key_found_and_expected(capsys, config, tmp_path, toml, message):
    config.write_text(toml + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    err = assert_refused(capsys, ["--db", str(db), "deal", "add", "X"], message)
    assert str(config) in err
    assert not db.exists()  # refused before the database is even opened
    with pytest.raises(ValidationError, match="settings file"):
        load_settings(config)


def test_a_wrong_theme_is_refused_when_the_board_opens_not_with_a_traceback(capsys, config, tmp_path, monkeypatch):
    from closedwon_tui.app.app import ClosedwonApp

    config.write_text('theme = "nosuchtheme"\n', encoding="utf-8")
    monkeypatch.setattr(ClosedwonApp, "run", lambda self: pytest.fail("the board opened"))
    err = assert_refused(capsys, ["--db", str(tmp_path / "x.db")], 'theme: found "nosuchtheme", expected one of')
    assert "nord" in err and "textual-dark" in err


def test_a_good_theme_opens_the_board(config, tmp_path, monkeypatch):
    from closedwon_tui.app.app import ClosedwonApp

    config.write_text('theme = "nord"\n', encoding="utf-8")
    opened = []
    monkeypatch.setattr(ClosedwonApp, "run", lambda self: opened.append(self.theme))
    assert main(["--db", str(tmp_path / "x.db")]) == 0
    assert opened == ["nord"]


def test_a_wrong_theme_does_not_stop_the_command_line(capsys, config, tmp_path):
    """Commands draw no theme (and import no Textual): the board checks it when it opens."""
    config.write_text('theme = "nosuchtheme"\n', encoding="utf-8")
    assert main(["--db", str(tmp_path / "x.db"), "deal", "add", "X"]) == 0


def test_every_setting_read_as_written(config):
    config.write_text(
        'theme = "nord"\ncurrency = "eur"\nowner = "Dana"\ncelebration = false\n'
        'lost_reasons = ["budget  cut", "champion left"]\ntimezone = "Pacific/Kiritimati"\n'
        '[keymap]\n"board.move_next" = "ctrl+right"\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings == Settings(
        theme="nord", currency="EUR", owner="Dana", celebration=False, lost_reasons=("budget cut", "champion left"),
        timezone="Pacific/Kiritimati", keymap={"board.move_next": "ctrl+right"},
    )  # fmt: skip
    assert settings.source == config


def test_no_file_means_the_defaults(tmp_path):
    assert load_settings(tmp_path / "none.toml") == Settings()
    assert Settings().timezone == "" and Settings().celebration is True


def test_the_settings_lost_reasons_reach_the_service(capsys, config, tmp_path):
    config.write_text('lost_reasons = ["budget cut", "champion left"]\n', encoding="utf-8")
    db = str(tmp_path / "x.db")
    assert main(["--db", db, "deal", "add", "X", "--stage", "closed lost", "--reason", "champ"]) == 0
    capsys.readouterr()
    assert_refused(capsys, ["--db", db, "deal", "add", "Y", "--stage", "closed lost", "--reason", "price"],
                   "choose from budget cut, champion left")  # fmt: skip
