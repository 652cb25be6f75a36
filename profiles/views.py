from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from audit.log import record
from audit.models import AccessLog
from catalogue.models import (
    Competence,
    CompetenceIndicator,
    Indicator,
    chosen_framework,
    competences_of,
)
from organisation.models import Person
from organisation.scope import (
    changeable_people,
    get_visible_person,
    may_change,
    person_for_user,
)
from profiles.access import get_person_to_change
from profiles.forms import AssessmentForm, LevelsForm, SelfAssessmentForm
from profiles.grid import build_rows
from profiles.history import history_of, retired_competences
from profiles.models import Assessment
from profiles.records import record_assessments, ticks_of
from profiles.team_views import expectation_form, save_expectation_form

TEAM_PAGE_SIZE = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if changeable_people(request.user).exists():
        return redirect("profiles:team")
    return redirect("profiles:me")


@require_GET
def team(request: HttpRequest) -> HttpResponse:
    framework = chosen_framework(request.GET.get("framework"))
    competences = competences_of(framework)
    people = (
        changeable_people(request.user)
        .active()
        .select_related("unit")
        .order_by("unit__path", "last_name", "first_name", "pk")
    )
    page = Paginator(people, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))

    rows = build_rows(page.object_list, competences)
    record(request.user, (row.person for row in rows), AccessLog.Action.READ_TEAM)
    return render(
        request,
        "profiles/team.html",
        {
            "framework": framework,
            "competences": competences,
            "rows": rows,
            "page": page,
        },
    )


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person(request.user, pk)
    record(request.user, [person], AccessLog.Action.READ_PROFILE)
    return render_profile(request, person, editable=may_change(request.user, person))


@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        return render(request, "profiles/no_person.html")
    competences = competences_of(chosen_framework(request.GET.get("framework")))
    if request.htmx and request.GET.get("suggest"):
        return suggestion(request, competences)
    form = SelfAssessmentForm(
        request.POST or None,
        competences=competences,
        indicators=indicators_of(competences),
        initial=self_initial(person),
    )

    if request.method == "POST" and form.is_valid():
        saved = save_levels(
            request,
            form,
            lambda: record_assessments(
                person,
                Assessment.Kind.SELF,
                form.levels_to_save(),
                by=request.user,
                on=form.cleaned_data["assessed_on"],
                note=form.cleaned_data["note"],
                indicators=form.ticked(),
            ),
        )
        if saved:
            return redirect("profiles:me")
    return render_profile(
        request, person, form=form, own=True, status=form_status(form)
    )


def suggestion(request: HttpRequest, competences: list[Competence]) -> HttpResponse:
    """The suggested level for the indicators ticked so far, as a fragment
    that becomes the suggestion under one competence while ticking."""
    form = SelfAssessmentForm(
        request.GET, competences=competences, indicators=indicators_of(competences)
    )
    wanted = request.GET["suggest"]
    section = next((s for s in form.sections() if str(s.competence.pk) == wanted), None)
    if section is None:
        raise Http404
    return render(
        request,
        "profiles/_self_assessment_form.html#suggestion",
        {"section": section},
    )


