"""Role profiles: who may keep them, and which one applies to a person.

A role profile belongs to a unit. Those whose scope covers the unit see
it: leaders of the unit or a unit above it, and HR advisers serving such a
subtree. Leaders and HR advisers with the right to change people change
it; a read-only HR adviser gets 403. Outside scope is 404.

The profile that applies to a person is the one assigned by hand, else one
whose titles include the person's position title, from the nearest unit at
or above the person's unit (the lowest id when a unit has two). A profile
only ever applies to people in its unit's subtree, and never to a leader
who keeps it (by title or by hand): nobody sets their own expectations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import PATH_END, SEGMENT_WIDTH, OrgUnit, Person
from organisation.scope import (
    User,
    hr_paths,
    is_administrator,
    person_for_user,
    top_led_paths,
)
from profiles.models import ProfileAssignment, RoleProfile, RoleProfileLevel
from profiles.records import check_levels


def covered_paths(user: User, *, changing: bool = False) -> list[str] | None:
    """Paths of the subtrees whose role profiles this user keeps (or, with
    changing=False, reads); None means all of them."""
    if not user.is_authenticated:
        return []
    if is_administrator(user):
        return None
    person = person_for_user(user)
    paths = top_led_paths(person) if person else []
    return paths + hr_paths(user, changing=changing)


def under(paths: list[str] | None, field: str = "unit__path") -> Q:
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})
    return condition


def visible_profiles(user: User):  # type: ignore[no-untyped-def]
    return RoleProfile.objects.filter(under(covered_paths(user))).select_related("unit")


def units_for(user: User):  # type: ignore[no-untyped-def]
    """Units this user may attach a role profile to."""
    return OrgUnit.objects.filter(under(covered_paths(user, changing=True), "path"))


def get_visible_profile(user: User, pk: int) -> RoleProfile:
    profile = visible_profiles(user).filter(pk=pk).first()
    if profile is None:
        raise Http404
    return profile


def get_changeable_profile(user: User, pk: int) -> RoleProfile:
    """The profile if the user may change it; 404 when they cannot see it,
    403 when they only read it."""
    profile = get_visible_profile(user, pk)
    if not may_change_profile(user, profile):
        raise PermissionDenied
    return profile


def may_change_profile(user: User, profile: RoleProfile) -> bool:
    paths = covered_paths(user, changing=True)
    if paths is None:
        return True
    return any(profile.unit.path.startswith(path) for path in paths)


@transaction.atomic
def save_levels(profile: RoleProfile, levels: dict, by: AbstractBaseUser) -> bool:
    """Store a profile with its levels (competence -> level or None), the
    levels replaced as a whole; returns whether any level changed."""
    chosen = {c: lvl for c, lvl in levels.items() if lvl is not None}
    check_levels(chosen)
    before = {}
    if profile.pk:
        before = dict(
            profile.levels.filter(competence__in=list(levels)).values_list(
                "competence_id", "level"
            )
        )
    profile.updated_by = by
    profile.updated_at = timezone.now()
    profile.save()
    profile.levels.filter(competence__in=list(levels)).delete()
    RoleProfileLevel.objects.bulk_create(
        RoleProfileLevel(profile=profile, competence=c, level=lvl)
        for c, lvl in chosen.items()
    )
    return before != {c.pk: lvl for c, lvl in chosen.items()}


def people_with(profile: RoleProfile) -> list[Person]:
    """The active people this profile applies to now: by title below its
    unit, or given it by hand wherever they work now (a person moved out of
    its unit, or a profile moved away from theirs, keeps it)."""
    people = list(
        Person.objects.active().filter(
            Q(pk__in=Person.objects.in_subtree(profile.unit).values("pk"))
            | Q(profile_assignment__profile=profile)
        )
    )
    applying = applying_profiles(people)
    return [p for p in people if applying.get(p.pk) == profile]


@transaction.atomic
def assign(
    people: Iterable[Person], profile: RoleProfile | None, by: AbstractBaseUser
) -> list[Person]:
    """Assign a profile to people by hand (None removes the hand
    assignment); returns the people whose assignment changed. Refuses the
    whole lot if one person has left, stands outside the profile's unit or
    keeps the profile (leads its unit or one above it), as nobody sets their
    own expectations."""
    people = list(people)
    if profile is not None:
        refuse_keepers(people, profile)
    for person in people:
        if not person.active:
            raise ValidationError(
                _("%(name)s has left and can no longer be changed.")
                % {"name": person.full_name}
            )
        if profile is not None and not person.unit.path.startswith(profile.unit.path):
            raise ValidationError(
                _("%(profile)s is for %(unit)s; %(name)s works elsewhere.")
                % {
                    "profile": profile.name,
                    "unit": profile.unit.name,
                    "name": person.full_name,
                }
            )
    existing = dict(
        ProfileAssignment.objects.filter(person__in=people).values_list(
            "person_id", "profile_id"
        )
    )
    wanted = profile.pk if profile else None
    changed = [p for p in people if existing.get(p.pk) != wanted]
    ProfileAssignment.objects.filter(person__in=changed).delete()
    if profile is not None:
        ProfileAssignment.objects.bulk_create(
            ProfileAssignment(person=p, profile=profile, assigned_by=by)
            for p in changed
        )
    return changed


def refuse_keepers(people: list[Person], profile: RoleProfile) -> None:
    """Raise ValidationError if one of the people leads the profile's unit
    or a unit above it: they keep the profile, and could change it."""
    Leadership = OrgUnit.leaders.through
    led = Leadership.objects.filter(person__in=people).values_list(
        "person_id", "orgunit__path"
    )
    keepers = {pk for pk, path in led if profile.unit.path.startswith(path)}
    for person in people:
        if person.pk in keepers:
            raise ValidationError(
                _(
                    "%(name)s leads %(unit)s or a unit above it and keeps its "
                    "role profiles; nobody sets their own expectations."
                )
                % {"name": person.full_name, "unit": profile.unit.name}
            )


def ancestor_ids(path: str) -> list[int]:
    """The ids of a unit and the units above it, read from its path."""
    step = SEGMENT_WIDTH + 1
    return [int(path[i : i + SEGMENT_WIDTH]) for i in range(0, len(path), step)]


@dataclass
class Facts:
    path: str
    title: str
    by_hand: int | None
    led_paths: list[str] = field(default_factory=list)


def applying_profiles(
    people: Iterable[Person] | QuerySet[Person],
) -> dict[int, RoleProfile]:
    """Person id -> the role profile that applies to them, with its levels
    prefetched; people without one are left out. Three queries however many
    people (a queryset of a whole municipality is used as a subquery)."""
    if isinstance(people, QuerySet):
        chosen = Person.objects.filter(pk__in=people.values("pk"))
    else:
        chosen = Person.objects.filter(pk__in=[p.pk for p in people])
    facts: dict[int, Facts] = {}
    for pk, path, title, by_hand, led in chosen.order_by().values_list(
        "pk",
        "unit__path",
        "title",
        "profile_assignment__profile_id",
        "led_units__path",
    ):
        fact = facts.setdefault(pk, Facts(path, title, by_hand))
        if led is not None:
            fact.led_paths.append(led)
    units = {i for fact in facts.values() for i in ancestor_ids(fact.path)}
    by_hand = [f.by_hand for f in facts.values() if f.by_hand is not None]
    profiles = list(
        RoleProfile.objects.filter(Q(unit_id__in=units) | Q(pk__in=by_hand))
        .select_related("unit")
        .prefetch_related("levels")
        .order_by("pk")
    )
    by_pk = {profile.pk: profile for profile in profiles}
    result: dict[int, RoleProfile] = {}
    for pk, fact in facts.items():
        found = by_pk[fact.by_hand] if fact.by_hand else by_title(fact, profiles)
        if found is not None:
            result[pk] = found
    return result


def by_title(fact: Facts, profiles: list[RoleProfile]) -> RoleProfile | None:
    """The profile from the nearest unit at or above the person's unit that
    names their title; profiles come in id order and the sort is stable.

    A profile never applies by title to a leader of its unit or of a unit
    above it: they keep it, and nobody sets their own expectations.
    """
    title = fact.title.strip().casefold()
    if not title:
        return None
    matches = [
        profile
        for profile in profiles
        if fact.path.startswith(profile.unit.path)
        and title in profile.title_set()
        and not any(profile.unit.path.startswith(led) for led in fact.led_paths)
    ]
    matches.sort(key=lambda profile: -len(profile.unit.path))
    return matches[0] if matches else None
