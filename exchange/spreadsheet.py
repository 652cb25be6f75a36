"""Writing CSV and XLSX files that are safe to open in a spreadsheet.

Every CSV or XLSX the product writes goes through these functions. A cell
that starts with = + - @ (or a tab or carriage return) would be run as a
formula by Excel and LibreOffice. In CSV it is written with a leading
apostrophe, which spreadsheets show as text and people can still read; in
XLSX it is written as a text cell marked "quote prefix", which
spreadsheets show as the text itself and never evaluate. The stored value
is never changed, only what is written out.

XML, and so XLSX, cannot hold most control characters (an HR file may
bring them in a name); they are written as U+FFFD, the replacement
character, in cells, and as a hyphen in sheet names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """The value as it may be written to a cell: strings that a spreadsheet
    would read as a formula get a leading apostrophe; numbers, dates and
    None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";"
) -> bytes:
    """A CSV file as Norwegian Excel reads it: UTF-8 with BOM, `;` between
    cells, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Data"
) -> bytes:
    """An XLSX workbook with one sheet; write-only, so memory stays flat for
    large exports."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.append([text_cell(sheet, cell) for cell in header])
    for row in rows:
        sheet.append([text_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Characters a spreadsheet does not allow in a sheet's name.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def sheet_title(title: str) -> str:
    """A sheet name spreadsheets accept: at most 31 characters, none of
    / \\ ? * [ ] :, and not starting or ending with an apostrophe."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("-", title))
    cleaned = cleaned[:31].strip("'").strip()
    return cleaned or "Data"


def text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """The value for an XLSX row: one that a spreadsheet would read as a
    formula becomes a text cell with a quote prefix; others pass as they
    are. Characters XML cannot hold become U+FFFD."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl took it for a formula
    cell.quotePrefix = True
    return cell
