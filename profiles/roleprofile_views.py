"""Role profiles: list, create and change, for those who keep them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.log import record
from audit.models import AccessLog
from catalogue.models import chosen_framework, competences_of
from profiles.expectations import display_name
from profiles.forms import RoleProfileForm
from profiles.models import RoleProfile
from profiles.notify import tell_about_expectations
from profiles.roleprofiles import (
    get_changeable_profile,
    people_with,
    save_levels,
    units_for,
    visible_profiles,
)


@require_GET
def role_profile_list(request: HttpRequest) -> HttpResponse:
    profiles = visible_profiles(request.user).prefetch_related(
        "levels__competence__framework"
    )
    return render(
        request,
        "profiles/role_profile_list.html",
        {
            "profiles": profiles,
            "may_create": units_for(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def create_role_profile(request: HttpRequest) -> HttpResponse:
    units = units_for(request.user)
    if not units.exists():
        raise PermissionDenied
    return edit_profile(request, RoleProfile(), units)


@require_http_methods(["GET", "POST"])
def edit_role_profile(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_changeable_profile(request.user, pk)
    return edit_profile(request, profile, units_for(request.user))


def edit_profile(request: HttpRequest, profile: RoleProfile, units) -> HttpResponse:  # type: ignore[no-untyped-def]
    framework = chosen_framework(request.GET.get("framework"))
    form = RoleProfileForm(
        request.POST or None,
        instance=profile,
        units=units,
        competences=competences_of(framework),
    )

    # A new profile, or a new unit or titles, changes whom it applies to.
    # Whom it applied to is read before validating, which already changes
    # the instance; finding them walks the unit's subtree, so only then.
    posted_titles = RoleProfile(titles=request.POST.get("titles", "")).title_set()
    moving = request.method == "POST" and (
        not profile.pk
        or "unit" in form.changed_data
        or posted_titles != profile.title_set()
    )
    before = set(people_with(profile)) if moving and profile.pk else set()
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        try:
            changed = save_levels(profile, form.levels(), request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Saved the role profile %(name)s.") % {"name": profile}
            )
            # Whose expected levels change: everyone it applies to when its
            # levels change, and whoever its new unit or titles take in or
            # leave out.
            people = []
            if changed or moving:
                after = set(people_with(profile))
                affected = (after | before) if changed else (after ^ before)
                people = sorted(affected, key=lambda person: person.pk)
            if people:
                record(
                    request.user,
                    people,
                    AccessLog.Action.CHANGE_EXPECTATIONS,
                    profile.name,
                )
                tell_about_expectations(
                    people,
                    display_name(request.user),
                    profile_name=profile.name,
                    profile_changed=True,
                )
            return redirect("profiles:role-profiles")
    return render(
        request,
        "profiles/role_profile_form.html",
        {"form": form, "profile": profile, "framework": framework},
        status=400 if form.is_bound and form.errors else 200,
    )
