"""Who may see and change whom: the one place that answers it.

Every page, export and endpoint that shows personal data gets its people
through these functions. A person outside the caller's scope is answered
with 404, so a forged id does not even reveal that the person exists.

- An administrator (superuser, or the administrator role) sees and
  changes everyone.
- A leader sees and changes the people below the units they lead,
  including the leaders of units below; never themself, and never a
  co-leader of the same top unit.
- An HR adviser sees the people in the subtrees of their roles, and
  changes them only where the role allows it.
- Everyone sees their own profile; what they may change there is decided
  by the view (their self-assessment, not their expectations).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.http import Http404

from organisation.models import (
    PATH_END,
    OrgUnit,
    OrgUnitQuerySet,
    Person,
    PersonQuerySet,
    Role,
)

User = AbstractBaseUser | AnonymousUser


def person_for_user(user: User) -> Person | None:
    """The person record linked to this login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("unit").first()


def top_led_paths(person: Person) -> list[str]:
    """Paths of the units a person leads that are not below another unit
    they lead: the roots of their scope."""
    paths = sorted(person.led_units.values_list("path", flat=True))
    tops: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in tops):
            tops.append(path)
    return tops


def subordinates(person: Person) -> PersonQuerySet:
    """Everyone below the units this person leads, leaders of units below
    included, the person and co-leaders of their top units excluded."""
    tops = top_led_paths(person)
    if not tops:
        return Person.objects.none()
    members = Q()
    sub_leaders = Q()
    for top in tops:
        members |= Q(unit__path__gte=top, unit__path__lt=top + PATH_END)
        sub_leaders |= Q(orgunit__path__gt=top, orgunit__path__lt=top + PATH_END)
    Leadership = OrgUnit.leaders.through
    leaders_below = Leadership.objects.filter(sub_leaders).values("person_id")
    peers = Leadership.objects.filter(orgunit__path__in=tops).values("person_id")
    return (
        Person.objects.filter(members | Q(pk__in=leaders_below))
        .exclude(pk__in=peers)
        .exclude(pk=person.pk)
    )


def has_role(user: User, kind: str) -> bool:
    """Whether the user holds this role; administrators hold every role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    kinds = {kind, Role.Kind.ADMINISTRATOR}
    return Role.objects.filter(user_id=user.pk, kind__in=kinds).exists()


def is_administrator(user: User) -> bool:
    return has_role(user, Role.Kind.ADMINISTRATOR)


def is_catalogue_owner(user: User) -> bool:
    return has_role(user, Role.Kind.CATALOGUE_OWNER)


def hr_paths(user: User, *, changing: bool = False) -> list[str]:
    """Paths of the units whose subtrees this user serves as HR adviser."""
    roles = Role.objects.filter(user_id=user.pk, kind=Role.Kind.HR)
    if changing:
        roles = roles.filter(can_change_people=True)
    return list(roles.values_list("unit__path", flat=True))


def in_subtrees(paths: list[str]) -> Q:
    """A filter on people whose unit lies in any of these subtrees."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__gte=path, unit__path__lt=path + PATH_END)
    return condition


def changeable_people(user: User) -> PersonQuerySet:
    """People whose expectations and leader assessments this user may set."""
    if not user.is_authenticated:
        return Person.objects.none()
    if is_administrator(user):
        return Person.objects.all()
    person = person_for_user(user)
    people = subordinates(person) if person else Person.objects.none()
    hr = hr_paths(user, changing=True)
    if hr:
        own = Q(pk=person.pk) if person else Q(pk__in=[])
        people = Person.objects.filter(
            Q(pk__in=people.values("pk")) | (in_subtrees(hr) & ~own)
        )
    return people


def visible_people(user: User) -> PersonQuerySet:
    """People whose profile this user may read: those they may change,
    those in their HR subtrees, and themself."""
    if not user.is_authenticated:
        return Person.objects.none()
    if is_administrator(user):
        return Person.objects.all()
    own = person_for_user(user)
    condition = Q(pk__in=changeable_people(user).values("pk"))
    condition |= in_subtrees(hr_paths(user))
    if own is not None:
        condition |= Q(pk=own.pk)
    return Person.objects.filter(condition)


def get_visible_person(user: User, pk: int) -> Person:
    """The person with this id if the user may read them, else 404."""
    person = visible_people(user).select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_changeable_person(user: User, pk: int) -> Person:
    """The person with this id if the user may set their expectations and
    leader assessments, else 404. Never the user themself."""
    person = changeable_people(user).select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    own = person_for_user(user)
    if own is not None and own.pk == person.pk:
        raise Http404
    return person


def may_change(user: User, person: Person) -> bool:
    """Whether this user may set the person's expectations and leader
    assessments."""
    own = person_for_user(user)
    if own is not None and own.pk == person.pk:
        return False
    return changeable_people(user).filter(pk=person.pk).exists()


def unit_scope_paths(user: User, *, changing: bool = False) -> list[str] | None:
    """Paths of the units whose subtrees this user may analyse (or, with
    `changing`, act on): the units they lead and their HR subtrees. None
    means every unit."""
    if not user.is_authenticated:
        return []
    if is_administrator(user):
        return None
    person = person_for_user(user)
    paths = top_led_paths(person) if person else []
    for path in hr_paths(user, changing=changing):
        if not any(path.startswith(top) for top in paths):
            paths.append(path)
    return paths


def visible_units(user: User) -> OrgUnitQuerySet:
    """Units this user may analyse: the subtrees of the units a leader
    leads, an HR adviser's role subtrees, every unit for administrators."""
    paths = unit_scope_paths(user)
    if paths is None:
        return OrgUnit.objects.all()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__gte=path, path__lt=path + PATH_END)
    return OrgUnit.objects.filter(condition)


def may_change_unit(user: User, unit: OrgUnit) -> bool:
    """Whether this user may decide actions for the unit's subtree: its
    leaders above it, HR advisers who may change people there, and
    administrators."""
    paths = unit_scope_paths(user, changing=True)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def get_visible_unit(user: User, pk: int) -> OrgUnit:
    """The unit with this id if the user may analyse it, else 404."""
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def analysed_people(user: User, unit: OrgUnit) -> PersonQuerySet:
    """The active people of a unit's subtree whom this user may read,
    never the user themself: a leader is not in their own analysis."""
    people = visible_people(user).active().in_subtree(unit)
    own = person_for_user(user)
    if own is not None:
        people = people.exclude(pk=own.pk)
    return people
