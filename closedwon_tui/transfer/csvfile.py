"""A CSV file as it really comes: UTF-8 with or without a BOM, Excel's UTF-16 "Unicode text",
Windows-1252 from an older Excel; `,`, `;`, tab or `|` between values; quoted values with
newlines and quotes inside.

`read_table` turns the file's bytes into a header and rows of strings, or raises one
`ValidationError` saying what the file is instead (a workbook, a binary file, an empty file...).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from closedwon_tui.domain.errors import ValidationError

#: The separators a spreadsheet writes, in the order preferred on a tie.
SEPARATORS = (",", ";", "\t", "|")
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}

# Signatures of files people pick by mistake.
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook or another zip file: save it as CSV first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word document: save it as CSV first"),
    (b"%PDF", "a PDF document, not a CSV file"),
    (b"SQLite format 3\x00", "a SQLite database, not a CSV file (use closedwon restore for a backup)"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
)


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A file's header and rows, each row numbered as a spreadsheet shows it (the header is row 1)."""

    headers: tuple[str, ...]
    rows: list[tuple[int, list[str]]]
    encoding: str
    separator: str

    @property
    def separator_name(self) -> str:
        return _SEPARATOR_NAMES.get(self.separator, repr(self.separator))


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding."""
    if not data.strip(b" \t\r\n\x00"):
        raise ValidationError("the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ValidationError(f"the file is {what}")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", "UTF-8 (with BOM)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", "UTF-16")
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(sample) >= 4 and odd > len(sample) // 4 and even == 0:
        return _decode(data, "utf-16-le", "UTF-16")  # Excel's Unicode text without its BOM
    if len(sample) >= 4 and even > len(sample) // 4 and odd == 0:
        return _decode(data, "utf-16-be", "UTF-16")
    if b"\x00" in sample:
        raise ValidationError("the file is binary, not a CSV file")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # An older Excel writes the Windows code page; say so in the summary, so a wrong guess shows.
    return _decode(data, "cp1252", "Windows-1252 (not UTF-8)")


def _decode(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise ValidationError("the file is binary or in an unknown encoding, not a CSV file") from None
    if "\x00" in text:
        raise ValidationError("the file is binary, not a CSV file")
    return text.removeprefix("\ufeff"), label


def _first_line(text: str) -> str:
    """The header line: up to the first line break outside quotes."""
    quoted = False
    for index, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            return text[:index]
    return text


def detect_separator(text: str) -> str:
    """The separator that splits the header line most often (outside quotes); `,` for one column."""
    line = _first_line(text)
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])  # max keeps the first on a tie
    return best if counts[best] else ","


def _records(text: str, separator: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ValidationError('a quoted value is never closed (a " is missing): not a complete CSV file') from None
        if "field larger than field limit" in str(exc):
            raise ValidationError("not a CSV file (a value is longer than 128 KB)") from None
    # Stray characters after a closing quote (`"12" inch`): read them as a spreadsheet would.
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:  # pragma: no cover - the lenient reader only fails on limits
        raise ValidationError(f"not a CSV file ({exc})") from None


def read_table(data: bytes) -> CsvTable:
    """Header and rows of a CSV file's bytes; blank lines are dropped, row numbers kept."""
    text, encoding = decode(data)
    separator = detect_separator(text)
    records = _records(text, separator)
    numbered = [(number, row) for number, row in enumerate(records, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise ValidationError("the file is empty")
    (_, header), rows = numbered[0], numbered[1:]
    headers = tuple(cell.strip().strip("\ufeff").strip() for cell in header)
    if len(headers) < 2 and rows and any(len(row) > 1 for _, row in rows[:20]):
        raise ValidationError("not a CSV file (its rows do not match its first line)")
    return CsvTable(headers=headers, rows=rows, encoding=encoding, separator=separator)
