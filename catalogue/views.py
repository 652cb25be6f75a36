from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalogue.models import Competence, CompetenceIndicator, Framework


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.published().select_related("scale")
    return render(request, "catalogue/framework_list.html", {"frameworks": frameworks})


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The catalogue is public to every logged-in user; only published
    # versions are shown here.
    framework = get_object_or_404(
        Framework.objects.published().select_related("scale"), pk=pk
    )
    links = CompetenceIndicator.objects.select_related("indicator").order_by("position")
    competences = framework.competences.prefetch_related(
        Prefetch("indicator_links", queryset=links),
        Prefetch(
            "indicator_links__indicator__competences",
            queryset=Competence.objects.only("pk", "name"),
        ),
    )
    return render(
        request,
        "catalogue/framework_detail.html",
        {
            "framework": framework,
            "competences": competences,
            "levels": framework.scale.levels.all(),
        },
    )
