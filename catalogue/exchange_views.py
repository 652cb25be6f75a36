"""Import and export of frameworks in the exchange formats, in the
browser; the commands import_framework and export_framework do the same."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.comment_views import readable_framework
from catalogue.comments import may_moderate
from catalogue.forms import ImportForm
from exchange.errors import ExchangeError
from exchange.frameworks import FORMATS, MAX_BYTES, export_framework, import_framework
from kompetanse.downloads import download

CONTENT_TYPES = {"case": "application/json", "moodle": "text/csv; charset=utf-8"}
SUFFIXES = {"case": "json", "moodle": "csv"}


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not may_moderate(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    result = None

    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Read one byte past the limit: enough to refuse, never the whole.
        content = upload.read(MAX_BYTES + 1)
        try:
            result = import_framework(
                content,
                form.cleaned_data["format"] or None,
                dry_run=form.cleaned_data["dry_run"],
                size=upload.size,
            )
        except ExchangeError as exc:
            problems = exc.problems
        else:
            messages.success(request, summary(result, form.cleaned_data["dry_run"]))
    return render(
        request,
        "catalogue/import.html",
        {"form": form, "problems": problems, "result": result},
        status=400 if problems or form.errors else 200,
    )


def summary(result, dry_run: bool) -> str:  # type: ignore[no-untyped-def]
    counts = result.counts
    text = _(
        "%(framework)s: %(created)s created, %(updated)s updated, "
        "%(unchanged)s unchanged."
    ) % {
        "framework": result.framework,
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
    }
    if dry_run:
        text += " " + _("Only checked: nothing was written.")
    return text


@require_GET
def export_page(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    framework = readable_framework(request, pk, owner=may_moderate(request.user))

    content = export_framework(framework, fmt)
    stem = f"framework-{framework.uuid}-v{framework.version}"
    return download(content, CONTENT_TYPES[fmt], stem, SUFFIXES[fmt])
