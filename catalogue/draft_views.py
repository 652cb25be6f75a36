"""Catalogue owners edit a draft version, see what it changes and
publish it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from catalogue import drafts
from catalogue.comments import may_moderate
from catalogue.forms import CompetenceForm, DraftForm, NewCompetenceForm, ScaleForm
from catalogue.models import Competence, Framework
from catalogue.versions import draft_differences, publish, start_draft


def get_draft(request: HttpRequest, pk: int) -> Framework:
    """A draft, for catalogue owners only (403 for others, 404 if no such
    draft)."""
    if not may_moderate(request.user):
        raise PermissionDenied
    return get_object_or_404(
        Framework.objects.select_related("scale"),
        pk=pk,
        status=Framework.Status.DRAFT,
    )


def get_draft_competence(request: HttpRequest, pk: int, cpk: int) -> Competence:
    draft = get_draft(request, pk)
    return get_object_or_404(draft.competences.select_related("framework"), pk=cpk)


@require_POST
def start_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_moderate(request.user):
        raise PermissionDenied
    published = get_object_or_404(
        Framework.objects.published().select_related("scale"), pk=pk
    )

    draft = start_draft(published)
    return redirect("catalogue:draft", pk=draft.pk)


@require_http_methods(["GET", "POST"])
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request, pk)
    form = DraftForm(request.POST or None, instance=draft)

    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("catalogue:draft", pk=draft.pk)
    return render_draft(request, draft, form=form)


def render_draft(
    request: HttpRequest, draft: Framework, *, status: int = 200, **forms: object
) -> HttpResponse:
    levels = list(draft.scale.levels.all())
    context = {
        "draft": draft,
        "form": DraftForm(instance=draft),
        "scale_form": ScaleForm(levels=levels),
        "competence_form": NewCompetenceForm(),
        "competences": draft.competences.all(),
        "changes": draft_differences(draft),
        **forms,
    }
    return render(request, "catalogue/draft.html", context, status=status)


@require_POST
def save_scale(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request, pk)
    form = ScaleForm(request.POST, levels=draft.scale.levels.all())
    if not form.is_valid():
        return render_draft(request, draft, scale_form=form, status=400)

    try:
        drafts.save_levels(draft, form.levels())
    except ValidationError as exc:
        form.add_error(None, exc)
        return render_draft(request, draft, scale_form=form, status=400)
    messages.success(request, _("Saved."))
    return redirect("catalogue:draft", pk=draft.pk)


@require_POST
def add_competence(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request, pk)
    form = NewCompetenceForm(request.POST)
    if not form.is_valid():
        return render_draft(request, draft, competence_form=form, status=400)

    competence = drafts.add_competence(
        draft, form.cleaned_data["name"], form.cleaned_data["description"]
    )
    return redirect("catalogue:edit-competence", pk=draft.pk, cpk=competence.pk)


@require_http_methods(["GET", "POST"])
def edit_competence(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    competence = get_draft_competence(request, pk, cpk)
    draft = competence.framework
    texts = dict(competence.level_texts.values_list("number", "description"))
    lines = competence.indicator_links.values_list("indicator__text", flat=True)
    initial = {
        "name": competence.name,
        "description": competence.description,
        "indicators": "\n".join(lines),
        **{f"level_{number}": text for number, text in texts.items()},
    }
    form = CompetenceForm(
        request.POST or None,
        initial=initial,
        levels=draft.scale.levels.all(),
        language=draft.language,
    )

    if request.method == "POST" and form.is_valid():
        drafts.update_competence(
            competence,
            form.cleaned_data["name"],
            form.cleaned_data["description"],
            form.lines(),
            form.level_texts(),
        )
        messages.success(request, _("Saved."))
        return redirect("catalogue:draft", pk=draft.pk)
    return render(
        request,
        "catalogue/competence_edit.html",
        {"draft": draft, "competence": competence, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def move_competence(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    competence = get_draft_competence(request, pk, cpk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        message = _("The form was damaged or changed. Nothing was saved.")
        return render(request, "400.html", {"message": message}, status=400)

    drafts.move_competence(competence, step)
    return redirect("catalogue:draft", pk=pk)


@require_POST
def delete_competence(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    competence = get_draft_competence(request, pk, cpk)

    try:
        drafts.delete_competence(competence)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("catalogue:draft", pk=pk)


@require_POST
def publish_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft(request, pk)

    try:
        answered = publish(draft, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("catalogue:draft", pk=pk)
    text = ngettext(
        "Version %(version)s is published; it answers %(count)s accepted comment.",
        "Version %(version)s is published; it answers %(count)s accepted comments.",
        len(answered),
    )
    messages.success(request, text % {"version": draft.version, "count": len(answered)})
    return redirect("catalogue:framework-detail", pk=draft.pk)
