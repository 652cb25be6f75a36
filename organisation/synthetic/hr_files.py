"""The synthetic municipality as an HR export: units.csv and people.csv in
the format the HR system writes (UTF-8 with BOM, `;`, CRLF), through the
product's one CSV writer, so formulas are neutralised as in any export."""

from __future__ import annotations

from pathlib import Path

from exchange.spreadsheet import csv_bytes
from organisation.synthetic.tree import Municipality

UNIT_HEADER = [
    "Enhetskode",
    "Enhetsnavn",
    "Overordnet enhetskode",
    "Leder ansattnummer",
]
PEOPLE_HEADER = [
    "Ansattnummer",
    "Fornavn",
    "Etternavn",
    "E-post",
    "Stillingstittel",
    "Enhetskode",
]


def write_hr_files(town: Municipality, directory: Path) -> list[Path]:
    """Write units.csv and people.csv into the directory (created if
    needed); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    units = [
        (
            unit.code,
            unit.name,
            unit.parent.code if unit.parent else "",
            unit.leader.employee_number if unit.leader else "",
        )
        for unit in town.units
    ]
    people = [
        (
            person.employee_number,
            person.first_name,
            person.last_name,
            person.email,
            person.title,
            person.unit.code,
        )
        for person in town.people
    ]
    written = []
    for name, header, rows in (
        ("units.csv", UNIT_HEADER, units),
        ("people.csv", PEOPLE_HEADER, people),
    ):
        path = directory / name
        path.write_bytes(csv_bytes(header, rows))
        written.append(path)
    return written
