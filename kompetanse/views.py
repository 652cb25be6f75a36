from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 page for a form whose security token no longer holds: most
    often the page was opened before logging in again in another tab."""
    message = _(
        "The page had expired, so nothing was saved. Reload the page and try again."
    )
    return render(request, "403.html", {"message": message}, status=403)
