"""Reading CSV files as they really come: encodings, separators, quoting, and the files that are not CSV."""

from __future__ import annotations

import pytest

from closedwon_tui.domain.errors import ValidationError
from closedwon_tui.transfer.csvfile import decode, detect_separator, read_table

TEXT = 'Deal - Title,Deal - Value\n"Straße, Phase 2","42,000"\nÉclair,9500\n'


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (with BOM)"),
        (TEXT.encode("utf-16"), "UTF-16"),  # with its BOM, as Excel writes it
        (TEXT.encode("utf-16-le"), "UTF-16"),
        (TEXT.encode("utf-16-be"), "UTF-16"),
        (TEXT.encode("cp1252"), "Windows-1252 (not UTF-8)"),
    ],
)
def test_every_encoding_reads_to_the_same_table(data, encoding):
    table = read_table(data)
    assert table.encoding == encoding
    assert table.headers == ("Deal - Title", "Deal - Value")
    assert table.rows == [(2, ["Straße, Phase 2", "42,000"]), (3, ["Éclair", "9500"])]


def test_the_bom_never_sticks_to_the_first_header():
    table = read_table(b"\xef\xbb\xbfTitle;Value\r\nA;1\r\n")
    assert table.headers[0] == "Title"


@pytest.mark.parametrize(
    ("line", "separator"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"), ('"x;y",b,c', ","), ("title", ",")],
)
def test_the_separator_is_the_one_that_splits_the_header(line, separator):
    assert detect_separator(line + "\n1,2,3\n") == separator


def test_excel_unicode_text_is_tab_separated_utf16():
    data = "Title\tAmount\r\nHelios\t1000\r\n".encode("utf-16")
    table = read_table(data)
    assert table.separator == "\t" and table.separator_name == "tab"
    assert table.rows == [(2, ["Helios", "1000"])]


def test_quoted_values_keep_newlines_and_quotes_and_rows_keep_spreadsheet_numbers():
    data = b'Title,Note\n"Two\nlines","He said ""no"""\n\nLast,x\n'
    table = read_table(data)
    assert table.rows == [(2, ["Two\nlines", 'He said "no"']), (4, ["Last", "x"])]


def test_stray_characters_after_a_closing_quote_are_read_as_a_spreadsheet_would():
    table = read_table(b'Title,Size\n"12" screen,1\n')
    assert table.rows[0][1][0] == "12 screen"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"PK\x03\x04\x14\x00rest-of-a-zip", "Excel workbook"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"SQLite format 3\x00....", "SQLite database"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b'Title,Note\n"never closed,1\n', "never closed"),
        (b"a,b\n" + b"x" * 200_000 + b"\n", "longer than"),
    ],
)
def test_files_that_are_not_csv_say_what_they_are(data, message):
    with pytest.raises(ValidationError, match=message):
        read_table(data)


def test_a_json_file_is_not_a_csv():
    with pytest.raises(ValidationError, match="not a CSV"):
        read_table(b'{"deals": [\n{"title": "a", "amount": 1},\n{"title": "b", "amount": 2}]}\n')


def test_undecodable_utf16_is_refused():
    with pytest.raises(ValidationError, match="binary or in an unknown encoding"):
        decode(b"\xff\xfe\x00\xd8")  # a lone surrogate
