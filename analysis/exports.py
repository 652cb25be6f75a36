"""The heatmap and the proposals as CSV or XLSX files."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from analysis.presenting import HeatRow
from analysis.queries import Standings
from analysis.rules import Plan
from exchange.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    xlsx_bytes,
)
from organisation.models import OrgUnit


def file_response(
    name: str, header: list[str], rows: list[list[object]], fmt: str
) -> HttpResponse:
    if fmt == "xlsx":
        body, content_type = xlsx_bytes(header, rows, title=name), XLSX_CONTENT_TYPE
    else:
        body, content_type = csv_bytes(header, rows), CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = f"{slugify(name)}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def plan_response(
    unit: OrgUnit, plans: Sequence[Plan], standings: Standings, fmt: str
) -> HttpResponse:
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
    title = _("Proposals")
    return file_response(f"{title} {unit.name}", header, lines, fmt)


def kind_label(kind: str) -> str:
    labels = {
        "mobilise": _("mobilise"),
        "develop": _("develop"),
        "recruit": _("recruit"),
        "assess": _("assess"),
    }
    return labels[kind]
