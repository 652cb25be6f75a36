"""The access log as a CSV or XLSX file."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessLog
from exchange.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    xlsx_bytes,
)
from kompetanse.downloads import download


def header() -> list[str]:
    return [
        _("When"),
        _("Who (login)"),
        _("Who (name)"),
        _("Whom"),
        _("Employee number"),
        _("What"),
        _("Detail"),
    ]


def rows(entries: QuerySet[AccessLog]) -> Iterator[list[Any]]:
    """One row per entry; times are local, without time zone, since
    spreadsheets cannot hold one."""
    for entry in entries.iterator(chunk_size=2000):
        who = getattr(entry.user, "person", None)
        yield [
            timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0),
            entry.user.get_username(),
            who.full_name if who else "",
            entry.person.full_name,
            entry.person.employee_number,
            entry.get_action_display(),
            entry.get_detail_display(),
        ]


def export_response(
    entries: QuerySet[AccessLog], file_format: str, today: datetime.date
) -> HttpResponse:
    """A download of these entries as "csv" or "xlsx"."""
    if file_format == "xlsx":
        data = xlsx_bytes(header(), rows(entries), title=_("Access log"))
        content_type = XLSX_CONTENT_TYPE
    else:
        data = csv_bytes(header(), rows(entries))
        content_type = CSV_CONTENT_TYPE
    return download(data, content_type, f"access-log-{today:%Y-%m-%d}", file_format)
