"""The one rule for showing stored text: controls visible, everything a script needs kept."""

from __future__ import annotations

from closedwon_tui.domain.text import TEXT_LIMIT, is_safe, limit_for, printable


def test_terminal_controls_become_visible_escapes():
    assert printable("Co\x1b]0;pwned\x07") == "Co\\x1b]0;pwned\\x07"
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("c1\x9b31m") == "c1\\x9b31m"  # the one-character CSI
    assert printable("del\x7f") == "del\\x7f"
    assert printable("nul\x00") == "nul\\x00"


def test_lone_surrogates_from_undecodable_bytes_are_escaped():
    text = b"\xff\xfe title".decode("utf-8", "surrogateescape")
    assert printable(text) == "\\udcff\\udcfe title"


def test_one_line_keeps_words_apart_and_many_lines_keep_their_breaks():
    assert printable("tab\there\nnext\rline") == "tab here next line"
    assert printable("one\r\ntwo\n\tthree\rx", multiline=True) == "one\ntwo\n\tthree\\rx"


def test_scripts_keep_what_they_need_and_markup_is_left_as_text():
    family = "👩\u200d👩\u200d👧"
    assert printable(family) == family
    assert printable("می\u200cخواهم") == "می\u200cخواهم"  # zero-width non-joiner
    assert printable("ACME [EU] [b]x[/b] [@click=app.quit]") == "ACME [EU] [b]x[/b] [@click=app.quit]"
    assert printable("bidi\u202eoverride") == "bidi\\u202eoverride"


def test_is_safe_agrees_with_printable():
    for text in ("plain", "a\x1bb", "x\ny", "é", "\u202e"):
        assert is_safe(text) == (printable(text) == text)
        assert is_safe(text, multiline=True) == (printable(text, multiline=True) == text)


def test_limits_come_from_one_place():
    assert limit_for("note") == TEXT_LIMIT
    assert limit_for("title") == 200
