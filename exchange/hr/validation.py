"""Checks on an HR export before anything is written.

Pure functions over the rows read from the files (and the unit codes that
already exist), returning the organisation the files describe and every
fault found, each with its file, line and reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from exchange.hr.reading import Table
from organisation.models import MAX_DEPTH

# Lengths of the columns the values are stored in (organisation.models).
MAX_LENGTHS = {
    "code": 50,
    "name": 200,
    "employee_number": 50,
    "first_name": 150,
    "last_name": 150,
    "email": 254,
    "title": 200,
}


@dataclass(frozen=True)
class RowError:
    filename: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}: {self.message}"


@dataclass(frozen=True)
class UnitData:
    code: str
    name: str
    parent_code: str
    leader_numbers: tuple[str, ...]


@dataclass(frozen=True)
class PersonData:
    employee_number: str
    first_name: str
    last_name: str
    email: str
    title: str
    unit_code: str


@dataclass
class Snapshot:
    """The organisation as the files describe it."""

    units: dict[str, UnitData] = field(default_factory=dict)
    people: dict[str, PersonData] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def single_line(value: str) -> str:
    """Names are one line: a line break inside a quoted cell (valid CSV)
    becomes a space, so lists and exports stay readable."""
    return " ".join(value.split())


def validate(
    units: Table,
    people: Table,
    existing_unit_codes: Mapping[str, str | None] | None = None,
) -> Snapshot:
    """Check both files; a parent may be in the units file or already exist
    (`existing_unit_codes` maps the codes of the units in the database to
    their parent's code).

    Malformed CSV lines are reported alone: with a row cut or shifted, what
    the other checks would say about it and the rows it swallowed would
    only mislead."""
    snapshot = Snapshot()
    if units.faults or people.faults:
        snapshot.errors = [
            RowError(
                table.filename, line, _("CSV fault: %(reason)s") % {"reason": reason}
            )
            for table in (units, people)
            for line, reason in table.faults
        ]
        return snapshot
    _check_people(people, snapshot)
    existing_unit_codes = existing_unit_codes or {}
    _check_units(units, snapshot, existing_unit_codes)
    known_units = set(snapshot.units) | set(existing_unit_codes)
    for row in people.rows:
        code = row.values["unit_code"]
        number = row.values["employee_number"]
        if code and code not in known_units and number in snapshot.people:
            snapshot.errors.append(
                RowError(
                    people.filename,
                    row.line,
                    _("Unit %(code)s is not in the units file.") % {"code": code},
                )
            )
    snapshot.errors.sort(key=lambda e: (e.filename != units.filename, e.line))
    return snapshot


def _too_long(table: Table, values: dict[str, str]) -> list[str]:
    """Values longer than their column in the database, by the header the
    file uses for them."""
    return [
        _("%(column)s is longer than %(max)s characters.")
        % {"column": table.header(name), "max": limit}
        for name, limit in MAX_LENGTHS.items()
        if name in values and len(values[name]) > limit
    ]


def _check_people(people: Table, snapshot: Snapshot) -> None:
    counts = Counter(row.values["employee_number"] for row in people.rows)
    # Mail about a person's expectations goes to their address: two people
    # sharing one would read each other's. Case does not make it another.
    email_lines: dict[str, list[int]] = {}
    for row in people.rows:
        email = single_line(row.values["email"]).casefold()
        if email:
            email_lines.setdefault(email, []).append(row.line)
    for row in people.rows:
        values = {key: single_line(value) for key, value in row.values.items()}
        problems = _too_long(people, values)
        number = values["employee_number"]
        if not number:
            problems.append(_("The employee number is missing."))
        elif counts[number] > 1:
            problems.append(
                _("Employee number %(number)s appears more than once.")
                % {"number": number}
            )
        if not values["first_name"]:
            problems.append(_("The first name is missing."))
        if not values["last_name"]:
            problems.append(_("The surname is missing."))
        if not values["unit_code"]:
            problems.append(_("The unit code is missing."))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.append(
                    _("%(email)s is not a valid e-mail address.")
                    % {"email": values["email"]}
                )
            others = [
                line
                for line in email_lines[values["email"].casefold()]
                if line != row.line
            ]
            if others:
                problems.append(
                    _("The e-mail address %(email)s is also on line %(lines)s.")
                    % {
                        "email": values["email"],
                        "lines": ", ".join(str(line) for line in others),
                    }
                )
        for problem in problems:
            snapshot.errors.append(RowError(people.filename, row.line, problem))
        if number and counts[number] == 1:
            snapshot.people[number] = PersonData(**values)


def _check_units(
    units: Table, snapshot: Snapshot, existing_codes: Mapping[str, str | None]
) -> None:
    counts = Counter(row.values["code"] for row in units.rows)
    lines: dict[str, int] = {}
    for row in units.rows:
        values = {key: single_line(value) for key, value in row.values.items()}
        problems = _too_long(units, values)
        code = values["code"]
        if not code:
            problems.append(_("The unit code is missing."))
        elif counts[code] > 1:
            problems.append(
                _("Unit code %(code)s appears more than once.") % {"code": code}
            )
        if not values["name"]:
            problems.append(_("The unit name is missing."))
        parent = values["parent_code"]
        if parent and parent not in counts and parent not in existing_codes:
            problems.append(
                _("The parent unit %(code)s does not exist.") % {"code": parent}
            )
        if parent and parent == code:
            problems.append(_("The unit is its own parent."))
        leaders = tuple(
            number.strip()
            for number in values["leader_number"].replace(",", " ").split()
        )
        for number in leaders:
            if number not in snapshot.people:
                problems.append(
                    _("The leader %(number)s is not in the people file.")
                    % {"number": number}
                )
        for problem in problems:
            snapshot.errors.append(RowError(units.filename, row.line, problem))
        if code and counts[code] == 1:
            lines[code] = row.line
            snapshot.units[code] = UnitData(
                code=code,
                name=values["name"],
                parent_code=parent,
                leader_numbers=leaders,
            )
    for code in _codes_in_cycles(snapshot.units):
        snapshot.errors.append(
            RowError(
                units.filename,
                lines[code],
                _("Unit %(code)s is its own ancestor (a cycle of parent units).")
                % {"code": code},
            )
        )
    for code, (depth, line_code) in _too_deep(snapshot.units, existing_codes).items():
        if line_code == code:
            message = _(
                "Unit %(code)s lies %(depth)s levels deep; the organisation "
                "holds at most %(most)s."
            )
        else:
            message = _(
                "Unit %(code)s, below this unit and not in the file, would lie "
                "%(depth)s levels deep; the organisation holds at most %(most)s."
            )
        snapshot.errors.append(
            RowError(
                units.filename,
                lines[line_code],
                message % {"code": code, "depth": depth, "most": MAX_DEPTH},
            )
        )


def _too_deep(
    units: dict[str, UnitData], existing: Mapping[str, str | None]
) -> dict[str, tuple[int, str]]:
    """The units that would lie deeper than a path can hold once the file
    is imported, with their depth and the code of the unit in the file to
    report them on: themselves, or for a unit the file leaves out, the
    nearest unit above it in the file. Parents follow the file, else the
    database. Units on a cycle are reported as such instead."""
    parents = {code: parent or "" for code, parent in existing.items()}
    parents |= {code: unit.parent_code for code, unit in units.items()}
    depths: dict[str, int] = {}
    for start in parents:
        chain: list[str] = []
        code = start
        while code in parents and code not in depths and code not in chain:
            chain.append(code)
            code = parents[code]
        if code in chain:
            continue  # a cycle
        depth = depths.get(code, 0)
        for code in reversed(chain):
            depth += 1
            depths[code] = depth
    found: dict[str, tuple[int, str]] = {}
    for code, depth in depths.items():
        if depth <= MAX_DEPTH:
            continue
        shown = code
        while shown and shown not in units:
            shown = parents.get(shown, "")
        if shown:  # else the file changes nothing above it
            found[code] = (depth, shown)
    return found


def _codes_in_cycles(units: dict[str, UnitData]) -> list[str]:
    """Codes of the units that lie on a cycle of parent links."""
    on_cycle: set[str] = set()
    settled: set[str] = set()
    for start in units:
        path: list[str] = []
        code = start
        while code in units and code not in settled and code not in path:
            path.append(code)
            code = units[code].parent_code
        if code in path:
            on_cycle.update(path[path.index(code) :])
        settled.update(path)
    return sorted(on_cycle)
