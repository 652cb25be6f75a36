"""The heatmap and the proposals as CSV or XLSX files."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

from analysis.presenting import CompetenceTally, HeatRow
from analysis.queries import Standings
from analysis.rules import Plan
from exchange.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    xlsx_bytes,
)
from kompetanse.downloads import download
from organisation.models import OrgUnit


def file_response(
    name: str, header: list[str], rows: list[list[object]], fmt: str
) -> HttpResponse:
    if fmt == "xlsx":
        body, content_type = xlsx_bytes(header, rows, title=name), XLSX_CONTENT_TYPE
    else:
        body, content_type = csv_bytes(header, rows), CSV_CONTENT_TYPE
    return download(body, content_type, name, fmt)


def heatmap_response(unit: OrgUnit, rows: Sequence[HeatRow], fmt: str) -> HttpResponse:
    header = [
        _("Unit or person"),
        _("Competence"),
        _("People with an expectation"),
        _("At or above the expected level"),
        _("Assessed"),
        _("Mean gap"),
    ]
    lines: list[list[object]] = []
    for row in rows:
        for cell in row.cells:
            gap = cell.summary.mean_gap
            lines.append(
                [
                    row.name,
                    cell.competence.name,
                    cell.summary.expected,
                    cell.summary.met,
                    cell.summary.assessed,
                    None if gap is None else round(gap, 2),
                ]
            )
    # Outside the f-string, where makemessages finds it.
    title = _("Heatmap")
    return file_response(f"{title} {unit.name}", header, lines, fmt)


def plan_table(
    plans: Sequence[Plan], standings: Standings
) -> tuple[list[str], list[list[object]]]:
    """Every named proposal as a row, with a header."""
    names = {person.pk: person.name for person in standings.people}
    header = [
        _("Competence"),
        _("Proposal"),
        _("Person"),
        _("Mentor"),
        _("Level"),
        _("Number"),
        _("Reason"),
    ]
    lines: list[list[object]] = [
        [
            plan.competence_name,
            kind_label(p.kind),
            names.get(p.person_id, "") if p.person_id else "",
            names.get(p.mentor_id, "") if p.mentor_id else "",
            p.level,
            p.count,
            p.reason,
        ]
        for plan in plans
        for p in plan.proposals
    ]
    return header, lines


def tally_table(
    tallies: Sequence[CompetenceTally],
) -> tuple[list[str], list[list[object]]]:
    """The counted proposals of a large unit as rows: per competence, each
    child unit (and the unit's own members), then the whole unit."""
    header = [
        _("Competence"),
        _("Unit"),
        _("To develop"),
        _("Can mentor"),
        _("Assess first"),
        _("Recruit at level"),
        _("Recruit, number"),
    ]
    lines: list[list[object]] = []
    for item in tallies:
        rows = [
            (row.unit.name if row.unit else _("Directly in this unit"), row.tally)
            for row in item.rows
        ]
        rows.append((_("The whole unit"), item.total))
        for name, tally in rows:
            need = tally.recruit
            lines.append(
                [
                    item.competence.name,
                    name,
                    tally.learners,
                    tally.mentors,
                    tally.unassessed,
                    need.level if need else None,
                    need.shortfall if need else 0,
                ]
            )
    return header, lines


def plan_response(
    unit: OrgUnit, table: tuple[list[str], list[list[object]]], fmt: str
) -> HttpResponse:
    # Outside the f-string, where makemessages finds it.
    title = _("Proposals")
    return file_response(f"{title} {unit.name}", *table, fmt)


def kind_label(kind: str) -> str:
    labels = {
        "mobilise": _("mobilise"),
        "develop": _("develop"),
        "recruit": _("recruit"),
        "assess": _("assess"),
    }
    return labels[kind]
