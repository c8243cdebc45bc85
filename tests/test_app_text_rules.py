"""The app shows text one way (closedwon_tui/app/literal.py), and its code is checked for it.

Textual parses a `str` as markup in most widgets (Static, Label, Button, Option, a tab, a border
title, a notification), and draws control characters as they are. So in the app's code:

- notifications go through `notify_literal` (message and title shown literally, markup off);
- nothing is parsed as markup (`from_markup`, `markup=True`);
- a `Content` is built from text only with `plain()` (control characters made visible), or from a
  string written in the code; `Content.assemble` takes such strings, `plain()` or other Content;
- a widget or border that would parse a `str` gets a string written in the code or a `Content`,
  never a computed string (an f-string, `literal()`, an attribute);
- every input is a `LiteralInput` and every text area a `LiteralTextArea`: what they are given or
  what is pasted into them is shown literally, and stored text given back unchanged.

A string literal written in the code is ours; anything computed may quote stored text.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import closedwon_tui.app

APP = Path(closedwon_tui.app.__file__).parent
HELPER = APP / "literal.py"
#: Widgets whose first argument is parsed as markup when it is a str.
MARKUP_WIDGETS = {"Static", "Label", "Button", "Checkbox", "RadioButton", "Tab", "TabPane", "Option", "Link"}
#: Attributes whose str value is parsed as markup.
MARKUP_ATTRIBUTES = {"border_title", "border_subtitle", "label", "tooltip"}
#: Calls that give text made safe to show, as Content.
SAFE_CALLS = {"plain"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _is_content(node: ast.expr) -> bool:
    """A call that gives Content: plain(), or a Content constructor or method."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in SAFE_CALLS or func.id == "Content"
    if isinstance(func, ast.Attribute):
        base = func.value
        return (isinstance(base, ast.Name) and base.id == "Content") or _is_content(base)
    return False


def _computed_str(node: ast.expr) -> bool:
    """An expression that is surely a str computed at run time (so it may quote stored text)."""
    if _is_content(node):
        return False
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and (_is_text(node.left) or _is_text(node.right)):
        return True
    if isinstance(node, ast.Call):
        name = _name(node.func)
        return name in {"literal", "str", "format", "join", "capitalize", "strip", "upper", "lower", "replace"}
    return isinstance(node, ast.Attribute)


def problems_in(source: str, where: str, *, helper: bool = False) -> list[str]:
    """Every wrong use in `source` (the code of `where`); `helper` is literal.py, where the rules are kept."""
    if helper:
        return []
    tree = ast.parse(source)
    found: list[str] = []

    def bad(node: ast.AST, why: str) -> None:
        found.append(f"{where}:{node.lineno}: {why}")  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "from_markup":
            bad(node, "markup parsed: build Content with plain() or Content.assemble")
        if isinstance(node, ast.keyword) and node.arg == "markup" and not _is_false(node.value):
            bad(node.value, "markup=... other than False")
        if isinstance(node, ast.Assign) and _computed_str(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in MARKUP_ATTRIBUTES:
                    bad(node, f"computed text for .{target.attr}: give it plain(...)")
        if not isinstance(node, ast.Call):
            continue
        func, name = node.func, _name(node.func)
        if name == "notify" and isinstance(func, ast.Attribute):
            bad(node, "notification: use notify_literal(node, message, ...)")
        if isinstance(func, ast.Name) and func.id == "Content" and node.args and not _is_text(node.args[0]):
            bad(node, "Content(text): use plain(text)")
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "Content":
            if func.attr == "styled" and node.args and not _is_text(node.args[0]):
                bad(node, "Content.styled(text, style): use plain(text, style)")
            if func.attr == "assemble":
                for part in node.args:
                    text = part.elts[0] if isinstance(part, ast.Tuple) and part.elts else part
                    if isinstance(text, ast.Starred):
                        text = text.value
                    if not (_is_text(text) or _is_content(text) or isinstance(text, ast.Name)):
                        bad(part, "Content.assemble part: a string in the code, plain(text, style) or Content")
        if name in MARKUP_WIDGETS and isinstance(func, ast.Name) and node.args and _computed_str(node.args[0]):
            bad(node, f"{name}(computed text) parses it as markup: give it plain(...)")
        if name == "update" and isinstance(func, ast.Attribute) and node.args and _computed_str(node.args[0]):
            bad(node, "update(computed text) parses it as markup: give it plain(...)")
        if isinstance(func, ast.Name) and func.id in ("Input", "TextArea"):
            bad(node, f"{func.id}: use Literal{func.id}, which shows what is put or pasted in literally")
    return found


def test_the_app_shows_text_only_through_the_literal_helpers():
    found = []
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP.parent.parent))
        found += problems_in(path.read_text(encoding="utf-8"), where, helper=path == HELPER)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        'self.notify("Saved")',
        'Content.from_markup("[b]$x[/b]", x=y)',
        "self.app.notify(message, markup=True)",
        "Content(deal.title)",
        'Content.styled(note, "italic")',
        'Content.assemble(("#1 ", "bold"), deal.title)',
        'Content.assemble((f"{deal.owner}", "$text-muted"))',
        'Static(f"Deal {deal.title}")',
        "Label(literal(deal.title))",
        'box.update(f"{deal.title} saved")',
        "section.border_subtitle = f'{owner}'",
        "Input(deal.title, id='t')",
        "Input(value=deal.next_step)",
        "TextArea(note.text)",
        'Input(placeholder="stage name")',
    ],
)
def test_the_check_catches_each_wrong_use(line):
    """Each rule fails on the mistake it is there for (the check is not vacuous)."""
    assert problems_in(line, "probe"), line


@pytest.mark.parametrize(
    "line",
    [
        'notify_literal(self, f"Saved {deal.title}")',
        'plain(deal.title, "bold")',
        'Content.assemble(("Score ", "$text-muted"), plain(note, "italic"), heading)',
        'Static("Keys", classes="heading")',
        "Static(plain(deal.title))",
        "box.update(sections.pipeline_notes(report))",
        'LiteralInput(deal.title, id="t")',
    ],
)
def test_the_right_uses_pass(line):
    assert not problems_in(line, "probe"), line
