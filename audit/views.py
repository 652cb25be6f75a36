from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.export import export_response
from audit.forms import AccessLogFilterForm
from organisation.scope import require_administrator

PAGE_SIZE = 50


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
    form = AccessLogFilterForm(request.GET)

    if not form.is_valid():
        return render_log(request, form, page=None, status=400)
    page = Paginator(form.entries(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_log(request, form, page)


@require_GET
def export_access_log(request: HttpRequest, file_format: str) -> HttpResponse:
    require_administrator(request.user)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = AccessLogFilterForm(request.GET)

    if not form.is_valid():
        return render_log(request, form, page=None, status=400)
    entries = form.entries()
    count, limit = entries.count(), settings.AUDIT_EXPORT_LIMIT
    if count > limit:
        form.add_error(
            None,
            _(
                "%(count)s entries are too many for one export (at most "
                "%(limit)s); narrow the dates."
            )
            % {"count": count, "limit": limit},
        )
        return render_log(request, form, page=None, status=400)
    return export_response(entries, file_format, timezone.localdate())


def render_log(
    request: HttpRequest,
    form: AccessLogFilterForm,
    page: Page | None,
    status: int = 200,
) -> HttpResponse:
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "filters": filters.urlencode()},
        status=status,
    )
