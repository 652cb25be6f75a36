"""Moodle's competency-framework CSV (tool_lpimportcsv), both ways.

Columns are read by position: the 14-column layout

    parentidnumber, idnumber, shortname, description, descriptionformat,
    scalevalues, scaleconfiguration, ruletype, ruleoutcome, ruleconfig,
    relatedidnumbers, exportid, isframework, taxonomy

and the older 12-column one without relatedidnumbers and exportid. The
first row is the header. Rows may come in any order; siblings keep the
order of the file.

The framework row carries the scale (scalevalues and scaleconfiguration).
The catalogue writes its own items with a taxonomy each: `competency`,
`indicator`, `scale` (the scale's name and text) and `level` (a level's
text, under the scale row or under a competence). A shared indicator
stands under its first competence; under another one a row with taxonomy
`indicator` names it in relatedidnumbers. Identifiers are the catalogue's
UUIDs; a file from elsewhere gets stable UUIDs derived from its idnumbers.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from catalogue.loading import NAME_LIMIT, level_problem, text_problem, version_problem
from exchange.errors import ExchangeError, as_uuid, derived_uuid
from exchange.spreadsheet import FORMULA_STARTS
from exchange.text import html_to_text, markdown_to_text, tidy

HEADER = [
    "parentidnumber", "idnumber", "shortname", "description",
    "descriptionformat", "scalevalues", "scaleconfiguration", "ruletype",
    "ruleoutcome", "ruleconfig", "relatedidnumbers", "exportid",
    "isframework", "taxonomy",
]  # fmt: skip
OLD_LAYOUT = [name for name in HEADER if name not in ("relatedidnumbers", "exportid")]
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = 0, 1, 2, 4
SHORTNAME_LIMIT = 100
LEVEL_SUFFIX = re.compile(r"-level-([0-9]+)$")
VERSION = re.compile(r"[0-9]+")
# What an item row's taxonomy may say: nothing, as Moodle writes it, or
# what the catalogue writes.
ITEM_TAXONOMIES = {"", "competency", "indicator", "scale", "level"}
# The framework row lists one of Moodle's taxonomies per depth.
MOODLE_TAXONOMIES = {
    "behaviour", "competency", "concept", "domain", "indicator", "level",
    "outcome", "practice", "proficiency", "skill", "value",
}  # fmt: skip


def to_moodle(data: dict[str, Any]) -> bytes:
    """The framework as Moodle's CSV: UTF-8, comma-separated."""
    scale = data["scale"]
    names = [level["name"].replace(",", " ") for level in scale["levels"]]
    config = [{"scaleid": "1"}] + [
        {"id": i, "scaledefault": int(i == 1), "proficient": int(i == len(names))}
        for i in range(1, len(names) + 1)
    ]
    rows: list[dict[str, Any]] = [
        {
            "idnumber": f"{data['uuid']}@{data['version']}",
            "shortname": data["name"],
            "description": data["description"],
            "scalevalues": ",".join(names),
            "scaleconfiguration": json.dumps(config),
            "isframework": 1,
            "taxonomy": "competency,indicator",
        },
        {
            "idnumber": scale["uuid"],
            "shortname": scale["name"],
            "description": scale["description"],
            "taxonomy": "scale",
        },
    ]
    for level in scale["levels"]:
        rows.append(level_row(scale["uuid"], level["number"], level["name"], level))
    placed: set[str] = set()
    for comp in data["competences"]:
        rows.append(
            {
                "idnumber": comp["uuid"],
                "shortname": comp["name"],
                "description": comp["description"],
                "taxonomy": "competency",
            }
        )
        for ind in comp["indicators"]:
            row = {
                "parentidnumber": comp["uuid"],
                "idnumber": ind["uuid"],
                "shortname": ind["text"][:SHORTNAME_LIMIT],
                "description": ind["text"],
                "taxonomy": "indicator",
            }
            if ind["uuid"] in placed:
                row["idnumber"] = f"{comp['uuid']}/{ind['uuid']}"
                row["relatedidnumbers"] = ind["uuid"]
            placed.add(ind["uuid"])
            rows.append(row)
        levels = {level["number"]: level["name"] for level in scale["levels"]}
        for level in comp.get("levels", []):
            rows.append(
                level_row(comp["uuid"], level["number"], levels[level["number"]], level)
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        row.setdefault("descriptionformat", FORMAT_PLAIN)
        writer.writerow(written_cells(row))
    return buffer.getvalue().encode("utf-8")


def written_cells(row: dict[str, Any]) -> list[Any]:
    """The row's cells, none of which a spreadsheet opening the file takes
    for a formula. A description that starts like one goes out as HTML,
    which Moodle shows as the same text and `plain` reads back to it; any
    other such cell (in practice a name) gets the apostrophe of every CSV
    the product writes, which `Row` takes off again on import."""
    description = row.get("description", "")
    if description.startswith(FORMULA_STARTS):
        escaped = html.escape(description, quote=False).replace("\n", "<br>")
        row = {**row, "description": f"<p>{escaped}</p>"}
        row["descriptionformat"] = FORMAT_HTML
    return [guarded(row.get(name, "")) for name in HEADER]


def guarded(value: Any) -> Any:
    """The cell with the apostrophe of `neutralise`, also before a text
    that starts with apostrophes and then a formula, so that taking one
    off on import gives the text back."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def level_row(parent: str, number: int, name: str, level: dict) -> dict[str, Any]:
    return {
        "parentidnumber": parent,
        "idnumber": f"{parent}-level-{number}",
        "shortname": name,
        "description": level["description"],
        "taxonomy": "level",
    }


@dataclass
class Row:
    number: int
    cells: dict[str, str]

    def __getitem__(self, name: str) -> str:
        value = self.cells.get(name, "").strip()
        if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
            return value[1:]  # guarded by `written_cells`
        return value

    @property
    def where(self) -> str:
        return _("row %(number)s") % {"number": self.number}


def read_rows(text: str) -> list[Row]:
    """The data rows, by position; ExchangeError naming every row that
    does not fit the layout, or the place where the CSV cannot be read."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count)
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        records.extend(reader)
    except csv.Error as exc:
        row = {"number": len(records) + 1}
        if "field limit" in str(exc):
            message = _(
                "row %(number)s: a cell is longer than %(limit)s characters"
            ) % {**row, "limit": csv.field_size_limit()}
        else:
            message = _("row %(number)s: not a readable CSV file (%(error)s)") % {
                **row,
                "error": exc,
            }
        raise ExchangeError([message]) from exc
    if not records:
        raise ExchangeError([_("row 1: the file is empty")])
    width = len(records[0])
    if width not in (len(HEADER), len(OLD_LAYOUT)):
        raise ExchangeError(
            [_("row 1: expected 14 or 12 columns, found %(count)s") % {"count": width}]
        )
    names = HEADER if width == len(HEADER) else OLD_LAYOUT
    rows = []
    problems = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = Row(number, dict(zip(names, record, strict=False)))
        if len(record) != width:
            # Most often a quote left open, which swallows what follows.
            problems.append(
                _("%(where)s: expected %(width)s columns, found %(count)s")
                % {"where": row.where, "width": width, "count": len(record)}
            )
        for name, cell in row.cells.items():
            problem = text_problem(cell)
            if problem:
                problems.append(
                    _("%(where)s: %(column)s %(problem)s")
                    % {"where": row.where, "column": name, "problem": problem}
                )
        rows.append(row)
    if problems:
        raise ExchangeError(problems)
    return rows


def name_of(row: Row, problems: list[str]) -> str:
    """The row's shortname as the name of a framework, scale, level or
    competence: never empty, and within what the catalogue holds."""
    name = row["shortname"]
    problem = text_problem(name, NAME_LIMIT)
    if problem is None and not name:
        problem = _("is empty")
    if problem:
        problems.append(
            _("%(where)s: shortname %(problem)s")
            % {"where": row.where, "problem": problem}
        )
    return name


def plain(row: Row, problems: list[str]) -> str:
    text = row.cells.get("description", "")
    fmt = row["descriptionformat"] or str(FORMAT_HTML)
    if fmt == str(FORMAT_PLAIN):
        return tidy(text)
    if fmt in (str(FORMAT_HTML), str(FORMAT_MOODLE)):
        return html_to_text(text)
    if fmt == str(FORMAT_MARKDOWN):
        return markdown_to_text(text)
    problems.append(
        _("%(where)s: unknown description format %(format)s")
        % {"where": row.where, "format": fmt}
    )
    return ""


def from_moodle(text: str) -> dict[str, Any]:
    """The framework in a Moodle CSV, in the product's format (its status
    left for the importer to decide); ExchangeError names every fault."""
    rows = read_rows(text)
    problems: list[str] = []
    frameworks = [row for row in rows if row["isframework"] in ("1", "true", "yes")]
    if len(frameworks) != 1:
        raise ExchangeError(
            [_("exactly one row must have isframework 1 (found %(count)s)")
             % {"count": len(frameworks)}]
        )  # fmt: skip
    top = frameworks[0]
    doc_id, version = framework_identity(top, problems)
    problems += taxonomies(rows, top)
    by_id: dict[str, Row] = {}
    for row in rows:
        if row is top:
            continue
        if not row["idnumber"]:
            problems.append(_("%(where)s: idnumber is empty") % {"where": row.where})
        elif row["idnumber"] in by_id:
            problems.append(
                _("%(where)s: duplicate idnumber %(id)s")
                % {"where": row.where, "id": row["idnumber"]}
            )
        else:
            by_id[row["idnumber"]] = row
    for row in by_id.values():
        parent = row["parentidnumber"]
        if parent and parent not in by_id:
            problems.append(
                _("%(where)s: unknown parent %(id)s")
                % {"where": row.where, "id": parent}
            )
        for related in row["relatedidnumbers"].split(","):
            if related.strip() and related.strip() not in by_id:
                problems.append(
                    _("%(where)s: unknown related idnumber %(id)s")
                    % {"where": row.where, "id": related.strip()}
                )
    problems += cycles(by_id)
    if problems:
        raise ExchangeError(problems)

    def item_uuid(idnumber: str) -> str:
        return as_uuid(idnumber) or derived_uuid(doc_id, idnumber)

    levels = scale_levels(top, by_id, problems)
    scale_row = next((r for r in by_id.values() if r["taxonomy"] == "scale"), None)
    data: dict[str, Any] = {
        "format": "kompetansemodul-framework/1",
        "uuid": doc_id,
        "version": version,
        "status": None,
        "language": "nb",
        "name": name_of(top, problems),
        "description": plain(top, problems),
        "scale": {
            "uuid": item_uuid(scale_row["idnumber"])
            if scale_row
            else derived_uuid(doc_id, "scale"),
            "name": name_of(scale_row, problems) if scale_row else top["shortname"],
            "description": plain(scale_row, problems) if scale_row else "",
            "levels": levels,
        },
        "competences": [],
    }
    data["competences"] = competences(by_id, levels, item_uuid, problems)
    if problems:
        raise ExchangeError(problems)
    return data


def framework_identity(top: Row, problems: list[str]) -> tuple[str, int]:
    """The catalogue writes `<uuid>@<version>`; any other idnumber gives a
    derived UUID and version 1. A UUID with something after `@` that is
    not a version is a fault, not a framework of its own."""
    idnumber = top["idnumber"]
    base, _sep, version = idnumber.rpartition("@")
    identifier = as_uuid(base) if base else None
    if identifier is None:
        return as_uuid(idnumber) or derived_uuid("moodle", idnumber), 1
    # ASCII digits only (str.isdigit() takes "²"), and no more than fit.
    number = int(version) if VERSION.fullmatch(version) and len(version) < 12 else 0
    problem = version_problem(number)
    if problem:
        problems.append(
            _("%(where)s: idnumber %(id)s: %(problem)s")
            % {"where": top.where, "id": idnumber, "problem": problem}
        )
        return identifier, 1
    return identifier, number


def taxonomies(rows: list[Row], top: Row) -> list[str]:
    """A fault for each taxonomy the file names that means nothing here."""
    problems = []
    for value in top["taxonomy"].split(","):
        if value.strip() and value.strip() not in MOODLE_TAXONOMIES:
            problems.append(
                _("%(where)s: unknown taxonomy %(value)s")
                % {"where": top.where, "value": value.strip()}
            )
    for row in rows:
        if row is not top and row["taxonomy"] not in ITEM_TAXONOMIES:
            problems.append(
                _("%(where)s: unknown taxonomy %(value)s (expected %(known)s)")
                % {
                    "where": row.where,
                    "value": row["taxonomy"],
                    "known": ", ".join(sorted(ITEM_TAXONOMIES - {""})),
                }
            )
    return problems


def cycles(by_id: dict[str, Row]) -> list[str]:
    problems = []
    done: set[str] = set()
    for start in by_id:
        seen: list[str] = []
        node = start
        while node and node not in done:
            if node in seen:
                loop = [*seen[seen.index(node) :], node]
                problems.append(
                    _("%(where)s: cycle in parent links: %(ids)s")
                    % {"where": by_id[node].where, "ids": " → ".join(loop)}
                )
                break
            seen.append(node)
            node = by_id[node]["parentidnumber"] if node in by_id else ""
        done.update(seen)
    return problems


def scale_levels(
    top: Row, by_id: dict[str, Row], problems: list[str]
) -> list[dict[str, Any]]:
    values = [v.strip() for v in top["scalevalues"].split(",") if v.strip()]
    if not values:
        problems.append(_("%(where)s: scalevalues is empty") % {"where": top.where})
        return []
    check_configuration(top, len(values), problems)
    for n, value in enumerate(values, start=1):
        problem = level_problem(n) or text_problem(value, NAME_LIMIT)
        if problem:
            problems.append(
                _("%(where)s: scalevalues %(problem)s")
                % {"where": top.where, "problem": problem}
            )
            break
    scale_ids = {r["idnumber"] for r in by_id.values() if r["taxonomy"] == "scale"}
    written = [
        r
        for r in by_id.values()
        if r["taxonomy"] == "level" and r["parentidnumber"] in scale_ids
    ]
    if not written:
        return [
            {"number": n, "name": name, "description": ""}
            for n, name in enumerate(values, start=1)
        ]
    if len(written) != len(values):
        problems.append(
            _("%(where)s: %(rows)s level rows for %(values)s scale values")
            % {"where": top.where, "rows": len(written), "values": len(values)}
        )
    levels = []
    numbers: set[int] = set()
    for row in written:
        number = level_number(row, values, problems)
        if number in numbers:
            problems.append(
                _("%(where)s: level %(number)s appears twice")
                % {"where": row.where, "number": number}
            )
        elif number is not None:
            numbers.add(number)
            levels.append(
                {
                    "number": number,
                    "name": name_of(row, problems),
                    "description": plain(row, problems),
                }
            )
    return sorted(levels, key=lambda level: level["number"])


def check_configuration(top: Row, count: int, problems: list[str]) -> None:
    raw = top["scaleconfiguration"]
    if not raw:
        return
    try:
        config = json.loads(raw)
    except (ValueError, RecursionError):
        config = None
    if not isinstance(config, list):
        problems.append(
            _("%(where)s: scaleconfiguration is not a JSON list") % {"where": top.where}
        )
        return
    for entry in config[1:]:
        value = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(
                _("%(where)s: scaleconfiguration entry without a numeric id")
                % {"where": top.where}
            )
        elif not 1 <= value <= count:
            problems.append(
                _("%(where)s: scale value %(value)s is outside the scale (1–%(count)s)")
                % {"where": top.where, "value": value, "count": count}
            )


def level_number(row: Row, values: list[str], problems: list[str]) -> int | None:
    """A level row's number: from `-level-N` in its idnumber, else the
    place of its shortname among the scale values."""
    match = LEVEL_SUFFIX.search(row["idnumber"])
    if match:
        digits = match.group(1)
        # More digits than int() reads are far outside the range anyway.
        number = int(digits) if len(digits) < 12 else None
        problem = level_problem(digits[:15] + "…" if number is None else number)
        if problem or number is None:
            problems.append(f"{row.where}: {problem}")
            return None
        return number
    if row["shortname"] in values:
        return values.index(row["shortname"]) + 1
    problems.append(
        _("%(where)s: level %(name)s is not on the scale")
        % {"where": row.where, "name": row["shortname"]}
    )
    return None


def competences(
    by_id: dict[str, Row],
    levels: list[dict[str, Any]],
    item_uuid: Any,
    problems: list[str],
) -> list[dict[str, Any]]:
    """Competences are the rows without a parent, their indicators the
    rows under them; scale and level rows are set aside."""
    numbers = {level["number"] for level in levels}
    names = [level["name"] for level in levels]
    tops = [
        r
        for r in by_id.values()
        if not r["parentidnumber"] and r["taxonomy"] not in ("scale", "level")
    ]
    result = {}
    for row in tops:
        result[row["idnumber"]] = {
            "uuid": item_uuid(row["idnumber"]),
            "name": name_of(row, problems),
            "description": plain(row, problems),
            "indicators": [],
        }
    for row in by_id.values():
        parent = row["parentidnumber"]
        if not parent or by_id[parent]["taxonomy"] == "scale":
            continue
        if parent not in result:
            problems.append(
                _("%(where)s: only competences and their indicators are supported")
                % {"where": row.where}
            )
            continue
        competence = result[parent]
        if row["taxonomy"] == "level":
            number = level_number(row, names, problems)
            texts = {level["number"] for level in competence.get("levels", [])}
            if number is not None and number not in numbers:
                problems.append(
                    _("%(where)s: level %(number)s is not on the scale")
                    % {"where": row.where, "number": number}
                )
            elif number in texts:
                problems.append(
                    _("%(where)s: level %(number)s appears twice")
                    % {"where": row.where, "number": number}
                )
            elif number is not None:
                competence.setdefault("levels", []).append(
                    {"number": number, "description": plain(row, problems)}
                )
            continue
        text = plain(row, problems) or row["shortname"]
        if not text.strip():
            problems.append(
                _("%(where)s: the indicator has neither shortname nor description")
                % {"where": row.where}
            )
        shared = row["relatedidnumbers"]
        if row["taxonomy"] == "indicator" and shared in by_id:
            competence["indicators"].append(
                {"uuid": item_uuid(shared), "text": plain(by_id[shared], problems)
                 or by_id[shared]["shortname"]}
            )  # fmt: skip
            continue
        competence["indicators"].append(
            {"uuid": item_uuid(row["idnumber"]), "text": text}
        )
    for competence in result.values():
        competence.get("levels", []).sort(key=lambda level: level["number"])
    return list(result.values())
