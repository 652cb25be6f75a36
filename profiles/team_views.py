"""The team grid: expected levels for many people on one form, and role
profiles applied to a selection of them.

The grid saves in place with htmx (the answer is the grid again, with the
outcome in a status region), and without JavaScript as a plain post that
redirects."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.log import record
from audit.models import AccessLog
from catalogue.models import Competence, chosen_framework, competences_of
from kompetanse.ids import parse_id
from organisation.models import Person
from organisation.scope import changeable_people
from profiles.access import get_people_to_change
from profiles.expectations import (
    display_name,
    read_token,
    save_expectations,
    version_token,
)
from profiles.forms import ApplyProfileForm, ExpectationGridForm
from profiles.grid import build_rows
from profiles.notify import tell_about_expectations
from profiles.roleprofiles import assign, get_visible_profile, visible_profiles

GRID_PAGE_SIZE = 30


@require_http_methods(["GET", "POST"])
def edit_team_expectations(request: HttpRequest) -> HttpResponse:
    framework = chosen_framework(request.GET.get("framework"))
    competences = competences_of(framework)
    page = None
    if request.method == "POST":
        ids = posted_ids(request.POST, "person")
        if ids is None:
            return refuse_people(request)
        people = get_people_to_change(request.user, ids)
    else:
        team = (
            changeable_people(request.user)
            .active()
            .select_related("unit")
            .order_by("unit__path", "last_name", "first_name", "pk")
        )
        page = Paginator(team, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
        people = list(page.object_list)
    form = expectation_form(request.POST or None, people, competences)

    status = 200
    if request.method == "POST" and form.is_valid():
        again = save_expectation_form(request, form, people, competences)
        if again is None:
            record(request.user, people, AccessLog.Action.CHANGE_EXPECTATIONS)
            if not request.htmx:
                return redirect(request.get_full_path())
            # Saved in place: the same people again, with a fresh token.
            form = expectation_form(None, people, competences)
        else:
            form, status = again, 409 if again.conflicts else 400
    elif form.is_bound:
        status = 400
    record(request.user, people, AccessLog.Action.READ_TEAM)
    template = "profiles/team_expectations.html"
    if request.htmx:
        # htmx swaps only successful answers; errors and conflicts show in
        # the grid it swaps in.
        template, status = f"{template}#grid", 200
    return render(
        request,
        template,
        {
            "framework": framework,
            "competences": competences,
            "form": form,
            "page": page,
            "apply_form": ApplyProfileForm(
                profiles=visible_profiles(request.user), people=people
            ),
        },
        status=status,
    )


@require_POST
def apply_profile(request: HttpRequest) -> HttpResponse:
    ids = posted_ids(request.POST, "selected")
    if ids is None:
        return refuse_people(request)
    people = get_people_to_change(request.user, ids)
    form = ApplyProfileForm(
        request.POST, profiles=visible_profiles(request.user), people=people
    )
    back = reverse("profiles:team-expectations") + query_of(request)

    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    profile = form.cleaned_data["profile"]
    if profile is not None:
        # Re-read through the gate: the choice list is not the only check.
        profile = get_visible_profile(request.user, profile.pk)
    try:
        changed = assign(people, profile, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)

    # A profile gives the people their expected levels: a change to them.
    detail = profile.name if profile is not None else ""
    record(request.user, changed, AccessLog.Action.CHANGE_EXPECTATIONS, detail)
    report_assignment(request, changed, profile)
    if profile is not None:
        tell_about_expectations(
            changed, display_name(request.user), profile_name=profile.name
        )
    return redirect(back)


def report_assignment(request: HttpRequest, changed: list[Person], profile) -> None:  # type: ignore[no-untyped-def]
    if not changed:
        messages.info(request, _("Nothing changed."))
    elif profile is None:
        text = ngettext(
            "Removed the assigned profile from %(count)s person.",
            "Removed the assigned profile from %(count)s people.",
            len(changed),
        )
        messages.success(request, text % {"count": len(changed)})
    else:
        text = ngettext(
            "Gave %(count)s person the role profile %(name)s.",
            "Gave %(count)s people the role profile %(name)s.",
            len(changed),
        )
        messages.success(request, text % {"count": len(changed), "name": profile})


def expectation_form(
    data: QueryDict | None,
    people: Sequence[Person],
    competences: Sequence[Competence],
    *,
    single: bool = False,
) -> ExpectationGridForm:
    return ExpectationGridForm(
        data,
        rows=build_rows(people, competences),
        single=single,
        initial={"version": version_token(people, competences)},
    )


def save_expectation_form(
    request: HttpRequest,
    form: ExpectationGridForm,
    people: Sequence[Person],
    competences: Sequence[Competence],
) -> ExpectationGridForm | None:
    """Save a valid form and tell the people concerned. Returns None when
    saved, else the form to show again: with errors, or after a conflict
    with everyone's latest values and a choice for each conflicting cell."""
    try:
        outcome = save_expectations(
            form.levels(),
            request.user,
            read_token(form.cleaned_data["version"]),
            note=form.cleaned_data["note"],
            resolve=form.resolve(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return form
    except IntegrityError:
        # Two first-ever saves of the same cell at the same moment: the
        # one-current-row constraint stops the second. Shown again with
        # its old token, the form then reports the conflict as usual.
        form.add_error(
            None,
            _(
                "Someone else saved the same levels at the same moment. "
                "Nothing was saved; save again to see what changed."
            ),
        )
        return form

    if outcome.conflicts:
        initial = {form.cell_name(*key): level for key, level in outcome.now.items()}
        initial["note"] = form.cleaned_data["note"]
        initial["version"] = version_token(people, competences)
        return ExpectationGridForm(
            rows=build_rows(people, competences),
            single=form.single,
            conflicts=outcome.conflicts,
            initial=initial,
        )
    changed = {row.person_id for row in outcome.rows}
    report_saved(request, len(outcome.rows), outcome.already_saved)
    tell_about_expectations(
        [p for p in people if p.pk in changed], display_name(request.user)
    )
    return None


def report_saved(request: HttpRequest, count: int, already_saved: int) -> None:
    if count:
        text = ngettext("Saved %(count)s change.", "Saved %(count)s changes.", count)
        messages.success(request, text % {"count": count})
    elif already_saved:
        messages.info(
            request, _("These changes had already been saved; nothing changed.")
        )
    else:
        messages.info(request, _("Nothing changed."))


def posted_ids(data: QueryDict, name: str) -> list[int] | None:
    """The ids in a posted list, or None when any of them cannot be an id
    (see `parse_id`); the view then refuses the whole post."""
    ids = [parse_id(v) for v in data.getlist(name)]
    if any(pk is None for pk in ids):
        return None
    return [pk for pk in ids if pk is not None]


def refuse_people(request: HttpRequest) -> HttpResponse:
    """The 400 answer to a post that names people by ids that cannot be
    ids: forged or damaged, so nothing is saved."""
    return render(
        request,
        "400.html",
        {
            "message": _(
                "The form names a person by an id that cannot be one. "
                "Nothing was saved. Reload the page and try again."
            )
        },
        status=400,
    )


def query_of(request: HttpRequest) -> str:
    return f"?{request.GET.urlencode()}" if request.GET else ""
