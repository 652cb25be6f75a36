"""Files the product hands out for download."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify


def download(
    body: bytes | str, content_type: str, stem: str, suffix: str
) -> HttpResponse:
    """An attachment named `stem.suffix`. The stem is made fit for a file
    name but keeps its letters (æøå); Django then writes the name as RFC
    6266's filename*."""
    response = HttpResponse(body, content_type=content_type)
    name = f"{slugify(stem, allow_unicode=True)}.{suffix}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
