from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exchange.forms import OrgFilesForm
from exchange.hr.describe import people_lines
from exchange.hr.importer import FileProblem, import_org, unit_names
from exchange.hr.sync import Plan
from exchange.models import ImportUpload
from organisation.models import OrgUnit
from organisation.scope import import_scope

PREVIEW_ROWS = 200


def importer_units(request: HttpRequest) -> list[OrgUnit] | None:
    """The top units of the subtrees the user may import into (None: all);
    403 if none."""
    allowed, units = import_scope(request.user)
    if not allowed:
        raise PermissionDenied
    return units


def get_upload(request: HttpRequest, pk: int) -> ImportUpload:
    upload = ImportUpload.objects.filter(pk=pk, user_id=request.user.pk).first()
    if upload is None:
        raise Http404
    return upload


@require_http_methods(["GET", "POST"])
def upload_org(request: HttpRequest) -> HttpResponse:
    scope = importer_units(request)
    form = OrgFilesForm(request.POST or None, request.FILES or None)

    if request.method == "POST" and form.is_valid():
        units, people = form.cleaned_data["units"], form.cleaned_data["people"]
        upload = ImportUpload.objects.create(
            user=request.user,
            units_name=units.name,
            units_data=units.read(),
            people_name=people.name,
            people_data=people.read(),
        )
        return redirect("exchange:preview-org", pk=upload.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "exchange/upload.html",
        {"form": form, "scope": unit_names(scope) if scope else ""},
        status=status,
    )


@require_http_methods(["GET"])
def preview_org(request: HttpRequest, pk: int) -> HttpResponse:
    units = importer_units(request)
    upload = get_upload(request, pk)

    result, problem = import_upload(upload, units, dry_run=True)
    return render_result(request, upload, result, problem)


@require_POST
def confirm_org(request: HttpRequest, pk: int) -> HttpResponse:
    units = importer_units(request)
    upload = get_upload(request, pk)
    if upload.applied_at is not None:
        messages.info(request, _("These files were already imported."))
        return redirect("exchange:upload-org")

    result, problem = import_upload(upload, units, dry_run=False)
    if result is None or result.snapshot.errors:
        return render_result(request, upload, result, problem)
    upload.applied_at = timezone.now()
    upload.save(update_fields=["applied_at"])
    messages.success(
        request,
        _(
            "The organisation was updated: %(people_new)s new, %(people_changed)s "
            "changed, %(people_moved)s moved and %(people_left)s departed people; "
            "%(units_new)s new units."
        )
        % result.summary(),
    )
    return redirect("exchange:upload-org")


def import_upload(
    upload: ImportUpload, units: list[OrgUnit] | None, *, dry_run: bool
) -> tuple[Plan | None, str]:
    """The import of the uploaded files (written unless `dry_run`, and
    only when no row is faulty), or why the files cannot be read."""
    try:
        return import_org(*upload.files(), within=units, dry_run=dry_run), ""
    except FileProblem as exc:
        return None, str(exc)


def render_result(
    request: HttpRequest,
    upload: ImportUpload,
    result: Plan | None,
    problem: str,
) -> HttpResponse:
    if result is None:
        return render(
            request,
            "exchange/preview.html",
            {"upload": upload, "problem": problem},
            status=400,
        )
    status = 400 if result.snapshot.errors else 200
    return render(
        request,
        "exchange/preview.html",
        {
            "upload": upload,
            "result": result,
            "summary": result.summary(),
            "people_lines": people_lines(result, PREVIEW_ROWS),
        },
        status=status,
    )
