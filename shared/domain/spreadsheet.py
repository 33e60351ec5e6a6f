"""A spreadsheet as a centre keeps it (issue 17): bytes of an .xlsx or a .csv in, rows of text out.

Pure: the bytes are already in memory (an upload, a file an engineer names); nothing here touches
the store. A CSV is read as LibreOffice and Excel save it — UTF-8 with or without a BOM (or
Windows-1252 from an old Excel), the delimiter sniffed among `;`, `,` and tab. A file that cannot
be read raises `Unreadable`, so an import of it changes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

MAX_BYTES: Final = 4 * 1024 * 1024
MAX_ROWS: Final = 5000
MAX_COLUMNS: Final = 60
CELL_MAX: Final = 2000


class Unreadable(ValueError):
    """The file is not a spreadsheet this reads; `code` names why (for the coordinator's text)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Sheet:
    headings: tuple[str, ...]
    # (row number as the coordinator sees it in the sheet — the heading is row 1, cells by column)
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()[:CELL_MAX]


def read(data: bytes, filename: str) -> Sheet:
    if not data:
        raise Unreadable("empty")
    if len(data) > MAX_BYTES:
        raise Unreadable("too_large")
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = _xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        table = _csv(data)
    else:
        raise Unreadable("type")
    return _sheet(table)


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise Unreadable("broken") from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise Unreadable("empty")
        table: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            if len(table) > MAX_ROWS + 1:
                raise Unreadable("too_many_rows")
            table.append([_cell(v) for v in row[:MAX_COLUMNS]])
        return table
    finally:
        book.close()


def _decode(data: bytes) -> str:
    """UTF-8, with or without the BOM LibreOffice writes; else Windows-1252 (Excel's CSV on a
    Norwegian Windows); a file with NUL bytes or neither encoding is unreadable, and says so."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data:
            raise Unreadable("broken") from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise Unreadable("encoding") from None


def _csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise Unreadable("broken")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        dialect = csv.excel
        if first.count(";") > first.count(","):
            dialect = _Semicolon
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise Unreadable("broken") from exc
    if len(rows) > MAX_ROWS + 1:
        raise Unreadable("too_many_rows")
    return [[c.strip()[:CELL_MAX] for c in row[:MAX_COLUMNS]] for row in rows]


class _Semicolon(csv.excel):
    delimiter = ";"


def _sheet(table: list[list[str]]) -> Sheet:
    numbered = [(i + 1, row) for i, row in enumerate(table) if any(c for c in row)]
    if not numbered:
        raise Unreadable("empty")
    head_no, head = numbered[0]
    width = max(len(head), 1)
    while width > 1 and not head[width - 1]:
        width -= 1
    headings = tuple(head[:width])
    if sum(1 for h in headings if h) < 1:
        raise Unreadable("no_headings")
    rows = tuple(
        (n, tuple((list(r) + [""] * width)[:width])) for n, r in numbered[1:] if n > head_no
    )
    if len(rows) > MAX_ROWS:
        raise Unreadable("too_many_rows")
    return Sheet(headings, rows)
