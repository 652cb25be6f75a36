from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalogue.comments import counts_by_target, may_moderate
from catalogue.models import Competence, CompetenceIndicator, Framework


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = Framework.objects.published().select_related("scale")
    owner = may_moderate(request.user)
    drafts = Framework.objects.filter(status=Framework.Status.DRAFT) if owner else []
    retired = Framework.objects.filter(status=Framework.Status.RETIRED)
    return render(
        request,
        "catalogue/framework_list.html",
        {
            "frameworks": frameworks,
            "owner": owner,
            "drafts": drafts,
            "retired": retired,
        },
    )


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The catalogue is public to every logged-in user: published versions,
    # and retired ones as the history of what people were measured against.
    framework = get_object_or_404(
        Framework.objects.exclude(status=Framework.Status.DRAFT).select_related(
            "scale"
        ),
        pk=pk,
    )
    links = CompetenceIndicator.objects.select_related("indicator").order_by("position")
    competences = list(
        framework.competences.prefetch_related(
            Prefetch("indicator_links", queryset=links),
            Prefetch(
                "indicator_links__indicator__competences",
                queryset=Competence.objects.only("pk", "name"),
            ),
            "level_texts",
        )
    )
    levels = list(framework.scale.levels.all())
    owner = may_moderate(request.user)

    # Templates cannot look up a computed key, so counts go onto the items.
    counts = counts_by_target(request.user, framework, owner=owner)
    for competence in competences:
        competence.comment_count = counts.get(f"competence:{competence.uuid}", 0)
        for link in competence.indicator_links.all():
            link.indicator.comment_count = counts.get(
                f"indicator:{link.indicator.uuid}", 0
            )
    for level in levels:
        level.comment_count = counts.get(f"level:{level.number}", 0)
    return render(
        request,
        "catalogue/framework_detail.html",
        {
            "framework": framework,
            "competences": competences,
            "levels": levels,
            "framework_comment_count": counts.get("framework:-", 0),
            "owner": owner,
        },
    )
