"""Saved views: read from [views] in the settings file, written back with its comments and layout,
used by `--view` on the command line and by `v` / `V` on the board."""

from __future__ import annotations

from pathlib import Path

import pytest

from closedwon_tui.app.forms.views import SaveViewForm, ViewPicker
from closedwon_tui.cli.main import main
from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.paths import config_path
from closedwon_tui.saved_views import find_view, save_view
from closedwon_tui.settings import Settings, load_settings
from tests.board_helpers import board, make_app, seed, settled
from tests.screen_text import drawn_lines

SETTINGS_FILE = """\
# Dana's settings: keep this comment
currency = "USD"   # dollars, always

[views]
# the ones I use every Monday
hot = "amount>50k close:this-quarter"
"no next step" = "no-next-step   -stale"

[keymap]
board.help = "?"  # the default, written down
"""


def test_views_are_read_from_the_settings_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(SETTINGS_FILE, encoding="utf-8")
    settings = load_settings(path)
    assert settings.views == {"hot": "amount>50k close:this-quarter", "no next step": "no-next-step -stale"}
    assert find_view(settings, "HOT") == ("hot", "amount>50k close:this-quarter")
    assert find_view(settings, "no") == ("no next step", "no-next-step -stale")  # a unique start
    with pytest.raises(ValidationError, match="unknown view 'cold' \\(views: hot, no next step\\)"):
        find_view(settings, "cold")


@pytest.mark.parametrize(
    "views",
    ['views = "hot"', "[views]\nhot = 5", f'[views]\n"{"x" * 41}" = "stale"', '[views]\nhot = "a"\nHOT = "b"'],
)
def test_a_wrong_views_table_is_refused_naming_it(tmp_path, views):
    path = tmp_path / "config.toml"
    path.write_text(views + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="views: found"):
        load_settings(path)


def test_saving_a_view_keeps_the_files_comments_and_layout(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(SETTINGS_FILE, encoding="utf-8")
    path.chmod(0o640)
    assert save_view(path, "stale proposals", "stage:proposal stale") == "stale proposals"
    assert save_view(path, "Hot", "amount>100k") == "hot"  # the same view, in any case: replaced
    text = path.read_text(encoding="utf-8")
    expected = SETTINGS_FILE.replace('hot = "amount>50k close:this-quarter"', 'hot = "amount>100k"').replace(
        '"no next step" = "no-next-step   -stale"\n',
        '"no next step" = "no-next-step   -stale"\n"stale proposals" = "stage:proposal stale"\n',
    )
    assert text == expected
    assert load_settings(path).views["stale proposals"] == "stage:proposal stale"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left behind


def test_saving_a_view_without_a_settings_file_makes_one(tmp_path):
    path = tmp_path / "new" / "config.toml"
    save_view(path, "hot", "amount>50k")
    assert load_settings(path).views == {"hot": "amount>50k"}


def test_view_on_the_command_line(tmp_path, capsys, sqlite_template):
    from tests.conftest import migrated_sqlite

    url = migrated_sqlite(sqlite_template, tmp_path / "views.db")
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[views]\nbig = "amount>10k"\nbroken = "amount>lots"\n', encoding="utf-8")
    for title, amount in (("Small", "5k"), ("Big", "50k"), ("Bigger", "90k")):
        assert main(["--db", url, "deal", "add", title, "--amount", amount]) == 0
    capsys.readouterr()
    assert main(["--db", url, "deal", "list", "--view", "big", "--format", "ids"]) == 0
    assert capsys.readouterr().out.split() == ["3", "2"]  # the newest on top of the column
    # a view and --filter: both must hold
    assert main(["--db", url, "deal", "list", "--view", "big", "--filter", "-bigger", "--format", "ids"]) == 0
    assert capsys.readouterr().out.split() == ["2"]
    assert main(["--db", url, "deal", "list", "--view", "cold"]) == 2
    assert "unknown view 'cold'" in capsys.readouterr().err
    assert main(["--db", url, "export", "--view", "broken"]) == 2
    assert "'amount>lots'" in capsys.readouterr().err


async def test_v_shows_a_saved_view_and_V_saves_the_current_filter(sqlite_service):
    seed(sqlite_service)
    path: Path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# mine\n[views]\nbig = "amount>40k"  # the big ones\n', encoding="utf-8")
    app = make_app(sqlite_service)
    app.settings = load_settings(path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("v")
        assert isinstance(app.screen, ViewPicker)
        await pilot.press("down", "enter")
        await settled(pilot)
        assert sorted(d.title for c in screen.columns for d in c.deals) == ["Helios rollout", "Polar routes"]
        assert screen.query_one("#filter").value == "amount>40k"
        await pilot.press("slash", *"stage:analysis", "enter")
        await pilot.press("V")
        assert isinstance(app.screen, SaveViewForm)
        await pilot.press(*"my analysis", "enter")
        await pilot.pause()
        assert app.settings.views == {"big": "amount>40k", "my analysis": "stage:analysis"}
        assert path.read_text(encoding="utf-8") == (
            '# mine\n[views]\nbig = "amount>40k"  # the big ones\n"my analysis" = "stage:analysis"\n'
        )
        await pilot.press("v", "enter")  # the first option: every deal
        await settled(pilot)
        assert len([d for c in screen.columns for d in c.deals]) == 5
        assert screen.model.filter_text == ""


async def test_V_without_a_filter_saves_nothing_and_says_so(sqlite_service):
    seed(sqlite_service)
    app = make_app(sqlite_service)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("V")
        await pilot.pause()
        assert not isinstance(app.screen, SaveViewForm)
        assert drawn_lines(app)[-1].startswith(" Nothing to save: filter with / first")  # in the key bar
        assert not config_path().exists()
        assert app.settings == Settings()
