"""Reading HR export files: CSV (any of ; , tab; UTF-8 with or without BOM,
or Windows-1252) and XLSX, into rows keyed by our own field names.

Line numbers are the physical lines of the file where a row starts, so a
report points at what a person sees in a text editor even when a quoted
cell spans several lines; for XLSX they are the sheet's row numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

DELIMITERS = (";", ",", "\t")

# Python's csv module refuses a cell longer than 131,072 characters (its
# default limit), with an English message. No real cell comes near that: the
# longest column holds 254 characters. A longer cell nearly always means a
# quotation mark that is never closed, which swallows the rest of the file.
# The whole file is in memory already, so the limit only bounds how much one
# cell may copy of it; one mebibyte keeps that small while letting the
# reader reach the end of a short file and report where the cell began.
FIELD_SIZE_LIMIT = 1024 * 1024
# The limit is the csv module's, for the whole process; only ever raise it.
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    filename: str
    rows: list[Row]
    # Our field names and the headers the file has for them.
    columns: Mapping[str, str] = field(default_factory=dict)
    # Lines whose CSV is malformed, and why; they are not among the rows.
    faults: list[tuple[int, str]] = field(default_factory=list)

    def header(self, name: str) -> str:
        """The file's header for one of our field names."""
        return self.columns.get(name, name)


def read_table(data: bytes, filename: str, columns: Mapping[str, str]) -> Table:
    """Rows of the file with our field names as keys; `columns` maps each
    field name to the header the file uses for it (compared without case
    or surrounding spaces). Raises FileProblem for an unreadable file or a
    missing column, naming the file."""
    try:
        if not data.strip():
            raise FileProblem(_("The file is empty."))
        faults: list[tuple[int, str]] = []
        if data.startswith(b"PK\x03\x04"):
            header, records = _xlsx_records(data)
        else:
            header, records, faults = _csv_records(_decode(data))
        positions = _column_positions(header, columns)
    except FileProblem as exc:
        raise FileProblem(
            _("%(file)s: %(problem)s") % {"file": filename, "problem": exc}
        ) from None
    rows = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        values = {
            field: (record[i].strip() if i < len(record) else "")
            for field, i in positions.items()
        }
        rows.append(Row(line=line, values=values))
    return Table(filename=filename, rows=rows, columns=dict(columns), faults=faults)


def _decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else
    Windows-1252 as a whole. A file that is UTF-8 but for some lines (a row
    pasted from an older export) is refused with those lines: read as
    Windows-1252 it would garble every æ, ø and å of the other rows, and
    read line by line it would hide that the file is inconsistent."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": readable, but not in an encoding we take.
        raise FileProblem(
            _("The file is UTF-16 text. Save it as CSV UTF-8 and try again.")
        )
    if b"\x00" in data:
        raise FileProblem(_("This is not a CSV or XLSX file."))
    has_bom = data.startswith(b"\xef\xbb\xbf")
    if has_bom:
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf8_letters = False
    not_utf8 = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(number)
        else:
            utf8_letters = utf8_letters or not line.isascii()
    if has_bom or utf8_letters:
        shown = ", ".join(str(number) for number in not_utf8[:10])
        raise FileProblem(
            ngettext(
                "The file is UTF-8 except line %(lines)s, which is in another "
                "encoding (probably Windows-1252). Save the whole file as "
                "UTF-8 and try again.",
                "The file is UTF-8 except lines %(lines)s, which are in another "
                "encoding (probably Windows-1252). Save the whole file as "
                "UTF-8 and try again.",
                len(not_utf8),
            )
            % {"lines": shown + (" …" if len(not_utf8) > 10 else "")}
        )
    # Older Norwegian Excel exports are Windows-1252; five byte values are
    # undefined there, which tells us the file is something else.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(
            _("The file is neither UTF-8 nor Windows-1252 text.")
        ) from None


def _csv_records(
    text: str,
) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """The header, the well-formed records with the line each starts on,
    and the malformed ones as (line, reason)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    faults = []
    start = 1
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            problem = _malformed(record, len(header), delimiter, start, reader.line_num)
            if problem:
                faults.append((start, problem))
            else:
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FileProblem(
                _(
                    "A cell that begins on line %(line)s is longer than "
                    '%(limit)s characters: a quotation mark (") is probably '
                    "not closed."
                )
                % {
                    "line": start,
                    "limit": number_format(FIELD_SIZE_LIMIT, force_grouping=True),
                }
            ) from None
        raise FileProblem(
            _("Line %(line)s cannot be read as CSV.") % {"line": start}
        ) from None
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    return header, records, faults


def _malformed(
    record: list[str], columns: int, delimiter: str, start: int, end: int
) -> str | None:
    """Why a CSV record is not a row of the table, or None. A quoted cell
    may hold a line break (a name typed on two lines), but one that holds
    line breaks and the delimiter has swallowed the lines after it: its
    closing quotation mark is missing. A row with fewer cells than the
    header, or more that are not empty, is cut or shifted."""
    if not any(cell.strip() for cell in record):
        return None
    for cell in record:
        if ("\n" in cell or "\r" in cell) and delimiter in cell:
            return _(
                "A quoted cell runs from line %(start)s to line %(end)s and "
                'holds whole rows: a quotation mark (") is probably not closed.'
            ) % {"start": start, "end": end}
    if len(record) < columns or any(cell.strip() for cell in record[columns:]):
        return _(
            "The row has %(cells)s cells, the header has %(columns)s: a "
            "separator or quotation mark is probably missing or extra."
        ) % {"cells": len(record), "columns": columns}
    return None


def _xlsx_records(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    # openpyxl reads the sheet lazily and meets a damaged part (a sheet
    # cut short, a chart sheet without its drawing) with whatever error
    # its parser raises, so any error while reading is the file's fault.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise FileProblem(_("The XLSX file has no worksheet."))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise FileProblem(_("The file is empty."))
        header = [_cell_text(cell) for cell in first]
        records = [
            (number, [_cell_text(cell) for cell in row])
            for number, row in enumerate(rows, start=2)
        ]
        workbook.close()
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(_("The XLSX file cannot be opened.")) from None
    return header, records


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    # Spreadsheets store employee numbers as numbers: 100000, not 100000.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_positions(header: list[str], columns: Mapping[str, str]) -> dict[str, int]:
    found = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [
        title for title in columns.values() if title.strip().lower() not in found
    ]
    if missing:
        raise FileProblem(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return {field: found[title.strip().lower()] for field, title in columns.items()}