@require_http_methods(["GET", "POST"])
def edit_expectations(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_to_change(request.user, pk)
    competences = competences_of(chosen_framework(request.GET.get("framework")))
    form = expectation_form(request.POST or None, [person], competences, single=True)

    status = 200
    if request.method == "POST" and form.is_valid():
        again = save_expectation_form(request, form, [person], competences)
        if again is None:
            record(request.user, [person], AccessLog.Action.CHANGE_EXPECTATIONS)
            return redirect("profiles:person", pk=person.pk)
        form, status = again, 409 if again.conflicts else 400
    elif form.is_bound:
        status = 400
    record(request.user, [person], AccessLog.Action.READ_PROFILE)
    return render(
        request,
        "profiles/edit_levels.html",
        {
            "person": person,
            "form": form,
            "title": _("Expected levels for %(name)s") % {"name": person.full_name},
        },
        status=status,
    )


ASSESSMENT_TITLES = {
    Assessment.Kind.LEADER: gettext_lazy("Your assessment of %(name)s"),
    Assessment.Kind.AGREED: gettext_lazy("Agreed level for %(name)s"),
}


@require_http_methods(["GET", "POST"])
def edit_assessment(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    person = get_person_to_change(request.user, pk)
    framework = chosen_framework(request.GET.get("framework"))
    form = AssessmentForm(
        request.POST or None,
        competences=competences_of(framework),
        initial=current_initial(Assessment.objects.filter(kind=kind), person),
    )

    if request.method == "POST" and form.is_valid():
        saved = save_levels(
            request,
            form,
            lambda: record_assessments(
                person,
                kind,
                form.levels_to_save(),
                by=request.user,
                on=form.cleaned_data["assessed_on"],
                note=form.cleaned_data["note"],
            ),
        )
        if saved:
            record(request.user, [person], AccessLog.Action.CHANGE_ASSESSMENT)
            return redirect("profiles:person", pk=person.pk)
    record(request.user, [person], AccessLog.Action.READ_PROFILE)
    return render(
        request,
        "profiles/edit_levels.html",
        {
            "person": person,
            "form": form,
            "title": ASSESSMENT_TITLES[kind] % {"name": person.full_name},
        },
        status=form_status(form),
    )


@require_GET
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_person(request.user, pk)
    framework = chosen_framework(request.GET.get("framework"))

    competences = competences_of(framework)
    retired = retired_competences(person, framework) if framework else []
    timelines = history_of(person, competences + retired)
    record(request.user, [person], AccessLog.Action.READ_PROFILE)
    return render(
        request,
        "profiles/history.html",
        {
            "person": person,
            "framework": framework,
            "timelines": timelines[: len(competences)],
            "retired_timelines": timelines[len(competences) :],
        },
    )


def render_profile(
    request: HttpRequest,
    person: Person,
    *,
    editable: bool = False,
    own: bool = False,
    form: LevelsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    framework = chosen_framework(request.GET.get("framework"))
    competences = competences_of(framework)
    [row] = build_rows([person], competences)
    # Whoever may see the person sees their conversations (conversations.
    # access); closed ones are found here, the overview lists open ones.
    conversations = [] if own else person.conversations.order_by("-planned_at")[:10]
    return render(
        request,
        "profiles/person.html",
        {
            "person": person,
            "framework": framework,
            "row": row,
            "editable": editable,
            "own": own,
            "form": form,
            "conversations": conversations,
        },
        status=status,
    )


def indicators_of(competences: list[Competence]) -> dict[int, list[Indicator]]:
    """Competence id -> its indicators in order; one query."""
    result: dict[int, list[Indicator]] = {}
    for link in (
        CompetenceIndicator.objects.filter(competence__in=competences)
        .select_related("indicator")
        .order_by("competence_id", "position")
    ):
        result.setdefault(link.competence_id, []).append(link.indicator)
    return result


def self_initial(person: Person) -> dict[str, object]:
    """The current self-assessment as form values, ticks included."""
    current = list(Assessment.objects.current().filter(person=person, kind="self"))
    initial: dict[str, object] = {
        LevelsForm.field_name_for(a.competence_id): a.level for a in current
    }
    ticks = ticks_of(current)
    for assessment in current:
        name = SelfAssessmentForm.indicators_name(assessment.competence_id)
        initial[name] = sorted(ticks.get(assessment.pk, ()))
    return initial


def current_initial(records, person: Person) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    """Form initial values from the current records of one person."""
    return {
        LevelsForm.field_name_for(competence_id): level
        for competence_id, level in records.current()
        .filter(person=person)
        .values_list("competence_id", "level")
    }


def save_levels(request: HttpRequest, form: LevelsForm, save) -> bool:  # type: ignore[no-untyped-def]
    """Run a rule that writes; report the outcome as a message or as form
    errors. Returns whether it was saved."""
    try:
        rows = save()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return False
    if rows:
        text = ngettext(
            "Saved %(count)s change.", "Saved %(count)s changes.", len(rows)
        )
        messages.success(request, text % {"count": len(rows)})
    else:
        messages.info(request, _("Nothing changed."))
    report_history(request, rows)
    if isinstance(form, AssessmentForm):
        report_kept(request, form.changed_meanwhile())
    return True


def report_kept(request: HttpRequest, competences: list[Competence]) -> None:
    """Say which levels someone else changed while the form was open, and
    that theirs were kept because the user had left them alone."""
    if not competences:
        return
    # The names are in the framework's language (WCAG 3.1.2); the message
    # is escaped before they are put in.
    names = format_html_join(
        ", ",
        '<span lang="{}">{}</span>',
        ((c.framework.language, c.name) for c in competences),
    )
    text = ngettext(
        "Someone else changed the level in %(competences)s while you had the "
        "form open. You had left it as it was, so their level was kept; see "
        "the history.",
        "Someone else changed the levels in %(competences)s while you had "
        "the form open. You had left them as they were, so their levels were "
        "kept; see the history.",
        len(competences),
    )
    messages.warning(request, mark_safe(escape(text) % {"competences": names}))


def report_history(request: HttpRequest, rows: list[Assessment]) -> None:
    """Say so when assessments were dated before the current ones and are
    therefore kept as history only."""
    older = sum(1 for row in rows if not row.is_current)
    if older:
        text = ngettext(
            "%(count)s assessment is dated before the current one of its "
            "kind, so it was kept in the history; the current level stays.",
            "%(count)s assessments are dated before the current ones of their "
            "kind, so they were kept in the history; the current levels stay.",
            older,
        )
        messages.info(request, text % {"count": older})


def form_status(form: LevelsForm) -> int:
    return 400 if form.is_bound and form.errors else 200
